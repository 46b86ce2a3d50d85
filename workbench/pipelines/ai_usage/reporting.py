"""Stage 7, report: aggregates, the audit narrative and charts on index.html, and artifacts."""
from __future__ import annotations

import html
import json
import shutil

import polars as pl

from . import lake
from .writers import SCHEMA_ID, write_dashboard, write_events_csv, write_workbook


def _audit(ctx) -> dict:
    with ctx.connect(read_only=True) as con:
        q = con.execute("SELECT count(*) FROM quarantine WHERE run_id = ?", [ctx.run_id]).fetchone()
        q_by = con.execute("SELECT stage, reason, count(*) AS n FROM quarantine WHERE run_id = ? "
                           "GROUP BY ALL ORDER BY n DESC", [ctx.run_id]).pl()
        pii = con.execute("SELECT entity_type, action, sum(count)::BIGINT AS n FROM pii_audit "
                          "WHERE run_id = ? GROUP BY ALL ORDER BY n DESC", [ctx.run_id]).pl()
        led = con.execute("SELECT event, detail FROM ledger WHERE run_id = ? AND event IN "
                          "('selection', 'cache_lookup', 'classify') ORDER BY event_id",
                          [ctx.run_id]).fetchall()
        llm = con.execute("SELECT count(*) FILTER (WHERE event = 'llm_call'), "
                          "coalesce(sum(usd) FILTER (WHERE event = 'llm_call'), 0) FROM ledger "
                          "WHERE run_id = ?", [ctx.run_id]).fetchone()
        sigs = con.execute("SELECT * FROM ai_usage_signatures WHERE run_id = ? "
                           "ORDER BY url_signature", [ctx.run_id]).pl()
    details = {e: json.loads(d) if d else {} for e, d in led}
    return {"quarantined": q[0], "quarantine": q_by, "pii": pii, "details": details,
            "llm_calls": llm[0], "llm_usd": round(float(llm[1]), 6), "signatures": sigs}


def aggregates(con) -> dict[str, pl.DataFrame]:
    """Return the aggregated tables (events view ``ev`` joined with signatures ``sigs``)."""
    j = "FROM ev e JOIN sigs s USING (url_signature)"
    ai = f"{j} WHERE s.is_ai"
    sql = {
        "services": f"SELECT s.service, any_value(s.vendor) AS vendor, any_value(s.category) "
                    f"AS category, any_value(s.risk_level) AS risk_level, count(*) AS events, "
                    f"coalesce(sum(e.bytes_out), 0)::BIGINT AS bytes_out, coalesce(sum(e.bytes_in)"
                    f", 0)::BIGINT AS bytes_in, count(DISTINCT e.\"user\") AS users {ai} "
                    f"GROUP BY 1 ORDER BY bytes_out DESC, events DESC, 1",
        "categories": f"SELECT s.category, count(*) AS events, coalesce(sum(e.bytes_out), 0)"
                      f"::BIGINT AS bytes_out, count(DISTINCT e.\"user\") AS users {ai} "
                      f"GROUP BY 1 ORDER BY events DESC, 1",
        "departments": f"SELECT coalesce(e.department, 'unassigned') AS department, count(*) AS "
                       f"events, coalesce(sum(e.bytes_out), 0)::BIGINT AS bytes_out, "
                       f"count(DISTINCT e.\"user\") AS users {ai} GROUP BY 1 ORDER BY events DESC, 1",
        "days": f"SELECT strftime(e.ts, '%Y-%m-%d') AS date, s.category, count(*) AS events, "
                f"coalesce(sum(e.bytes_out), 0)::BIGINT AS bytes_out {ai} GROUP BY ALL "
                f"ORDER BY 1, 2",
        "users": f"SELECT e.\"user\", any_value(e.department) AS department, count(*) AS events, "
                 f"coalesce(sum(e.bytes_out), 0)::BIGINT AS bytes_out, count(DISTINCT s.service) "
                 f"AS services, max(CASE s.risk_level WHEN 'high' THEN 3 WHEN 'medium' THEN 2 "
                 f"ELSE 1 END) AS max_risk_rank {ai} GROUP BY 1 ORDER BY bytes_out DESC, 1",
    }
    return {k: con.sql(v).pl() for k, v in sql.items()}


