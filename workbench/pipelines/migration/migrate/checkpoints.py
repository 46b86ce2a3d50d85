"""Checkpoints (§16, §37, §44) kept in the target database, mirrored into the workspace.

``_workbench_chunks`` holds one record per chunk ``{run_id, stage, chunk_id, content_hash,
started_at, finished_at, row_count_in, row_count_out, validations, status, next_action}``,
written in the same transaction as the chunk's quarantine records and (ETL) staging rows, so a
``kill -9`` leaves either all of them or none; ``(run_id, chunk_id)`` is the idempotency key and
a chunk recorded ``done`` is never processed again. ``_workbench_steps`` records the run-level
steps (plan, transform, apply, fk_check, validate, promote, rollback, release) the same way.
:func:`sync` copies this run's records into the workspace tables ``migration_chunks``,
``migration_steps``, ``quarantine`` (stage ``migrate``) and ``pii_audit``.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl

from .targets import Target, q

STAGE = "migrate"
CHUNKS, STEPS, QUARANTINE = "_workbench_chunks", "_workbench_steps", "_workbench_quarantine"
QUARANTINE_COLUMNS = ("run_id", "target_table", "chunk_id", "row_id", "locator", "key_masked",
                      "reason_codes", "preview_before", "preview_after", "diff", "raw",
                      "status", "released_by", "released_at", "created_at",
                      "rbac_required_role")
_DDL = (
    (f"CREATE TABLE IF NOT EXISTS {CHUNKS} (run_id TEXT NOT NULL, stage TEXT NOT NULL, "
     "target_table TEXT NOT NULL, chunk_id TEXT NOT NULL, chunk_no INTEGER NOT NULL, "
     "chunks INTEGER NOT NULL, content_hash TEXT, started_at TEXT, finished_at TEXT, "
     "row_count_in BIGINT, row_count_out BIGINT, quarantined BIGINT, validations TEXT, "
     "status TEXT NOT NULL, next_action TEXT, strategy TEXT, PRIMARY KEY (run_id, chunk_id))"),
    (f"CREATE TABLE IF NOT EXISTS {STEPS} (run_id TEXT NOT NULL, target_table TEXT NOT NULL, "
     "step TEXT NOT NULL, status TEXT NOT NULL, detail TEXT, \"at\" TEXT, "
     "PRIMARY KEY (run_id, target_table, step))"),
    (f"CREATE TABLE IF NOT EXISTS {QUARANTINE} (run_id TEXT NOT NULL, target_table TEXT NOT "
     "NULL, chunk_id TEXT, row_id BIGINT, locator TEXT NOT NULL, key_masked TEXT, reason_codes "
     "TEXT, preview_before TEXT, preview_after TEXT, diff TEXT, raw TEXT, status TEXT NOT NULL, "
     "released_by TEXT, released_at TEXT, created_at TEXT, rbac_required_role TEXT, "
     "PRIMARY KEY (run_id, locator))"),
)


def now() -> str:
    """Return the current UTC time as ISO text (portable across the three targets)."""
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def ensure(t: Target) -> None:
    """Create the checkpoint tables in the target when missing."""
    with t.transaction():
        for sql in _DDL:
            t.execute(sql)


def _put(t: Target, table: str, rec: dict, key: dict) -> None:
    """Replace one record by its primary key."""
    t.put_row(table, rec, key)


def chunk_id(table: str, n: int) -> str:
    """Return the run-unique id of chunk ``n`` of a table."""
    return f"{table}:{n:05d}"


def record_chunk(t: Target, rec: dict, replace: bool = True) -> None:
    """Write (replace) one chunk record; call inside the chunk's transaction. ``replace=False``:
    the caller knows the chunk has no record yet (its primary key would refuse a second)."""
    rec = {**rec, "validations": json.dumps(rec["validations"], sort_keys=True, default=str)}
    key = {"run_id": rec["run_id"], "chunk_id": rec["chunk_id"]}
    if replace:
        _put(t, CHUNKS, rec, key)
    else:
        t.put_row(CHUNKS, rec, {})


def done_chunks(t: Target, run_id: str, table: str) -> set[int]:
    """Return the chunk numbers of a table this run has finished."""
    return {r[0] for r in t.query(f"SELECT chunk_no FROM {CHUNKS} WHERE run_id = {t.ph} AND "
                                  f"target_table = {t.ph} AND status = 'done'", [run_id, table])}


def chunk_totals(t: Target, run_id: str, table: str) -> dict:
    """Return rows in, out and quarantined over a table's finished chunks."""
    row = t.query(f"SELECT COALESCE(SUM(row_count_in), 0), COALESCE(SUM(row_count_out), 0), "
                  f"COALESCE(SUM(quarantined), 0), COUNT(*) FROM {CHUNKS} WHERE run_id = {t.ph} "
                  f"AND target_table = {t.ph} AND status = 'done'", [run_id, table])[0]
    return {"rows_in": int(row[0]), "rows_out": int(row[1]), "quarantined": int(row[2]),
            "chunks_done": int(row[3])}


