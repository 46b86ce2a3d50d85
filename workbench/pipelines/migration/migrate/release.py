"""Operator actions on a promoted run: release quarantined rows, roll a promotion back (§32).

Both are RBAC-gated by the policy engine (``release_quarantine`` and ``rollback``: operator and
above), recorded in the ledger, and mirrored into the workspace. Releasing re-runs the released
rows from their stored source values through the run's plans, or through fixed mapping rows
given as ``mappings`` (the fix), validates them again (row checks, keys, foreign keys against
the final parents) and upserts those that pass into the final table in one transaction; rows
that still fail stay quarantined with their new reasons. ``force=True`` promotes them as they
are (a person judged them right), except rows without a key.
"""
from __future__ import annotations

import json

import polars as pl

from .... import transform
from ....errors import BadInput
from ....policy import load as load_policy
from ....runs import append_ledger
from .checkpoints import QUARANTINE, STAGE, get_step, now, put_quarantine, record_step, sync
from .compile import CHUNK, DTYPES, etl_frame
from .inputs import ROW
from .locate import resolve_url
from .plans import TablePlan
from .promote import merge_rows
from .promote import rollback as _rollback
from .quarantine import records
from .targets import conform, open_target, q
from .validate import REASONS, check_chunk


def _plans(t, run_id: str) -> list[TablePlan]:
    step = get_step(t, run_id, "*", "plan")
    if step is None:
        raise BadInput(f"run {run_id} has not migrated into {t.url}")
    return [TablePlan.from_dict(d) for d in step["detail"]["plans"]]


def _fixed(tp: TablePlan, mappings: list[dict] | None) -> TablePlan:
    """Return the table plan with the plans of fixed mapping rows swapped in."""
    for m in mappings or []:
        if m.get("target_table") != tp.table:
            continue
        dsl = json.loads(m["dsl"]) if isinstance(m.get("dsl"), str) else m.get("dsl")
        for c in tp.columns:
            if c.name == m.get("target_column") and c.plan is not None:
                c.plan = transform.validate(dsl)
                c.inputs = [i["name"] for i in c.plan["inputs"]]
                for i in c.plan["inputs"]:
                    tp.inputs.setdefault(i["name"], i["type"])
    return tp


def release(settings, run_id: str, rows, actor: dict, *, target_url: str | None = None,
            mappings: list[dict] | None = None, force: bool = False, policy=None) -> dict:
    """Re-run released quarantined rows into the final tables; return what was released."""
    policy = policy or load_policy()
    policy.require(policy.allows_action(actor, "release_quarantine"), settings=settings,
                   run_id=run_id, stage=STAGE)
    wanted = None if rows in ("all", None) else {str(r) for r in rows}
    with open_target(resolve_url(settings, run_id, target_url)) as t:
        promoted = get_step(t, run_id, "*", "promote")
        if promoted is None or promoted["status"] != "done":
            raise BadInput(f"run {run_id} is not promoted; releasing needs the final tables")
        recs = t.frame(f"SELECT * FROM {QUARANTINE} WHERE run_id = {t.ph} AND status = "
                       f"'quarantined'", [run_id])
        if wanted is not None:
            unknown = sorted(wanted - set(recs.get_column("locator").to_list()))
            if unknown:
                raise BadInput(f"not quarantined in run {run_id}: {', '.join(unknown[:10])}")
            recs = recs.filter(pl.col("locator").is_in(sorted(wanted)))
        out = {"released": 0, "still_quarantined": [], "tables": {}}
        for tp in _plans(t, run_id):
            mine = recs.filter(pl.col("target_table") == tp.table)
            if mine.height:
                out["tables"][tp.table] = _release_table(t, _fixed(tp, mappings), mine, run_id,
                                                         actor, force, settings)
                out["released"] += out["tables"][tp.table]["released"]
                out["still_quarantined"] += out["tables"][tp.table]["still_quarantined"]
        sync(settings, run_id, t)
    append_ledger(settings, run_id=run_id, stage=STAGE, event="quarantine_released",
                  decision="accept", detail={"actor": actor, "released": out["released"],
                                             "still_quarantined": len(out["still_quarantined"]),
                                             "force": force, "fixed": bool(mappings)})
    return out


