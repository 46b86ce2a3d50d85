"""A test-only pipeline (not shipped) that exercises the runner: lake writes, a table of its own,
a stage that fails once on request, a stage that can be slowed down to be killed, artifacts."""
from __future__ import annotations

import time
from pathlib import Path

from workbench.pipeline import Params, Pipeline, Stage

HERE = Path(__file__).resolve().parent


class ToyParams(Params):
    n_rows: int = 50
    fail_once: bool = False
    sleep_s: float = 0.0
    label: str = "toy"


def make(ctx):
    import polars as pl

    df = pl.DataFrame({"i": range(ctx.params["n_rows"])}).with_columns(
        (pl.col("i") * 2).alias("value"), pl.lit(ctx.params["label"]).alias("label"))
    path = ctx.write_lake("toy_numbers", df)
    ctx.output("numbers", path)
    return ctx.finish(rows_in=0, rows_out=df.height)


def flaky(ctx):
    marker = ctx.settings.data_dir / "toy_flaky_marker"
    (ctx.settings.data_dir / "toy_flaky_started").write_text(str(time.time()))
    if ctx.params["sleep_s"] and not (ctx.settings.data_dir / "toy_no_sleep").exists():
        steps = max(1, int(ctx.params["sleep_s"] * 4))
        for i in range(steps):  # slow work that reports its progress
            time.sleep(ctx.params["sleep_s"] / steps)
            ctx.progress(i + 1, steps, unit="steps")
    if ctx.params["fail_once"] and not marker.exists():
        marker.write_text("failed once")
        raise RuntimeError("planned failure of the flaky stage")
    with (ctx.settings.data_dir / "toy_flaky_executions").open("a") as fh:
        fh.write(ctx.run_id + "\n")
    return ctx.finish(rows_in=ctx.params["n_rows"], rows_out=ctx.params["n_rows"])


def total(ctx):
    import polars as pl

    df = pl.read_parquet(ctx.run_lake_path("toy_numbers") / "*.parquet")
    out = pl.DataFrame({"run_id": [ctx.run_id], "total": [int(df["value"].sum())]})
    ctx.replace_rows("toy_totals", out)
    ctx.pii_audit([{"source": "toy", "entity_type": "EMAIL_ADDRESS", "count": 2, "action": "redact"}])
    ctx.quarantine(pl.DataFrame({"source": ["toy.csv"], "locator": ["line 3"],
                                 "reason": ["not a number"], "masked_preview": ["<REDACTED>"]}))
    ctx.ledger("offline_answer", status="offline", model="offline", tokens_in=0, tokens_out=0)
    out.write_csv(ctx.artifact("toy_totals.csv"))
    ctx.add_index_section("Toy totals", f"<p>total = {int(out['total'][0])}</p>")
    ctx.output("totals", out)
    return ctx.finish(rows_in=df.height, rows_out=1, total=int(out["total"][0]))


PIPELINE = Pipeline(
    name="toy", version="1", description="test-only pipeline for the runner",
    stages=(Stage("make", HERE / "notebooks" / "01_make.ipynb", make),
            Stage("flaky", HERE / "notebooks" / "02_flaky.ipynb", flaky),
            Stage("total", HERE / "notebooks" / "03_total.ipynb", total)),
    params=ToyParams, migrations=HERE / "sql", artifacts=("toy_totals.csv",),
    samples=None,
)


def register_pipelines(register):
    register(PIPELINE)
