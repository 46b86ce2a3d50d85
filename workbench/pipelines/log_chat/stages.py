"""The four stages of ``log_chat``: sources → templates → investigate → report.

Each stage opens the source again (local files are parsed once into the lake's Parquet cache;
CloudWatch answers come from the workspace cache within their TTL), so no stage holds another's
data in memory and each one can be re-run alone.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl

from ...errors import BadInput
from . import evidence
from .sources import data_end, open_source, pick_source
from .timeparse import parse_time


@dataclass
class Scope:
    """What a run looks at: the source, its groups, the window and the reference time."""

    source: object
    kind: str
    groups: list[str]
    start: datetime | None
    end: datetime
    now: datetime


def scope(ctx) -> Scope:
    """Return the run's source, selected groups and window (BadInput for a bad parameter)."""
    p = ctx.params
    kind = pick_source(p["source"], ctx.inputs)
    source = open_source(kind, [str(i) for i in ctx.inputs], ctx.settings, region=p["region"])
    try:
        now = (parse_time(p["until"], datetime.now(UTC)) if p["until"]
               else data_end(source) or datetime.now(UTC))
        start = parse_time(p["since"], now) if p["since"] else None
    except ValueError as exc:
        raise BadInput(f"parameter since/until: {exc}") from None
    prefixes = p["log_groups"] or [""]
    names: dict[str, None] = {}
    for prefix in prefixes:
        names.update((g.name, None) for g in source.list_groups(prefix))
    if not names:
        raise BadInput(f"no log groups under {prefixes} in the {kind} source")
    groups = list(names)[: p["max_groups"]]
    return Scope(source, kind, groups, start, now, now)


def sources(ctx) -> dict:
    """Stage 1: groups, lines and time span in the window; lines with no time quarantined."""
    sc = scope(ctx)
    rows, quarantined = [], []
    for i, name in enumerate(sc.groups):
        n, first, last = 0, None, None
        for chunk in sc.source.iter_events(name, sc.start, sc.end):
            lo, hi = chunk["ts"].min(), chunk["ts"].max()
            n, first, last = n + chunk.height, min(first or lo, lo), max(last or hi, hi)
        rows.append({"log_group": name, "events": n, "first": first, "last": last,
                     "unparsed": _unparsed(sc.source, name)})
        if hasattr(sc.source, "unparsed_lines") and rows[-1]["unparsed"]:
            bad = sc.source.unparsed_lines(name, 200)
            masked, _ = evidence.mask_messages(bad, ctx.settings)
            quarantined.append(masked.select(
                pl.lit(name).alias("source"),
                pl.format("line {}", "line_no").alias("locator"),
                pl.lit("no timestamp before this line: took the file's modification time")
                .alias("reason"), pl.col("message").str.slice(0, 200).alias("masked_preview")))
        ctx.progress(i + 1, len(sc.groups), unit="groups")
    table = pl.DataFrame(rows, schema={"log_group": pl.Utf8, "events": pl.Int64,
                                       "first": pl.Datetime("ms", "UTC"),
                                       "last": pl.Datetime("ms", "UTC"), "unparsed": pl.Int64})
    q = pl.concat(quarantined) if quarantined else None
    ctx.quarantine(q if q is not None else pl.DataFrame(
        schema={"source": pl.Utf8, "locator": pl.Utf8, "reason": pl.Utf8,
                "masked_preview": pl.Utf8}))
    table.write_json(ctx.artifact("log_chat_groups.json"))
    ctx.output("groups", table)
    window = {"source": sc.kind, "start": _iso(sc.start), "end": _iso(sc.end),
              "reference_now": _iso(sc.now)}
    ctx.ledger("log_sources", detail={**window, "groups": len(sc.groups)})
    ctx.finish(rows_in=int(table["events"].sum()), rows_out=int(table["events"].sum()),
               groups=len(sc.groups), quarantined=0 if q is None else q.height, **window)
    return {"groups": table, "quarantine": q, **window}


def _unparsed(source, name: str) -> int:
    return source.unparsed(name) if hasattr(source, "unparsed") else 0


