"""One table's chunks: transform, stage, validate, quarantine, checkpoint — chunk by chunk.

ELT (DuckDB target): one statement in the target computes every staging row with the compiled
SQL straight from the source (in source order: no sort) and commits it with its ``transform``
step. Set-wise passes over staging then find the *suspects* (rows failing a row check or sharing
a key) with SQL's decision, the raw inputs of the rows to drop, and every chunk's checksum and
content-hash figures (:mod:`.validate`); they only read, so a rerun recomputes them, the same,
for the chunks still to do. The few suspects are read into Polars for their reason codes and
masked previews, then each chunk commits ONE transaction: its quarantine records and its
checkpoint. Once every chunk is done, one statement deletes the rows they quarantined or
collapsed from staging, with its ``apply`` step (the count must match the checkpoints). Nothing
materializes the table in Python. ETL (any target): the source's key is transformed to find each
row's chunk, the rows are grouped by chunk (a file source through a spool on disk,
:mod:`.spool`), and each chunk is transformed by Polars, validated and inserted into staging
with its checkpoint and quarantine records in one transaction. Either way a chunk recorded
``done`` is skipped by a rerun, and a kill loses at most the chunk in flight.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

import polars as pl

from ....errors import BadInput
from .checkpoints import (
    chunk_id,
    chunk_totals,
    done_chunks,
    get_step,
    now,
    put_quarantine,
    record_chunk,
    record_step,
)
from .compile import CHUNK, IN, TF, ddl, elt_select, etl_frame
from .inputs import (
    ROW,
    Source,
    raw_rows,
    raw_select,
    relation,
    release_relation,
    row_count,
)
from .plans import TablePlan
from .promote import stage_name
from .quarantine import records, records_by_chunk
from .spool import chunk_parts, key_plan
from .targets import Target, q
from .validate import (
    add_figures,
    check_chunk,
    checksum_sql,
    chunk_validations,
    combine_hash_parts,
    content_hash,
    digest,
    expected_checksum,
    expected_checksums,
    figure_exprs,
    figures_sql,
    hash_parts_sql,
    same_checksum,
    suspects_sql,
    validations_by_chunk,
)

SUSPECTS, SUSPECT_RAW = "_wb_suspects", "_wb_suspects_raw"      # temporary, per connection
BULK_SUSPECTS = 200_000     # up to this many suspects are read and checked in one go


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
    """Validate one ETL chunk and write its staging rows, quarantine and checkpoint atomically."""
    started, stage = now(), stage_name(tp.table, run_id)
    check = check_chunk(frame, tp)
    recs, masked = records(with_raw(check.rejected, src, tp, t), tp, run_id, settings)
    v = {**check.validations, "masked": masked}
    expected = expected_checksum(check.valid, tp)
    rec = {"run_id": run_id, "stage": "migrate", "target_table": tp.table,
           "chunk_id": chunk_id(tp.table, n), "chunk_no": n, "chunks": chunks,
           "content_hash": content_hash(check.valid, tp), "started_at": started, "row_count_in":
           frame.height, "row_count_out": check.valid.height,
           "quarantined": check.rejected.height, "strategy": strategy}
    try:
        with t.transaction():
            if _already_done(t, run_id, rec["chunk_id"]):   # another worker finished it
                return v
            t.insert(stage, check.valid.select(*tp.outputs, TF, ROW).with_columns(
                pl.lit(n, pl.Int32).alias(CHUNK)))
            put_quarantine(t, recs)
            _settle(v, expected, t.query(checksum_sql(tp, stage, t), [n])[0])
            record_chunk(t, {**rec, "finished_at": now(), "validations": v, "status": "done",
                             "next_action": "review_quarantine" if recs.height else "promote"})
    except _Invalid:
        with t.transaction():
            record_chunk(t, {**rec, "finished_at": now(), "validations": v, "status": "failed",
                             "next_action": "fix_and_rerun"})
    return v


def _settle(v: dict, expected: list, actual, disagreement: str | None = None) -> None:
    """Record the checksum and row-count verdicts in ``v``; raise _Invalid when one fails."""
    v["checksum"] = {"expected": expected, "actual": [_num(a) for a in actual],
                     "status": "pass" if same_checksum(expected, actual) and not disagreement
                     else "fail"}
    if disagreement:
        v["checksum"]["detail"] = disagreement
    rc = v["row_count"]
    rc["staged"] = int(actual[0])
    rc["status"] = "pass" if rc["staged"] == rc["out"] and rc["in"] == rc["out"] + \
        rc["quarantined"] + rc["collapsed"] else "fail"
    if "fail" in (rc["status"], v["checksum"]["status"]):
        raise _Invalid


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
    todo = [n for n in range(chunks) if n not in done]
    if not todo and get_step(t, run_id, tp.table, "apply") is not None:
        return
    try:
        scan = elt_scan(t, tp, stage, src, with_figures=bool(todo))
        if todo:
            progress.step(tp.table, len(done), chunks, 0, phase="validate")
            _elt_chunks(t, tp, src, chunks, run_id, settings, progress, scan, todo)
        if len(done_chunks(t, run_id, tp.table)) == chunks:
            apply_drops(t, tp, run_id, stage)
    finally:
        for name in (SUSPECTS, SUSPECT_RAW):
            t.execute(f"DROP TABLE IF EXISTS temp.{q(name)}")


def _elt_chunks(t: Target, tp: TablePlan, src: Source, chunks: int, run_id: str, settings,
                progress: Progress, scan: EltScan, todo: list[int]) -> None:
    """Prepare the suspects (at once when few, else chunk by chunk) and commit every chunk."""
    seen = {r[0] for r in t.query(f"SELECT chunk_no FROM _workbench_chunks WHERE run_id = "
                                  f"{t.ph} AND target_table = {t.ph}", [run_id, tp.table])}
    wanted = sum(scan.suspects.get(n, 0) for n in todo)
    bulk = None
    if wanted <= BULK_SUSPECTS:                 # the usual case: few, checked at once
        only = f" WHERE {q(CHUNK)} IN ({', '.join(str(int(n)) for n in todo)})"
        bulk = prepare(t, tp, t.frame(f"SELECT * FROM {q(SUSPECTS)}{only}"), src, run_id,
                       settings, f"SELECT * FROM {q(SUSPECT_RAW)}")
    for n in todo:
        if bulk is not None:
            prep = bulk.get(n) or Prepared()
        elif scan.suspects.get(n):
            prep = prepare(t, tp, t.frame(f"SELECT * FROM {q(SUSPECTS)} WHERE "
                                          f"{q(CHUNK)} = {int(n)}"), src, run_id, settings,
                           f"SELECT * FROM {q(SUSPECT_RAW)} WHERE {ROW} IN (SELECT {ROW} "
                           f"FROM {q(SUSPECTS)} WHERE {q(CHUNK)} = {int(n)} AND _wb_drop)"
                           ).get(n) or Prepared()
        else:
            prep = Prepared()
        commit_elt_chunk(t, tp, n, chunks, run_id, scan, prep, fresh=n not in seen)
        progress.step(tp.table, n + 1, chunks, scan.rows_in(n))


def apply_drops(t: Target, tp: TablePlan, run_id: str, stage: str) -> None:
    """Once every chunk is done, delete the rows they quarantined or collapsed from staging in
    one statement (SQL's decision, which every chunk checked equals Polars'), with the
    ``apply`` step; the count deleted must be the chunks' rows in less rows out."""
    tot = chunk_totals(t, run_id, tp.table)
    want = tot["rows_in"] - tot["rows_out"]
    with t.transaction():
        gone = t.query(f"DELETE FROM {q(stage)} WHERE {ROW} IN (SELECT {ROW} FROM "
                       f"{q(SUSPECTS)} WHERE _wb_drop)")
        gone = int(gone[0][0]) if gone else 0
        ok = gone == want
        if ok:
            record_step(t, run_id, tp.table, "apply", "done", {"deleted": gone,
                                                                "expected": want})
    if not ok:                                   # undone: staging stays as the chunks saw it
        with t.transaction():
            record_step(t, run_id, tp.table, "apply", "failed",
                        {"deleted": gone, "expected": want,
                         "detail": "the rows to drop differ from the chunks' records"})


