"""Report evidence: ranked alerts with reasons, score distributions, metrics and calibration,
feature importance and data checks, as tables, Altair charts and one JSON summary."""
from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from ...scoring import metrics
from .models import ModelBundle


@dataclass
class Evidence:
    """Everything the report stage shows."""

    top_alerts: pl.DataFrame
    top_clusters: pl.DataFrame
    importance: pl.DataFrame
    calibration: pl.DataFrame
    metrics: pl.DataFrame
    checks: pl.DataFrame
    summary: dict
    charts: dict = field(default_factory=dict)


def _hist(values: pl.Series, bins: int = 20) -> pl.DataFrame:
    edges = np.linspace(0.0, 1.0, bins + 1)
    counts, _ = np.histogram(values.to_numpy(), bins=edges)
    return pl.DataFrame({"score_from": edges[:-1], "score_to": edges[1:], "alerts": counts})


def build_evidence(scores: pl.DataFrame, clusters: pl.DataFrame, explanations: pl.DataFrame,
                   labels: pl.DataFrame | None, bundle: ModelBundle, checks: dict,
                   training: dict, top_n: int = 20) -> Evidence:
    """Return the report evidence of one scored batch."""
    import altair as alt

    top = scores.sort("rank").head(top_n).select("rank", "alert_id", "score", "cluster_id",
                                                 "reasons")
    top_clusters = clusters.sort("rank").head(top_n)
    meta = bundle.metadata["alert_scorer"]
    imp = pl.DataFrame({"feature": list(meta.get("importance", {}).keys()),
                        "gain": list(meta.get("importance", {}).values())},
                       schema={"feature": pl.Utf8, "gain": pl.Float64})
    imp = imp.sort(["gain", "feature"], descending=[True, False]).head(15)
    has_labels = labels is not None and labels.height > 0
    batch_metrics: dict = {}
    if has_labels:
        joined = scores.join(labels, on="alert_id").sort("alert_id")
        y = joined["is_suspicious"].cast(pl.Int8).to_numpy()
        s = joined["score"].to_numpy()
        batch_metrics = metrics.binary_metrics(y, s, (10, 20, 50, 100))
        calib = pl.DataFrame(metrics.calibration(y, s))
        calib_source = "this batch's labels"
        if training.get("mode") == "trained":
            calib_source += " (in-sample: the model was trained on them)"
    else:
        calib = pl.DataFrame(meta.get("calibration") or [])
        calib_source = "the model's cross-validation (out-of-fold)"
    rows = [{"model": "alert_scorer (cross-validated)", **_pick(meta.get("metrics", {}))}]
    for name, m in (meta.get("baselines") or {}).items():
        rows.append({"model": f"baseline: {name}", **_pick(m)})
    if batch_metrics:
        rows.append({"model": "alert_scorer on this batch", **_pick(batch_metrics)})
    metrics_df = pl.DataFrame(rows)
    checks_df = pl.DataFrame(checks.get("tables", []))
    charts = {
        "score_distribution": alt.Chart(_hist(scores["score"])).mark_bar().encode(
            x=alt.X("score_from:Q", bin="binned", title="alert score"), x2="score_to:Q",
            y=alt.Y("alerts:Q", title="alerts")).properties(
            title="Alert score distribution", width=420, height=200),
        "cluster_distribution": alt.Chart(_hist(clusters["score"])).mark_bar(color="#b85").encode(
            x=alt.X("score_from:Q", bin="binned", title="cluster score"), x2="score_to:Q",
            y=alt.Y("alerts:Q", title="clusters")).properties(
            title="Cluster score distribution", width=420, height=200),
        "importance": alt.Chart(imp).mark_bar().encode(
            x=alt.X("gain:Q", title="total gain"), y=alt.Y("feature:N", sort="-x", title=None))
        .properties(title="Feature importance (alert scorer)", width=420),
    }
    if calib.height and "mean_predicted" in calib.columns:
        pts = calib.filter(pl.col("count") > 0)
        diag = pl.DataFrame({"mean_predicted": [0.0, 1.0], "observed_rate": [0.0, 1.0]})
        charts["calibration"] = (
            alt.Chart(diag).mark_line(strokeDash=[4, 4], color="grey").encode(
                x="mean_predicted:Q", y="observed_rate:Q")
            + alt.Chart(pts).mark_line(point=True).encode(
                x=alt.X("mean_predicted:Q", title="mean predicted score"),
                y=alt.Y("observed_rate:Q", title="observed suspicious rate"))
        ).properties(title=f"Calibration on {calib_source}", width=300, height=300)
    summary = {
        "alerts": scores.height, "clusters": clusters.height,
        "model": bundle.describe(),
        "training": training,
        "batch_metrics": batch_metrics,
        "calibration_source": calib_source,
        "calibration": calib.to_dicts(),
        "score_quantiles": {f"p{q}": float(scores["score"].quantile(q / 100, "nearest") or 0.0)
                            for q in (50, 90, 99)} if scores.height else {},
        "top_alerts": top.to_dicts(),
        "top_clusters": top_clusters.to_dicts(),
        "explanations": explanations.sort(["rank", "position"]).to_dicts(),
        "feature_importance": imp.to_dicts(),
        "data_checks": checks.get("tables", []),
    }
    return Evidence(top, top_clusters, imp, calib, metrics_df, checks_df, summary, charts)


def _pick(m: dict) -> dict:
    keys = ("auc", "pr_auc", "precision_at_20", "recall_at_100", "brier")
    return {k: m.get(k) for k in keys}


def index_html(ev: Evidence) -> str:
    """Return the escaped HTML fragment for the run index: the top alerts and their reasons."""
    rows = "".join(
        f"<tr><td>{r['rank']}</td><td>{html.escape(str(r['alert_id']))}</td>"
        f"<td>{r['score']:.4f}</td><td>{html.escape(r['reasons'] or '')}</td></tr>"
        for r in ev.top_alerts.head(10).iter_rows(named=True))
    m = ev.summary["model"]["models"]["alert_scorer"]
    return (f"<p>{ev.summary['alerts']:,} alerts and {ev.summary['clusters']:,} clusters scored "
            f"with model {html.escape(str(m.get('version')))} "
            f"({html.escape(ev.summary['model']['source'])}, sha256 "
            f"{html.escape(str(m.get('model_sha256'))[:12])}).</p>"
            "<table class=\"wb\"><thead><tr><th>rank</th><th>alert</th><th>score</th>"
            f"<th>reasons</th></tr></thead><tbody>{rows}</tbody></table>")
