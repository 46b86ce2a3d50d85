"""Validations of one chunk (§14, §37) and its content hash.

Row checks give each failing row reason codes: ``type:<col>`` (a present input gave no value of
the target type, as ``_wb_tf`` records), ``not_null:<col>`` (a required column, keys included, is
empty), ``enum:<col>`` (a value outside the target's enum). Among the rest, rows sharing a key are
*collapsed* when they are identical (one is kept, the one first in the source) and quarantined as
``unique_key`` when they differ. ``row_count`` checks in = out + quarantined + collapsed against
the staged rows; ``checksum`` compares count, non-null counts, numeric sums and text lengths
computed by the target's SQL over the staged chunk with the same figures of the validated rows.

Two engines, one outcome. ETL (and a release) runs the checks in Polars on the whole chunk
(:func:`check_chunk`). ELT runs them in the DuckDB target over the staging table, in set-wise
passes that never bring the table into Python (:func:`suspects_sql`, :func:`figures_sql`): SQL
finds the *suspects* — rows failing a row check (:func:`bad_sql`) or sharing their key with
another row — and decides which of them to drop; only those rows (few, or at most a chunk at a
time) are read into Polars, where :func:`check_chunk` gives them their reason codes, exactly as
on a whole chunk (a key's rows all land in one chunk, and rows that are neither failing nor
duplicated are valid either way). The chunk's ``checksum`` then holds the figures of the rows the
target keeps (its SQL: non-suspects plus the suspects SQL kept) against those of the rows
validated (the same SQL figures of the non-suspects plus Polars' of the suspects it kept), and
fails when the two engines disagree on a single row to drop. The rows dropped leave staging in
one statement once every chunk is done; it must delete exactly the chunks' rows in less rows out.

The content hash is computed over the key-identified rows, so the order in which the source
holds or the engine reads them does not matter: each valid row's target columns (cast to their
types) are hashed by DuckDB's ``hash()``, the chunk keeps the row count, the exact (128-bit) sum
and the bit-xor of the row hashes, and the content hash is the SHA-256 of those three numbers.
Keys are unique among valid rows, so this digests the same set as the key-ordered rows would,
without a sort; it is additive (the parts of two disjoint sets of rows combine into their
union's), the same for ELT (over staging) and ETL (over the Polars frame, registered in DuckDB),
the same in every run (``hash`` is deterministic for a given DuckDB version; a run resumed after
a DuckDB upgrade may record other hashes for its later chunks) and changes with any value.

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
import math
from dataclasses import dataclass

import polars as pl

from .compile import CHUNK, TF, output_schema
from .inputs import ROW
from .plans import TablePlan
from .targets import SQL_TYPES, q

REASONS = "_wb_reasons"
ROW_CHECKS = {"type": "types", "not_null": "not_null", "enum": "enums"}


@dataclass
class ChunkCheck:
    """The outcome of a chunk's row checks."""

    valid: pl.DataFrame          # rows to stage
    rejected: pl.DataFrame       # rows to quarantine, with ``_wb_reasons``
    collapsed: pl.Series         # ``_wb_row`` of exact duplicates dropped
    validations: dict


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
                      validations(frame.height, rejected, collapsed.len(), conflict.height))


def validations(n_in: int, rejected: pl.DataFrame, collapsed: int, conflicts: int) -> dict:
    """Return a chunk's validations from its ``n_in`` rows, rejected rows (with reasons),
    collapsed and conflicting row counts (``row_count`` still pending its staged count)."""
    codes = rejected.get_column(REASONS).explode(empty_as_null=True).drop_nulls() \
        if rejected.height else pl.Series([], dtype=pl.String)
    counts = dict(codes.value_counts().iter_rows()) if codes.len() else {}
    return chunk_validations(n_in, rejected.height, counts, collapsed, conflicts)


def validations_by_chunk(rejected: pl.DataFrame) -> dict[int, tuple[int, dict, int]]:
    """Return, per chunk of the rejected rows of several chunks: (rejected rows, reason code
    counts, ``unique_key`` conflicts) — what :func:`validations` needs besides the counts."""
    if not rejected.height:
        return {}
    codes = rejected.select(CHUNK, REASONS).explode(REASONS, empty_as_null=True).drop_nulls()
    counts: dict[int, dict] = {}
    for c, code, n in codes.group_by(CHUNK, REASONS).len().iter_rows():
        counts.setdefault(int(c), {})[code] = int(n)
    out = {}
    for c, n, k in rejected.group_by(CHUNK).agg(
            pl.len(), pl.col(REASONS).list.contains("unique_key").sum()).iter_rows():
        out[int(c)] = (int(n), counts.get(int(c), {}), int(k))
    return out