class EltScan:
    """What the set-wise passes over a staging table found, per chunk (read-only results)."""

    def __init__(self, tp: TablePlan, figures: dict, kept: dict, suspects: dict):
        self.width = len(figure_exprs(tp))
        self.figures = figures          # chunk -> (rows in, figures of non-suspects, hash parts)
        self.kept = kept                # chunk -> (figures, hash parts) of suspects SQL keeps
        self.suspects = suspects        # chunk -> number of suspects
        self.total_suspects = sum(suspects.values())

    def rows_in(self, n: int) -> int:
        """Return the number of staged rows of chunk ``n`` (before any is dropped)."""
        return int(self.figures[n][0]) if n in self.figures else 0

    def nonsuspect(self, n: int) -> tuple[list, list]:
        """Return the figures and hash parts of chunk ``n``'s non-suspect rows."""
        if n not in self.figures:
            return [0] * self.width, [0, 0, 0]
        row = self.figures[n]
        return list(row[1:1 + self.width]), list(row[1 + self.width:])

    def kept_suspects(self, n: int) -> tuple[list, list]:
        """Return the figures and hash parts of the suspects of chunk ``n`` that SQL keeps."""
        if n not in self.kept:
            return [0] * self.width, [0, 0, 0]
        row = self.kept[n]
        return list(row[:self.width]), list(row[self.width:])


