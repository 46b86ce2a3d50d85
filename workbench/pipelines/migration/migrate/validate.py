"""Validations of one chunk (§14, §37), all vectorized in Polars, and its content hash.

Row checks give each failing row reason codes: ``type:<col>`` (a present input gave no value of
the target type, as ``_wb_tf`` records), ``not_null:<col>`` (a required column, keys included, is empty), ``enum:<col>``
(a value outside the target's enum). Among the rest, rows sharing a key are *collapsed* when
they are identical (one is kept, the one first in the source) and quarantined as ``unique_key``
when they differ. ``row_count`` checks in = out + quarantined + collapsed against the staged
rows; ``checksum`` compares count, non-null counts, numeric sums and text lengths computed by
the target's SQL over the staged chunk with the same figures from Polars. The content hash is
the SHA-256 of the chunk's target columns, ordered by key, as uncompressed Arrow IPC.

Examples
--------
>>> from workbench.pipelines.migration.migrate.plans import ColumnPlan, TablePlan
>>> tp = TablePlan("t", "s", [ColumnPlan("id", "integer", {}, ["id"], False),
...                           ColumnPlan("st", "string", {}, ["st"], True, ["on", "off"])],
...                ["id"], "natural", None, [], [], {"id": "integer", "st": "string"})
>>> frame = pl.DataFrame({"id": [1, 2, 2, 3, 3, None], "st": ["on", "x", "x", "on", "off", "on"],
...                       "_wb_tf": ["", "", "", "", "", ""], "_wb_row": [0, 1, 2, 3, 4, 5]})
>>> r = check_chunk(frame, tp)
>>> r.valid["id"].to_list(), r.collapsed.to_list()
([1], [])
>>> r.rejected.select("_wb_row", "_wb_reasons").rows()
[(1, ['enum:st']), (2, ['enum:st']), (5, ['not_null:id']), (3, ['unique_key']), (4, ['unique_key'])]
"""
from __future__ import annotations

import hashlib
import io
import math
from dataclasses import dataclass

import polars as pl

from .compile import CHUNK, TF, output_schema
from .inputs import ROW
from .plans import TablePlan
from .targets import q

REASONS = "_wb_reasons"
ROW_CHECKS = {"type": "types", "not_null": "not_null", "enum": "enums"}


@dataclass
class ChunkCheck:
    """The outcome of a chunk's row checks."""

    valid: pl.DataFrame          # rows to stage
    rejected: pl.DataFrame       # rows to quarantine, with ``_wb_reasons``
    collapsed: pl.Series         # ``_wb_row`` of exact duplicates dropped
    validations: dict
    content_hash: str


def _bad(tp: TablePlan) -> pl.Expr:
    """Return the expression: does the row fail any row check (cheap, no lists)?"""
    conds = [pl.col(TF) != ""]
    for c in tp.columns:
        if not c.nullable:
            conds.append(pl.col(c.name).is_null())
        if c.enum:
            conds.append(~pl.col(c.name).cast(pl.String).is_in([str(e) for e in c.enum]))
    return pl.any_horizontal(conds).fill_null(False)


def reasons(tp: TablePlan) -> pl.Expr:
    """Return the expression of each row's failed row checks (a list of reason codes)."""
    exprs = []
    failed = pl.col(TF).str.split(",")
    for j, c in enumerate(tp.columns):
        out = pl.col(c.name)
        tf = failed.list.contains(str(j)) if c.plan is not None else pl.lit(False)
        if c.plan is not None:
            exprs.append(pl.when(tf).then(pl.lit(f"type:{c.name}")))
        if not c.nullable:
            exprs.append(pl.when(out.is_null() & ~tf).then(pl.lit(f"not_null:{c.name}")))
        if c.enum:
            allowed = [str(e) for e in c.enum]
            exprs.append(pl.when(out.is_not_null() & ~out.cast(pl.String).is_in(allowed))
                         .then(pl.lit(f"enum:{c.name}")))
    if not exprs:
        return pl.lit([], dtype=pl.List(pl.String))
    return pl.concat_list(exprs).list.drop_nulls()


