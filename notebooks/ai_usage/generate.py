"""Write the ai_usage stage notebooks (no outputs): `.venv/bin/python notebooks/ai_usage/generate.py`."""
from __future__ import annotations

from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).resolve().parent
PARAMS = '''run_id = ""
workspace = ""
inputs = []
model = ""
vendor = "auto"
timezone = ""
pii_mode = "pseudonymize"
a_top_n = 25
burst_factor = 10.0
burst_min_bytes = 1000000
window_minutes = 60
cumulative_bytes = 50000000
sample_rate = 0.1
cache_ttl_days = 30.0
llm_budget_usd = 5.0
llm_budget_tokens = None
keep_staging = False'''
OPEN = '''import polars as pl

import workbench as wb

params = {"vendor": vendor, "timezone": timezone, "pii_mode": pii_mode, "a_top_n": a_top_n,
          "burst_factor": burst_factor, "burst_min_bytes": burst_min_bytes,
          "window_minutes": window_minutes, "cumulative_bytes": cumulative_bytes,
          "sample_rate": sample_rate, "cache_ttl_days": cache_ttl_days,
          "llm_budget_usd": llm_budget_usd, "llm_budget_tokens": llm_budget_tokens,
          "keep_staging": keep_staging}
ctx = wb.open_stage("ai_usage", "{stage}", run_id=run_id, workspace=workspace, inputs=inputs,
                    model=model, params=params)'''

