"""Charts and tables of the migration report (Altair, rendered inline by ``wb.show_chart``)."""
from __future__ import annotations

import altair as alt
import polars as pl

BAND_ORDER = ["high", "borderline", "low"]
BAND_SCALE = alt.Scale(domain=BAND_ORDER, range=["#1a7f37", "#d4a72c", "#cf222e"])
DECISION_SCALE = alt.Scale(domain=["accept", "hold", "fix"],
                           range=["#1a7f37", "#d4a72c", "#cf222e"])
STATUS_SCALE = alt.Scale(domain=["pass", "info", "warn", "fail"],
                         range=["#1a7f37", "#8c959f", "#d4a72c", "#cf222e"])


def band_chart(domains: pl.DataFrame) -> alt.Chart:
    """Return a bar chart of source columns per table and confidence band."""
    data = domains.group_by("source_table", "band").len().rename({"len": "columns"})
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("columns:Q", title="columns"), y=alt.Y("source_table:N", title=None),
        color=alt.Color("band:N", scale=BAND_SCALE, sort=BAND_ORDER),
        order=alt.Order("band:N")).properties(title="Domain bands per source table", width=380)


def score_chart(domains: pl.DataFrame, profile: dict) -> alt.LayerChart:
    """Return a histogram of domain scores with the τ_low and τ_high thresholds."""
    d = profile["domaining"]
    bars = alt.Chart(domains.select("score", "band")).mark_bar().encode(
        x=alt.X("score:Q", bin=alt.Bin(step=0.05), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("count():Q", title="columns"),
        color=alt.Color("band:N", scale=BAND_SCALE, sort=BAND_ORDER))
    rules = alt.Chart(pl.DataFrame({"tau": [d["tau_low"], d["tau_high"]],
                                    "name": ["τ_low", "τ_high"]})).mark_rule(
        strokeDash=[4, 3]).encode(x="tau:Q", tooltip=["name:N", "tau:Q"])
    return (bars + rules).properties(title="Domain scores and the profile's bands", width=380)


def mapping_chart(mappings: pl.DataFrame) -> alt.Chart:
    """Return a bar chart of each target column's confidence (and sample success) by decision."""
    data = mappings.with_columns(
        pl.concat_str("target_table", pl.lit("."), "target_column").alias("target"),
        pl.coalesce("success_rate", "confidence").alias("measure"))
    return alt.Chart(data.select("target", "measure", "decision", "strategy")
                     ).mark_bar().encode(
        x=alt.X("measure:Q", title="sample success (data_mode) or confidence",
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        y=alt.Y("target:N", sort="-x", title=None),
        color=alt.Color("decision:N", scale=DECISION_SCALE),
        tooltip=["target:N", "strategy:N", "decision:N", "measure:Q"]).properties(
        title="Mapping plan: one bar per target column", width=380)


def analysis_chart(checks: pl.DataFrame) -> alt.Chart:
    """Return a stacked bar of analysis checks by kind and status."""
    data = checks.group_by("check", "status").len().rename({"len": "checks"})
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("checks:Q"), y=alt.Y("check:N", title=None),
        color=alt.Color("status:N", scale=STATUS_SCALE)).properties(
        title="Analysis checks", width=380)


def golden_frame(golden: dict) -> pl.DataFrame:
    """Return the golden-set figures as a small table."""
    d, m, md = golden["domains"], golden["matching"], golden["domains_metadata_only"]
    return pl.DataFrame({
        "measure": ["columns", "domain precision", "domain recall", "domain F1",
                    "known columns assigned High", "F1 without value sketches (metadata_only)",
                    "schema pairs", "top-1 match accuracy", "name-similarity baseline top-1"],
        "value": [float(d["columns"]), d["precision"], d["recall"], d["f1"],
                  d["high_share_known"], md["f1"], float(m["pairs"]), m["top1"],
                  m["baseline_top1"]]})
