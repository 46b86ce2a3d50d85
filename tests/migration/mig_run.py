"""Run the migration stages in-process on a workspace, as the runner would (a plain module)."""
from __future__ import annotations

from pathlib import Path

import workbench as wb
from workbench import runs
from workbench.pipelines.migration import stages

STAGES = ("ingest", "domains", "mapping", "analysis", "migrate")


def run_stages(workspace: Path, inputs: list, params: dict, model: str = "", upto: str = "analysis"):
    """Run every stage up to ``upto``; return {stage: (ctx, output)}."""
    out = {}
    for name in STAGES:
        ctx = wb.open_stage("migration", name, workspace=str(workspace),
                            inputs=[str(i) for i in inputs], params=params, model=model)
        out[name] = (ctx, getattr(stages, name)(ctx))
        runs.record_stage_done(ctx.settings, ctx.run_id, name, ctx.run_dir)
        if name == upto:
            break
    return out


def rows(ctx, sql: str, *args) -> list[dict]:
    """Return the rows of a query on the run's workspace as dicts."""
    with ctx.connect(read_only=True) as con:
        cur = con.execute(sql, list(args))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
