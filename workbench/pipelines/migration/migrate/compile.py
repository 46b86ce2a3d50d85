"""A table plan compiled: DuckDB SQL for ELT, Polars expressions for ETL, UPSERT statements.

Both give the same staging rows: every column of the target table in schema order (unmapped
ones NULL), ``_wb_tf`` — the comma-joined positions of the mapped columns whose plan gave no
value although every input was present (a *type* failure) — the source row ordinal ``_wb_row``
and the chunk number ``_wb_chunk``. ETL frames also carry the raw inputs as ``_wb_in_<input>``
(for masked previews); ELT fetches them from the source only for the rows that fail.

Examples
--------
>>> upsert_sql("t", ["id", "v"], ["id"], 'SELECT "id", "v" FROM "s"', "sqlite")
'INSERT INTO "t" ("id", "v") SELECT "id", "v" FROM "s" WHERE true ON CONFLICT ("id") DO UPDATE SET "v" = excluded."v"'
"""
from __future__ import annotations

import json
from functools import lru_cache

import polars as pl

from .... import transform
from ....errors import DslReject
from ....transform._common import WHITESPACE
from ..target import sql_type
from .chunks import chunk_sql
from .inputs import ROW
from .plans import ColumnPlan, TablePlan
from .targets import SQL_TYPES, q

IN, TF, CHUNK = "_wb_in_", "_wb_tf", "_wb_chunk"
DTYPES = {"string": pl.String, "integer": pl.Int64, "float": pl.Float64, "boolean": pl.Boolean,
          "date": pl.Date, "timestamp": pl.Datetime("us")}


def output_schema(tp: TablePlan) -> dict:
    """Return the Polars dtypes of the target columns a plan writes."""
    return {c.name: DTYPES[c.type] for c in tp.columns}


def stage_columns(tp: TablePlan) -> list[tuple[str, str]]:
    """Return the staging table's columns as (name, DSL type)."""
    return [(c["name"], c["type"]) for c in tp.schema] + [
        (TF, "string"), (ROW, "integer"), (CHUNK, "integer")]


def key_types(tp: TablePlan) -> list[str]:
    """Return the DSL types of a plan's key columns."""
    types = {c.name: c.type for c in tp.columns}
    return [types[k] for k in tp.key]


def column_sql(c: ColumnPlan, dialect: str = "duckdb") -> str:
    """Return one target column's select expression (``<expr> AS "name"``) for a dialect."""
    types = SQL_TYPES[dialect]
    if c.plan is None:  # surrogate key: the 1-based source row ordinal
        return f"CAST({ROW} + 1 AS {types[c.type]}) AS {q(c.name)}"
    expr, out = _compiled(json.dumps(c.plan, sort_keys=True), dialect)
    if out != c.type:
        cast = "TRY_CAST" if dialect == "duckdb" else "CAST"
        expr = f"{cast}({expr} AS {types[c.type]})"
    return f"{expr} AS {q(c.name)}"


@lru_cache(maxsize=512)
def _compiled(plan_json: str, dialect: str) -> tuple[str, str]:
    """Return (SQL expression, output type) of a plan; compiling validates it, so memoize."""
    plan = json.loads(plan_json)
    return (transform.to_sql_expression(plan, dialect).this.sql(dialect=dialect),
            transform.output_type(plan))


def _present_sql(name: str, raw_type: str | None) -> str:
    col = q(IN + name)
    ws = WHITESPACE.replace("'", "''")
    return f"({col} IS NOT NULL AND TRIM({col}, '{ws}') <> '')" if raw_type == "string" \
        else f"({col} IS NOT NULL)"


def elt_select(tp: TablePlan, rel: str, rel_types: dict[str, str], n: int) -> str:
    """Return the DuckDB query producing the staging rows of a table.

    The rows keep the source's order: no sort (a sort of every row by chunk costs about half
    of the transform itself); the validation passes over staging are set-wise, grouping by
    ``_wb_chunk``, so nothing needs a chunk's rows to be adjacent.
    """
    have = {k: sql_type(v) for k, v in rel_types.items()}
    typed = []
    for name, t in tp.inputs.items():
        col = q(name)
        cast = col if have.get(name) == t else f"TRY_CAST({col} AS {SQL_TYPES['duckdb'][t]})"
        typed += [f"{cast} AS {col}", f"{col} AS {q(IN + name)}"]
    inner = f"SELECT {', '.join(typed + [ROW])} FROM {rel}"
    mapped = [(j, c) for j, c in enumerate(tp.columns) if c.plan is not None]
    middle = ", ".join([column_sql(c) for c in tp.columns] + [q(IN + n) for n in tp.inputs]
                       + [ROW])
    # the presence test runs only where the output is NULL (CASE and AND short-circuit)
    fails = ", ".join(f"CASE WHEN {q(c.name)} IS NULL AND " + (" AND ".join(
        _present_sql(i, have.get(i)) for i in c.inputs) or "true") + f" THEN '{j}' END"
        for j, c in mapped)
    outs = {c.name: q(c.name) for c in tp.columns}
    cols = [outs.get(c["name"], f"CAST(NULL AS {SQL_TYPES['duckdb'][c['type']]}) AS "
                                f"{q(c['name'])}") for c in tp.schema]
    # most rows have every mapped output: one cheap NULL test each spares them the concat_ws
    anynull = " OR ".join(f"{q(c.name)} IS NULL" for _, c in mapped)
    tf = f"CASE WHEN {anynull} THEN concat_ws(',', {fails}) ELSE '' END" if mapped else "''"
    return (f"SELECT {', '.join(cols)}, {tf} AS {TF}, {ROW}, {chunk_sql(tp.key, n, key_types(tp))} AS {CHUNK}"
            f" FROM (SELECT {middle} FROM ({inner}) AS s) AS m")


