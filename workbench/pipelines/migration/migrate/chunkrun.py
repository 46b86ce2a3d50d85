"""One table's chunks: transform, stage, validate, quarantine, checkpoint — chunk by chunk.

ELT (DuckDB target): one statement in the target computes every staging row with the compiled
SQL straight from the source, ordered by chunk, and commits it with its ``transform`` step;
then each chunk is read back, validated, its rejected and collapsed rows removed from staging
and its checkpoint written, in one transaction. ETL (any target): the source is read, its key
transformed to find each row's chunk, and each chunk transformed by Polars, validated and
inserted into staging with its checkpoint and quarantine records in one transaction. Either way
a chunk recorded ``done`` is skipped by a rerun, and a kill loses at most the chunk in flight.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import replace

import polars as pl

from ....errors import BadInput
from .checkpoints import (
    chunk_id,
    done_chunks,
    get_step,
    now,
    put_quarantine,
    record_chunk,
    record_step,
)
from .chunks import chunk_ids, partition
from .compile import CHUNK, IN, TF, ddl, elt_select, etl_frame, key_types
from .inputs import ROW, Source, raw_frame, raw_rows, relation, release_relation, row_count
from .plans import TablePlan
from .promote import stage_name
from .quarantine import records
from .targets import Target, q
from .validate import check_chunk, checksum_sql, expected_checksum, same_checksum


class Progress:
    """Chunk n/N, rows per second and ETA, sent to a callback (at most every ``every`` s)."""

    def __init__(self, callback, total_rows: int, every: float = 0.2):
        self.callback, self.total, self.done = callback, max(0, total_rows), 0
        self.t0, self._last, self.every = time.monotonic(), 0.0, every

    def step(self, table: str, n: int, chunks: int, rows: int, phase: str = "chunk") -> dict:
        """Count ``rows`` more rows and report; return the report."""
        self.done += rows
        elapsed = max(time.monotonic() - self.t0, 1e-9)
        rate = self.done / elapsed
        info = {"table": table, "phase": phase, "chunk": n, "chunks": chunks,
                "rows_done": self.done, "rows_total": self.total, "rows_per_s": round(rate),
                "eta_s": round((self.total - self.done) / rate, 1) if rate else None}
        if self.callback and (time.monotonic() - self._last >= self.every or n == chunks
                              or phase != "chunk"):
            self._last = time.monotonic()
            self.callback(info)
        return info


def format_progress(info: dict) -> str:
    """Return a one-line progress text.

    >>> format_progress({"table": "orders", "phase": "chunk", "chunk": 3, "chunks": 20,
    ...                  "rows_done": 150000, "rows_total": 1000000, "rows_per_s": 52340,
    ...                  "eta_s": 16.2})
    'orders · chunk 3/20 · 150,000/1,000,000 rows · 52,340 rows/s · ETA 16 s'
    """
    eta = f"ETA {info['eta_s']:.0f} s" if info.get("eta_s") is not None else "ETA ?"
    return (f"{info['table']} · {info['phase']} {info['chunk']}/{info['chunks']} · "
            f"{info['rows_done']:,}/{info['rows_total']:,} rows · {info['rows_per_s']:,} rows/s"
            f" · {eta}")


class _Invalid(Exception):
    pass


def with_raw(rejected: pl.DataFrame, src: Source, tp: TablePlan, t: Target | None = None
             ) -> pl.DataFrame:
    """Return rejected rows with their raw inputs (``_wb_in_*``), fetched when missing."""
    if not rejected.height or all(IN + n in rejected.columns for n in tp.inputs):
        return rejected
    con = t._con if t is not None and t.dialect == "duckdb" else None
    raw = raw_rows(src, rejected.get_column(ROW).to_list(), list(tp.inputs), con)
    return rejected.join(raw, on=ROW, how="left")


def process_chunk(t: Target, tp: TablePlan, frame: pl.DataFrame, n: int, chunks: int,
                  run_id: str, strategy: str, src: Source, settings=None) -> dict:
    """Validate one chunk and write its staging rows, quarantine and checkpoint atomically."""
    started, stage = now(), stage_name(tp.table, run_id)
    check = check_chunk(frame, tp)
    recs, masked = records(with_raw(check.rejected, src, tp, t), tp, run_id, settings)
    v = {**check.validations, "masked": masked}
    expected = expected_checksum(check.valid, tp)
    rec = {"run_id": run_id, "stage": "migrate", "target_table": tp.table,
           "chunk_id": chunk_id(tp.table, n), "chunk_no": n, "chunks": chunks,
           "content_hash": check.content_hash, "started_at": started, "row_count_in":
           frame.height, "row_count_out": check.valid.height,
           "quarantined": check.rejected.height, "strategy": strategy}
    try:
        with t.transaction():
            if _already_done(t, run_id, rec["chunk_id"]):   # another worker finished it
                return v
            if strategy == "elt":
                t.delete_in(stage, ROW, check.rejected.get_column(ROW).to_list()
                            + check.collapsed.to_list())
            else:
                t.insert(stage, check.valid.select(*tp.outputs, TF, ROW).with_columns(
                    pl.lit(n, pl.Int32).alias(CHUNK)))
            put_quarantine(t, recs)
            actual = t.query(checksum_sql(tp, stage, t), [n])[0]
            v["checksum"] = {"expected": expected, "actual": [_num(a) for a in actual],
                             "status": "pass" if same_checksum(expected, actual) else "fail"}
            rc = v["row_count"]
            rc["staged"] = int(actual[0])
            rc["status"] = "pass" if rc["staged"] == rc["out"] and rc["in"] == rc["out"] + \
                rc["quarantined"] + rc["collapsed"] else "fail"
            if "fail" in (rc["status"], v["checksum"]["status"]):
                raise _Invalid
            record_chunk(t, {**rec, "finished_at": now(), "validations": v, "status": "done",
                             "next_action": "review_quarantine" if recs.height else "promote"})
    except _Invalid:
        with t.transaction():
            record_chunk(t, {**rec, "finished_at": now(), "validations": v, "status": "failed",
                             "next_action": "fix_and_rerun"})
    return v


def _already_done(t: Target, run_id: str, cid: str) -> bool:
    if t.dialect == "duckdb":       # one process holds a DuckDB file: nobody else can have
        return False
    return bool(t.query(f"SELECT 1 FROM _workbench_chunks WHERE run_id = {t.ph} AND chunk_id = "
                        f"{t.ph} AND status = 'done'", [run_id, cid]))


def _num(v):
    return float(v) if v is not None and not isinstance(v, int | float) else v


def run_elt(t: Target, tp: TablePlan, src: Source, chunks: int, run_id: str, settings,
            progress: Progress) -> None:
    """Migrate one table's chunks with the compiled SQL running in the (DuckDB) target."""
    stage, rows = stage_name(tp.table, run_id), row_count(src)
    step = get_step(t, run_id, tp.table, "transform")
    if step is None or stage not in t.tables():
        rel = relation(src, t._con)
        try:
            types = {r[0]: r[1] for r in t.query(f"DESCRIBE SELECT * FROM {rel}")}
            sql = elt_select(tp, rel, types, chunks)
            with t.transaction():
                t.execute(f"DROP TABLE IF EXISTS {q(stage)}")
                t.execute(f"CREATE TABLE {q(stage)} AS {sql}")
                record_step(t, run_id, tp.table, "transform", "done",
                            {"rows": rows, "chunks": chunks, "engine": "duckdb (in the target)",
                             "sql_sha256": hashlib.sha256(sql.encode()).hexdigest()})
        finally:
            release_relation(src, t._con)
        progress.step(tp.table, 0, chunks, 0, phase="transform")
    elif step["detail"].get("rows") != rows or step["detail"].get("chunks") != chunks:
        raise BadInput(f"source {tp.source} changed since this run staged it ({rows} rows now, "
                       f"{step['detail'].get('rows')} then); start a fresh run")
    done = done_chunks(t, run_id, tp.table)
    for n in range(chunks):
        if n in done:
            continue
        frame = t.frame(f"SELECT * FROM {q(stage)} WHERE {q(CHUNK)} = ?", [n])
        process_chunk(t, tp, frame, n, chunks, run_id, "elt", src, settings)
        progress.step(tp.table, n + 1, chunks, frame.height)


