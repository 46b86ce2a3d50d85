"""Key-value cache in the workspace's DuckDB (core table ``cache``): namespaces, TTL, size cap, LRU.

Keys come from :func:`cache_key`, a SHA-256 over every input that can change the value (model,
options, prompt, schema, task and policy versions…), so a changed input is simply a different key
and nothing has to be invalidated by hand. Values are JSON. When the table grows past
``settings.cache_max_bytes``, expired rows go first, then the least recently used ones.

Every function opens a short-lived connection (``workbench.store.connect``) unless it is given an
open one (``con=``), which is how a single writer batches many writes.

>>> cache_key("gpt-4o-mini", {"temperature": 0}) == cache_key("gpt-4o-mini", {"temperature": 0})
True
>>> cache_key("a", "b") == cache_key("ab")
False
"""
from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from .config import Settings, load

# evict down to this share of the cap so a full cache does not evict on every put
EVICT_TO = 0.9


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def cache_key(*parts: Any) -> str:
    """Return the SHA-256 hex digest of ``parts`` as canonical JSON (order of parts matters)."""
    payload = json.dumps(list(parts), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


@contextlib.contextmanager
def _conn(settings: Settings | None, con) -> Iterator:
    if con is not None:
        yield con
        return
    from . import store

    with store.connect(settings or load()) as c:
        yield c


def get(namespace: str, key: str, default: Any = None, *, settings: Settings | None = None,
        con=None) -> Any:
    """Return the cached value (and count the hit), or ``default`` when missing or expired."""
    found = get_many(namespace, [key], settings=settings, con=con)
    return found.get(key, default)


def get_many(namespace: str, keys: Iterable[str], *, settings: Settings | None = None,
             con=None, touch: bool = True) -> dict[str, Any]:
    """Return {key: value} for the keys present and unexpired; hits and last_used are updated."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    import pyarrow as pa

    now = _now()
    # keys travel as an Arrow table: DuckDB converts a Python list parameter element by element
    wanted = pa.table({"key": pa.array(keys, pa.string())})
    with _conn(settings, con) as c:
        c.register("_cache_keys", wanted)
        try:
            rows = c.execute(
                "SELECT key, value FROM cache WHERE namespace = ? AND key IN "
                "(SELECT key FROM _cache_keys) AND (expires_at IS NULL OR expires_at > ?)",
                [namespace, now]).fetchall()
            if rows and touch:
                c.execute("UPDATE cache SET hits = hits + 1, last_used = ? WHERE namespace = ? "
                          "AND key IN (SELECT key FROM _cache_keys) AND (expires_at IS NULL OR "
                          "expires_at > ?)", [now, namespace, now])
        finally:
            c.unregister("_cache_keys")
    return {k: json.loads(v) for k, v in rows}


def put(namespace: str, key: str, value: Any, *, ttl_s: float | None = None,
        settings: Settings | None = None, con=None) -> int:
    """Store ``value`` (JSON) under (namespace, key), replacing any old one; return its size."""
    settings = settings or load()
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    size = len(text.encode()) + len(key) + len(namespace)
    now = _now()
    expires = now + timedelta(seconds=ttl_s) if ttl_s is not None else None
    with _conn(settings, con) as c:
        c.execute("INSERT OR REPLACE INTO cache (namespace, key, value, size_bytes, created_at, "
                  "expires_at, last_used, hits) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                  [namespace, key, text, size, now, expires, now])
        _evict_if_needed(c, settings.cache_max_bytes)
    return size


def put_many(namespace: str, entries: Iterable[tuple[str, Any]], *, ttl_s: float | None = None,
             settings: Settings | None = None, con=None) -> int:
    """Store many (key, value) pairs in one statement (the single writer's path); return how many."""
    import pyarrow as pa

    settings = settings or load()
    keys, texts = [], []
    for key, value in entries:
        keys.append(key)
        texts.append(json.dumps(value, sort_keys=True, separators=(",", ":"), default=str))
    if not keys:
        return 0
    now = _now()
    expires = now + timedelta(seconds=ttl_s) if ttl_s is not None else None
    n = len(keys)
    table = pa.table({
        "namespace": pa.array([namespace] * n, pa.string()),
        "key": pa.array(keys, pa.string()),
        "value": pa.array(texts, pa.string()),
        "size_bytes": pa.array([len(t.encode()) + len(k) + len(namespace)
                                for k, t in zip(keys, texts, strict=True)], pa.int64()),
        "created_at": pa.array([now] * n, pa.timestamp("us")),
        "expires_at": pa.array([expires] * n, pa.timestamp("us")),
        "last_used": pa.array([now] * n, pa.timestamp("us")),
    })
    with _conn(settings, con) as c:
        c.register("_cache_put_many", table)
        try:
            # last write wins for a key given twice, as with put()
            c.execute("INSERT OR REPLACE INTO cache (namespace, key, value, size_bytes, created_at, "
                      "expires_at, last_used, hits) SELECT namespace, key, arg_max(value, rowid), "
                      "arg_max(size_bytes, rowid), any_value(created_at), any_value(expires_at), "
                      "any_value(last_used), 0 FROM (SELECT *, row_number() OVER () AS rowid "
                      "FROM _cache_put_many) GROUP BY namespace, key")
        finally:
            c.unregister("_cache_put_many")
        _evict_if_needed(c, settings.cache_max_bytes)
    return n


def delete(namespace: str, key: str, *, settings: Settings | None = None, con=None) -> bool:
    """Remove one entry; return True when it existed."""
    with _conn(settings, con) as c:
        n = c.execute("DELETE FROM cache WHERE namespace = ? AND key = ? RETURNING 1",
                      [namespace, key]).fetchall()
    return bool(n)


def clear(namespace: str | None = None, *, settings: Settings | None = None, con=None) -> int:
    """Remove every entry of ``namespace`` (all namespaces when None); return how many."""
    with _conn(settings, con) as c:
        if namespace is None:
            rows = c.execute("DELETE FROM cache RETURNING 1").fetchall()
        else:
            rows = c.execute("DELETE FROM cache WHERE namespace = ? RETURNING 1",
                             [namespace]).fetchall()
    return len(rows)


def evict(max_bytes: int | None = None, *, settings: Settings | None = None, con=None) -> int:
    """Drop expired entries, then least recently used ones above ``max_bytes``; return how many."""
    settings = settings or load()
    with _conn(settings, con) as c:
        if max_bytes is None:
            return _evict(c, settings.cache_max_bytes, int(settings.cache_max_bytes * EVICT_TO))
        return _evict(c, max_bytes, max_bytes)


def _evict_if_needed(c, cap: int) -> int:
    total = c.execute("SELECT coalesce(sum(size_bytes), 0) FROM cache").fetchone()[0]
    return _evict(c, cap, int(cap * EVICT_TO)) if total > cap else 0


def _evict(c, cap: int, keep: int) -> int:
    now = _now()
    removed = len(c.execute("DELETE FROM cache WHERE expires_at IS NOT NULL AND expires_at <= ? "
                            "RETURNING 1", [now]).fetchall())
    total = c.execute("SELECT coalesce(sum(size_bytes), 0) FROM cache").fetchone()[0]
    if total <= cap:
        return removed
    # keep the most recently used rows whose running size fits; drop the rest
    removed += len(c.execute(
        "DELETE FROM cache WHERE (namespace, key) IN (SELECT namespace, key FROM ("
        "  SELECT namespace, key, sum(size_bytes) OVER (ORDER BY last_used DESC, created_at DESC, "
        "  namespace, key ROWS UNBOUNDED PRECEDING) AS running FROM cache) WHERE running > ?) "
        "RETURNING 1", [keep]).fetchall())
    return removed


def stats(namespace: str | None = None, *, settings: Settings | None = None,
          con=None) -> dict[str, Any]:
    """Return entries, bytes, hits and expired counts, overall and per namespace."""
    now = _now()
    if con is None:
        settings = settings or load()
    where, args = ("WHERE namespace = ?", [namespace]) if namespace else ("", [])
    with _conn(settings, con) as c:
        rows = c.execute(
            "SELECT namespace, count(*), coalesce(sum(size_bytes), 0), coalesce(sum(hits), 0), "
            "count(*) FILTER (WHERE expires_at IS NOT NULL AND expires_at <= ?) "
            f"FROM cache {where} GROUP BY namespace ORDER BY namespace", [now, *args]).fetchall()
    per = {ns: {"entries": n, "bytes": int(b), "hits": int(h), "expired": e}
           for ns, n, b, h, e in rows}
    return {
        "entries": sum(v["entries"] for v in per.values()),
        "bytes": sum(v["bytes"] for v in per.values()),
        "hits": sum(v["hits"] for v in per.values()),
        "expired": sum(v["expired"] for v in per.values()),
        "max_bytes": settings.cache_max_bytes if settings else None,
        "namespaces": per,
    }
