"""Local log files as a log source: each file one log group, read as a stream of blocks.

``LocalLogSource(paths, cache_dir=None)`` takes files and folders (searched recursively; hidden
files and files with NUL bytes skipped): plain text, JSON lines, ``.gz``. A file's group name
is its path relative to the folder given, or its file name when the file itself was given
(a clash takes the full path). Each non-blank line is one event, its message the line as
written; its time comes from ``workbench.ingest.log_times`` (ISO 8601, ``YYYY-MM-DD
HH:MM:SS,mmm``, syslog with the year from the file's modification time, Apache/nginx, JSON
epoch or ISO fields, leading epochs). A line without a time inherits the previous line's (stack
traces); lines before the first time get the file's modification time and are counted as
unparsed (``unparsed(group)``, ``unparsed_lines(group)``) for the pipeline's quarantine.

Reading is streaming: blocks of ``block_bytes`` are parsed, filtered by window and pattern, and
only the first ``limit`` matches are kept, so memory stays flat as files grow. With a
``cache_dir``, the first read of a file also writes its parsed (line_no, ts, message) to a
Parquet file keyed by the file's fingerprint (path, size, mtime); later reads skip parsing and
skip row groups outside the window. Without one, what a full read learned (line counts, time
span, whether times are in order) is remembered for this object's life.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from workbench.errors import BadInput

from .lines import iter_byte_blocks, open_binary, split_lines
from .log_filter import compile_filter
from .log_source import (
    LogEvents,
    LogGroup,
    LogSource,
    check_limit,
    check_window,
    keep_first,
    truncation_note,
    unknown_group,
    window_expr,
)
from .log_times import TS, extract_times, fill_times

__all__ = ["LocalLogSource"]

PARSER_VERSION = "1"  # part of every cache key: bump when parsing changes
BLOCK_BYTES = 8 << 20
PARSE_THREADS = 2  # blocks parsed at once (Polars releases the GIL); memory: one block each


@dataclass
class _Meta:
    """What one full read of a file learned."""

    lines: int = 0  # physical lines
    events: int = 0  # non-blank lines
    unparsed: int = 0  # events before the first timestamp (they got the file's mtime)
    unparsed_last_line: int = 0
    first_ts: datetime | None = None
    last_ts: datetime | None = None
    ordered: bool = True  # times never go backwards


@dataclass(frozen=True)
class _File:
    """One input file as seen now."""

    group: str
    path: Path
    size: int
    mtime_ns: int

    @property
    def key(self) -> str:
        text = f"{PARSER_VERSION}|{self.path.resolve()}|{self.size}|{self.mtime_ns}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @property
    def mtime(self) -> datetime:
        return datetime.fromtimestamp(self.mtime_ns / 1e9, UTC)


def _is_text(path: Path) -> bool:
    """Return True when the file (decompressed if .gz) starts without NUL bytes."""
    try:
        with open_binary(path) as fh:
            return b"\0" not in fh.read(4096)
    except (OSError, EOFError):
        return False


def _discover(paths: Sequence[str | Path], skip: Path | None) -> dict[str, Path]:
    """Return {group name: file} for the given files and folders."""
    found: dict[str, Path] = {}
    seen: set[Path] = set()
    for given in map(Path, paths):
        if not given.exists():
            raise BadInput(f"log input {str(given)!r} does not exist; "
                           "give log files (plain, JSON lines, .gz) or folders of them")
        if given.is_file():
            items = [(given.name, given)]
        else:
            items = sorted((f.relative_to(given).as_posix(), f) for f in given.rglob("*")
                           if f.is_file() and not any(p.startswith(".")
                                                      for p in f.relative_to(given).parts)
                           and not (skip and f.resolve().is_relative_to(skip)) and _is_text(f))
        for name, path in items:
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            found[path.as_posix() if name in found else name] = path
    return found


class LocalLogSource(LogSource):
    """Log files on this machine; each file is a log group (see the module docstring).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "app.log").write_text("2024-03-07 14:02:01,250 ERROR boom\\n  at x\\n")
    >>> src = LocalLogSource([folder])
    >>> [g.name for g in src.list_groups()]
    ['app.log']
    >>> src.fetch("app.log", filter_pattern="at").frame["message"].to_list()
    ['  at x']
    """

    kind = "local"

    def __init__(self, paths: Sequence[str | Path], cache_dir: str | Path | None = None,
                 block_bytes: int = BLOCK_BYTES):
        if isinstance(paths, str | Path):
            paths = [paths]
        self.cache_dir = Path(cache_dir).resolve() if cache_dir is not None else None
        self.block_bytes = block_bytes
        self._paths = _discover(paths, self.cache_dir)
        self._meta: dict[str, _Meta] = {}

    # -- files and what is known about them ------------------------------------------------

    def _file(self, group: str) -> _File:
        """Return the file of ``group`` as it is now (raises BadInput for an unknown group)."""
        path = self._paths.get(group)
        if path is None:
            raise unknown_group(group, self._paths)
        try:
            st = path.stat()
        except OSError as exc:
            raise BadInput(f"log file {str(path)!r} of group {group!r} cannot be read: {exc}") \
                from None
        return _File(group, path, st.st_size, st.st_mtime_ns)

    def _cache_paths(self, f: _File) -> tuple[Path, Path] | None:
        """Return (parquet, meta json) of the file's cache entry, or None without a cache."""
        if self.cache_dir is None:
            return None
        base = self.cache_dir / "log_local"
        return base / f"{f.key}.parquet", base / f"{f.key}.json"

    def _known(self, f: _File) -> _Meta | None:
        """Return what a previous full read of the file learned, if anything."""
        if f.key not in self._meta and (paths := self._cache_paths(f)) and paths[1].exists():
            raw = json.loads(paths[1].read_text())
            for k in ("first_ts", "last_ts"):
                raw[k] = datetime.fromisoformat(raw[k]) if raw[k] else None
            self._meta[f.key] = _Meta(**raw)
        return self._meta.get(f.key)

    def _meta_of(self, f: _File) -> _Meta:
        """Return the file's meta, reading the whole file once if it is not known yet."""
        meta = self._known(f)
        if meta is None:
            for _ in self._chunks(f, None, None):
                pass
            meta = self._meta[f.key]
        return meta

    # -- reading -------------------------------------------------------------------------------

    def _chunks(self, f: _File, start: datetime | None,
                end: datetime | None) -> Iterator[pl.DataFrame]:
        """Yield (line_no, ts, message) frames of the file: from the cache, else parsed."""
        paths = self._cache_paths(f)
        if paths and paths[0].exists() and self._known(f) is not None:
            yield from _read_cache(paths[0], start, end)
        else:
            yield from self._parse(f, paths)

    def _parse(self, f: _File, paths: tuple[Path, Path] | None) -> Iterator[pl.DataFrame]:
        """Yield the parsed blocks of the file; at the end record its meta (and cache)."""
        meta, carry, writer, tmp = _Meta(), None, None, None
        done = False
        try:
            for count, chunk, ts in _prepared(f, self.block_bytes):
                meta.lines += count
                if chunk.height == 0:
                    continue
                ts, lead, last = fill_times(ts, carry, f.mtime)
                if lead:
                    meta.unparsed += lead
                    meta.unparsed_last_line = chunk["line_no"][lead - 1]
                meta.ordered &= ts.is_sorted() and (carry is None or ts[0] >= carry)
                if lead < len(ts):  # a real time was seen: later lines inherit from it
                    carry = last
                chunk = chunk.select("line_no", ts.alias("ts"), "message")
                meta.events += chunk.height
                lo, hi = ts.min(), ts.max()
                meta.first_ts = lo if meta.first_ts is None else min(meta.first_ts, lo)
                meta.last_ts = hi if meta.last_ts is None else max(meta.last_ts, hi)
                if paths:
                    writer, tmp = _write(chunk, writer, tmp, paths[0])
                yield chunk
            done = True
        except (OSError, EOFError) as exc:
            raise BadInput(f"log file {str(f.path)!r} cannot be read: {exc}") from None
        finally:
            if writer is not None:
                writer.close()
            if tmp is not None and not done:
                tmp.unlink(missing_ok=True)
        self._meta[f.key] = meta
        if paths:
            _commit(meta, tmp, paths)

    # -- the interface -----------------------------------------------------------------------

    def list_groups(self, prefix: str = "", limit: int | None = None) -> list[LogGroup]:
        """Return the files whose group name starts with ``prefix`` (counts where known)."""
        out = []
        for name in sorted(n for n in self._paths if n.startswith(prefix)):
            f = self._file(name)
            meta = self._known(f)
            out.append(LogGroup(name, f.size, meta and meta.events, meta and meta.first_ts,
                                meta and meta.last_ts))
            if limit is not None and len(out) >= limit:
                break
        return out

    def describe(self, group: str) -> LogGroup:
        """Return the group with its event count and time span (reads the file if needed)."""
        f = self._file(group)
        meta = self._meta_of(f)
        return LogGroup(group, f.size, meta.events, meta.first_ts, meta.last_ts)

    def unparsed(self, group: str) -> int:
        """Return how many lines of ``group`` came before any timestamp (they got its mtime)."""
        return self._meta_of(self._file(group)).unparsed

    def unparsed_lines(self, group: str, limit: int = 1000) -> pl.DataFrame:
        """Return (line_no, message) of up to ``limit`` lines that came before any timestamp."""
        f = self._file(group)
        last = self._meta_of(f).unparsed_last_line
        parts, got = [], 0
        for chunk in self._chunks(f, None, None) if last else ():
            part = chunk.filter(pl.col("line_no") <= last).select("line_no", "message")
            parts.append(part.head(limit - got))
            got += parts[-1].height
            if got >= limit or chunk["line_no"][-1] >= last:
                break
        return pl.concat(parts) if parts else pl.DataFrame(
            schema={"line_no": pl.Int64, "message": pl.Utf8})

    def fetch(self, group: str | LogGroup, start: datetime | None = None,
              end: datetime | None = None, filter_pattern: str = "",
              limit: int | None = 10_000) -> LogEvents:
        """Return the events of ``group`` with ``start <= ts < end`` matching the pattern.

        The first ``limit`` matches in time order (``truncated`` when more exist).
        """
        group = group.name if isinstance(group, LogGroup) else group
        f = self._file(group)
        flt = compile_filter(filter_pattern)
        check_limit(limit)
        start, end = check_window(start, end)
        known = self._known(f)
        ordered = known is not None and known.ordered and limit is not None
        test = window_expr(start, end)
        kept, matched, scanned = None, 0, 0
        for chunk in self._chunks(f, start, end):
            if ordered and end is not None and chunk["ts"][0] >= end:
                break
            part = chunk.filter(test)
            scanned += part.height
            if flt.kind != "all" and part.height:
                part = part.filter(flt.mask(part["message"]))
            matched += part.height
            kept = part if kept is None else pl.concat([kept, part])
            if limit is not None and kept.height > limit:
                kept = keep_first(kept, limit, ("ts", "line_no"))
                if ordered:  # times only grow: nothing later can come first
                    break
        truncated = limit is not None and matched > limit
        frame = keep_first(kept if kept is not None else _EMPTY, limit, ("ts", "line_no"))
        frame = frame.select(pl.lit(group, pl.Utf8).alias("log_group"), "ts", "message",
                             pl.lit(f.path.name, pl.Utf8).alias("stream"))
        notes = [truncation_note(limit, repr(group))] if truncated else []
        meta = self._meta.get(f.key)
        if meta is not None and meta.unparsed:
            notes.append(f"{meta.unparsed:,} line(s) of {group!r} before its first timestamp "
                         "got the file's modification time.")
        return LogEvents(frame, scanned, truncated, " ".join(notes))

    def iter_events(self, group: str | LogGroup, start: datetime | None = None,
                    end: datetime | None = None, filter_pattern: str = "") -> Iterator[pl.DataFrame]:
        """Yield the matching events of ``group`` block by block (memory: one block)."""
        group = group.name if isinstance(group, LogGroup) else group
        f = self._file(group)
        flt = compile_filter(filter_pattern)
        start, end = check_window(start, end)
        test = window_expr(start, end)
        for chunk in self._chunks(f, start, end):
            part = chunk.filter(test)
            if flt.kind != "all" and part.height:
                part = part.filter(flt.mask(part["message"]))
            if part.height:
                yield part.select(pl.lit(group, pl.Utf8).alias("log_group"), "ts", "message",
                                  pl.lit(f.path.name, pl.Utf8).alias("stream"))

    def fingerprint(self) -> str:
        """Return ``local:`` + a hash of every file's group, path, size and mtime."""
        files = [self._file(n) for n in sorted(self._paths)]
        text = json.dumps([[f.group, str(f.path.resolve()), f.size, f.mtime_ns] for f in files])
        return "local:" + hashlib.sha256(text.encode()).hexdigest()


