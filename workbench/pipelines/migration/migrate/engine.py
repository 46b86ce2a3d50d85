"""The migration engine (seed 001 §14, §16, §34, §37, §44, §45): pre-flight to promotion.

``migrate`` checks the policy (the mode's ``migration`` capability: ``dry_run`` in metadata_only,
``execute`` in data_mode; an execute attempt in metadata_only is a POLICY_BLOCK), runs the
pre-flight, chooses the strategy (ELT in a DuckDB target, ETL otherwise; ``strategy=`` forces
one), then per table: chunks → staging → validations → checkpoints; once every chunk of every
table is done, the foreign-key check in staging; the table-level verdict (every chunk passed,
the ELT drops applied, quarantined share within ``quarantine_rate_max``) and, when all pass,
one atomic promotion. Running it again resumes: done chunks are skipped, and a promoted run does
nothing more.
"""
from __future__ import annotations

import json
import time

from ....errors import BadInput
from ....policy import load as load_policy
from ..contract import actor_of, load_profile
from .checkpoints import chunk_totals, ensure, get_step, record_step, sync
from .chunkrun import Progress, run_elt, run_etl
from .chunks import chunk_count
from .compile import column_sql, statements
from .inputs import as_source, column_names, row_count
from .journal import Journal
from .locate import arguments, domains, target_url
from .plans import preflight
from .promote import fk_check, key_index, prepare_final, promote
from .targets import dialect_of, open_target, redact_url


def choose_strategy(dialect: str, forced: str | None, plans) -> tuple[str, str]:
    """Return (elt | etl, why): ELT runs the compiled SQL in a DuckDB target, else ETL."""
    forced = (forced or "auto").lower()
    if forced not in ("auto", "elt", "etl"):
        raise BadInput(f"strategy {forced!r}: expected auto, elt or etl")
    if forced == "etl":
        return "etl", "forced: Polars transforms every chunk in the engine"
    if dialect != "duckdb":
        if forced == "elt":
            raise BadInput(f"strategy=elt needs the target to read the source in-database; "
                           f"{dialect} cannot read the source files or frames: use strategy=etl"
                           f" or a DuckDB target")
        return "etl", f"the rows travel through the engine to {dialect}: Polars transforms them"
    for tp in plans:
        for c in tp.columns:
            column_sql(c)   # raises DslReject if a plan is not expressible in SQL
    why = "forced" if forced == "elt" else "DuckDB target"
    return "elt", f"{why}: the compiled SQL runs in the target, reading the source directly"