def _iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.astimezone(UTC).isoformat(timespec="seconds")


def templates(ctx) -> dict:
    """Stage 2: templates per group with counts, new templates and spikes; events over time."""
    from .summary import counts_per_interval, window_templates

    sc = scope(ctx)
    parts, series, masked_total = [], [], {}
    for i, name in enumerate(sc.groups):
        table, _ = window_templates(sc.source, name, sc.start, sc.end, settings=ctx.settings)
        if table.height:
            examples, counts = evidence.mask_messages(table.select("example"), ctx.settings,
                                                      column="example")
            for k, n in counts.items():
                masked_total[k] = masked_total.get(k, 0) + n
            table = table.with_columns(examples["example"].alias("example_masked"))
            parts.append(table.drop("example"))
        counts = counts_per_interval(sc.source, name, "", sc.start, sc.end, _every(sc),
                                     max_buckets=10_000)
        if counts["buckets"]:
            series.append(pl.DataFrame(counts["buckets"]).select(
                pl.col("start").str.to_datetime(time_zone="UTC").alias("ts"),
                pl.col("count").alias("events"), pl.lit(name).alias("log_group")))
        ctx.progress(i + 1, len(sc.groups), unit="groups")
    tpl = (pl.concat(parts) if parts else pl.DataFrame()).rename({"new": "is_new"}, strict=False)
    if tpl.height:
        tpl = tpl.with_columns(pl.col("first_seen").dt.replace_time_zone(None),
                               pl.col("last_seen").dt.replace_time_zone(None))
        tpl = tpl.select("log_group", "template_id", "template", "count", "first_seen",
                         "last_seen", "example_masked", "previous", "is_new", "spike")
    ctx.replace_rows("log_chat_templates", tpl.with_columns(pl.lit(ctx.run_id).alias("run_id"))
                     if tpl.height else None)
    ctx.pii_audit([{"source": "template examples", "entity_type": k, "count": v,
                    "action": "pseudonymize"} for k, v in sorted(masked_total.items())])
    over_time = pl.concat(series) if series else pl.DataFrame(
        schema={"ts": pl.Datetime("us", "UTC"), "events": pl.Int64, "log_group": pl.Utf8})
    if tpl.height:
        tpl.write_csv(ctx.artifact("log_chat_templates.csv"))
    ctx.output("templates", tpl)
    n_new = int(tpl["is_new"].sum()) if tpl.height else 0
    n_spikes = int(tpl["spike"].sum()) if tpl.height else 0
    ctx.finish(rows_in=int(tpl["count"].sum()) if tpl.height else 0, rows_out=tpl.height,
               new_templates=n_new, spikes=n_spikes,
               masked=sum(masked_total.values()))
    return {"templates": tpl, "over_time": over_time, "new": n_new, "spikes": n_spikes,
            "masked": masked_total}


def _every(sc: Scope) -> str:
    span = (sc.end - sc.start).total_seconds() if sc.start else 86400
    return "5m" if span <= 3 * 3600 else ("1h" if span <= 4 * 86400 else "1d")