def _release_table(t, tp: TablePlan, recs: pl.DataFrame, run_id, actor, force, settings):
    schema = pl.Struct({n: pl.String for n in tp.inputs})
    raw = recs.select(pl.col("raw").str.json_decode(dtype=schema).alias("r"),
                      pl.col("row_id").cast(pl.Int64).alias(ROW),
                      pl.col("chunk_id").str.split(":").list.last().cast(pl.Int32).alias(CHUNK)
                      ).unnest("r")
    raw = conform(raw, {**{n: DTYPES[ty] for n, ty in tp.inputs.items()},
                        ROW: pl.Int64, CHUNK: pl.Int32})
    frame = etl_frame(raw, tp).with_columns(raw.get_column(CHUNK))
    check = check_chunk(frame, tp)
    good, bad = check.valid, check.rejected
    if force:
        keyed = pl.all_horizontal([pl.col(k).is_not_null() for k in tp.key])
        good = frame.filter(keyed).unique(tp.key, keep="first", maintain_order=True)
        bad = frame.filter(~keyed).with_columns(pl.lit(["not_null:key"]).alias(REASONS))
    good, orphans = _fk_split(t, tp, good)
    bad = pl.concat([bad, orphans], how="diagonal_relaxed") if orphans.height else bad
    who = f"{actor.get('user_id', '?')} ({actor.get('role', '?')})"
    with t.transaction():
        if good.height:
            t.execute(f"DROP TABLE IF EXISTS {q('_wb_release')}")
            t.execute(f"CREATE TEMP TABLE {q('_wb_release')} ("
                      + ", ".join(f"{q(c.name)} {t.sql_type(c.type)}" for c in tp.columns) + ")")
            t.insert("_wb_release", good.select(tp.outputs))
            merge_rows(t, tp, "_wb_release")
            t.execute(f"DROP TABLE {q('_wb_release')}")
            done = good.get_column(ROW).to_list() + ([] if force else check.collapsed.to_list())
            locs = [f"{tp.table}:{r}" for r in done]
            t._cur().executemany(f"UPDATE {QUARANTINE} SET status = 'released', released_by = "
                                 f"{t.ph}, released_at = {t.ph} WHERE run_id = {t.ph} AND "
                                 f"locator = {t.ph}", [(who, now(), run_id, loc) for loc in locs])
        if bad.height:
            put_quarantine(t, records(bad, tp, run_id, settings)[0])
        prev = get_step(t, run_id, tp.table, "release")
        total = (prev["detail"].get("released_total", 0) if prev else 0) + good.height
        record_step(t, run_id, tp.table, "release", "done",
                    {"released": good.height, "released_total": total, "by": who,
                     "still_quarantined": bad.height, "force": force})
    return {"released": good.height, "still_quarantined":
            [f"{tp.table}:{r}" for r in bad.get_column(ROW).to_list()] if bad.height else []}


def _fk_split(t, tp: TablePlan, good: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (rows whose foreign keys find a parent in the final tables, the others)."""
    bad = []
    for fk in tp.fks:
        parents = t.frame(f"SELECT DISTINCT {q(fk['ref'])} AS k FROM {q(fk['table'])}") \
            if fk["table"] in t.tables() else pl.DataFrame({"k": []})
        keys = parents.get_column("k").cast(good.schema[fk["column"]], strict=False)
        miss = good.filter(pl.col(fk["column"]).is_not_null()
                           & ~pl.col(fk["column"]).is_in(keys.implode()))
        if miss.height:
            bad.append(miss.with_columns(pl.lit([f"fk:{fk['column']}"]).alias(REASONS)))
            good = good.filter(~pl.col(ROW).is_in(miss.get_column(ROW).implode()))
    return good, pl.concat(bad, how="vertical_relaxed") if bad else pl.DataFrame()


def rollback(settings, run_id: str, actor: dict, *, target_url: str | None = None,
             policy=None) -> dict:
    """Restore the tables a run promoted to their previous version; return rows restored."""
    policy = policy or load_policy()
    policy.require(policy.allows_action(actor, "rollback"), settings=settings, run_id=run_id,
                   stage=STAGE)
    with open_target(resolve_url(settings, run_id, target_url)) as t:
        step = get_step(t, run_id, "*", "plan")
        order = step["detail"]["order"] if step else []
        restored = _rollback(t, run_id, order)
        sync(settings, run_id, t)
    append_ledger(settings, run_id=run_id, stage=STAGE, event="migration_rolled_back",
                  decision="accept", detail={"actor": actor, "tables": restored})
    return {"run_id": run_id, "restored": restored}