def migrate(ctx_like=None, *, settings=None, run_id=None, params=None, mappings=None,
            sources=None, target=None, strategy=None, execute=None, progress=None) -> dict:
    """Migrate the run's accepted mappings into the target; return the run summary."""
    a = arguments(ctx_like, settings=settings, run_id=run_id, params=params, mappings=mappings,
                  sources=sources, target=target)
    p, t0 = a.params, time.monotonic()
    policy, mode = load_policy(p.get("policy") or None), p.get("mode", "data_mode")
    srcs = {n: as_source(n, v) for n, v in a.sources.items()}
    plans, checks = preflight(a.mappings, a.target, human_only=bool(
        p.get("human_confirm_required")), source_columns={n: column_names(s)
                                                          for n, s in srcs.items()},
        domains=domains(a.settings, a.run_id))
    url = target_url(a.settings, p)
    dialect = dialect_of(url)
    profile = load_profile(p.get("threshold_profile") or "tp_default_v1")
    batch = int(p.get("batch_size") or profile["migration"]["batch_size"])
    rows = {tp.table: row_count(srcs[tp.source]) for tp in plans if tp.source in srcs}
    chunks = {tb: chunk_count(n, batch) for tb, n in rows.items()}
    chosen, why = choose_strategy(dialect, strategy or p.get("strategy"), plans)
    base = {"run_id": a.run_id, "mode": mode, "target_url": redact_url(url), "dialect": dialect,
            "strategy": {"chosen": chosen, "forced": (strategy or p.get("strategy") or "auto"
                                                      ) != "auto",
                         "reason": why}, "batch_size": batch, "preflight": checks,
            "key_strategy": {tp.table: {"strategy": tp.key_strategy, "key": tp.key}
                             for tp in plans}}
    run = execute if execute is not None else policy.capability(mode, "migration") == "execute"
    journal = Journal(a.settings, a.run_id)
    if not run:
        return _dry_run(a, base, plans, rows, chunks, dialect, policy, journal)
    gates = [policy.allows_capability(mode, "migration", "execute"),
             policy.allows_action(actor_of(p), "create_run")]
    for d in gates:
        journal.decision(d)
    failed = [c for c in checks if c["status"] == "fail"]
    if all(d.allowed for d in gates):
        journal.add("migration_preflight", decision="reject" if failed else "accept",
                    detail={"checks": checks, "key_strategy": base["key_strategy"]})
        journal.add("migration_strategy", decision="accept", detail={
            "strategy": base["strategy"], "key_strategy": base["key_strategy"],
            "chunks": chunks, "batch_size": batch})
    journal.flush()
    for d in gates:
        policy.require(d)
    if failed:
        raise BadInput("migration pre-flight failed: " + "; ".join(
            f"{c['table'] or '*'}: {c['check']}: {c['detail']}" for c in failed))
    mon = Progress(progress, sum(rows.values()), float(p.get("progress_every", 0.2)))
    with open_target(url, getattr(a.settings, "duckdb_memory", "1GB")) as t:
        t.lock(a.run_id)
        ensure(t)
        _plan_step(t, a.run_id, plans, base, chunks, srcs)
        try:
            status, verdict = _execute(t, a, plans, srcs, chunks, chosen, mon, p, profile,
                                       journal.add)
        finally:
            sync(a.settings, a.run_id, t, journal)
        tables = {tp.table: _totals(chunk_totals(t, a.run_id, tp.table), verdict[tp.table],
                                    chunks[tp.table], tp.source) for tp in plans}
    elapsed = time.monotonic() - t0
    total = sum(rows.values())
    return {**base, "status": status, "tables": tables, "elapsed_s": round(elapsed, 3),
            "rows_per_s": round(total / elapsed) if elapsed else None}


def _execute(t, a, plans, srcs, chunks, chosen, mon, p, profile, ledger) -> tuple[str, dict]:
    """Run (or resume) every table's chunks, the FK check, the verdict and the promotion."""
    if get_step(t, a.run_id, "*", "promote") is not None:      # promoted (maybe rolled back)
        verdict = {tp.table: get_step(t, a.run_id, tp.table, "validate")["detail"]
                   for tp in plans}
        return ("rolled_back" if get_step(t, a.run_id, "*", "rollback") else "promoted"), verdict
    index = key_index(t.dialect, p.get("key_index"))
    modes = {tp.table: prepare_final(t, tp, index) for tp in plans}
    runner = run_elt if chosen == "elt" else run_etl
    for tp in plans:
        runner(t, tp, srcs[tp.source], chunks[tp.table], a.run_id, a.settings, mon)
    fks = {}
    if all(chunk_totals(t, a.run_id, tp.table)["chunks_done"] == chunks[tp.table]
           for tp in plans):      # a failed chunk fails the verdict; check the keys after a fix
        mon.step("*", 0, 0, 0, phase="fk_check")
        fks = fk_check(t, plans, a.run_id, srcs, a.settings)
    verdict = _verdict(t, plans, a.run_id, fks, p, profile)
    if not all(v["status"] == "pass" for v in verdict.values()):
        ledger("migration_validation_failed", decision="hold", error_code="QUARANTINE_REQUIRED",
               detail={"tables": verdict})
        return "validation_failed", verdict
    mon.step("*", 0, 0, 0, phase="promote")
    promoted = promote(t, plans, a.run_id, modes, index)
    ledger("migration_promoted", decision="accept", detail={"tables": promoted})
    return "promoted", verdict