def investigate(ctx) -> dict:
    """Stage 3: every question answered (model, else the offline planner) with its evidence."""
    from .session import ChatSession

    sc = scope(ctx)
    session = ChatSession(sc.source, ctx.settings, model=ctx.model, now=sc.now,
                          max_iterations=ctx.params["max_iterations"],
                          default_since=ctx.params["since"] or "24h",
                          run_id=ctx.run_id, stage=ctx.stage)
    rows, answers = [], []
    questions = ctx.params["questions"]
    for i, q in enumerate(questions, start=1):
        a = session.ask(q)
        (qm, am), _ = evidence.mask_texts([q, a.text], ctx.settings)
        answers.append(a)
        rows.append({"question_no": i, "question": qm, "answer": am,
                     "tool_calls": json.dumps(a.tool_calls, default=str), "model": a.model,
                     "source": a.source if a.source != "command" else "offline",
                     "status": a.status, "tokens": a.tokens, "usd": a.usd,
                     "masked": json.dumps(a.masked)})
        ctx.progress(i, len(questions), unit="questions")
    df = pl.DataFrame(rows, schema={"question_no": pl.Int32, "question": pl.Utf8,
                                    "answer": pl.Utf8, "tool_calls": pl.Utf8, "model": pl.Utf8,
                                    "source": pl.Utf8, "status": pl.Utf8, "tokens": pl.Int64,
                                    "usd": pl.Float64, "masked": pl.Utf8})
    ctx.replace_rows("log_chat_answers", df.with_columns(pl.lit(ctx.run_id).alias("run_id"))
                     if df.height else None)
    total: dict[str, int] = {}
    for a in answers:
        for k, n in a.masked.items():
            total[k] = total.get(k, 0) + n
    ctx.pii_audit([{"source": "tool results", "entity_type": k, "count": v,
                    "action": "pseudonymize" if session.mask else "none (pii=off)"}
                   for k, v in sorted(total.items())])
    df.write_json(ctx.artifact("log_chat_answers.json"))
    ctx.output("answers", df)
    ctx.finish(rows_in=len(questions), rows_out=df.height, masked=sum(total.values()),
               tokens=session.tokens, usd=round(session.usd, 6), pii="on" if session.mask
               else "off")
    return {"answers": df, "masked": total, "tokens": session.tokens, "usd": session.usd,
            "pii": session.mask}


def _markdown(text: str) -> str:
    """Return an answer's Markdown as HTML, every raw tag in it escaped (mistune, offline)."""
    import mistune

    return mistune.create_markdown(escape=True)(text)


def report(ctx) -> dict:
    """Stage 4: the investigation report: answers with evidence, changes, what was masked."""
    import html

    with ctx.connect(read_only=True) as con:
        answers = con.execute("SELECT * FROM log_chat_answers WHERE run_id = ? ORDER BY "
                              "question_no", [ctx.run_id]).pl()
        tpl = con.execute("SELECT * FROM log_chat_templates WHERE run_id = ? AND (is_new OR spike)"
                          " ORDER BY count DESC LIMIT 30", [ctx.run_id]).pl()
    blocks = []
    for r in answers.iter_rows(named=True):
        calls = json.loads(r["tool_calls"] or "[]")
        tools = ", ".join(f"{c['name']} ({c['rows']} rows{', cached' if c['cached'] else ''})"
                          for c in calls) or "none"
        origin = "offline planner (no model)" if r["source"] == "offline" else r["model"]
        blocks.append(
            f"<h3>{r['question_no']}. {html.escape(r['question'])}</h3>"
            f"<div class='answer'>{_markdown(r['answer'] or '')}</div>"
            f"<p><small>answered by {html.escape(origin)} · tools: {html.escape(tools)} · "
            f"{html.escape(evidence.masked_phrase(json.loads(r['masked'] or '{}')))}</small></p>")
    ctx.add_index_section("Investigation", "".join(blocks) or "<p>No questions.</p>", order=10)
    if tpl.height:
        rows = "".join(
            f"<tr><td>{html.escape(t['log_group'])}</td>"
            f"<td>{'new' if t['is_new'] else 'spike'}</td><td>{t['previous']} → {t['count']}</td>"
            f"<td><code>{html.escape(t['template'])}</code></td></tr>"
            for t in tpl.iter_rows(named=True))
        ctx.add_index_section("New templates and spikes", "<table class='wb'><tr><th>group</th>"
                              "<th>change</th><th>count</th><th>template</th></tr>" + rows
                              + "</table>", order=20)
    summary = {"questions": answers.height,
               "offline answers": int((answers["source"] == "offline").sum()) if answers.height
               else 0, "model answers": int((answers["source"] == "model").sum())
               if answers.height else 0, "tokens": int(answers["tokens"].sum() or 0)
               if answers.height else 0, "usd": float(answers["usd"].sum() or 0)
               if answers.height else 0.0, "changed templates": tpl.height}
    (ctx.artifact("log_chat_summary.json")).write_text(json.dumps(summary, indent=2))
    ctx.output("summary", summary)
    ctx.finish(rows_in=answers.height, rows_out=answers.height, **summary)
    return {"answers": answers, "changes": tpl, "summary": summary}