def record_step(t: Target, run_id: str, table: str, step: str, status: str,
                detail: dict | None = None) -> None:
    """Write (replace) a run-level step record."""
    _put(t, STEPS, {"run_id": run_id, "target_table": table, "step": step, "status": status,
                    "detail": json.dumps(detail or {}, sort_keys=True, default=str),
                    "at": now()}, {"run_id": run_id, "target_table": table, "step": step})


def get_step(t: Target, run_id: str, table: str, step: str) -> dict | None:
    """Return a step record (detail parsed), or None."""
    rows = t.query(f"SELECT status, detail, \"at\" FROM {STEPS} WHERE run_id = {t.ph} AND "
                   f"target_table = {t.ph} AND step = {t.ph}", [run_id, table, step])
    if not rows:
        return None
    return {"status": rows[0][0], "detail": json.loads(rows[0][1] or "{}"), "at": rows[0][2]}


def put_quarantine(t: Target, records: pl.DataFrame, replace: bool = True) -> None:
    """Write quarantine records (replacing any with the same locator); inside a transaction.
    ``replace=False``: the caller knows none exists (the primary key refuses a second)."""
    if not records.height:
        return
    if not replace:
        t.insert(QUARANTINE, records.select(QUARANTINE_COLUMNS))
        return
    ids = records.select("run_id", "locator")
    run_id = ids.get_column("run_id")[0]
    if t.dialect == "duckdb" and ids.height <= 2000:
        locs = ", ".join("'" + v.replace("'", "''") + "'" for v in ids.get_column("locator"))
        t.execute(f"DELETE FROM {QUARANTINE} WHERE run_id = ? AND locator IN ({locs})",
                  [run_id])
    elif t.dialect == "duckdb":
        t._con.register("_wb_q_ids", ids.to_arrow())
        t.execute(f"DELETE FROM {QUARANTINE} WHERE run_id = ? AND locator IN "
                  "(SELECT locator FROM _wb_q_ids)", [run_id])
        t._con.unregister("_wb_q_ids")
    else:
        t._cur().executemany(f"DELETE FROM {QUARANTINE} WHERE run_id = {t.ph} AND locator = "
                             f"{t.ph}", ids.rows())
    t.insert(QUARANTINE, records.select(QUARANTINE_COLUMNS))


def sync(settings, run_id: str, t: Target, journal=None) -> None:
    """Mirror this run's checkpoints, steps and quarantine into the workspace database (and
    write the ``journal``'s pending ledger events in the same transaction); a mirror that is
    already up to date (same fingerprint of the target's records) is left as it is."""
    from .... import store

    mark = _fingerprint(t, run_id)
    with store.connect(settings) as con:
        con.execute("BEGIN")
        seen = con.execute("SELECT detail FROM migration_steps WHERE run_id = ? AND "
                           "target_table = '*' AND step = 'mirror'", [run_id]).fetchone()
        if seen is None or seen[0] != mark:
            _mirror(con, run_id, t, mark)
        if journal is not None:
            journal.flush(con)
        con.execute("COMMIT")


def _fingerprint(t: Target, run_id: str) -> str:
    """Return a summary of the run's records in the target that changes whenever they do."""
    parts = [t.query(sql + f" WHERE run_id = {t.ph}", [run_id])[0] for sql in (
        f"SELECT COUNT(*), MAX(finished_at), SUM(row_count_out) FROM {CHUNKS}",
        f'SELECT COUNT(*), MAX("at") FROM {STEPS}',
        (f"SELECT COUNT(*), MAX(created_at), MAX(released_at), SUM(CASE WHEN status = "
         f"'released' THEN 1 ELSE 0 END) FROM {QUARANTINE}"))]
    return json.dumps([[str(v) for v in p] for p in parts])


