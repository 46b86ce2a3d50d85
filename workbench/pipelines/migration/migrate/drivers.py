"""The three target drivers: DuckDB (Arrow in and out), SQLite (``sqlite3``), PostgreSQL (psycopg).

Each overrides only what its driver does differently from :class:`~.targets.Target`.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

from ....errors import BadInput, WorkspaceLocked
from .targets import Target, conform, q


class DuckDBTarget(Target):
    """A DuckDB file (the default, embedded target); the engine's ELT runs inside it."""

    dialect = "duckdb"

    def __init__(self, url: str, memory_limit: str = "1GB"):
        import duckdb

        super().__init__(url)
        self.path = Path(url[len("duckdb:///"):]).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = duckdb.connect(str(self.path), config={"autoinstall_known_extensions": False})
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
            self._con.register("_wb_insert", df.to_arrow())
            try:
                self._con.execute(f"INSERT INTO {q(table)} ({cols}) SELECT {cols} FROM _wb_insert")
            finally:
                self._con.unregister("_wb_insert")
        return df.height

    def delete_in(self, table: str, column: str, values: list) -> None:
        if values:
            self._con.register("_wb_ids", pl.DataFrame({"v": values}).to_arrow())
            try:
                self._con.execute(f"DELETE FROM {q(table)} WHERE {q(column)} IN "
                                  "(SELECT v FROM _wb_ids)")
            finally:
                self._con.unregister("_wb_ids")

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
