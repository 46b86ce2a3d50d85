"""Shared helpers of the Transform DSL tests: run a plan on every backend and compare."""
from __future__ import annotations

import math
import sqlite3
from datetime import date, datetime

import polars as pl

from workbench import transform


def frame(**cols) -> pl.DataFrame:
    return pl.DataFrame(cols, strict=False)


def both(df: pl.DataFrame, plan: dict) -> list:
    """Run on Polars and DuckDB, assert identical results, return them as a list."""
    got_pl = transform.apply(df, plan, backend="polars")
    got_db = transform.apply(df, plan, backend="duckdb")
    assert got_pl.dtype == got_db.dtype
    a, b = got_pl.to_list(), got_db.to_list()
    assert same(a, b), f"polars {a!r} != duckdb {b!r}"
    return a


def same(a: list, b: list) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if isinstance(x, float) and isinstance(y, float):
            if not (x == y or (math.isnan(x) and math.isnan(y))):
                return False
        elif x != y or type(x) is not type(y):
            return False
    return True


def run_sqlite(df: pl.DataFrame, plan: dict) -> list:
    """Run the SQLite SQL of *plan* in a real sqlite3 database; coerce to the DSL type."""
    norm = transform.validate(plan)
    con = sqlite3.connect(":memory:")
    try:
        names = [x["name"] for x in norm["inputs"]]
        cols = ", ".join(f'"{n}"' for n in names)
        con.execute(f"CREATE TABLE t ({cols})")
        rows = df.select(names).rows()
        con.executemany(f"INSERT INTO t VALUES ({', '.join('?' * len(names))})",
                        [tuple(v.isoformat() if isinstance(v, date | datetime) else v for v in r)
                         for r in rows])
        sql = f"SELECT {transform.to_sql(norm, 'sqlite')} FROM t ORDER BY rowid"
        out = [r[0] for r in con.execute(sql)]
    finally:
        con.close()
    kind = transform.output_type(norm)
    conv = {"boolean": lambda v: bool(v), "float": float, "integer": int}.get(kind, lambda v: v)
    return [None if v is None else conv(v) for v in out]
