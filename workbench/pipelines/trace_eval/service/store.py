"""The trace store: ``<workspace>/data/trace_store.sqlite``, append-only, one writer.

The server is the one writer of traces and results. The database is in WAL mode with
``synchronous=FULL``: a commit returns only once its WAL frames are on disk, so a 2xx answer
(sent after the commit) survives a ``kill -9`` of the server. Batch readers (the pipeline's
``source=store`` ingest) open it read-only (``mode=ro`` URI): in WAL mode readers see the last
committed snapshot and never block the writer, nor the writer them. The pipeline's DuckDB
workspace is written only by the batch run.

Tables: ``orgs`` (one row per API key: name, key_id, salt, key_hash, kdf, created_at,
revoked_at), ``traces`` (seq, org, trace_id, received_at, the masked unified trace columns;
``UNIQUE(org, trace_id)``, so a re-send is idempotent) and ``results`` (org, trace_id, tier,
module, module_version, passed, severity, score, reason, evaluated_at). Times are epoch
microseconds (UTC).

An API key is ``wbk_<key_id>_<secret>``; only a random salt and the scrypt hash of the key are
stored, so a lost key cannot be recovered, only revoked and replaced.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ....errors import BadInput

STORE_FILE = "trace_store.sqlite"
KEY_PREFIX = "wbk"
# scrypt: 16 MiB and ~50 ms per derivation; the server caches keys it has verified
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1, "dklen": 32}
ORG_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
TRACE_COLUMNS = ("source_format", "provider", "model", "system", "prompt", "messages",
                 "response", "finish_reason", "expected_format", "response_schema", "max_tokens",
                 "tokens_in", "tokens_out", "latency_ms", "cost_usd", "started_at", "metadata")
RESULT_COLUMNS = ("tier", "module", "module_version", "passed", "severity", "score", "reason")

SCHEMA = """
CREATE TABLE IF NOT EXISTS orgs (
    name        TEXT NOT NULL,
    key_id      TEXT NOT NULL UNIQUE,
    salt        BLOB NOT NULL,
    key_hash    BLOB NOT NULL,
    kdf         TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX IF NOT EXISTS orgs_name ON orgs (name);
CREATE TABLE IF NOT EXISTS traces (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    org             TEXT NOT NULL,
    trace_id        TEXT NOT NULL,
    received_at     INTEGER NOT NULL,
    source_format   TEXT NOT NULL,
    provider        TEXT,
    model           TEXT,
    system          TEXT,
    prompt          TEXT,
    messages        TEXT,
    response        TEXT,
    finish_reason   TEXT,
    expected_format TEXT NOT NULL DEFAULT 'text',
    response_schema TEXT,
    max_tokens      INTEGER,
    tokens_in       INTEGER,
    tokens_out      INTEGER,
    latency_ms      REAL,
    cost_usd        REAL,
    started_at      INTEGER,
    metadata        TEXT,
    UNIQUE (org, trace_id)
);
CREATE INDEX IF NOT EXISTS traces_org_received ON traces (org, received_at);
CREATE TABLE IF NOT EXISTS results (
    org             TEXT NOT NULL,
    trace_id        TEXT NOT NULL,
    tier            INTEGER NOT NULL,
    module          TEXT NOT NULL,
    module_version  TEXT,
    passed          INTEGER,
    severity        TEXT,
    score           REAL,
    reason          TEXT,
    evaluated_at    INTEGER NOT NULL,
    PRIMARY KEY (org, trace_id, tier, module)
);
CREATE INDEX IF NOT EXISTS results_org_time ON results (org, evaluated_at);
"""


def store_path(settings) -> Path:
    """Return the trace store file of a workspace."""
    return settings.data_dir / STORE_FILE


def now_us() -> int:
    """Return the current UTC time as epoch microseconds."""
    return time.time_ns() // 1000


def iso(us: int | None) -> str | None:
    """Return epoch microseconds as an ISO 8601 UTC string (None stays None)."""
    if us is None:
        return None
    return datetime.fromtimestamp(us / 1e6, UTC).isoformat().replace("+00:00", "Z")


_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_since(value: str | None, *, default: str | None = None,
                name: str = "since") -> int | None:
    """Return ``since`` as epoch microseconds: ISO 8601 (date or datetime) or ``<n>[smhdw]``.

    Empty gives ``default`` (None: no lower bound). A time without zone is UTC.

    >>> parse_since("2024-05-01T00:00:00Z")
    1714521600000000
    >>> parse_since("") is None
    True
    """
    value = (value or "").strip() or (default or "")
    if not value:
        return None
    m = _RELATIVE.match(value)
    if m:
        return now_us() - int(float(m.group(1)) * _UNITS[m.group(2)] * 1_000_000)
    try:
        dt = datetime.fromisoformat(value)  # Python 3.11 reads a trailing Z
    except ValueError:
        raise BadInput(f"{name} must be ISO 8601 (2024-05-01 or 2024-05-01T10:00:00Z) or a "
                       f"duration such as 24h or 7d, got {value!r}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)  # a naive time is UTC
    return int((dt - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(microseconds=1))


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Return a connection: the writer (creates the schema; WAL, synchronous=FULL) or a reader."""
    if read_only:
        if not path.is_file():
            raise BadInput(f"no trace store at {path}: start `workbench serve trace_eval` and "
                           "send traces first")
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10,
                              check_same_thread=False)
        con.execute("PRAGMA busy_timeout = 10000")
        return con
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA busy_timeout = 10000")
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    con.executescript(SCHEMA)
    return con