def _charts(t: dict[str, pl.DataFrame]) -> list[tuple[str, str]]:
    import altair as alt

    from ...report import chart_svg

    def bar(df, x, y, title):
        return alt.Chart(df.head(15)).mark_bar() \
            .encode(x=alt.X(f"{x}:Q"), y=alt.Y(f"{y}:N", sort="-x")).properties(
                title=title, width=420, height=220)
    out = []
    if t["services"].height:
        out.append(("services", chart_svg(bar(t["services"], "events", "service",
                                               "AI usage by service (events)"))))
    if t["categories"].height:
        out.append(("categories", chart_svg(bar(t["categories"], "events", "category",
                                                 "AI usage by category (events)"))))
    if t["departments"].height:
        out.append(("departments", chart_svg(bar(t["departments"], "events", "department",
                                                  "AI usage by department (events)"))))
    if t["days"].height:
        ch = alt.Chart(t["days"]).mark_bar().encode(
            x=alt.X("date:N"), y=alt.Y("sum(events):Q", title="events"),
            color=alt.Color("category:N")).properties(title="AI usage by day", width=420,
                                                      height=220)
        out.append(("days", chart_svg(ch)))
    return out


def narrative(ctx, a: dict, totals: dict) -> str:
    """Return the audit narrative (escaped HTML) a compliance reviewer reads first."""
    sel = a["details"].get("selection", {})
    cache = a["details"].get("cache_lookup", {})
    cls = a["details"].get("classify", {})
    counts = sel.get("counts", {})
    e = html.escape
    pii = ", ".join(f"{r['entity_type']} {r['n']:,} ({r['action']})"
                    for r in a["pii"].iter_rows(named=True)) or "none found"
    qrows = "".join(f"<li>{e(r['stage'])}: {e(r['reason'])} - {r['n']:,}</li>"
                    for r in a["quarantine"].head(10).iter_rows(named=True))
    return (
        f"<p>Run <code>{e(ctx.run_id)}</code> read {totals['events']:,} events "
        f"({totals['signatures']:,} URL signatures, {totals['users']:,} pseudonymized users).</p>"
        "<ul>"
        f"<li><b>Selection</b>: A (high volume, top {sel.get('a_top_n', '?')}) "
        f"{counts.get('A', 0):,}; B (burst and cumulative) {counts.get('B', 0):,}; "
        f"C (long-tail sample and host coverage) {counts.get('C', 0):,}; not selected "
        f"{counts.get('none', 0):,}. Sample rate {sel.get('sample_rate')}, seed "
        f"{sel.get('seed')} (derived from the run id); {sel.get('host_coverage', 0)} signatures "
        "added so that no host is zero-excluded.</li>"
        f"<li><b>Exclusions and quarantine</b>: {a['quarantined']:,} lines or URLs quarantined"
        f" (never silently dropped); signatures not selected are still reported with catalog "
        f"or cached answers.<ul>{qrows}</ul></li>"
        f"<li><b>Cache</b>: {cache.get('hits', 0):,} of {cache.get('selected', 0):,} selected "
        f"signatures had an active classification (hit ratio {cache.get('hit_ratio', 0)}); "
        f"{cache.get('unknown', 0):,} formed the unknown set.</li>"
        f"<li><b>LLM scope</b>: model <code>{e(str(ctx.model))}</code>; {cls.get('catalog', 0)} "
        f"answered by the curated catalog, {a['llm_calls']} model calls, "
        f"{cls.get('skipped', 0)} skipped; cost ${a['llm_usd']:.4f}. Sources: "
        f"{e(json.dumps(cls.get('by_source', {}), sort_keys=True))}. Offline, unknown hosts "
        "stay unknown (never guessed).</li>"
        f"<li><b>PII audit</b>: {e(pii)}. Users and client IPs are pseudonymized; URL paths "
        "and queries masked; no raw value is in this report or its exports.</li>"
        "</ul>")