def elt_scan(t: Target, tp: TablePlan, stage: str, src: Source,
             with_figures: bool = True) -> EltScan:
    """Run the set-wise passes over staging: suspects (a temp table, with SQL's decision), the
    raw inputs of the rows to drop (for masked previews), and per chunk the figures and
    content-hash parts of the non-suspects and of the suspects SQL keeps (``with_figures``:
    else only the suspects, for :func:`apply_drops`)."""
    # no perfect hash table for the keys (perfect_ht_threshold): it is twice as fast for
    # integer keys within 2^24, but DuckDB allocates it outside its memory limit
    t.execute(f"CREATE OR REPLACE TEMP TABLE {q(SUSPECTS)} AS {suspects_sql(tp, stage)}")
    if not with_figures:
        return EltScan(tp, {}, {}, {})
    try:
        raw = raw_select(src, t._con, list(tp.inputs),
                         f"SELECT {ROW} FROM {q(SUSPECTS)} WHERE _wb_drop")
        t.execute(f"CREATE OR REPLACE TEMP TABLE {q(SUSPECT_RAW)} AS {raw}")
    finally:
        release_relation(src, t._con)
    # every row's figures in one plain pass (no join), the suspects' from their small table;
    # the non-suspects' are the difference: exact for counts and hash parts, and a float sum's
    # rounding is the same in the expected and actual figures, which both start from it
    every = {r[0]: r[1:] for r in t.query(
        f"SELECT {q(CHUNK)}, COUNT(*), {', '.join(figures_sql(tp))}, "
        f"{', '.join(hash_parts_sql(tp))} FROM {q(stage)} GROUP BY 1")}
    sus = {r[0]: r[1:] for r in t.query(
        f"SELECT {q(CHUNK)}, COUNT(*), {', '.join(figures_sql(tp))}, "
        f"{', '.join(hash_parts_sql(tp))} FROM {q(SUSPECTS)} GROUP BY 1")}
    figures = {c: _minus(row, sus.get(c), len(figure_exprs(tp))) for c, row in every.items()}
    kept = {r[0]: r[1:] for r in t.query(
        f"SELECT {q(CHUNK)}, {', '.join(figures_sql(tp))}, {', '.join(hash_parts_sql(tp))} "
        f"FROM {q(SUSPECTS)} WHERE NOT _wb_drop GROUP BY 1")}
    suspects = {c: int(r[0]) for c, r in sus.items()}
    return EltScan(tp, figures, kept, suspects)


