"""The three target drivers: DuckDB (Arrow in and out), SQLite (``sqlite3``), PostgreSQL (psycopg).

Each overrides only what its driver does differently from :class:`~.targets.Target`.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

from ....errors import BadInput, WorkspaceLocked
from ....store import open_waiting
from .targets import Target, conform, q

INLINE_IN = 2000       # longest list of integers a DuckDB delete inlines
INLINE_ROWS = 256      # most rows a DuckDB insert sends as literal VALUES
_PLAIN = (pl.String, pl.Int64, pl.Int32, pl.Int16, pl.Int8, pl.Float64, pl.Boolean, pl.Null)


def literal(v) -> str:
    """Return a value as a DuckDB SQL literal (None, bool, int, float, str); TypeError else.

    DuckDB binds a parameter slower than it parses a literal (a 16-value checkpoint row: 2.3 ms
    against 0.7 ms), which counts once per chunk.

    >>> literal(None), literal(True), literal(3), literal(0.5), literal("it's")
    ('NULL', 'true', '3', "CAST('0.5' AS DOUBLE)", "'it''s'")
    """
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return f"CAST('{v!r}' AS DOUBLE)"
    if isinstance(v, str) and "\x00" not in v:
        return "'" + v.replace("'", "''") + "'"
    raise TypeError(f"no literal for {type(v).__name__}")


class DuckDBTarget(Target):
    """A DuckDB file (the default, embedded target); the engine's ELT runs inside it."""

    dialect = "duckdb"

    def __init__(self, url: str, memory_limit: str = "1GB"):
        import duckdb

        super().__init__(url)
        self.path = Path(url[len("duckdb:///"):]).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = open_waiting(self.path, config={"autoinstall_known_extensions": False})
        except duckdb.IOException as exc:
            raise BadInput(f"target {self.path} is held by another process: {exc}") from None
        self._con.execute(f"SET memory_limit = '{memory_limit}'")
        self._con.execute("SET TimeZone = 'UTC'")

    def _cur(self):
        return self._con

    def frame(self, sql: str, params=None, schema: dict | None = None) -> pl.DataFrame:
        df = self._con.execute(sql, params).pl() if params is not None else \
            self._con.execute(sql).pl()
        return conform(df, schema) if schema else df

    def insert(self, table: str, df: pl.DataFrame) -> int:
        if df.height:
            cols = ", ".join(q(c) for c in df.columns)
            if df.height <= INLINE_ROWS and all(df.schema[c] in _PLAIN for c in df.columns):
                try:
                    values = ", ".join("(" + ", ".join(literal(v) for v in row) + ")"
                                       for row in df.iter_rows())
                except TypeError:
                    values = None
                if values is not None:
                    self._con.execute(f"INSERT INTO {q(table)} ({cols}) VALUES {values}")
                    return df.height
            self._con.register("_wb_insert", df.to_arrow())
            try:
                self._con.execute(f"INSERT INTO {q(table)} ({cols}) SELECT {cols} FROM _wb_insert")
            finally:
                self._con.unregister("_wb_insert")
        return df.height

    def delete_in(self, table: str, column: str, values: list) -> int:
        """Delete the rows whose ``column`` is one of ``values``; return how many went.

        A short list of integers is inlined (the scan's zone maps then skip every row group
        that holds none of them); a long one joins a registered Arrow table.
        """
        if not values:
            return 0
        if len(values) <= INLINE_IN and all(type(v) is int for v in values):
            return int(self._con.execute(f"DELETE FROM {q(table)} WHERE {q(column)} IN "
                                         f"({', '.join(str(v) for v in values)})").fetchone()[0])
        self._con.register("_wb_ids", pl.DataFrame({"v": values}).to_arrow())
        try:
            return int(self._con.execute(f"DELETE FROM {q(table)} WHERE {q(column)} IN "
                                         "(SELECT v FROM _wb_ids)").fetchone()[0])
        finally:
            self._con.unregister("_wb_ids")

    def put_row(self, table: str, rec: dict, key: dict) -> None:
        """Replace one row by its key, the values as literals (see :func:`literal`)."""
        try:
            where = " AND ".join(f"{q(k)} = {literal(v)}" for k, v in key.items())
            values = ", ".join(literal(v) for v in rec.values())
        except TypeError:
            return super().put_row(table, rec, key)
        if key:
            self._con.execute(f"DELETE FROM {q(table)} WHERE {where}")
        self._con.execute(f"INSERT INTO {q(table)} ({', '.join(q(k) for k in rec)}) VALUES "
                          f"({values})")

    def unique_on(self, table: str, cols: list[str]) -> bool:
        rows = self.query("SELECT constraint_column_names FROM duckdb_constraints() WHERE "
                          "table_name = ? AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')",
                          [table])
        return any(set(r[0]) == set(cols) for r in rows)


class SQLiteTarget(Target):
    """A SQLite file: dates and timestamps as ISO text, booleans as 0/1."""

    dialect = "sqlite"

    def __init__(self, url: str):
        import sqlite3

        super().__init__(url)
        path = url[len("sqlite:///"):]
        if path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self._con = sqlite3.connect(str(Path(path).expanduser()) if path != ":memory:" else path,
                                    isolation_level=None)
        self._con.execute("PRAGMA journal_mode = WAL")
        self._con.execute("PRAGMA synchronous = NORMAL")

    def _begin(self) -> None:
        self.execute("BEGIN IMMEDIATE")

    def tables(self) -> set[str]:
        return {r[0] for r in self.query("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def columns(self, table: str) -> list[str]:
        return [r[1] for r in self.query(f"PRAGMA table_info({q(table)})")]

    def unique_on(self, table: str, cols: list[str]) -> bool:
        # an INTEGER PRIMARY KEY is the rowid itself: table_info has it, index_list does not
        if {r[1] for r in self.query(f"PRAGMA table_info({q(table)})") if r[5]} == set(cols):
            return True
        for _, name, unique, *_ in self.query(f"PRAGMA index_list({q(table)})"):
            if unique and {r[2] for r in self.query(f"PRAGMA index_info({q(name)})")} == set(cols):
                return True
        return False


class PostgresTarget(Target):
    """A PostgreSQL database through psycopg 3; bulk rows go in with ``COPY``."""

    dialect = "postgres"
    ph = "%s"

    def __init__(self, url: str):
        import psycopg

        super().__init__(url)
        plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
        try:
            self._con = psycopg.connect(plain, autocommit=True)
        except psycopg.Error as exc:
            raise BadInput(f"target_url {self.url}: cannot connect: "
                           f"{str(exc).splitlines()[0]}") from None

    def delete_in(self, table: str, column: str, values: list) -> None:
        if values:
            self.execute(f"DELETE FROM {q(table)} WHERE {q(column)} = ANY(%s)", [list(values)])

    def lock(self, name: str) -> None:
        if not self.query("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", [name])[0][0]:
            raise WorkspaceLocked(f"another process is migrating {name} into {self.url}; "
                                  f"wait for it or stop it", holder={"run_id": name})

    def insert(self, table: str, df: pl.DataFrame) -> int:
        if df.height:
            cols = ", ".join(q(c) for c in df.columns)
            with self._con.cursor() as cur, cur.copy(
                    f"COPY {q(table)} ({cols}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(df.write_csv(include_header=False))
        return df.height