_EMPTY = pl.DataFrame(schema={"line_no": pl.Int64, "ts": TS, "message": pl.Utf8})


def _prepare(first: int, block: memoryview, count: int,
             ref: datetime) -> tuple[int, pl.DataFrame, pl.Series]:
    """Return (lines, non-blank (line_no, message) rows, their own times) of one block."""
    chunk = pl.DataFrame({
        "line_no": pl.int_range(first, first + count, dtype=pl.Int64, eager=True),
        "message": split_lines(block, count)}).filter(pl.col("message").str.contains(r"\S"))
    return count, chunk, extract_times(chunk["message"], ref)


def _prepared(f: _File, block_bytes: int) -> Iterator[tuple[int, pl.DataFrame, pl.Series]]:
    """Yield ``_prepare`` of each block in order, the next block parsed on a second thread."""
    with ThreadPoolExecutor(max_workers=PARSE_THREADS) as pool:
        pending: deque[Future] = deque()
        for first, block, count in iter_byte_blocks(f.path, block_bytes):
            pending.append(pool.submit(_prepare, first, block, count, f.mtime))
            if len(pending) > PARSE_THREADS:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _read_cache(path: Path, start: datetime | None,
                end: datetime | None) -> Iterator[pl.DataFrame]:
    """Yield the cached row groups that may hold times in ``[start, end)``."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    column = pf.schema_arrow.get_field_index("ts")
    for i in range(pf.num_row_groups):
        stats = pf.metadata.row_group(i).column(column).statistics
        if stats is not None and stats.has_min_max and (
                (start is not None and stats.max < start) or (end is not None and stats.min >= end)):
            continue
        yield pl.from_arrow(pf.read_row_group(i))


def _write(chunk: pl.DataFrame, writer, tmp: Path | None, final: Path):
    """Append a chunk to the cache file being written; return (writer, its temporary path)."""
    import pyarrow.parquet as pq

    table = chunk.to_arrow()
    if writer is None:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_suffix(f".{os.getpid()}.tmp")
        writer = pq.ParquetWriter(tmp, table.schema, compression="zstd", use_dictionary=False,
                                  write_statistics=["ts"])  # messages: no dictionary, no stats
    writer.write_table(table.cast(writer.schema))
    return writer, tmp


def _commit(meta: _Meta, tmp: Path | None, paths: tuple[Path, Path]) -> None:
    """Move a finished cache file in place and write its meta next to it."""
    parquet, meta_path = paths
    if tmp is None:  # an empty file: an empty cache entry
        parquet.parent.mkdir(parents=True, exist_ok=True)
        _EMPTY.write_parquet(parquet)
    else:
        os.replace(tmp, parquet)
    raw = asdict(meta)
    for k in ("first_ts", "last_ts"):
        raw[k] = raw[k].isoformat() if raw[k] else None
    part = meta_path.with_suffix(f".{os.getpid()}.tmp")
    part.write_text(json.dumps(raw))
    os.replace(part, meta_path)
