"""Target databases of a migration behind one small adapter: DuckDB, SQLite and PostgreSQL.

Each adapter speaks its own driver (``duckdb``, ``sqlite3``, ``psycopg``) and offers the few
operations the engine needs: statements, transactions, bulk inserts of a Polars frame (DuckDB
through Arrow, PostgreSQL through ``COPY``, SQLite through ``executemany``), frames back, and
the catalog questions (tables, columns, unique keys).

Examples
--------
>>> dialect_of("duckdb:///tmp/t.duckdb"), dialect_of("postgresql://u@h/db")
('duckdb', 'postgres')
>>> with open_target("sqlite:///:memory:") as t:
...     t.execute("CREATE TABLE a (k INTEGER PRIMARY KEY, v TEXT)")
...     n = t.insert("a", __import__("polars").DataFrame({"k": [1, 2], "v": ["x", None]}))
...     t.query("SELECT count(*), count(v) FROM a")
[(2, 1)]
"""
from __future__ import annotations

import contextlib

import polars as pl

from ....errors import BadInput
from ..sources import redact_url

SQL_TYPES = {
    "duckdb": {"string": "VARCHAR", "integer": "BIGINT", "float": "DOUBLE", "boolean": "BOOLEAN",
               "date": "DATE", "timestamp": "TIMESTAMP"},
    "postgres": {"string": "TEXT", "integer": "BIGINT", "float": "DOUBLE PRECISION",
                 "boolean": "BOOLEAN", "date": "DATE", "timestamp": "TIMESTAMP"},
    "sqlite": {"string": "TEXT", "integer": "INTEGER", "float": "REAL", "boolean": "INTEGER",
               "date": "TEXT", "timestamp": "TEXT"},
}
SCHEMES = ("duckdb:///", "sqlite:///", "postgresql://", "postgres://")


def dialect_of(url: str) -> str:
    """Return the SQL dialect of a target URL (duckdb, sqlite or postgres)."""
    for scheme, dialect in (("duckdb:", "duckdb"), ("sqlite:", "sqlite"),
                            ("postgresql", "postgres"), ("postgres:", "postgres")):
        if url.startswith(scheme):
            return dialect
    raise BadInput(f"target_url {redact_url(url)!r}: expected one of {', '.join(SCHEMES)}…")


def q(name: str) -> str:
    """Return an identifier quoted the way all three dialects read it."""
    return '"' + name.replace('"', '""') + '"'