# --- organizations and keys -------------------------------------------------------------


def _derive(key: str, salt: bytes) -> bytes:
    return hashlib.scrypt(key.encode(), salt=salt, maxmem=64 << 20, **SCRYPT)


def split_key(key: str) -> tuple[str, str] | None:
    """Return (key_id, secret) of a well-formed API key, else None."""
    parts = key.split("_", 2) if isinstance(key, str) else []
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not re.fullmatch(r"[0-9a-f]{12}", parts[1]) \
            or len(parts[2]) < 16:
        return None
    return parts[1], parts[2]


@dataclass(frozen=True)
class OrgKey:
    """One API key of an organization (never the key itself)."""

    name: str
    key_id: str
    created_at: int
    revoked_at: int | None


def create_org(settings, name: str) -> tuple[OrgKey, str]:
    """Create an organization key; return it and the API key (shown once, never stored)."""
    if not ORG_NAME.match(name or ""):
        raise BadInput(f"organization name {name!r}: 1-64 letters, digits, '_', '.', '-', "
                       "starting with a letter or digit")
    key_id = secrets.token_hex(6)
    key = f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    salt = secrets.token_bytes(16)
    digest = _derive(key, salt)
    con = connect(store_path(settings))
    try:
        con.execute("BEGIN IMMEDIATE")
        active = con.execute("SELECT key_id FROM orgs WHERE name = ? AND revoked_at IS NULL",
                             [name]).fetchone()
        if active:
            con.execute("ROLLBACK")
            raise BadInput(f"organization {name!r} already has an active key ({active[0]}); "
                           f"revoke it first: workbench orgs revoke {active[0]}")
        created = now_us()
        con.execute("INSERT INTO orgs VALUES (?, ?, ?, ?, ?, ?, NULL)",
                    [name, key_id, salt, digest, "scrypt-n14-r8-p1", created])
        con.execute("COMMIT")
    finally:
        con.close()
    return OrgKey(name, key_id, created, None), key


def list_orgs(settings) -> list[OrgKey]:
    """Return every key row (active and revoked), by organization then creation."""
    path = store_path(settings)
    if not path.is_file():
        return []
    con = connect(path)
    try:
        rows = con.execute("SELECT name, key_id, created_at, revoked_at FROM orgs "
                           "ORDER BY name, created_at").fetchall()
    finally:
        con.close()
    return [OrgKey(*r) for r in rows]