def _totals(tot: dict, verdict: dict, chunks: int, source: str) -> dict:
    """Return a table's figures: rows in, promoted, quarantined (FK too) and collapsed."""
    fk = verdict.get("fk_violations", 0)
    return {**verdict, "source": source, "chunks": chunks, "chunks_done": tot["chunks_done"],
            "rows_in": tot["rows_in"], "rows_out": tot["rows_out"] - fk,
            "quarantined": tot["quarantined"] + fk,
            "collapsed": tot["rows_in"] - tot["rows_out"] - tot["quarantined"]}


def _plan_step(t, run_id, plans, base, chunks, srcs) -> None:
    """Record the run's plan once; a rerun must find the same plan and chunking."""
    detail = {"strategy": base["strategy"], "batch_size": base["batch_size"], "chunks": chunks,
              "order": [tp.table for tp in plans], "plans": [tp.as_dict() for tp in plans],
              "sources": {n: s.describe() for n, s in srcs.items()}}
    old = get_step(t, run_id, "*", "plan")
    if old is None:
        with t.transaction():
            record_step(t, run_id, "*", "plan", "done", detail)
        return
    was, now = old["detail"], json.loads(json.dumps(detail, default=str))
    if (was.get("chunks"), was.get("plans"), was.get("strategy", {}).get("chosen"),
            was.get("sources")) != (now["chunks"], now["plans"], base["strategy"]["chosen"],
                                    now["sources"]):
        raise BadInput(f"run {run_id} was started in {t.url} with another plan, strategy, "
                       f"chunking or source files; finish it as it was or start a fresh run")


def _verdict(t, plans, run_id, fks: dict, p: dict, profile: dict) -> dict:
    """Record and return each table's validation verdict (pass / fail) before promotion."""
    given = p.get("quarantine_rate_max")
    limit = float(given if given is not None else profile["migration"].get(
        "quarantine_rate_max", 1.0))
    out = {}
    for tp in plans:
        tot = chunk_totals(t, run_id, tp.table)
        failed = t.query(f"SELECT chunk_id FROM _workbench_chunks WHERE run_id = {t.ph} AND "
                         f"target_table = {t.ph} AND status = 'failed'", [run_id, tp.table])
        bad = tot["quarantined"] + fks.get(tp.table, 0)
        rate = bad / tot["rows_in"] if tot["rows_in"] else 0.0
        applied = get_step(t, run_id, tp.table, "apply")       # ELT: the drops in staging
        ok = not failed and rate <= limit and (applied is None or applied["status"] == "done")
        out[tp.table] = {"status": "pass" if ok else "fail", "quarantine_rate": round(rate, 6),
                         "quarantine_rate_max": limit, "fk_violations": fks.get(tp.table, 0),
                         "failed_chunks": [r[0] for r in failed],
                         "next_action": "promote" if ok else
                         "review the quarantine, fix the mapping or source, rerun"}
        with t.transaction():
            record_step(t, run_id, tp.table, "validate", out[tp.table]["status"], out[tp.table])
    return out


def _dry_run(a, base, plans, rows, chunks, dialect, policy, journal) -> dict:
    """Return the compiled SQL and estimated rows of every table; write nothing to the target."""
    journal.decision(policy.allows_capability(base["mode"], "migration", "dry_run"))
    tables = {tp.table: {"source": tp.source, "key_strategy": tp.key_strategy, "key": tp.key,
                         "columns": tp.outputs, "estimated_rows": rows.get(tp.table, 0),
                         "chunks": chunks.get(tp.table, 0), "sql": statements(tp, dialect)}
              for tp in plans}
    journal.add("migration_dry_run", decision="accept", detail={
        "tables": {k: {x: v[x] for x in ("estimated_rows", "chunks", "key_strategy")}
                   for k, v in tables.items()}, "strategy": base["strategy"]})
    journal.flush()
    return {**base, "status": "dry_run", "tables": tables,
            "estimated_rows": sum(rows.values())}
