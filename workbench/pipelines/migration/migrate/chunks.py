"""Deterministic chunking by key hash (§14, §37).

A table of ``rows`` rows is cut into ``N = ceil(rows / batch_size)`` chunks by a hash of the
key that is pure arithmetic, so it is the same in every run, version and machine, whichever
strategy transformed the rows, and every row of one key lands in the same chunk (duplicates
meet there). A single integer key ``k`` uses Fibonacci hashing with a multiply-shift range
reduction: ``h = (k mod 2^32) * 2654435761 mod 2^32`` and chunk ``floor(h * N / 2^32)``; any other
key uses ``md5(canonical key text) mod N``, the text being the DuckDB ``VARCHAR`` of each key
column (NULL as U+0000) joined by U+001F. Both are computed by DuckDB, in ELT and in ETL.

Examples
--------
>>> chunk_count(1_000_000, 50_000), chunk_count(0, 50_000), chunk_count(50_001, 50_000)
(20, 1, 2)
>>> chunk_sql(["code"], 4)
'CAST(md5_number_lower(COALESCE(CAST("code" AS VARCHAR), chr(0))) % 4 AS INTEGER)'
>>> import polars as pl
>>> chunk_ids(pl.DataFrame({"id": [1, 2, 3, 1, None]}), ["id"], 4, ["integer"]).to_list()
[2, 0, 3, 2, 0]
>>> chunk_ids(pl.DataFrame({"id": ["1", "2"]}), ["id"], 4).to_list()
[1, 3]
>>> order, bounds = partition(pl.Series([1, 0, 1, 2]), 3)
>>> order.to_list(), bounds
([1, 0, 2, 3], [(0, 1), (1, 2), (3, 1)])
"""
from __future__ import annotations

import math

import polars as pl

from .targets import q

M32, FIB = 4294967296, 2654435761      # 2^32 and Knuth's multiplier (golden ratio * 2^32)


def chunk_count(rows: int, batch_size: int) -> int:
    """Return the number of chunks for ``rows`` rows of ``batch_size`` (at least one)."""
    return max(1, math.ceil(rows / max(1, int(batch_size))))


def key_text_sql(cols: list[str]) -> str:
    """Return the DuckDB SQL of the canonical key text."""
    parts = [f"COALESCE(CAST({q(c)} AS VARCHAR), chr(0))" for c in cols]
    return parts[0] if len(parts) == 1 else f"concat_ws(chr(31), {', '.join(parts)})"


def chunk_sql(cols: list[str], n: int, types: list[str] | None = None) -> str:
    """Return the DuckDB SQL of a row's chunk number over its key columns (DSL ``types``)."""
    if len(cols) == 1 and (types or [None])[0] == "integer":
        low = f"CAST((({q(cols[0])} % {M32}) + {M32}) % {M32} AS UBIGINT)"
        return (f"CAST(COALESCE(({low} * {FIB} % {M32}) * {int(n)} // {M32}, 0) "
                f"AS INTEGER)")
    return f"CAST(md5_number_lower({key_text_sql(cols)}) % {int(n)} AS INTEGER)"


def chunk_ids(keys: pl.DataFrame, cols: list[str], n: int,
              types: list[str] | None = None) -> pl.Series:
    """Return the chunk number of every row of ``keys`` (computed by DuckDB, as in ELT)."""
    import duckdb

    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    try:
        con.register("_wb_keys", keys.select(cols).to_arrow())
        out = con.execute(f"SELECT {chunk_sql(cols, n, types)} AS c FROM _wb_keys").pl()
    finally:
        con.close()
    return out.get_column("c").cast(pl.Int32).alias("_wb_chunk") if out.height else \
        pl.Series("_wb_chunk", [], dtype=pl.Int32)


def partition(chunk: pl.Series, n: int) -> tuple[pl.Series, list[tuple[int, int]]]:
    """Return (row order grouping the chunks, ``(offset, length)`` of each chunk in it)."""
    order = chunk.to_frame("c").with_row_index("i").sort("c", "i").get_column("i")
    counts = chunk.value_counts().sort(chunk.name)
    sizes = dict(zip(counts.get_column(chunk.name).to_list(),
                     counts.get_column("count").to_list(), strict=True))
    bounds, offset = [], 0
    for i in range(n):
        bounds.append((offset, int(sizes.get(i, 0))))
        offset += int(sizes.get(i, 0))
    return order, bounds