def revoke(settings, name_or_key_id: str) -> list[OrgKey]:
    """Revoke the active key(s) of an organization name or one key id; return what was revoked."""
    con = connect(store_path(settings))
    try:
        con.execute("BEGIN IMMEDIATE")
        rows = con.execute("SELECT name, key_id, created_at FROM orgs WHERE revoked_at IS NULL "
                           "AND (name = ? OR key_id = ?)", [name_or_key_id] * 2).fetchall()
        if not rows:
            con.execute("ROLLBACK")
            raise BadInput(f"no active key for organization or key id {name_or_key_id!r} "
                           "(see workbench orgs list)")
        at = now_us()
        con.executemany("UPDATE orgs SET revoked_at = ? WHERE key_id = ?",
                        [(at, r[1]) for r in rows])
        con.execute("COMMIT")
    finally:
        con.close()
    return [OrgKey(n, k, c, at) for n, k, c in rows]


class KeyVerifier:
    """Checks API keys: the org row is read on every call (a revocation counts at once); the
    scrypt derivation runs once per distinct key, its outcome cached by the key's SHA-256."""

    def __init__(self, reader) -> None:
        self._reader = reader          # callable returning a thread's read connection
        self._ok: dict[str, tuple[str, str]] = {}   # sha256(key) -> (key_id, org)
        self._lock = threading.Lock()

    def org_of(self, key: str | None) -> str | None:
        """Return the organization of a valid, unrevoked key, else None."""
        parts = split_key(key) if key else None
        if parts is None:
            return None
        key_id = parts[0]
        row = self._reader().execute("SELECT name, salt, key_hash, revoked_at FROM orgs "
                                     "WHERE key_id = ?", [key_id]).fetchone()
        if row is None or row[3] is not None:
            return None
        fp = hashlib.sha256(key.encode()).hexdigest()
        cached = self._ok.get(fp)
        if cached is not None:
            return cached[1] if cached[0] == key_id else None
        if not hmac.compare_digest(_derive(key, row[1]), row[2]):
            return None
        with self._lock:
            self._ok[fp] = (key_id, row[0])
        return row[0]


# --- the batch pipeline's read-only view --------------------------------------------------


def read_stored(settings, org: str, since_us: int | None, batch_size: int
                ) -> Iterator[tuple[list[tuple], list[tuple], int]]:
    """Yield (trace rows, pii results rows, snapshot seq) of ``org`` since ``since_us``.

    Opened read-only: a snapshot (the highest ``seq`` at the start) bounds the read, so traces
    arriving meanwhile wait for the next run and the writer is never blocked. Trace rows are
    ``(seq, trace_id, *TRACE_COLUMNS)``; result rows ``(trace_id, *RESULT_COLUMNS)`` of the
    raw-text tier-1 modules evaluated at ingestion.
    """
    con = connect(store_path(settings), read_only=True)
    try:
        snap = con.execute("SELECT coalesce(max(seq), 0) FROM traces").fetchone()[0]
        if not con.execute("SELECT 1 FROM orgs WHERE name = ?", [org]).fetchone():
            raise BadInput(f"no organization {org!r} in {store_path(settings)} "
                           "(see workbench orgs list)")
        last = 0
        cols = ", ".join(("seq", "trace_id", *TRACE_COLUMNS))
        while True:
            rows = con.execute(
                f"SELECT {cols} FROM traces WHERE org = ? AND seq > ? AND seq <= ? "
                "AND received_at >= ? ORDER BY seq LIMIT ?",
                [org, last, snap, since_us or 0, batch_size]).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            ids = [r[1] for r in rows]
            results: list[tuple] = []
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                marks = ",".join("?" * len(chunk))
                results += con.execute(
                    f"SELECT trace_id, {', '.join(RESULT_COLUMNS)} FROM results WHERE org = ? "
                    f"AND tier = 1 AND trace_id IN ({marks})", [org, *chunk]).fetchall()
            yield rows, results, snap
    finally:
        con.close()