def run_etl(t: Target, tp: TablePlan, src: Source, chunks: int, run_id: str, settings,
            progress: Progress) -> None:
    """Migrate one table's chunks with Polars transforming them in the engine."""
    done = done_chunks(t, run_id, tp.table)
    if len(done) >= chunks:
        return
    raw = raw_frame(src)
    stage = stage_name(tp.table, run_id)
    if stage not in t.tables():
        with t.transaction():
            t.execute(ddl(tp, stage, t.dialect, stage=True))
            if t.dialect != "duckdb":   # chunk checksums and the foreign-key probes
                t.execute(f"CREATE INDEX IF NOT EXISTS {q(stage + '_chunk')} ON {q(stage)} "
                          f"({q(CHUNK)})")
                t.execute(f"CREATE INDEX IF NOT EXISTS {q(stage + '_key')} ON {q(stage)} "
                          f"({', '.join(q(k) for k in tp.key)})")
    key_cols = [c for c in tp.columns if c.name in tp.key]
    key_plan = replace(tp, columns=key_cols, inputs={n: tp.inputs[n] for c in key_cols
                                                     for n in c.inputs})
    keys = etl_frame(raw.select(*key_plan.inputs, ROW), key_plan)
    order, bounds = partition(chunk_ids(keys, tp.key, chunks, key_types(tp)), chunks)
    for n, (offset, size) in enumerate(bounds):
        if n in done:
            continue
        part = raw[order.slice(offset, size)]
        frame = etl_frame(part, tp).with_columns(pl.lit(n, pl.Int32).alias(CHUNK))
        process_chunk(t, tp, frame, n, chunks, run_id, "etl", src, settings)
        progress.step(tp.table, n + 1, chunks, frame.height)
