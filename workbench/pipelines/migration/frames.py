"""The run's source tables, standardized, and their raw samples, recomputed on demand.

Raw (unmasked) rows never go to disk: each stage re-reads its sources and re-draws the same
deterministic sample in memory (cached within a process), and only masked rows are stored
(the Sample Pack in the lake) or shown.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from .catalog import column_stats, standardize
from .sampling import sample_rows
from .sources import SourceTable, discover, read_sql, sample_query

SQL_READ_CAP = 200_000  # rows of a SQL table read for the catalog's statistics


@dataclass
class Standard:
    """A source table after the shim: frame, per-column metadata, row count and key."""

    table: SourceTable
    frame: pl.DataFrame
    columns: list[dict]
    row_count: int
    stats_from: str   # all | sample


def _read(t: SourceTable, row_count: int | None) -> tuple[pl.DataFrame, str]:
    if t.kind != "sql":
        return t.read(), "all"
    n = row_count if row_count is not None else t.row_count()
    if n <= SQL_READ_CAP:
        return t.read(), "all"
    step = math.ceil(n / SQL_READ_CAP)
    order = t.primary_key or []
    return read_sql(t._url, sample_query(t._url, t.name, order, step, 0, SQL_READ_CAP)).drop(
        "_wb_rn"), "sample"


def standard_tables(inputs: list[Path], source_url: str, source_tables: list[str]
                    ) -> list[Standard]:
    """Return every source table standardized, with column statistics."""
    key = (tuple(str(p) for p in inputs), source_url, tuple(source_tables))
    return _standard_tables(key)


@lru_cache(maxsize=4)
def _standard_tables(key) -> list[Standard]:
    inputs, source_url, source_tables = key
    out = []
    for t in discover([Path(p) for p in inputs], source_url, list(source_tables)):
        count = t.row_count() if t.kind == "sql" else None
        raw, stats_from = _read(t, count)
        std, columns = standardize(raw)
        for c in columns:
            c["stats"] = column_stats(std, c["name"])
            c["dtype"] = c["inferred"]["dtype"]
            c["physical"] = _physical(std.schema[c["name"]])
        pk_std = [c["name"] for c in columns if c["raw"] in t.primary_key]
        t.primary_key = pk_std
        out.append(Standard(t, std, columns, count if count is not None else std.height,
                            stats_from))
    return out


def _physical(dtype) -> str:
    from .catalog import polars_dtype

    return polars_dtype(dtype)


def sources_of(ctx) -> list[Standard]:
    """Return the run's standardized source tables."""
    p = ctx.params
    return standard_tables(list(ctx.inputs), p.get("source_url", ""),
                           list(p.get("source_tables") or []))


def date_stratum(columns: list[dict]) -> tuple[str | None, str | None]:
    """Return the date column (and its main format) a sample is stratified by, if any."""
    for c in columns:
        if c["dtype"] == "date" and c["inferred"].get("formats"):
            return c["name"], next(iter(c["inferred"]["formats"]))
        if c["physical"] == "date":
            return c["name"], None
    return None, None


def raw_sample(ctx, std: Standard, key: list[str]) -> pl.DataFrame:
    """Return the table's deterministic sample (unmasked, in memory only)."""
    caps = ctx.params["sample_caps"]
    date_col, date_fmt = date_stratum(std.columns)
    return sample_rows(std.frame, seed=ctx.seed, rows_max=int(caps["rows_max"]),
                       bytes_max=int(caps["bytes_max"]), key=key or None,
                       date_column=date_col, date_format=date_fmt)