def chunk_validations(n_in: int, n_rejected: int, counts: dict, collapsed: int,
                      conflicts: int) -> dict:
    """Return a chunk's validations from its counts (``counts``: rows per reason code)."""
    out = {"row_count": {"in": n_in, "out": n_in - n_rejected - collapsed,
                         "quarantined": n_rejected, "collapsed": collapsed,
                         "status": "pending"}}
    for kind, check in ROW_CHECKS.items():
        cols = {k.split(":", 1)[1]: int(v) for k, v in sorted(counts.items())
                if k.startswith(kind + ":")}
        out[check] = {"rows": sum(cols.values()), "columns": cols,
                      "status": "quarantined" if cols else "pass"}
    out["unique_key"] = {"rows": conflicts, "collapsed": collapsed,
                         "status": "quarantined" if conflicts else "pass"}
    return out


def _sql_literal(v) -> str:
    return "'" + str(v).replace("'", "''") + "'"


def bad_sql(tp: TablePlan, alias: str = "") -> str:
    """Return the DuckDB condition: does a staging row fail a row check (as :func:`_bad`)?"""
    a = f"{alias}." if alias else ""
    conds = [f"{a}{q(TF)} <> ''"]
    for c in tp.columns:
        col = f"{a}{q(c.name)}"
        if not c.nullable:
            conds.append(f"{col} IS NULL")
        if c.enum:
            conds.append(f"CAST({col} AS VARCHAR) NOT IN "
                         f"({', '.join(_sql_literal(e) for e in c.enum)})")
    return f"COALESCE({' OR '.join(conds)}, false)"


def row_hash_sql(tp: TablePlan, alias: str = "") -> str:
    """Return DuckDB's hash of a row's target columns (each cast to its type)."""
    a = f"{alias}." if alias else ""
    types = SQL_TYPES["duckdb"]
    return "hash(" + ", ".join(f"CAST({a}{q(c.name)} AS {types[c.type]})"
                               for c in tp.columns) + ")"


def hash_parts_sql(tp: TablePlan, alias: str = "", where: str | None = None) -> list[str]:
    """Return the aggregates of the content hash: row count, 128-bit hash sum, hash xor."""
    h = row_hash_sql(tp, alias)
    f = f" FILTER (WHERE {where})" if where else ""
    return [f"COUNT(*){f}", f"COALESCE(SUM(CAST({h} AS HUGEINT)){f}, 0)",
            f"COALESCE(BIT_XOR({h}){f}, 0)"]


def combine_hash_parts(*parts) -> list[int]:
    """Return the hash parts of the union of disjoint row sets (counts and sums add, xors xor)."""
    n, s, x = 0, 0, 0
    for p in parts:
        n, s, x = n + int(p[0] or 0), s + int(p[1] or 0), x ^ int(p[2] or 0)
    return [n, s, x]


def digest(parts) -> str:
    """Return the content hash (SHA-256 hex) of a chunk's hash parts."""
    n, s, x = combine_hash_parts(parts)
    return hashlib.sha256(f"wb-content-v2:{n}:{s}:{x}".encode()).hexdigest()


def content_hash(valid: pl.DataFrame, tp: TablePlan) -> str:
    """Return the content hash of rows (a frame of target columns), computed by DuckDB exactly
    as ELT computes it over the staging table; it does not depend on the rows' order."""
    import duckdb

    df = valid.select(tp.outputs).cast(output_schema(tp))
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    try:
        con.register("_wb_valid", df.to_arrow())
        parts = con.execute(f"SELECT {', '.join(hash_parts_sql(tp))} FROM _wb_valid").fetchone()
    finally:
        con.close()
    return digest(parts)


