"""The evaluation report: tables, charts and the ``results.parquet`` / ``summary.json`` artifacts.

``summary.json`` (schema version 1)::

    {"schema": "trace_eval.summary/1", "run_id": str,
     "traces": {"total": int, "by_format": {fmt: n}, "by_model": {model: n}},
     "modules": [{"module", "tier", "evaluated", "flagged", "failure_rate"}],
     "severity": {"none"|"low"|"medium"|"high"|"critical": n},   # worst severity per trace
     "tier2": {"scored": int, "mean_score": float|null, "flagged": int},
     "tier3": {"escalated": int, "judged": int, "not_judged": int, "failed_verdicts": int},
     "alerts": {"alerts": int, "by_status": {status: n}},
     "cost": {"tokens": int, "usd": float}}

``results.parquet`` holds every result row of the run: run_id, trace_id, tier, module,
module_version, passed, severity, score, reason (reasons carry no raw PII).
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

import polars as pl

SEVERITIES = ("none", "low", "medium", "high", "critical")


@dataclass
class Evidence:
    """What the report stage shows and writes."""

    by_shape: pl.DataFrame
    by_module: pl.DataFrame
    severity: pl.DataFrame
    worst: pl.DataFrame
    over_time: pl.DataFrame
    scores: pl.DataFrame
    verdicts: pl.DataFrame
    alerts: pl.DataFrame
    summary: dict
    charts: dict = field(default_factory=dict)


def _worst_severity(results: pl.DataFrame) -> pl.DataFrame:
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return (results.filter(pl.col("passed").not_())
            .with_columns(pl.col("severity").fill_null("none").replace_strict(
                rank, default=0, return_dtype=pl.Int8).alias("_r"))
            .group_by("trace_id").agg(pl.col("_r").max(), pl.col("module").sort_by("_r").last(),
                                      pl.col("reason").sort_by("_r").last()))


def build_evidence(run_id: str, traces: pl.DataFrame, results: pl.DataFrame,
                   alerts: pl.DataFrame, cost: dict) -> Evidence:
    """Return the report's tables, charts and summary of one run."""
    import altair as alt

    by_shape = traces.group_by("source_format", "model").agg(pl.len().alias("traces")).sort(
        "traces", descending=True)
    by_module = (results.group_by("tier", "module").agg(
        pl.col("passed").is_not_null().sum().alias("evaluated"),
        pl.col("passed").not_().sum().alias("flagged"))
        .with_columns((pl.col("flagged") / pl.col("evaluated").clip(1)).round(4)
                      .alias("failure_rate")).sort("tier", "module"))
    worst = _worst_severity(results)
    sev = (worst.with_columns(pl.col("_r").replace_strict(dict(enumerate(SEVERITIES)),
                                                          return_dtype=pl.Utf8).alias("severity"))
           .group_by("severity").agg(pl.len().alias("traces")))
    clean = traces.height - worst.height
    sev = pl.concat([sev, pl.DataFrame({"severity": ["none"], "traces": [clean]},
                                       schema=sev.schema)]).group_by("severity").agg(
        pl.col("traces").sum())
    top = (worst.sort("_r", descending=True).head(20)
           .join(traces.select("trace_id", "model", pl.col("prompt").str.slice(0, 160),
                               pl.col("response").str.slice(0, 240)), on="trace_id", how="left")
           .with_columns(pl.col("_r").replace_strict(dict(enumerate(SEVERITIES)),
                                                     return_dtype=pl.Utf8).alias("severity"))
           .select("trace_id", "severity", "module", "reason", "model", "prompt", "response"))
    hours = (results.filter(pl.col("tier") == 1).join(
        traces.select("trace_id", "started_at"), on="trace_id", how="left")
        .filter(pl.col("started_at").is_not_null())
        .group_by(pl.col("started_at").dt.truncate("1h").alias("hour"), "module")
        .agg((pl.col("passed").not_().sum() / pl.col("passed").is_not_null().sum().clip(1))
             .alias("failure_rate")).sort("hour"))
    scores = results.filter(pl.col("module") == "risk_model").select("trace_id", "score")
    verdicts = results.filter(pl.col("module") == "llm_judge").group_by("reason").agg(
        pl.len().alias("traces")).sort("traces", descending=True)
    judge = results.filter(pl.col("module") == "llm_judge")
    summary = {
        "schema": "trace_eval.summary/1", "run_id": run_id,
        "traces": {"total": traces.height,
                   "by_format": dict(traces["source_format"].value_counts().iter_rows()),
                   "by_model": {str(k): v for k, v in
                                traces["model"].value_counts().iter_rows()}},
        "modules": by_module.to_dicts(),
        "severity": {r["severity"]: r["traces"] for r in sev.iter_rows(named=True)},
        "tier2": {"scored": scores.height,
                  "mean_score": round(float(scores["score"].mean()), 4) if scores.height
                  and scores["score"].mean() is not None else None,
                  "flagged": int(results.filter(pl.col("module") == "risk_model")["passed"]
                                 .not_().sum())},
        "tier3": {"escalated": int(judge["reason"].fill_null("").str.starts_with("not escalated")
                                   .not_().sum()),
                  "judged": int(judge["passed"].is_not_null().sum()),
                  "not_judged": int(judge["reason"].fill_null("").str.starts_with("not judged")
                                    .sum()),
                  "failed_verdicts": int(judge["passed"].not_().sum())},
        "alerts": {"alerts": alerts["alert_id"].n_unique() if alerts.height else 0,
                   "by_status": dict(alerts["status"].value_counts().iter_rows())
                   if alerts.height else {}},
        "cost": cost,
    }
    charts = {}
    if by_module.height:
        charts["failure_rates"] = alt.Chart(by_module).mark_bar().encode(
            x=alt.X("failure_rate:Q", title="failure rate", axis=alt.Axis(format="%")),
            y=alt.Y("module:N", sort="-x"), color="tier:N").properties(
            title="Failure rate per module", width=420, height=200)
    if hours.height:
        charts["over_time"] = alt.Chart(hours).mark_line(point=True).encode(
            x=alt.X("hour:T", title="hour (UTC)"), y=alt.Y("failure_rate:Q", axis=alt.Axis(
                format="%")), color="module:N").properties(
            title="Tier-1 failure rate over time", width=480, height=200)
    charts["severity"] = alt.Chart(sev).mark_bar().encode(
        x=alt.X("severity:N", sort=list(SEVERITIES)), y="traces:Q").properties(
        title="Worst severity per trace", width=320, height=180)
    if scores.height:
        charts["risk_scores"] = alt.Chart(scores).mark_bar().encode(
            x=alt.X("score:Q", bin=alt.Bin(maxbins=20), title="tier-2 risk score"),
            y="count()").properties(title="Tier-2 risk score distribution", width=420, height=180)
    return Evidence(by_shape, by_module, sev, top, hours, scores, verdicts, alerts, summary,
                    charts)


def index_section(ev: Evidence) -> str:
    """Return the run index's HTML section: the headline figures and the worst traces."""
    s = ev.summary
    head = (f"<p>{s['traces']['total']:,} traces · "
            + " · ".join(f"{k}: {v:,}" for k, v in sorted(s["severity"].items()))
            + f" · alerts: {s['alerts']['alerts']} · cost: ${s['cost']['usd']:.4f}</p>")
    rows = "".join(
        f"<tr><td>{html.escape(r['severity'])}</td><td>{html.escape(r['module'])}</td>"
        f"<td>{html.escape(r['reason'] or '')}</td><td>{html.escape(r['response'] or '')}</td>"
        "</tr>" for r in ev.worst.head(10).iter_rows(named=True))
    return head + ("<table class='wb'><tr><th>severity</th><th>module</th><th>reason</th>"
                   f"<th>response (masked)</th></tr>{rows}</table>" if rows else "")


def write_artifacts(ev: Evidence, results: pl.DataFrame, run_dir) -> None:
    """Write ``results.parquet`` and ``summary.json`` beside the report."""
    results.write_parquet(run_dir / "results.parquet")
    (run_dir / "summary.json").write_text(json.dumps(ev.summary, indent=2, default=str))
