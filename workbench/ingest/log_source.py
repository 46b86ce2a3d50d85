"""The log source interface (local files, CloudWatch Logs, …) and the search that merges groups.

A source lists *log groups* and fetches their events in a time window, optionally filtered by a
CloudWatch filter pattern (``workbench.ingest.log_filter``; every source honours the same
syntax). Events come back as a ``LogEvents`` frame with exactly the columns of ``EVENTS_SCHEMA``,
sorted by time. Windows are half-open, ``start <= ts < end`` (so adjacent windows never share an
event); a naive ``start``/``end`` is taken to be UTC. ``limit`` keeps the first ``limit`` matches
in time order and sets ``truncated`` when more exist.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl

from workbench.errors import BadInput

__all__ = ["EVENTS_SCHEMA", "LogEvents", "LogGroup", "LogSource", "as_utc", "check_limit",
           "check_window", "empty_events",
           "keep_first", "merge_events", "truncation_note", "unknown_group", "window_expr"]

EVENTS_SCHEMA = pl.Schema({"log_group": pl.Utf8, "ts": pl.Datetime("ms", "UTC"),
                           "message": pl.Utf8, "stream": pl.Utf8})


@dataclass(frozen=True)
class LogGroup:
    """One log group: a CloudWatch log group, or one local file."""

    name: str
    stored_bytes: int | None = None
    events: int | None = None  # known line/event count, if cheap
    first_ts: datetime | None = None  # aware UTC
    last_ts: datetime | None = None


@dataclass
class LogEvents:
    """Events of one fetch or search: the frame, how many were examined, and what was cut."""

    frame: pl.DataFrame  # columns exactly EVENTS_SCHEMA, sorted by ts
    scanned: int = 0  # events examined
    truncated: bool = False  # True when ``limit`` cut the result (more exist)
    note: str = ""  # human sentence about what was cut / skipped


def as_utc(dt: datetime | None) -> datetime | None:
    """Return ``dt`` as an aware UTC datetime (naive means UTC); None stays None."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def check_window(start: datetime | None,
                 end: datetime | None) -> tuple[datetime | None, datetime | None]:
    """Return the bounds as aware UTC; BadInput for a non-datetime or an empty window."""
    for name, value in (("start", start), ("end", end)):
        if value is not None and not isinstance(value, datetime):
            raise BadInput(f"{name} must be a datetime, got {type(value).__name__} {value!r}")
    start, end = as_utc(start), as_utc(end)
    if start is not None and end is not None and end <= start:
        raise BadInput(f"time window is empty: end {end} is not after start {start}")
    return start, end


def check_limit(limit: int | None) -> None:
    """Raise BadInput unless ``limit`` is None or a positive int."""
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise BadInput(f"limit must be a positive integer or None, got {limit!r}")


def window_expr(start: datetime | None, end: datetime | None, column: str = "ts") -> pl.Expr:
    """Return the Polars test ``start <= ts < end`` (an open side is no bound).

    >>> from datetime import datetime
    >>> import polars as pl
    >>> df = pl.DataFrame({"ts": [datetime(2024, 1, 1), datetime(2024, 1, 2)]})
    >>> df.filter(window_expr(None, datetime(2024, 1, 2))).height
    1
    """
    test = pl.lit(True)
    dtype = pl.Datetime("ms", "UTC")
    if start is not None:
        test = test & (pl.col(column).cast(dtype) >= pl.lit(as_utc(start)).cast(dtype))
    if end is not None:
        test = test & (pl.col(column).cast(dtype) < pl.lit(as_utc(end)).cast(dtype))
    return test


def empty_events() -> pl.DataFrame:
    """Return an events frame with no rows and the exact ``EVENTS_SCHEMA`` columns."""
    return pl.DataFrame(schema=EVENTS_SCHEMA)


def keep_first(frame: pl.DataFrame, limit: int | None, by: Sequence[str] = ("ts",)) -> pl.DataFrame:
    """Return the first ``limit`` rows of ``frame`` in ``by`` order (stable; all when None)."""
    frame = frame.sort(list(by), maintain_order=True)
    return frame if limit is None else frame.head(limit)


