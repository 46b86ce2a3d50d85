"""The sources of a migration: Polars frames, or files.

Parquet is read by DuckDB directly (streaming; its ``file_row_number`` is the row ordinal).
CSV, TSV and JSON lines go through the ingest readers (encoding and dialect sniffed) and the
standardization shim, so their columns are the catalog's standardized ones; a frame is taken as
it is (the stage passes the standardized frames of ``frames.sources_of``). Every row carries
``_wb_row``, its 0-based position in the source: the quarantine locator and the surrogate key.

Examples
--------
>>> import polars as pl
>>> src = as_source("t", pl.DataFrame({"id": [3, 4]}))
>>> src.kind, row_count(src), sorted(column_names(src))
('frame', 2, ['id'])
>>> raw_frame(src).to_dicts()
[{'id': 3, '_wb_row': 0}, {'id': 4, '_wb_row': 1}]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .... import transform
from ....errors import BadInput
from .targets import q

ROW = "_wb_row"
PARQUET = (".parquet", ".pq")


@dataclass
class Source:
    """One source table: a frame, or a Parquet file (with optional shim plans per column)."""

    table: str
    kind: str                                   # frame | parquet
    frame: pl.DataFrame | None = None
    path: str = ""
    shims: dict[str, dict] = field(default_factory=dict)   # output column -> shim DSL plan

    def describe(self) -> dict:
        """Return where the table is read from and its fingerprint (size, mtime; no values)."""
        out = {"table": self.table, "kind": self.kind, "path": self.path or None}
        if self.path:
            st = Path(self.path).stat()
            out |= {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
        return out


def as_source(table: str, value) -> Source:
    """Return a :class:`Source` for a frame, a LazyFrame, a path or a Source."""
    if isinstance(value, Source):
        return value
    if isinstance(value, pl.LazyFrame):
        value = value.collect()
    if isinstance(value, pl.DataFrame):
        return Source(table, "frame", frame=value)
    path = Path(value).expanduser()
    if not path.is_file():
        raise BadInput(f"source {table}: no such file {path}")
    if path.suffix.lower() in PARQUET:
        return Source(table, "parquet", path=str(path))
    from ..catalog import standardize
    from ..sources import discover

    tables = discover([path])
    std, _ = standardize(tables[0].read())
    return Source(table, "frame", frame=std, path=str(path))


def row_count(src: Source) -> int:
    """Return the number of rows (Parquet: from its metadata)."""
    if src.kind == "frame":
        return src.frame.height
    return int(pl.scan_parquet(src.path).select(pl.len()).collect().item())


def column_names(src: Source) -> set[str]:
    """Return the column names the plans can read."""
    if src.kind == "frame":
        return set(src.frame.columns)
    return set(src.shims) or set(pl.read_parquet_schema(src.path))


def relation(src: Source, con) -> str:
    """Return DuckDB SQL reading the source with ``_wb_row`` (a frame is registered on ``con``)."""
    if src.kind == "frame":
        name = f"_wb_src_{src.table}"
        con.register(name, src.frame.with_row_index(ROW).with_columns(
            pl.col(ROW).cast(pl.Int64)).to_arrow())
        return q(name)
    path = src.path.replace("'", "''")
    read = f"read_parquet('{path}', file_row_number = true)"
    if src.shims:
        cols = ", ".join(transform.to_sql(p, "duckdb") for p in src.shims.values())
        return f"(SELECT {cols}, CAST(file_row_number AS BIGINT) AS {ROW} FROM {read})"
    return (f"(SELECT * EXCLUDE (file_row_number), CAST(file_row_number AS BIGINT) AS {ROW} "
            f"FROM {read})")


def release_relation(src: Source, con) -> None:
    """Unregister what :func:`relation` registered."""
    if src.kind == "frame":
        con.unregister(f"_wb_src_{src.table}")


def raw_rows(src: Source, rows: list[int], inputs: list[str], con=None) -> pl.DataFrame:
    """Return the ``inputs`` of some source rows as ``_wb_in_<input>``, with ``_wb_row``.

    Parquet is read by DuckDB (on ``con`` when given) with the row filter pushed into the scan.
    """
    if src.kind == "frame":
        df = src.frame.select(inputs)[rows].with_columns(pl.Series(ROW, rows, pl.Int64))
        return df.select(*[pl.col(i).alias("_wb_in_" + i) for i in inputs], pl.col(ROW))
    import duckdb

    own = con is None
    con = duckdb.connect(config={"autoinstall_known_extensions": False}) if own else con
    path = src.path.replace("'", "''")
    cols = [transform.to_sql(src.shims[i], "duckdb") for i in inputs] if src.shims else \
        [q(i) for i in inputs]
    try:
        con.register("_wb_rows", pl.DataFrame({"v": rows}, schema={"v": pl.Int64}).to_arrow())
        df = con.execute(
            f"SELECT {', '.join(cols)}, CAST(file_row_number AS BIGINT) AS {ROW} FROM "
            f"read_parquet('{path}', file_row_number = true) WHERE file_row_number IN "
            f"(SELECT v FROM _wb_rows)").pl()
    finally:
        con.unregister("_wb_rows")
        if own:
            con.close()
    return df.select(*[pl.col(i).alias("_wb_in_" + i) for i in inputs], pl.col(ROW))


def raw_select(src: Source, con, inputs: list[str], rows_sql: str) -> str:
    """Return DuckDB SQL of the ``inputs`` (as ``_wb_in_<input>``, with ``_wb_row``) of the source
    rows whose ordinals ``rows_sql`` selects: one scan, the filter pushed into a Parquet scan.

    A frame source is registered on ``con`` (as :func:`relation` does); release it after use.
    """
    if src.kind == "frame":
        cols = [f"{q(i)} AS {q('_wb_in_' + i)}" for i in inputs]
        return (f"SELECT {', '.join(cols)}, {ROW} FROM {relation(src, con)} WHERE {ROW} IN "
                f"({rows_sql})")
    path = src.path.replace("'", "''")
    shimmed = [transform.to_sql(src.shims[i], "duckdb") for i in inputs] if src.shims else \
        [q(i) for i in inputs]
    cols = ", ".join(f"{q(i)} AS {q('_wb_in_' + i)}" for i in inputs)
    return (f"SELECT {cols}, CAST(file_row_number AS BIGINT) AS {ROW} FROM (SELECT "
            f"{', '.join(shimmed)}, file_row_number FROM read_parquet('{path}', "
            f"file_row_number = true) WHERE file_row_number IN ({rows_sql})) AS r")


def raw_frame(src: Source) -> pl.DataFrame:
    """Return every row of the source with ``_wb_row`` (ETL reads it whole)."""
    if src.kind == "frame":
        df = src.frame
    else:
        df = pl.read_parquet(src.path)
        if src.shims:
            df = df.select(transform.to_polars(p) for p in src.shims.values())
    return df.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64)).select(
        *[c for c in df.columns], ROW)