def figure_exprs(tp: TablePlan, alias: str = "", float_type: str = "DOUBLE") -> list[str]:
    """Return the SQL aggregates of the checksum figures (count, then per column: non-null
    count and a numeric sum, text length or true count)."""
    a = f"{alias}." if alias else ""
    parts = ["COUNT(*)"]
    for c in tp.columns:
        col = f"{a}{q(c.name)}"
        parts.append(f"COUNT({col})")
        if c.type in ("integer", "float"):
            parts.append(f"SUM(CAST({col} AS {float_type}))")
        elif c.type == "string":
            parts.append(f"SUM(LENGTH({col}))")
        elif c.type == "boolean":
            parts.append(f"SUM(CASE WHEN {col} THEN 1 ELSE 0 END)")
    return parts


def figures_sql(tp: TablePlan, alias: str = "", where: str | None = None) -> list[str]:
    """Return the DuckDB aggregates of the checksum figures, optionally filtered."""
    f = f" FILTER (WHERE {where})" if where else ""
    return [e + f for e in figure_exprs(tp, alias)]


def add_figures(*rows) -> list:
    """Return checksum figures of the union of disjoint row sets (NULL sums count as 0)."""
    out = None
    for r in rows:
        vals = [float(v) if v is not None and not isinstance(v, int) else (v or 0) for v in r]
        out = vals if out is None else [a + b for a, b in zip(out, vals, strict=True)]
    return out or []


def checksum_sql(tp: TablePlan, table: str, target) -> str:
    """Return the target's query of a staged chunk's checksum figures."""
    parts = figure_exprs(tp, float_type=target.sql_type("float"))
    return f"SELECT {', '.join(parts)} FROM {q(table)} WHERE {q(CHUNK)} = {target.ph}"


def suspects_sql(tp: TablePlan, stage: str) -> str:
    """Return the DuckDB query of a staging table's suspects, with SQL's decision.

    Suspects are the rows that fail a row check (``_wb_bad``) or share their key with another
    staged row. Among the suspects that pass, SQL keeps one row of a key whose rows are all
    identical (the first in the source) and drops the others, and drops every row of a key
    whose rows differ; ``_wb_drop`` is true for the rows to quarantine or collapse.
    """
    keys = ", ".join(q(k) for k in tp.key)
    match = " AND ".join(f"d.{q(k)} = st.{q(k)}" for k in tp.key)
    gmatch = " AND ".join(f"g.{q(k)} = s.{q(k)}" for k in tp.key)
    outs = ", ".join(q(c) for c in tp.outputs)
    return (f"WITH d AS MATERIALIZED (SELECT {keys} FROM {q(stage)} GROUP BY {keys} HAVING "
            f"COUNT(*) > 1), s AS MATERIALIZED (SELECT st.*, {bad_sql(tp, 'st')} AS _wb_bad "
            f"FROM {q(stage)} st WHERE {bad_sql(tp, 'st')} OR EXISTS (SELECT 1 FROM d WHERE "
            f"{match})), "
            f"g AS (SELECT {keys}, COUNT(*) AS n, COUNT(DISTINCT row({outs})) AS u, "
            f"MIN({q(ROW)}) AS f FROM s WHERE NOT _wb_bad GROUP BY {keys}) "
            f"SELECT s.*, s._wb_bad OR COALESCE(g.n > 1 AND (g.u > 1 OR s.{q(ROW)} <> g.f), "
            f"false) AS _wb_drop FROM s LEFT JOIN g ON {gmatch} ORDER BY s.{q(CHUNK)}, "
            f"s.{q(ROW)}")


def _figure_exprs(tp: TablePlan) -> list[pl.Expr]:
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
    return [e.alias(f"_{i}") for i, e in enumerate(exprs)]


def expected_checksum(valid: pl.DataFrame, tp: TablePlan) -> list:
    """Return the checksum figures of the rows to stage, as :func:`checksum_sql` computes them."""
    return list(valid.select(_figure_exprs(tp)).row(0))


def expected_checksums(valid: pl.DataFrame, tp: TablePlan) -> dict[int, list]:
    """Return the checksum figures of the rows to stage of several chunks, per chunk."""
    if not valid.height:
        return {}
    return {int(r[0]): list(r[1:]) for r in valid.group_by(CHUNK).agg(_figure_exprs(tp))
            .iter_rows()}


def same_checksum(expected: list, actual: list | tuple) -> bool:
    """Return True when two checksum rows agree (floats to 1e-9 relative)."""
    if len(expected) != len(actual):
        return False
    for a, b in zip(expected, actual, strict=True):
        a, b = float(a or 0), float(b or 0)
        if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6):
            return False
    return True