def _minus(row, sub, width: int) -> tuple:
    """Return (rows, figures, hash parts) of a chunk: its rows, and the figures and hash parts
    of its rows less those of a subset of them (the suspects)."""
    if sub is None:
        return tuple(row)
    n = int(row[0])
    figs = [(a or 0) - (b or 0) for a, b in zip(row[1:1 + width], sub[1:1 + width],
                                                strict=True)]
    (cn, hs, hx), (sn, ss, sx) = row[1 + width:], sub[1 + width:]
    return (n, *figs, int(cn) - int(sn), int(hs) - int(ss), int(hx) ^ int(sx))


@dataclass
class Prepared:
    """One ELT chunk's outcome for its suspects, ready to commit."""

    removed: list = field(default_factory=list)     # rows Polars rejects or collapses
    decided: list = field(default_factory=list)     # rows SQL decided to drop
    recs: pl.DataFrame | None = None                # quarantine records
    masked: dict = field(default_factory=dict)
    valid_figs: list | None = None                  # Polars' figures of the suspects kept
    rejected: int = 0
    reasons: dict = field(default_factory=dict)
    collapsed: int = 0
    conflicts: int = 0


def prepare(t: Target, tp: TablePlan, sus: pl.DataFrame, src: Source, run_id: str, settings,
            raw_sql: str) -> dict[int, Prepared]:
    """Check the suspects of one or more chunks (Polars: reason codes, collapse), build the
    quarantine records of the rejected ones (masked, with their raw inputs); return each
    chunk's :class:`Prepared`. A key's rows share a chunk, so checking the suspects of several
    chunks at once gives every chunk what checking it alone would."""
    if not sus.height:
        return {}
    decided = {int(c): rows for c, rows in sus.filter(pl.col("_wb_drop")).group_by(CHUNK)
               .agg(pl.col(ROW)).iter_rows()}
    check = check_chunk(sus.drop("_wb_bad", "_wb_drop"), tp)
    rejected = check.rejected
    recs, masked = None, {}
    if rejected.height:
        raw = t.frame(raw_sql)
        rejected = with_raw(rejected.join(raw, on=ROW, how="left") if raw.height else rejected,
                            src, tp, t)
        recs, masked = records_by_chunk(rejected, tp, run_id, settings)
        recs = recs.with_columns(rejected.get_column(CHUNK).alias("_wb_c"))
    by_chunk = {int(k[0]): v.drop("_wb_c") for k, v in recs.partition_by(
        "_wb_c", as_dict=True).items()} if recs is not None else {}
    removed: dict[int, list] = {}
    for c, r in rejected.select(CHUNK, ROW).iter_rows():
        removed.setdefault(int(c), []).append(r)
    collapsed = sus.filter(pl.col(ROW).is_in(check.collapsed.implode())).select(CHUNK, ROW)
    n_collapsed: dict[int, int] = {}
    for c, r in collapsed.iter_rows():
        removed.setdefault(int(c), []).append(r)
        n_collapsed[int(c)] = n_collapsed.get(int(c), 0) + 1
    figs = expected_checksums(check.valid, tp)
    rows = validations_by_chunk(rejected)
    out = {}
    for c in {int(c) for c in sus.get_column(CHUNK).unique().to_list()}:
        n_rej, reasons, conflicts = rows.get(c, (0, {}, 0))
        out[c] = Prepared(removed.get(c, []), decided.get(c, []), by_chunk.get(c),
                          masked.get(c, {}), figs.get(c), n_rej, reasons,
                          n_collapsed.get(c, 0), conflicts)
    return out