STAGES = {
    "01_ingest": (
        "ingest",
        """# 1 · Ingest proxy logs

Each input file is read in streamed blocks through its vendor mapping (YAML in
`workbench/ingest/vendors/`): Squid, Zscaler NSS, Blue Coat ELFF, Netskope and Palo Alto.
With `vendor="auto"` the format is detected per file. Times become UTC; malformed lines go to
quarantine with a reason (comment and blank lines are skipped, not errors).""",
        """from workbench.pipelines.ai_usage.ingest import run

out = run(ctx)""",
        [
            """wb.show_table(out["files"])""",
            """wb.show_table(out["quarantine"].select("source", "locator", "reason", "masked_preview"))""",
            """import altair as alt

wb.show_chart(alt.Chart(out["files"]).mark_bar().encode(x="events:Q", y=alt.Y("vendor:N", sort="-x")).properties(title="Events per vendor"))""",
        ],
        """wb.show_summary({"lines read": out["lines"], "events": out["events"], "quarantined": out["quarantine"].height, "masked": "in stage 3", "cost": 0})""",
    ),
    "02_normalize": (
        "normalize",
        """# 2 · Normalize URLs and build signatures

Rules in `url_normalization.yml` (WHATWG parsing with ada-url, IDNA hosts, default ports, dot
segments, percent-encoding, tracking parameters dropped, id-like path segments as typed
placeholders). A signature is a hash of host + path template + sorted query keys; each distinct
URL shape is normalized once.""",
        """from workbench.pipelines.ai_usage.signatures import run

out = run(ctx)""",
        [
            """from workbench import pii

urls = out["urls"].filter(pl.col("error").is_null()).group_by("host", "path_template", "url_signature").agg(pl.col("events").sum()).sort("events", descending=True)
wb.show_table(pii.mask_frame(urls, ["path_template"], "redact")[0])""",
        ],
        """wb.show_summary({"URL shapes": out["urls"].height, "signatures": out["signatures"], "quarantined (invalid URL)": out["invalid"], "cost": 0})""",
    ),
    "03_pii": (
        "pii",
        """# 3 · Detect and mask PII

`workbench.pii` examines distinct users, client IPs, paths, queries and user agents. Users and
IPs are pseudonymized (stable keyed tokens, so counts per person survive); paths and queries are
masked per `pii_mode`. The audit keeps counts per entity type, never values.""",
        """from workbench.pipelines.ai_usage.privacy import run

out = run(ctx)""",
        [
            """wb.show_table(out["audit"])""",
            """wb.show_table(pl.read_parquet(str(ctx.run_lake_path("ai_usage_events")) + "/**/*.parquet").select("ts", "user", "host", "path", "query").head(10))""",
        ],
        """wb.show_summary({"events written": out["events"], "values masked": int(out["audit"]["count"].sum() or 0), "cost": 0})""",
    ),
    "04_select": (
        "select",
        """# 4 · Select candidate signatures (A/B/C)

A = high volume (top N by bytes out or events); B = bursts (a user-host window far above its
median) and cumulative totals; C = a deterministic long-tail sample at `sample_rate`, seeded by
the run id, plus one signature of every host that would otherwise be left out.""",
        """from workbench.pipelines.ai_usage.selection import run

out = run(ctx)""",
        [
            """wb.show_table(out["signatures"].group_by("selection").agg(pl.len().alias("signatures"), pl.col("events").sum(), pl.col("bytes_out").sum()).sort("selection"))""",
            """wb.show_table(out["signatures"].filter(pl.col("selection").is_not_null()).select("host", "events", "bytes_out", "selection", "selection_reason").sort("bytes_out", descending=True))""",
        ],
        """wb.show_summary({"signatures": out["signatures"].height, **out["counts"], "seed": out.get("seed"), "sample rate": out.get("sample_rate"), "cost": 0})""",
    ),
    "05_cache": (
        "cache",
        """# 5 · Look up the classification cache

Selected signatures are joined with `analysis_cache`; those without an active classification
form the unknown set that the next stage classifies. The hit ratio is recorded.""",
        """from workbench.pipelines.ai_usage.lookup import run

out = run(ctx)""",
        [
            """wb.show_table(out["unknown"].select("host", "selection", "url_signature"))""",
        ],
        """wb.show_summary({"selected": out["selected"], "cache hits": out["hits"], "hit ratio": out["hit_ratio"], "unknown": out["unknown"].height, "cost": 0})""",
    ),
    "06_classify": (
        "classify",
        """# 6 · Classify unknown signatures

Known AI hosts are answered by the curated catalog (full host names, not registered domains).
The rest go to the configured model through `workbench.llm` (masked, guarded, budgeted,
cached); offline, hosts outside the catalog stay `unknown` rather than guessed.""",
        """from workbench.pipelines.ai_usage.classify import run

out = run(ctx)""",
        [
            """wb.show_table(out["signatures"].group_by("source", "is_ai").agg(pl.len().alias("signatures"), pl.col("events").sum()).sort("source"))""",
            """wb.show_table(out["signatures"].filter(pl.col("is_ai").fill_null(False)).select("host", "service", "category", "risk_level", "source", "events").sort("events", descending=True))""",
        ],
        """wb.show_summary({"unknown in": out["unknown_in"], "catalog": out["catalog"], "model calls": out["sent"], "skipped": out["skipped"], "cost (USD)": round(out["usd"], 4)})""",
    ),
    "07_report": (
        "report",
        """# 7 · Report

Writes `ai_usage.xlsx` (constant-memory, aggregated sheets), `dashboard.json` (schema in
`workbench/pipelines/ai_usage/writers.py`) and `events_sanitized.csv`, and adds the audit
narrative and charts to the run's index page.""",
        """from workbench.pipelines.ai_usage.reporting import run

out = run(ctx)""",
        [
            """wb.show_table(out["tables"]["services"])""",
            """wb.show_table(out["tables"]["departments"])""",
            """import altair as alt

wb.show_chart(alt.Chart(out["tables"]["days"]).mark_bar().encode(x="date:N", y="sum(events):Q", color="category:N").properties(title="AI usage by day"))""",
        ],
        """d = out["dashboard"]
wb.show_summary({**d["totals"], "quarantined": d["audit"]["quarantined"], "cost (USD)": d["audit"]["llm_usd"]})""",
    ),
}


def notebook(name: str) -> nbf.NotebookNode:
    """Return the notebook of one stage."""
    stage, intro, call, evidence, summary = STAGES[name]
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    params = nbf.v4.new_code_cell(PARAMS)
    params.metadata["tags"] = ["parameters"]
    opener = OPEN.replace("{stage}", stage)
    if "pl." not in "".join(evidence):  # keep every cell lint-clean: no unused import
        opener = opener.replace("import polars as pl\n\n", "")
    cells = [nbf.v4.new_markdown_cell(intro), params, nbf.v4.new_code_cell(opener),
             nbf.v4.new_code_cell(call)]
    cells += [nbf.v4.new_code_cell(e) for e in evidence]
    cells += [nbf.v4.new_markdown_cell("## Summary for the reviewer"),
              nbf.v4.new_code_cell(summary)]
    for c in cells:
        c.pop("id", None)
    nb.cells = cells
    nb.nbformat, nb.nbformat_minor = 4, 4
    return nb


def main() -> None:
    """Write every stage notebook next to this script."""
    for name in STAGES:
        nbf.write(notebook(name), HERE / f"{name}.ipynb")


if __name__ == "__main__":
    main()
