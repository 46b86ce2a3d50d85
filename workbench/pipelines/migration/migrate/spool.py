"""The ETL path's source rows, chunk by chunk, without holding a file source in memory.

ETL transforms one chunk at a time in Polars, so it needs each chunk's raw rows together. A
frame source is in memory already: its key is transformed, its rows ordered by chunk and
sliced. A file source (Parquet) is *spooled*: its key inputs stream through Polars in batches
(the key transformed as the plan says, its chunk computed as in ELT), the ``(_wb_row, chunk)``
pairs go to a private DuckDB file in the workspace, and one DuckDB statement joins them back to
the source and writes the rows sorted by chunk; each chunk is then one range read. The spool's
DuckDB gets a quarter of the workspace's memory budget (``spool_memory``: it runs beside the
Polars chunks and the target's writes, and a sort that spills is barely slower) and spills past
it, so memory stays flat in the number of rows. The spool is deleted when the table is done
and rebuilt (for the chunks still to do) by a rerun.

Examples
--------
>>> import polars as pl
>>> from workbench.pipelines.migration.migrate.inputs import as_source
>>> from workbench.pipelines.migration.migrate.plans import preflight
>>> from workbench.pipelines.migration.target import parse_target
>>> schema = parse_target({"tables": [{"name": "t", "columns": [
...     {"name": "id", "type": "integer", "key": True}, {"name": "name", "type": "string"}]}]})
>>> rows = [{"target_table": "t", "target_column": "id", "decision": "accept",
...          "decided_by": "rules", "source_columns": ["t.id"],
...          "dsl": {"inputs": [{"name": "id", "type": "integer"}], "output": "id", "steps": []}}]
>>> keys = key_plan(preflight(rows, schema)[0][0])
>>> src = as_source("t", pl.DataFrame({"id": [5, 6, 7, 5], "name": ["a", "b", "c", "d"]}))
>>> [(n, part["id"].to_list()) for n, part in chunk_parts(src, keys, 2)]
[(0, [5, 7, 5]), (1, [6])]
"""
from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import polars as pl

from .chunks import chunk_ids, partition
from .compile import CHUNK, etl_frame, key_types
from .inputs import ROW, Source, raw_frame, relation
from .plans import TablePlan
from .targets import q

BATCH = 250_000             # key rows per streamed batch
SPOOL_FLOOR_MB = 64
_UNITS = {"": 1, "b": 1, "bytes": 1, "k": 1e3, "kb": 1e3, "kib": 2 ** 10, "m": 1e6, "mb": 1e6,
          "mib": 2 ** 20, "g": 1e9, "gb": 1e9, "gib": 2 ** 30, "t": 1e12, "tb": 1e12,
          "tib": 2 ** 40}


def spool_memory(memory: str) -> str:
    """Return the spool's DuckDB memory limit: a quarter of ``memory``, at least 64 MB.

    A value this does not read is passed on unchanged, for DuckDB to accept or name.

    Examples
    --------
    >>> spool_memory("1GB"), spool_memory("2 GiB"), spool_memory("100MB")
    ('250MB', '536MB', '64MB')
    """
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]*)?)\s*([a-z]*)\s*", str(memory).lower())
    if not m or m.group(2) not in _UNITS:
        return memory
    mb = float(m.group(1)) * _UNITS[m.group(2)] / 1e6
    return f"{max(SPOOL_FLOOR_MB, int(mb / 4))}MB"


def chunk_parts(src: Source, keys: TablePlan, chunks: int, skip=(), where: Path | None = None,
                memory: str = "1GB") -> Iterator[tuple[int, pl.DataFrame]]:
    """Yield ``(chunk, its raw rows in source order)`` for each chunk not in ``skip``.

    ``keys`` is the table plan cut to its key columns; a file source is spooled under
    ``where`` (a temporary folder when None) within a quarter of ``memory``.
    """
    if src.kind == "frame":
        raw = raw_frame(src)
        order, bounds = partition(chunk_of(raw.select(*keys.inputs, ROW), keys, chunks), chunks)
        for n, (offset, size) in enumerate(bounds):
            if n not in skip:
                yield n, raw[order.slice(offset, size)]
        return
    with _spool(src, keys, chunks, set(skip), where, memory) as (con, table):
        for n in range(chunks):
            if n not in skip:
                yield n, con.execute(f"SELECT * EXCLUDE ({CHUNK}) FROM {table} WHERE {CHUNK} = "
                                     f"{int(n)} ORDER BY {ROW}").pl()


def key_plan(tp: TablePlan) -> TablePlan:
    """Return the table plan cut to its key columns (what chunking needs)."""
    cols = [c for c in tp.columns if c.name in tp.key]
    return replace(tp, columns=cols, inputs={n: tp.inputs[n] for c in cols for n in c.inputs})


def chunk_of(raw_keys: pl.DataFrame, keys: TablePlan, chunks: int) -> pl.Series:
    """Return the chunk of every row of ``raw_keys`` (key inputs and ``_wb_row``)."""
    return chunk_ids(etl_frame(raw_keys, keys), keys.key, chunks, key_types(keys))


@contextlib.contextmanager
def _spool(src: Source, keys: TablePlan, chunks: int, skip: set, where: Path | None,
           memory: str):
    """Build the spool of a file source; yield (its connection, the sorted table)."""
    import duckdb

    own = where is None
    folder = Path(tempfile.mkdtemp(prefix="wb-spool-")) if own else Path(where)
    if folder.exists():
        shutil.rmtree(folder)             # a killed run's leftovers: rebuilt from the source
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(folder / "spool.duckdb"),
                         config={"autoinstall_known_extensions": False})
    try:
        con.execute(f"SET memory_limit = '{spool_memory(memory)}'")
        con.execute("SET enable_progress_bar = false")
        con.execute(f"SET temp_directory = '{str(folder / 'tmp').replace(chr(39), chr(39) * 2)}'")
        con.execute("SET preserve_insertion_order = false")
        rel = relation(src, con)
        con.execute(f"CREATE TABLE _wb_keys ({ROW} BIGINT, {CHUNK} INTEGER)")
        cols = ", ".join([q(i) for i in keys.inputs] + [ROW])
        result = con.execute(f"SELECT {cols} FROM {rel}")
        # DuckDB 1.4 renamed fetch_record_batch; the pinned range spans both names
        reader = getattr(result, "to_arrow_reader", result.fetch_record_batch)(BATCH)
        writer = con.cursor()
        for batch in reader:
            part = pl.from_arrow(batch)
            pairs = pl.DataFrame({ROW: part.get_column(ROW), CHUNK: chunk_of(part, keys, chunks)})
            if skip:
                pairs = pairs.filter(~pl.col(CHUNK).is_in(sorted(skip)))
            writer.register("_wb_pairs", pairs.to_arrow())
            writer.execute("INSERT INTO _wb_keys SELECT * FROM _wb_pairs")
            writer.unregister("_wb_pairs")
        writer.close()
        con.execute(f"CREATE TABLE _wb_spool AS SELECT s.*, k.{CHUNK} FROM {rel} s JOIN _wb_keys "
                    f"k USING ({ROW}) ORDER BY k.{CHUNK}, s.{ROW}")
        con.execute("DROP TABLE _wb_keys")
        con.execute("SET preserve_insertion_order = true")
        yield con, "_wb_spool"
    finally:
        con.close()
        shutil.rmtree(folder, ignore_errors=True)