def _mirror(con, run_id: str, t: Target, mark: str) -> None:
    chunks = t.frame(f"SELECT * FROM {CHUNKS} WHERE run_id = {t.ph}", [run_id])
    steps = t.frame(f"SELECT * FROM {STEPS} WHERE run_id = {t.ph}", [run_id])
    quar = t.frame(f"SELECT * FROM {QUARANTINE} WHERE run_id = {t.ph}", [run_id])
    audit = _audit(chunks)
    steps = pl.concat([steps, pl.DataFrame([{"run_id": run_id, "target_table": "*",
                                              "step": "mirror", "status": "done",
                                              "detail": mark, "at": now()}])],
                      how="vertical_relaxed")
    for table, df in (("migration_chunks", _chunks(chunks, t.url)),
                      ("migration_steps", steps.with_columns(
                          pl.col("at").str.to_datetime(strict=False),
                          pl.lit(t.url).alias("target_url")))):
        con.execute(f"DELETE FROM {table} WHERE run_id = ?", [run_id])
        _append(con, table, df)
    con.execute("DELETE FROM quarantine WHERE run_id = ? AND stage = ?", [run_id, STAGE])
    _append(con, "quarantine", _core_quarantine(quar))
    con.execute("DELETE FROM pii_audit WHERE run_id = ? AND stage = ?", [run_id, STAGE])
    _append(con, "pii_audit", audit.with_columns(pl.lit(run_id).alias("run_id"))
            if audit.height else audit)


def _append(con, table: str, df: pl.DataFrame) -> None:
    if not df.height:
        return
    con.register("_wb_sync", df.to_arrow())
    cols = ", ".join(q(c) for c in df.columns)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _wb_sync")
    con.unregister("_wb_sync")


def _chunks(chunks: pl.DataFrame, url: str) -> pl.DataFrame:
    if not chunks.height:
        return chunks
    return chunks.with_columns(pl.col("started_at", "finished_at").str.to_datetime(strict=False),
                               pl.lit(url).alias("target_url"))


def _core_quarantine(quar: pl.DataFrame) -> pl.DataFrame:
    """Return quarantine records as core ``quarantine`` rows (masked preview JSON)."""
    if not quar.height:
        return quar
    head = pl.struct(chunk_id="chunk_id", key="key_masked", reason_codes="reason_codes",
                     status="status", released_by="released_by",
                     rbac_required_role="rbac_required_role").struct.json_encode()
    preview = pl.concat_str([head.str.strip_suffix("}"), pl.lit(',"before":'),
                             pl.col("preview_before"), pl.lit(',"after":'),
                             pl.col("preview_after"), pl.lit(',"diff":'), pl.col("diff"),
                             pl.lit("}")])
    return quar.select(pl.col("run_id"), pl.lit(STAGE).alias("stage"),
                       pl.col("target_table").alias("source"), pl.col("locator"),
                       pl.col("reason_codes").alias("reason"),
                       preview.alias("masked_preview"),
                       pl.col("created_at").str.to_datetime(strict=False).alias("at"))


def _audit(chunks: pl.DataFrame) -> pl.DataFrame:
    """Return pii_audit rows from the masking counts the chunk records keep (no values)."""
    totals: dict[tuple, int] = {}
    for table, text in chunks.select("target_table", "validations").iter_rows():
        for ent, n in (json.loads(text or "{}").get("masked") or {}).items():
            totals[(table, ent)] = totals.get((table, ent), 0) + int(n)
    return pl.DataFrame([{"stage": STAGE, "source": f"quarantine:{t}", "entity_type": e,
                          "count": n, "action": "redact", "at": datetime.now(UTC).replace(
                              tzinfo=None)} for (t, e), n in sorted(totals.items())],
                        schema={"stage": pl.String, "source": pl.String,
                                "entity_type": pl.String, "count": pl.Int64,
                                "action": pl.String, "at": pl.Datetime("us")})