class Target:
    """A connection to the target database, through its own driver."""

    dialect = ""
    ph = "?"           # parameter placeholder

    def __init__(self, url: str):
        self.url = redact_url(url)
        self._depth = 0

    def sql_type(self, dsl_type: str) -> str:
        """Return this dialect's column type for a DSL type."""
        return SQL_TYPES[self.dialect][dsl_type]

    def execute(self, sql: str, params=None) -> None:
        """Run one statement."""
        self._cur().execute(sql, params) if params is not None else self._cur().execute(sql)

    def query(self, sql: str, params=None) -> list[tuple]:
        """Return the rows of a query."""
        cur = self._cur()
        cur.execute(sql, params) if params is not None else cur.execute(sql)
        return [tuple(r) for r in cur.fetchall()]

    def frame(self, sql: str, params=None, schema: dict | None = None) -> pl.DataFrame:
        """Return the rows of a query as a Polars frame (cast to ``schema`` when given)."""
        cur = self._cur()
        cur.execute(sql, params) if params is not None else cur.execute(sql)
        names = [d[0] for d in cur.description]
        df = pl.DataFrame(cur.fetchall(), schema=names, orient="row", infer_schema_length=None)
        return conform(df, schema) if schema else df

    @contextlib.contextmanager
    def transaction(self):
        """Run the block in one transaction (nested blocks join the outer one)."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            self.execute("ROLLBACK")
            raise
        self._depth = 0
        self.execute("COMMIT")

    def _begin(self) -> None:
        self.execute("BEGIN")

    def insert(self, table: str, df: pl.DataFrame) -> int:
        """Append the rows of ``df`` to ``table`` (columns by name); return the row count."""
        if df.height:
            cols = ", ".join(q(c) for c in df.columns)
            rows = _plain(df).iter_rows()
            self._cur().executemany(f"INSERT INTO {q(table)} ({cols}) VALUES "
                                    f"({', '.join([self.ph] * df.width)})", rows)
        return df.height

    def put_row(self, table: str, rec: dict, key: dict) -> None:
        """Replace one row by its key (delete and insert: faster than a one-row UPSERT in
        DuckDB); call inside a transaction. An empty ``key``: insert only."""
        if key:
            where = " AND ".join(f"{q(k)} = {self.ph}" for k in key)
            self.execute(f"DELETE FROM {q(table)} WHERE {where}", list(key.values()))
        cols = ", ".join(q(k) for k in rec)
        self.execute(f"INSERT INTO {q(table)} ({cols}) VALUES ({', '.join([self.ph] * len(rec))})",
                     list(rec.values()))

    def delete_in(self, table: str, column: str, values: list) -> None:
        """Delete the rows of ``table`` whose ``column`` is one of ``values``."""
        if values:
            self._cur().executemany(f"DELETE FROM {q(table)} WHERE {q(column)} = {self.ph}",
                                    [(v,) for v in values])

    def lock(self, name: str) -> None:
        """Hold an advisory lock on ``name`` for the session (PostgreSQL; DuckDB locks the file,
        SQLite serializes writers and every chunk re-checks its checkpoint under the lock)."""

    def tables(self) -> set[str]:
        """Return the names of the tables in the target's default schema."""
        return {r[0] for r in self.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema()")}

    def columns(self, table: str) -> list[str]:
        """Return the column names of a table, in order."""
        return [r[0] for r in self.query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = "
            f"{self.ph} AND table_schema = current_schema() ORDER BY ordinal_position", [table])]

    def unique_on(self, table: str, cols: list[str]) -> bool:
        """Return True when ``table`` has a primary key or unique constraint on exactly ``cols``."""
        rows = self.query(
            "SELECT tc.constraint_name, kcu.column_name FROM information_schema.table_constraints"
            " tc JOIN information_schema.key_column_usage kcu ON tc.constraint_name = "
            "kcu.constraint_name AND tc.table_name = kcu.table_name WHERE tc.table_name = "
            f"{self.ph} AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE')", [table])
        found: dict[str, set] = {}
        for name, col in rows:
            found.setdefault(name, set()).add(col)
        return set(cols) in found.values()

    def close(self) -> None:
        """Close the connection."""
        self._con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _cur(self):
        return self._con.cursor()


def open_target(url: str, memory_limit: str = "1GB") -> Target:
    """Return an open adapter for ``duckdb:///PATH``, ``sqlite:///PATH`` or ``postgresql://…``."""
    from .drivers import DuckDBTarget, PostgresTarget, SQLiteTarget

    dialect = dialect_of(url)
    if dialect == "duckdb":
        return DuckDBTarget(url, memory_limit)
    return SQLiteTarget(url) if dialect == "sqlite" else PostgresTarget(url)


def _plain(df: pl.DataFrame) -> pl.DataFrame:
    """Return the frame with dates and timestamps as ISO text (SQLite stores them so)."""
    return df.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"),
                           pl.col(pl.Datetime).dt.to_string("%Y-%m-%d %H:%M:%S%.f"))


def conform(df: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """Return ``df`` cast to ``schema`` (text dates, 0/1 booleans and Decimals included)."""
    out = []
    for name, dtype in schema.items():
        if name not in df.columns:
            out.append(pl.lit(None, dtype=dtype).alias(name))
            continue
        col, have = pl.col(name), df.schema[name]
        if have == dtype:
            out.append(col)
        elif have == pl.String and dtype == pl.Date:
            out.append(col.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
        elif have == pl.String and isinstance(dtype, pl.Datetime):
            out.append(col.str.to_datetime(strict=False).cast(dtype))
        elif have == pl.String and dtype == pl.Boolean:
            out.append(col.replace_strict({"true": True, "false": False, "1": True, "0": False},
                                          default=None, return_dtype=pl.Boolean))
        else:
            out.append(col.cast(dtype, strict=False))
    return df.select(out)
