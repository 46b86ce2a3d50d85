"""The tools a model (or a slash command, or the offline planner) calls on a log source.

Each tool returns a JSON-able dict that is masked (``evidence``), bounded (at most ``max_rows``
events and about ``max_chars`` characters, with a ``note`` saying what was cut) and cached in the
workspace cache (namespace ``log_chat_<source kind>``) with a TTL by recency:

- a window that ends within the last 5 minutes: 60 s (the logs are still growing);
- within the last hour: 5 minutes;
- a closed, older window: 7 days (the key holds the source fingerprint, so a changed file or
  another account is another key).

Times are the forms of ``timeparse.parse_time`` ("1h ago", ISO 8601, epoch ms, …), read against
``now`` (the end of the data for local logs, the clock for CloudWatch). Cache keys use the window
rounded to the minute, so the same question asked twice within the TTL makes no second call.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from ... import cache
from ...config import POLICY_VERSION, Settings
from ...ingest.log_source import LogEvents, LogSource
from .evidence import mask_messages, mask_texts
from .timeparse import parse_window

MESSAGE_CHARS = 400       # one event's message in a tool result


def ttl_for(end: datetime, now: datetime) -> float:
    """Return the cache TTL in seconds of a result whose window ends at ``end``."""
    age = (now - end).total_seconds()
    if age < 300:
        return 60.0
    if age < 3600:
        return 300.0
    return 7 * 86400.0


def _iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.astimezone(UTC).isoformat(timespec="seconds")


def _minute(dt: datetime | None) -> str | None:
    return None if dt is None else dt.replace(second=0, microsecond=0).isoformat()


class LogTools:
    """The five log tools bound to one source; ``calls`` and ``masked`` record what they did."""

    def __init__(self, source: LogSource, settings: Settings, *, now: datetime | None = None,
                 mask: bool = True, max_rows: int = 50, max_chars: int = 6000,
                 use_cache: bool = True):
        self.source, self.settings, self.mask = source, settings, mask
        self.max_rows, self.max_chars, self.use_cache = max_rows, max_chars, use_cache
        self._now = now
        self.calls: list[dict] = []
        self.masked: Counter = Counter()

    # -- plumbing ------------------------------------------------------------------------------
    def now(self) -> datetime:
        """Return the time relative windows are read against (fixed, else the clock)."""
        return self._now or datetime.now(UTC)

    def window(self, since: str | None, until: str | None) -> tuple[datetime | None, datetime]:
        """Return (start, end) of a window given as the tools' time forms."""
        return parse_window(since, until, self.now())

    def _run(self, tool: str, arguments: dict, end: datetime, compute) -> dict:
        """Return ``compute()`` (masked dict with 'masked' and 'rows'), cached by recency."""
        t0 = time.perf_counter()
        ns = f"log_chat_{self.source.kind}"
        key = cache.cache_key("log_chat", tool, self.source.fingerprint(), arguments,
                              POLICY_VERSION, self.mask)
        value = cache.get(ns, key, settings=self.settings) if self.use_cache else None
        cached = value is not None
        if not cached:
            value = compute()
            if self.use_cache:
                cache.put(ns, key, value, ttl_s=ttl_for(end, self.now()), settings=self.settings)
        masked = value.get("masked", {})
        self.masked.update(masked)
        self.calls.append({"name": tool, "arguments": arguments, "rows": value.get("rows", 0),
                           "cached": cached, "masked": masked,
                           "seconds": round(time.perf_counter() - t0, 4)})
        return value

    def _events(self, ev: LogEvents, what: str) -> dict:
        total = ev.frame.height
        shown, counts = mask_messages(ev.frame.head(self.max_rows), self.settings,
                                      enabled=self.mask)
        rows = [{"ts": _iso(ts), "group": g, "message": _clip(m)}
                for g, ts, m in shown.select("log_group", "ts", "message").iter_rows()]
        notes = [ev.note] if ev.note else []
        if total > self.max_rows:
            notes.append(f"showing {self.max_rows} of {total:,} events{what}")
        elif ev.truncated and not ev.note:
            notes.append("more events exist beyond the fetch limit")
        out = {"events": rows, "matched": total, "scanned": ev.scanned,
               "truncated": ev.truncated or total > self.max_rows,
               "masked": dict(counts), "rows": len(rows)}
        return self._bounded(out, "events", notes)

    def _bounded(self, out: dict, key: str, notes: list[str]) -> dict:
        """Return ``out`` with list ``key`` shortened until the JSON fits ``max_chars``."""
        items = out[key]
        size = len(json.dumps(out, default=str))
        dropped = 0
        while items and size > self.max_chars:
            size -= len(json.dumps(items.pop(), default=str)) + 2
            dropped += 1
        if dropped:
            notes.append(f"{dropped} more {key} cut to keep the answer under "
                         f"{self.max_chars:,} characters")
            out["truncated"] = True
        out["rows"] = len(items)
        if notes:
            out["note"] = " ".join(notes)
        return out

    # -- the tools -----------------------------------------------------------------------------
    def list_log_groups(self, prefix: str = "", limit: int = 50) -> dict:
        """List log groups whose name starts with prefix (name, bytes, events, first/last time)."""
        args = {"prefix": prefix, "limit": limit}

        def compute() -> dict:
            groups = self.source.list_groups(prefix, None)
            shown = groups[: max(1, min(limit, 500))]
            names, counts = mask_texts([g.name for g in shown], self.settings, enabled=self.mask)
            rows = [{"name": n, "stored_bytes": g.stored_bytes, "events": g.events,
                     "first": _iso(g.first_ts), "last": _iso(g.last_ts)}
                    for n, g in zip(names, shown, strict=True)]
            out = {"groups": rows, "total": len(groups), "masked": dict(counts)}
            notes = [f"showing {len(rows)} of {len(groups)} groups"] if len(groups) > len(rows) \
                else []
            return self._bounded(out, "groups", notes)

        return self._run("list_log_groups", args, self.now(), compute)  # groups come and go

    def fetch_logs(self, log_group: str, since: str = "1h ago", until: str = "now",
                   filter_pattern: str = "", limit: int = 50) -> dict:
        """Fetch events of one log group in a time window, optionally filtered (CloudWatch syntax)."""
        start, end = self.window(since, until)
        limit = max(1, min(int(limit), 10_000))
        args = {"log_group": log_group, "start": _minute(start), "end": _minute(end),
                "filter_pattern": filter_pattern, "limit": limit}
        return self._run("fetch_logs", args, end, lambda: self._events(
            self.source.fetch(log_group, start, end, filter_pattern, limit), ""))

    def search_logs(self, filter_pattern: str, since: str = "1h ago", until: str = "now",
                    prefixes: list[str] | None = None, limit: int = 50) -> dict:
        """Search a filter pattern across all log groups (or those under prefixes), by time."""
        start, end = self.window(since, until)
        prefixes = [prefixes] if isinstance(prefixes, str) else list(prefixes or [])
        limit = max(1, min(int(limit), 10_000))
        args = {"filter_pattern": filter_pattern, "start": _minute(start), "end": _minute(end),
                "prefixes": prefixes, "limit": limit}
        return self._run("search_logs", args, end, lambda: self._events(
            self.source.search(filter_pattern, start, end, prefixes, limit), " across groups"))

    def summarize_logs(self, log_group: str, since: str = "1h ago", until: str = "now",
                       filter_pattern: str = "") -> dict:
        """Summarize a log group by message template: counts, first/last seen, an example, and
        what changed against the previous window of equal length (new templates, spikes)."""
        from .summary import summarize

        start, end = self.window(since, until)
        args = {"log_group": log_group, "start": _minute(start), "end": _minute(end),
                "filter_pattern": filter_pattern}
        return self._run("summarize_logs", args, end, lambda: summarize(
            self.source, log_group, start, end, filter_pattern, settings=self.settings,
            mask=self.mask, max_templates=min(self.max_rows, 40), max_chars=self.max_chars))

    def count_logs(self, log_group: str, filter_pattern: str = "", since: str = "24h ago",
                   until: str = "now", interval: str = "1h") -> dict:
        """Count events matching a filter pattern in a log group (or a group prefix ending in
        '/' or '*') per time interval such as 5m, 1h, 1d."""
        from .summary import counts_per_interval

        start, end = self.window(since, until)
        args = {"log_group": log_group, "filter_pattern": filter_pattern, "start": _minute(start),
                "end": _minute(end), "interval": interval}
        return self._run("count_logs", args, end, lambda: counts_per_interval(
            self.source, log_group, filter_pattern, start, end, interval))

    def specs(self) -> list:
        """Return the tools as ``workbench.llm.ToolSpec`` (cached here, so not again there)."""
        from ...llm import ToolSpec

        return [ToolSpec(getattr(self, n), name=n, cache_ttl_s=0) for n in TOOL_NAMES]


TOOL_NAMES = ("list_log_groups", "fetch_logs", "search_logs", "summarize_logs", "count_logs")


def _clip(message: Any) -> str:
    text = "" if message is None else str(message)
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"