def commit_elt_chunk(t: Target, tp: TablePlan, n: int, chunks: int, run_id: str,
                     scan: EltScan, prep: Prepared, fresh: bool = False) -> dict:
    """Commit one staged ELT chunk in ONE transaction: the quarantine records of its rejected
    rows and its checkpoint (or, when a check fails, only the checkpoint, ``failed``). Staging
    is left as it is: :func:`apply_drops` removes the rejected and collapsed rows of every chunk
    at once. ``fresh``: the chunk has no record yet (nothing to replace)."""
    started = now()
    n_in = scan.rows_in(n)
    figs, parts = scan.nonsuspect(n)
    kept_figs, kept_parts = scan.kept_suspects(n)
    v = {**chunk_validations(n_in, prep.rejected, prep.reasons, prep.collapsed, prep.conflicts),
         "masked": prep.masked}
    expected = add_figures(figs, prep.valid_figs or [0] * scan.width)   # validation keeps
    actual = add_figures(figs, kept_figs)           # what the target's SQL keeps staged
    recs = prep.recs if prep.recs is not None else records(pl.DataFrame(), tp, run_id)[0]
    rec = {"run_id": run_id, "stage": "migrate", "target_table": tp.table,
           "chunk_id": chunk_id(tp.table, n), "chunk_no": n, "chunks": chunks,
           "content_hash": digest(combine_hash_parts(parts, kept_parts)),
           "started_at": started, "row_count_in": n_in, "row_count_out": v["row_count"]["out"],
           "quarantined": v["row_count"]["quarantined"], "strategy": "elt"}
    try:
        with t.transaction():
            put_quarantine(t, recs, replace=not fresh)
            same = sorted(prep.removed) == sorted(prep.decided)
            _settle(v, expected, actual, None if same else (
                f"Polars and SQL disagree on the rows to drop ({len(prep.removed)} vs "
                f"{len(prep.decided)})"))
            record_chunk(t, {**rec, "finished_at": now(), "validations": v, "status": "done",
                             "next_action": "review_quarantine" if recs.height else "promote"},
                         replace=not fresh)
    except _Invalid:
        with t.transaction():
            record_chunk(t, {**rec, "finished_at": now(), "validations": v, "status": "failed",
                             "next_action": "fix_and_rerun"}, replace=not fresh)
    return v


def run_etl(t: Target, tp: TablePlan, src: Source, chunks: int, run_id: str, settings,
            progress: Progress) -> None:
    """Migrate one table's chunks with Polars transforming them in the engine."""
    done = done_chunks(t, run_id, tp.table)
    if len(done) >= chunks:
        return
    stage = stage_name(tp.table, run_id)
    if stage not in t.tables():
        with t.transaction():
            t.execute(ddl(tp, stage, t.dialect, stage=True))
            if t.dialect != "duckdb":   # chunk checksums (chunks arrive in order: cheap)
                t.execute(f"CREATE INDEX IF NOT EXISTS {q(stage + '_chunk')} ON {q(stage)} "
                          f"({q(CHUNK)})")
            if t.dialect == "sqlite":   # its foreign-key probes (PostgreSQL hash-joins them;
                # an index on random keys there would double the cost of every COPY)
                t.execute(f"CREATE INDEX IF NOT EXISTS {q(stage + '_key')} ON {q(stage)} "
                          f"({', '.join(q(k) for k in tp.key)})")
    where = settings.data_dir / "migration" / "spool" / stage if settings is not None else None
    for n, part in chunk_parts(src, key_plan(tp), chunks, done, where,
                               getattr(settings, "duckdb_memory", "1GB")):
        frame = etl_frame(part, tp).with_columns(pl.lit(n, pl.Int32).alias(CHUNK))
        process_chunk(t, tp, frame, n, chunks, run_id, "etl", src, settings)
        progress.step(tp.table, n + 1, chunks, frame.height)