def unknown_group(name: str, known: Iterable[str]) -> BadInput:
    """Return the error for a log group that does not exist, naming a few that do."""
    known = sorted(known)
    shown = ", ".join(repr(k) for k in known[:8]) or "none"
    more = f" (and {len(known) - 8} more)" if len(known) > 8 else ""
    return BadInput(f"no log group {name!r}; known groups: {shown}{more}")


def merge_events(parts: Iterable[LogEvents], limit: int | None) -> LogEvents:
    """Return the events of several fetches merged by time, at most ``limit`` of them.

    Memory stays at ``limit`` rows plus one part: the merge keeps a running first-``limit``.
    """
    kept, scanned, truncated, notes = empty_events(), 0, False, []
    for part in parts:
        scanned += part.scanned
        truncated |= part.truncated
        if part.note:
            notes.append(part.note)
        merged = pl.concat([kept, part.frame.select(EVENTS_SCHEMA.names())], how="vertical")
        if limit is not None and merged.height > limit:
            truncated = True
        kept = keep_first(merged, limit, ("ts", "log_group"))
    notes = [n for n in dict.fromkeys(notes) if not n.startswith(_CUT)]
    more = f" (+{len(notes) - 3} more notes)" if len(notes) > 3 else ""
    return LogEvents(kept, scanned, truncated, " ".join(notes[:3]) + more)


_CUT = "showing the first"


def truncation_note(limit: int, where: str) -> str:
    """Return the sentence saying a result was cut at ``limit`` events."""
    return (f"{_CUT} {limit:,} matching events of {where} in time order; more exist: "
            "narrow the time window or the filter pattern")


class LogSource(ABC):
    """Where log groups come from; implement ``list_groups``, ``fetch`` and ``fingerprint``."""

    kind: str  # "local" | "cloudwatch"

    @abstractmethod
    def list_groups(self, prefix: str = "", limit: int | None = None) -> list[LogGroup]:
        """Return the log groups whose name starts with ``prefix``, sorted by name."""

    @abstractmethod
    def fetch(self, group: str, start: datetime | None = None, end: datetime | None = None,
              filter_pattern: str = "", limit: int | None = 10_000) -> LogEvents:
        """Return the events of ``group`` with ``start <= ts < end`` matching the pattern.

        The first ``limit`` matches in time order; ``truncated`` when more exist. An unknown
        group raises ``BadInput``; so does a malformed pattern.
        """

    def search(self, filter_pattern: str, start: datetime | None = None,
               end: datetime | None = None, prefixes: Sequence[str] = (),
               limit: int | None = 10_000) -> LogEvents:
        """Return the matches in every group under each prefix (all groups when none), by time."""
        check_window(start, end)  # a bad window or limit fails before any listing
        check_limit(limit)
        if isinstance(prefixes, str):
            prefixes = [prefixes]
        names: dict[str, None] = {}
        for prefix in prefixes or [""]:
            names.update((g.name, None) for g in self.list_groups(prefix))
        if not names:
            wanted = ", ".join(repr(p) for p in prefixes)
            return LogEvents(empty_events(), note=f"no log groups under {wanted}")
        parts = (self.fetch(n, start, end, filter_pattern, limit) for n in names)
        result = merge_events(parts, limit)
        if result.truncated and limit is not None:
            cut = truncation_note(limit, f"{len(names)} groups" if len(names) > 1 else repr(*names))
            result.note = " ".join(filter(None, [cut, result.note]))
        return result

    def iter_events(self, group: str, start: datetime | None = None,
                    end: datetime | None = None, filter_pattern: str = "") -> Iterator[pl.DataFrame]:
        """Yield every matching event of ``group`` in ``[start, end)`` as frames, in pieces.

        For work over a whole window (summaries, counts) that must not hold it in memory at
        once; the default yields one ``fetch`` with no limit, a source may yield smaller pieces.
        """
        yield self.fetch(group, start, end, filter_pattern, None).frame

    def fingerprint(self) -> str:
        """Return a text that identifies the data behind this source, for cache keys."""
        raise NotImplementedError(f"{type(self).__name__} must say what identifies its data")
