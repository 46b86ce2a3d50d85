"""The delivery log and where it persists between runs: memory, a JSON file or DuckDB.

A state is any object with ``load() -> pl.DataFrame`` (the log so far, in LOG_SCHEMA) and
``save(rows)`` (append rows). Dedup, escalation, rate limits and the folding of rate-limited
alerts into the next digest all read it, so they hold across runs.
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import polars as pl

TABLE = "trace_eval_alerts"
LOG_SCHEMA: dict[str, pl.DataType] = {
    "alert_id": pl.Utf8(), "run_id": pl.Utf8(), "rule": pl.Utf8(), "severity": pl.Utf8(),
    "module": pl.Utf8(), "trace_ids": pl.Utf8(), "count": pl.Int64(), "channel": pl.Utf8(),
    "status": pl.Utf8(), "attempts": pl.Int64(), "delivered_at": pl.Datetime("us", "UTC"),
    "fingerprint": pl.Utf8(), "detail": pl.Utf8(),
}
DDL = (f"CREATE TABLE IF NOT EXISTS {TABLE} (alert_id VARCHAR, run_id VARCHAR, rule VARCHAR, "
       "severity VARCHAR, module VARCHAR, trace_ids VARCHAR, count BIGINT, channel VARCHAR, "
       "status VARCHAR, attempts BIGINT, delivered_at TIMESTAMPTZ, fingerprint VARCHAR, "
       "detail VARCHAR)")


class AlertState(Protocol):
    """Where the delivery log lives between dispatches."""

    def load(self) -> pl.DataFrame:
        """Return the delivery log so far (LOG_SCHEMA)."""
        ...

    def save(self, rows: pl.DataFrame) -> None:
        """Append delivery-log rows."""
        ...


def empty_log() -> pl.DataFrame:
    """Return an empty delivery log."""
    return pl.DataFrame(schema=LOG_SCHEMA)


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Return ``frame`` with exactly the LOG_SCHEMA columns and types (delivered_at in UTC)."""
    if "delivered_at" in frame.columns:
        dtype = frame.schema["delivered_at"]
        col = pl.col("delivered_at")
        if isinstance(dtype, pl.Datetime):
            col = col.dt.convert_time_zone("UTC") if dtype.time_zone else \
                col.dt.replace_time_zone("UTC")
        else:
            col = col.cast(pl.Utf8).str.to_datetime(time_zone="UTC", strict=False)
        frame = frame.with_columns(col.cast(pl.Datetime("us", "UTC")).alias("delivered_at"))
    return frame.select([(pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c)
                         for c, t in LOG_SCHEMA.items()])


class MemoryState:
    """A delivery log held in memory (tests, one-off notebooks)."""

    def __init__(self) -> None:
        self.frame = empty_log()

    def load(self) -> pl.DataFrame:
        """Return the delivery log so far."""
        return self.frame

    def save(self, rows: pl.DataFrame) -> None:
        """Append rows to the log."""
        self.frame = pl.concat([self.frame, conform(rows)])


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


class JsonFileState:
    """A delivery log in a JSON file (a list of rows), rewritten atomically on each save."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)

    def load(self) -> pl.DataFrame:
        """Return the delivery log in the file (empty when it does not exist)."""
        if not self.path.is_file():
            return empty_log()
        rows = json.loads(self.path.read_text(encoding="utf-8") or "[]")
        if not rows:
            return empty_log()
        return conform(pl.DataFrame(rows, schema={c: pl.Utf8 if c == "delivered_at" else t
                                                  for c, t in LOG_SCHEMA.items()}))

    def save(self, rows: pl.DataFrame) -> None:
        """Append rows to the file (write to a temporary file, then rename)."""
        frame = pl.concat([self.load(), conform(rows)])
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(frame.to_dicts(), fh, default=_json_default, ensure_ascii=False)
        os.replace(tmp, self.path)


class DuckDBState:
    """The delivery log in the DuckDB table ``trace_eval_alerts``, over brief connections.

    ``connect`` returns a context manager yielding a connection, for example
    ``lambda: store.connect(settings)``; the table is created if no migration made it.
    """

    def __init__(self, connect: Callable[[], contextlib.AbstractContextManager[Any]],
                 table: str = TABLE) -> None:
        self.connect, self.table = connect, table

    @classmethod
    def at_path(cls, path: str | os.PathLike) -> DuckDBState:
        """Return a state over the DuckDB file at ``path``."""
        import duckdb

        @contextlib.contextmanager
        def _connect() -> Iterator[Any]:
            con = duckdb.connect(str(path))
            try:
                yield con
            finally:
                con.close()
        return cls(_connect)

    def load(self) -> pl.DataFrame:
        """Return the rows of the table (empty when it does not exist yet)."""
        with self.connect() as con:
            found = con.execute("SELECT count(*) FROM information_schema.tables "
                                "WHERE table_name = ?", [self.table]).fetchone()[0]
            if not found:
                return empty_log()
            cols = ", ".join(f'"{c}"' for c in LOG_SCHEMA)
            return conform(con.execute(f"SELECT {cols} FROM {self.table}").pl())

    def save(self, rows: pl.DataFrame) -> None:
        """Append rows to the table."""
        if rows.is_empty():
            return
        arrow = conform(rows).to_arrow()
        with self.connect() as con:
            con.execute(DDL.replace(TABLE, self.table))
            con.register("_alert_rows", arrow)
            try:
                cols = ", ".join(f'"{c}"' for c in LOG_SCHEMA)
                con.execute(f"INSERT INTO {self.table} ({cols}) SELECT {cols} FROM _alert_rows")
            finally:
                con.unregister("_alert_rows")