def check_chunk(frame: pl.DataFrame, tp: TablePlan) -> ChunkCheck:
    """Return the valid, quarantined and collapsed rows of a chunk and its validations."""
    flags = frame.select(_bad(tp)).to_series()
    if flags.any():
        bad = frame.filter(flags).with_columns(reasons(tp).alias(REASONS))
        good = frame.filter(~flags)
    else:                                   # the common case: no copy
        bad, good = frame.clear().with_columns(pl.lit(None, pl.List(pl.String)).alias(
            REASONS)), frame
    dup = good.select(tp.key).is_duplicated()
    conflict, collapsed = good.clear().with_columns(
        pl.lit(None, dtype=pl.List(pl.String)).alias(REASONS)), pl.Series(ROW, [], pl.Int64)
    if dup.any():
        dups = good.filter(dup).with_columns(
            _wb_n=pl.struct(tp.outputs).n_unique().over(tp.key),
            _wb_first=pl.col(ROW).min().over(tp.key))
        conflict = dups.filter(pl.col("_wb_n") > 1).drop("_wb_n", "_wb_first").with_columns(
            pl.lit(["unique_key"], dtype=pl.List(pl.String)).alias(REASONS))
        same = dups.filter(pl.col("_wb_n") == 1)
        collapsed = same.filter(pl.col(ROW) != pl.col("_wb_first")).get_column(ROW)
        good = good.filter(~pl.col(ROW).is_in(pl.concat([
            conflict.get_column(ROW), collapsed]).implode()))
    rejected = pl.concat([bad, conflict], how="vertical_relaxed")
    return ChunkCheck(good, rejected, collapsed,
                      _validations(frame.height, good, rejected, collapsed, conflict.height),
                      content_hash(good, tp))


def _validations(n_in: int, valid, rejected, collapsed, conflicts: int) -> dict:
    codes = rejected.get_column(REASONS).explode(empty_as_null=True).drop_nulls()
    counts = dict(codes.value_counts().iter_rows()) if codes.len() else {}
    out = {"row_count": {"in": n_in, "out": valid.height, "quarantined": rejected.height,
                         "collapsed": collapsed.len(), "status": "pending"}}
    for kind, check in ROW_CHECKS.items():
        cols = {k.split(":", 1)[1]: int(v) for k, v in sorted(counts.items())
                if k.startswith(kind + ":")}
        out[check] = {"rows": sum(cols.values()), "columns": cols,
                      "status": "quarantined" if cols else "pass"}
    out["unique_key"] = {"rows": conflicts, "collapsed": collapsed.len(),
                         "status": "quarantined" if conflicts else "pass"}
    return out


def content_hash(valid: pl.DataFrame, tp: TablePlan) -> str:
    """Return the SHA-256 over the key-ordered target columns of the staged rows."""
    df = valid.select(tp.outputs).cast(output_schema(tp)).sort(tp.key).rechunk()
    buf = io.BytesIO()
    df.write_ipc(buf, compression="uncompressed", compat_level=pl.CompatLevel.oldest())
    return hashlib.sha256(buf.getvalue()).hexdigest()


def checksum_sql(tp: TablePlan, table: str, target) -> str:
    """Return the target's query of a staged chunk's checksum figures."""
    parts = ["COUNT(*)"]
    for c in tp.columns:
        col = q(c.name)
        parts.append(f"COUNT({col})")
        if c.type in ("integer", "float"):
            parts.append(f"SUM(CAST({col} AS {target.sql_type('float')}))")
        elif c.type == "string":
            parts.append(f"SUM(LENGTH({col}))")
        elif c.type == "boolean":
            parts.append(f"SUM(CASE WHEN {col} THEN 1 ELSE 0 END)")
    return f"SELECT {', '.join(parts)} FROM {q(table)} WHERE {q(CHUNK)} = {target.ph}"


def expected_checksum(valid: pl.DataFrame, tp: TablePlan) -> list:
    """Return the checksum figures of the rows to stage, as :func:`checksum_sql` computes them."""
    exprs = [pl.len()]
    for c in tp.columns:
        col = pl.col(c.name)
        exprs.append(col.count())
        if c.type in ("integer", "float"):
            exprs.append(col.cast(pl.Float64).sum())
        elif c.type == "string":
            exprs.append(col.str.len_chars().sum())
        elif c.type == "boolean":
            exprs.append(col.cast(pl.Int64).sum())
    return list(valid.select([e.alias(f"_{i}") for i, e in enumerate(exprs)]).row(0))


def same_checksum(expected: list, actual: list | tuple) -> bool:
    """Return True when two checksum rows agree (floats to 1e-9 relative)."""
    if len(expected) != len(actual):
        return False
    for a, b in zip(expected, actual, strict=True):
        a, b = float(a or 0), float(b or 0)
        if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6):
            return False
    return True