def run(ctx) -> dict:
    """Write ai_usage.xlsx, dashboard.json, events_sanitized.csv and the index sections."""
    a = _audit(ctx)
    sigs = a["signatures"]
    con = lake.connect(ctx)
    con.register("sigs", sigs.to_arrow())
    if lake.exists(ctx, lake.EVENTS):
        con.sql(f"CREATE VIEW ev AS SELECT * FROM {lake.scan_sql(ctx, lake.EVENTS)}")
    else:
        con.sql("CREATE VIEW ev AS SELECT NULL::VARCHAR AS url_signature, NULL::TIMESTAMP AS ts,"
                " NULL::VARCHAR AS \"user\", NULL::VARCHAR AS department, NULL::BIGINT AS "
                "bytes_out, NULL::BIGINT AS bytes_in WHERE false")
    t = aggregates(con)
    tot = con.sql("SELECT count(*), coalesce(sum(bytes_out), 0)::BIGINT, coalesce(sum(bytes_in),"
                  " 0)::BIGINT, count(DISTINCT \"user\") FROM ev").fetchone()
    ai = sigs.filter(pl.col("is_ai").fill_null(False))
    totals = {"events": tot[0], "bytes_out": tot[1], "bytes_in": tot[2], "users": tot[3],
              "signatures": sigs.height, "ai_signatures": ai.height,
              "ai_events": int(ai["events"].sum() or 0),
              "ai_bytes_out": int(ai["bytes_out"].sum() or 0),
              "unknown_signatures": int((sigs["source"] == "unknown").sum())}
    sel = a["details"].get("selection", {})
    counts = sel.get("counts", {})
    unknowns = sigs.filter(pl.col("source") == "unknown").sort(
        ["events", "url_signature"], descending=[True, False])
    audit_json = {"quarantined": a["quarantined"],
                  "pii_masked": {r["entity_type"]: r["n"] for r in a["pii"].iter_rows(named=True)},
                  "llm_usd": a["llm_usd"], "llm_calls": a["llm_calls"],
                  "sources": a["details"].get("classify", {}).get("by_source", {})}
    dash = {"schema": SCHEMA_ID, "run_id": ctx.run_id, "model": ctx.model, "totals": totals,
            "selection": {"A": counts.get("A", 0), "B": counts.get("B", 0),
                          "C": counts.get("C", 0), "none": counts.get("none", 0),
                          "seed": sel.get("seed"), "sample_rate": sel.get("sample_rate"),
                          "cache_hit_ratio": a["details"].get("cache_lookup", {})
                          .get("hit_ratio")},
            "services": t["services"].to_dicts(), "categories": t["categories"].to_dicts(),
            "departments": t["departments"].to_dicts(), "days": t["days"].to_dicts(),
            "unknowns": unknowns.select("url_signature", "host", "path_template", "events",
                                        "bytes_out", "selection").to_dicts(),
            "audit": audit_json}
    write_dashboard(ctx.artifact("dashboard.json"), dash)
    summary = pl.DataFrame({"item": list(totals) + ["A", "B", "C", "seed", "sample_rate",
                                                    "model", "llm_usd", "quarantined"],
                            "value": [str(v) for v in totals.values()] +
                            [str(counts.get(k, 0)) for k in "ABC"] +
                            [str(sel.get("seed")), str(sel.get("sample_rate")), str(ctx.model),
                             str(a["llm_usd"]), str(a["quarantined"])]})
    audit_sheet = pl.concat([
        a["quarantine"].select(pl.lit("quarantine").alias("kind"), pl.col("stage"),
                               pl.col("reason").alias("what"), pl.col("n").cast(pl.Int64)),
        a["pii"].select(pl.lit("pii").alias("kind"), pl.col("action").alias("stage"),
                        pl.col("entity_type").alias("what"), pl.col("n").cast(pl.Int64))])
    sig_cols = ["url_signature", "host", "path_template", "is_ai", "service", "category",
                "risk_level", "confidence", "source", "events", "bytes_out", "bytes_in", "users",
                "selection", "selection_reason"]
    write_workbook(ctx.artifact("ai_usage.xlsx"), {
        "summary": summary, "services": t["services"], "users": t["users"],
        "departments": t["departments"], "signatures": sigs.select(sig_cols),
        "unknowns": unknowns.select(sig_cols), "audit": audit_sheet})
    n_csv = write_events_csv(con, ctx.artifact("events_sanitized.csv"), "ev") \
        if lake.exists(ctx, lake.EVENTS) else 0
    con.close()
    ctx.add_index_section("AI usage: audit narrative", narrative(ctx, a, totals), order=10)
    charts = "".join(f'<figure class="chart">{svg}</figure>' for _, svg in _charts(t))
    ctx.add_index_section("AI usage: charts", charts or "<p>No AI usage found.</p>", order=11)
    if not ctx.params.get("keep_staging", False):  # staging holds source values: drop it
        for ds in lake.STAGING:
            shutil.rmtree(ctx.run_lake_path(ds), ignore_errors=True)
    for name in ("ai_usage.xlsx", "dashboard.json", "events_sanitized.csv"):
        ctx.output(name, ctx.artifact(name)) if name != "ai_usage.xlsx" else None
    ctx.finish(rows_in=totals["events"], rows_out=n_csv, **{k: v for k, v in totals.items()})
    return {"dashboard": dash, "tables": t, "csv_rows": n_csv}
