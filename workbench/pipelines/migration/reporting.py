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


# the migrate stage -------------------------------------------------------------------------------
CHUNK_SCALE = alt.Scale(domain=["done", "failed"], range=["#1a7f37", "#cf222e"])


def preflight_frame(summary: dict) -> pl.DataFrame:
    """Return the pre-flight checklist (table, check, status, detail) of a migrate summary."""
    rows = [{"table": c.get("table") or "*", "check": c["check"], "status": c["status"],
             "detail": str(c.get("detail", ""))} for c in summary.get("preflight", [])]
    for table, k in (summary.get("key_strategy") or {}).items():
        rows.append({"table": table, "check": "key_strategy", "status": "info",
                     "detail": f"{k['strategy']}: {', '.join(k['key'] or []) or 'row ordinal'}"})
    rows.append({"table": "*", "check": "strategy", "status": "info",
                 "detail": f"{summary['strategy']['chosen']} ({summary['strategy']['reason']})"})
    return pl.DataFrame(rows, schema={"table": pl.String, "check": pl.String,
                                      "status": pl.String, "detail": pl.String})


def tables_frame(summary: dict) -> pl.DataFrame:
    """Return one row per target table: rows in/out, quarantined, collapsed and the verdict."""
    keys = ("source", "chunks", "chunks_done", "rows_in", "rows_out", "quarantined", "collapsed",
            "quarantine_rate", "fk_violations", "status", "next_action", "estimated_rows")
    rows = [{"table": t, **{k: v.get(k) for k in keys if k in v}}
            for t, v in (summary.get("tables") or {}).items()]
    return pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame(
        {"table": []}, schema={"table": pl.String})


def chunk_timeline_chart(chunks: pl.DataFrame) -> alt.Chart:
    """Return a timeline of chunks (seconds from the first start to each commit, per table)."""
    t0 = chunks.get_column("started_at").min()
    secs = [(pl.col(c) - t0).dt.total_microseconds() / 1e6 for c in ("started_at", "finished_at")]
    data = chunks.select("target_table", "chunk_id", "status", "row_count_in", "row_count_out",
                         "quarantined", secs[0].alias("start_s"), secs[1].alias("end_s"))
    return alt.Chart(data).mark_bar(height=14).encode(
        x=alt.X("start_s:Q", title="seconds since the first chunk started"), x2="end_s:Q",
        y=alt.Y("target_table:N", title=None), color=alt.Color("status:N", scale=CHUNK_SCALE),
        tooltip=["chunk_id:N", "status:N", "row_count_in:Q", "row_count_out:Q",
                 "quarantined:Q", "start_s:Q", "end_s:Q"]).properties(
        title="Chunk timeline: one bar per chunk checkpoint", width=460)


def validations_frame(chunks: pl.DataFrame) -> pl.DataFrame:
    """Return per table and validation: chunks passed, chunks with quarantined rows, rows."""
    import json

    acc: dict[tuple, dict] = {}
    for table, text in chunks.select("target_table", "validations").iter_rows():
        for check, v in (json.loads(text or "{}")).items():
            if not isinstance(v, dict) or "status" not in v:
                continue
            a = acc.setdefault((table, check), {"table": table, "validation": check,
                                                "chunks_pass": 0, "chunks_other": 0,
                                                "rows": 0})
            a["chunks_pass" if v["status"] == "pass" else "chunks_other"] += 1
            a["rows"] += int(v.get("rows", 0) or 0)
    return pl.DataFrame(list(acc.values()), schema={
        "table": pl.String, "validation": pl.String, "chunks_pass": pl.Int64,
        "chunks_other": pl.Int64, "rows": pl.Int64})


def reason_chart(quarantine: pl.DataFrame) -> alt.Chart:
    """Return a bar chart of quarantined rows per reason code."""
    data = (quarantine.select(pl.col("reason").str.split(",").alias("reason"))
            .explode("reason").group_by("reason").len().rename({"len": "rows"}))
    return alt.Chart(data).mark_bar(color="#cf222e").encode(
        x=alt.X("rows:Q"), y=alt.Y("reason:N", sort="-x", title=None),
        tooltip=["reason:N", "rows:Q"]).properties(title="Quarantined rows by reason",
                                                   width=380)


def lineage_frame(mappings: pl.DataFrame) -> pl.DataFrame:
    """Return column-level lineage: source columns → DSL steps → target column, with hashes."""
    import json

    rows = []
    for m in mappings.iter_rows(named=True):
        dsl = json.loads(m["dsl"]) if m.get("dsl") else None
        steps = " → ".join(s["op"] for s in (dsl or {}).get("steps", [])) or (
            "(as is)" if dsl else "(unmapped)")
        rows.append({"target": f"{m['target_table']}.{m['target_column']}",
                     "sources": ", ".join(json.loads(m["source_columns"] or "[]")),
                     "steps": steps, "strategy": m["strategy"], "decision": m["decision"],
                     "decided_by": m["decided_by"], "dsl_hash": (m.get("dsl_hash") or "")[:12]})
    return pl.DataFrame(rows, schema={k: pl.String for k in (
        "target", "sources", "steps", "strategy", "decision", "decided_by", "dsl_hash")})


def decision_trail(ledger: pl.DataFrame) -> pl.DataFrame:
    """Return the run's decisions from the ledger: when, stage, event, decision, who, policy."""
    import json

    rows = []
    for r in ledger.filter(~pl.col("event").is_in(["llm_call", "cache_hit", "stage"])
                           ).iter_rows(named=True):
        try:
            d = json.loads(r.get("detail") or "{}")
        except ValueError:
            d = {}
        a = d.get("actor") or d.get("by") or ""
        who = f"{a.get('user_id', '')} ({a.get('role', '')})" if isinstance(a, dict) else str(a)
        rows.append({"at": r["at"], "stage": r["stage"] or "", "event": r["event"],
                     "decision": r["decision"] or "", "error_code": r["error_code"] or "",
                     "actor": who, "policy_version": str(d.get("policy_version", ""))})
    return pl.DataFrame(rows, schema={"at": pl.Datetime("us"), **{k: pl.String for k in (
        "stage", "event", "decision", "error_code", "actor", "policy_version")}})


def inspector_frame(quarantine: pl.DataFrame) -> pl.DataFrame:
    """Return quarantined rows for review: locator, reasons, masked before/after and the diff."""
    import json

    rows = []
    for r in quarantine.iter_rows(named=True):
        p = json.loads(r["masked_preview"] or "{}")
        rows.append({"table": r["target_table"], "locator": r["locator"],
                     "reasons": r["reason"], "status": p.get("status") or "",
                     "before": json.dumps(p.get("before"), ensure_ascii=False),
                     "after": json.dumps(p.get("after"), ensure_ascii=False),
                     "diff": json.dumps(p.get("diff"), ensure_ascii=False)})
    return pl.DataFrame(rows, schema={k: pl.String for k in (
        "table", "locator", "reasons", "status", "before", "after", "diff")})


def dry_run_sql(summary: dict) -> str:
    """Return the dry run's compiled statements and estimated rows as readable text."""
    out = []
    for table, v in (summary.get("tables") or {}).items():
        out.append(f"-- {table}: ~{v.get('estimated_rows', 0):,} rows in {v.get('chunks', 0)} "
                   f"chunk(s), key {v.get('key_strategy')} {v.get('key')}")
        out += [f"-- {dialect}\n{sql};" for dialect, sql in (v.get("sql") or {}).items()]
    return "\n".join(out)
