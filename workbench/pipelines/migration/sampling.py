"""The deterministic Sample Pack (§9): seeded, stratified by date (else key order), capped.

Rows are taken systematically (every k-th row from a seeded offset) within each stratum, with
strata by calendar month of the table's date column when it has one, allotted in proportion to
their size; then the sample is cut to the byte cap. It depends only on the rows, their order and
the seed, never on a library's hash function, so the same file and seed give the same sample on
any machine and version.

Examples
--------
>>> import polars as pl
>>> df = pl.DataFrame({"id": range(1000)})
>>> s = sample_rows(df, seed=7, rows_max=100, bytes_max=1 << 20)
>>> s.height, s["id"][:3].to_list()
(100, [7, 17, 27])
>>> sample_rows(df, seed=7, rows_max=100, bytes_max=1 << 20).equals(s)
True
"""
from __future__ import annotations

import math

import polars as pl

from ... import transform


def sample_rows(df: pl.DataFrame, *, seed: int, rows_max: int, bytes_max: int,
                key: list[str] | None = None, date_column: str | None = None,
                date_format: str | None = None) -> pl.DataFrame:
    """Return the sample of ``df``: at most ``rows_max`` rows and about ``bytes_max`` bytes."""
    if df.height == 0:
        return df
    ordered = df.sort(key, nulls_last=True, maintain_order=True) if key else df
    ordered = ordered.with_row_index("_wb_row")
    stratum = _strata(ordered, date_column, date_format)
    ordered = ordered.with_columns(stratum.alias("_wb_stratum"))
    sizes = ordered.group_by("_wb_stratum").len().sort("_wb_stratum", nulls_last=True)
    total = ordered.height
    allot = {s: max(1, math.floor(rows_max * n / total)) for s, n in sizes.iter_rows()}
    parts = []
    for s, n in sizes.iter_rows():
        group = ordered.filter(pl.col("_wb_stratum").eq_missing(s))
        take = min(n, allot[s])
        step = max(1, n // take)
        offset = seed % step
        parts.append(group.filter((pl.int_range(pl.len()) - offset) % step == 0).head(take))
    out = pl.concat(parts).sort("_wb_row").head(rows_max)
    per_row = max(1, out.drop("_wb_row", "_wb_stratum").estimated_size() // max(out.height, 1))
    out = out.head(max(1, bytes_max // per_row))
    return out.drop("_wb_row", "_wb_stratum")


def _strata(df: pl.DataFrame, date_column: str | None, date_format: str | None) -> pl.Series:
    """Return the stratum of each row: its date's year-month, or one stratum for all."""
    if not date_column or date_column not in df.columns:
        return pl.Series([0] * df.height, dtype=pl.Int32)
    col = df.get_column(date_column)
    if col.dtype == pl.Utf8:
        if not date_format:
            return pl.Series([0] * df.height, dtype=pl.Int32)
        plan = {"inputs": [date_column], "output": "d",
                "steps": [{"op": "trim"}, {"op": "date_parse", "args": {"format": date_format}}]}
        col = transform.apply(df, plan)
    if col.dtype not in (pl.Date,) and not isinstance(col.dtype, pl.Datetime):
        return pl.Series([0] * df.height, dtype=pl.Int32)
    return (col.dt.year() * 100 + col.dt.month()).cast(pl.Int32)