def etl_frame(raw: pl.DataFrame, tp: TablePlan) -> pl.DataFrame:
    """Return a table's rows computed by Polars: outputs, ``_wb_tf``, raw inputs, ``_wb_row``."""
    kept = raw.with_columns(pl.col(n).alias(IN + n) for n in tp.inputs)
    typed = kept.with_columns(pl.col(n).cast(DTYPES[t], strict=False)
                              for n, t in tp.inputs.items() if raw.schema[n] != DTYPES[t])
    outs, fails = [], []
    for j, c in enumerate(tp.columns):
        if c.plan is None:
            outs.append((pl.col(ROW) + 1).cast(DTYPES[c.type]).alias(c.name))
            continue
        outs.append(transform.to_polars(c.plan).cast(DTYPES[c.type], strict=False)
                    .alias(c.name))
        present = pl.all_horizontal([_present(raw, i) for i in c.inputs]) if c.inputs \
            else pl.lit(True)
        fails.append(pl.when(pl.col(c.name).is_null() & present).then(pl.lit(str(j))))
    out = typed.select(*outs, *[pl.col(IN + n) for n in tp.inputs], pl.col(ROW))
    tf = pl.concat_str(fails, separator=",", ignore_nulls=True).fill_null("") if fails \
        else pl.lit("")
    return out.with_columns(tf.alias(TF))


def _present(raw: pl.DataFrame, name: str) -> pl.Expr:
    col = pl.col(IN + name)
    return col.is_not_null() & (col.str.strip_chars(WHITESPACE) != "") \
        if raw.schema[name] == pl.String else col.is_not_null()


def upsert_sql(table: str, cols: list[str], key: list[str], select: str, dialect: str) -> str:
    """Return ``INSERT … SELECT … ON CONFLICT (key) DO UPDATE`` for a dialect."""
    names = ", ".join(q(c) for c in cols)
    rest = [c for c in cols if c not in key]
    action = ("DO UPDATE SET " + ", ".join(f"{q(c)} = excluded.{q(c)}" for c in rest)) \
        if rest else "DO NOTHING"
    where = " WHERE true" if dialect == "sqlite" else ""
    return (f"INSERT INTO {q(table)} ({names}) {select}{where} ON CONFLICT "
            f"({', '.join(q(k) for k in key)}) {action}")


def statements(tp: TablePlan, dialect: str) -> dict:
    """Return the compiled statements of a table for the dry run: DuckDB ELT and the target's."""
    out = {}
    for d in dict.fromkeys(("duckdb", dialect)):
        try:
            cols = ", ".join(column_sql(c, d) for c in tp.columns)
        except DslReject as exc:
            out[d] = f"-- not expressible in {d}: {exc}"
            continue
        select = f"SELECT {cols} FROM {q(tp.source)}"
        out[d] = upsert_sql(tp.table, tp.outputs, tp.key, select, d)
    return out


def ddl(tp: TablePlan, table: str, dialect: str, stage: bool = False, key: bool = True) -> str:
    """Return CREATE TABLE for a final table (``key``: its key as PRIMARY KEY) or its staging
    table."""
    types = SQL_TYPES[dialect]
    if stage:
        cols = [f"{q(n)} {types[t]}" for n, t in stage_columns(tp)]
        return f"CREATE TABLE IF NOT EXISTS {q(table)} ({', '.join(cols)})"
    cols = [f"{q(c['name'])} {types[c['type']]}" + ("" if c["nullable"] else " NOT NULL")
            for c in tp.schema]
    pk = f", PRIMARY KEY ({', '.join(q(k) for k in tp.key)})" if tp.key and key else ""
    return f"CREATE TABLE IF NOT EXISTS {q(table)} ({', '.join(cols)}{pk})"
