"""The stages of ``trace_eval``: ingest → tier1 → tier2 → tier3 → alerts → report.

Bulk data lives in the Parquet lake (``trace_eval_traces`` and ``trace_eval_results``, one
partition per run), and the DuckDB tables of the same names are filled from it at the end of
each stage, so no stage holds a connection while it works and readers never wait.

Text is stored masked. Modules that need the raw text (``needs_raw``, e.g. ``pii_leak``: is
there PII in the output that was not in the prompt?) run in the ingest stage, in memory, on each
batch before it is masked; the other tier-1 modules run in the ``tier1`` stage on the stored
batches.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from ...errors import BadInput
from .ingest import QUARANTINE_SCHEMA, mask_traces, read_traces, trace_files
from .registry import TIER_SCHEMA, all_modules, evaluate_tier

TRACES = "trace_eval_traces"
LABEL_FILES = ("labels.jsonl", "labels.json")  # labels for training, not traces
RESULTS = "trace_eval_results"


def _parts(ctx, dataset: str, sub: str = "") -> Path:
    """Return (emptied) the folder of this run's part files of a lake dataset."""
    d = ctx.run_lake_path(dataset) / sub if sub else ctx.run_lake_path(dataset)
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    return d


def _load_table(ctx, table: str, folder: Path, key: dict | None = None) -> int:
    """Replace this run's rows of ``table`` (and ``key``) by the Parquet parts in ``folder``."""
    files = sorted(folder.glob("*.parquet"))
    key = {"run_id": ctx.run_id, **(key or {})}
    where = " AND ".join(f"{k} = ?" for k in key)
    with ctx.connect() as con:
        con.execute("BEGIN")
        con.execute(f"DELETE FROM {table} WHERE {where}", list(key.values()))
        n = 0
        if files:
            cols = [c for c in pl.read_parquet_schema(files[0])]
            names = ", ".join(f'"{c}"' for c in cols)
            glob = str(folder / "*.parquet")
            con.execute(f"INSERT INTO {table} (run_id, {names}) SELECT ?, {names} "
                        f"FROM read_parquet('{glob}')", [ctx.run_id])
            n = con.execute(f"SELECT count(*) FROM {table} WHERE {where}",
                            list(key.values())).fetchone()[0]
        con.execute("COMMIT")
    return n


def module_config(ctx) -> dict:
    """Return the per-module config overrides of the run (parameter ``modules``)."""
    return dict(ctx.params.get("modules") or {})


def ingest(ctx) -> dict:
    """Stage 1: read every input, quarantine bad lines, run raw-text modules, store masked."""
    if ctx.params.get("source") == "store":
        return ingest_store(ctx)
    if not ctx.inputs:
        raise BadInput("trace_eval needs traces: workbench run trace_eval --input FILE_OR_DIR")
    config = module_config(ctx)
    raw_modules = {n for n, m in all_modules(1).items() if getattr(m, "needs_raw", False)}
    traces_dir, raw_dir = _parts(ctx, TRACES), _parts(ctx, RESULTS, "tier=1-raw")
    quarantine, audit = [], {}
    totals = {"lines": 0, "traces": 0, "skipped_spans": 0, "blank_lines": 0}
    by_format: dict[str, int] = {}
    files = [f for f in trace_files(ctx.inputs) if f.name not in LABEL_FILES]
    if not files:
        raise BadInput(f"no trace files (*.jsonl, *.json, *.ndjson, *.gz) in {ctx.inputs}")
    for i, batch in enumerate(read_traces(files, batch_size=ctx.params["batch_size"])):
        totals["lines"] += batch.lines
        totals["blank_lines"] += batch.blank_lines
        totals["skipped_spans"] += batch.skipped_spans
        for k, v in batch.by_format.items():
            by_format[k] = by_format.get(k, 0) + v
        if batch.quarantine.height:
            quarantine.append(batch.quarantine)
        if not batch.traces.height:
            continue
        totals["traces"] += batch.traces.height
        if raw_modules:  # in memory, before masking: the raw text is never written
            raw = evaluate_tier(batch.traces, 1, config, only=raw_modules)
            raw.write_parquet(raw_dir / f"part-{i:05d}.parquet")
        masked, rows = mask_traces(batch.traces, settings=ctx.settings)
        for r in rows:
            k = (r["source"], r["entity_type"], r["action"])
            audit[k] = audit.get(k, 0) + r["count"]
        masked.write_parquet(traces_dir / f"part-{i:05d}.parquet")
        ctx.progress(totals["lines"], None, unit="lines")
    q = pl.concat(quarantine) if quarantine else pl.DataFrame(schema=QUARANTINE_SCHEMA)
    ctx.quarantine(q)
    ctx.pii_audit([{"source": s, "entity_type": e, "count": n, "action": a}
                   for (s, e, a), n in sorted(audit.items())])
    stored = _load_table(ctx, TRACES, traces_dir)
    ctx.output("traces", traces_dir)
    ctx.ledger("traces_ingested", detail={**totals, "by_format": by_format,
                                          "quarantined": q.height})
    ctx.finish(rows_in=totals["lines"], rows_out=stored, quarantined=q.height,
               skipped_spans=totals["skipped_spans"], by_format=by_format,
               masked=sum(audit.values()))
    return {**totals, "stored": stored, "by_format": by_format, "quarantine": q,
            "masked": sum(audit.values())}


def ingest_store(ctx) -> dict:
    """Stage 1, ``source=store``: the org's traces from the service's store, read-only.

    The service already masked the text and ran the raw-text modules at ingestion; their stored
    rows become this run's raw tier-1 rows. The store is opened ``mode=ro`` and read up to the
    snapshot taken at the start, so the server keeps writing meanwhile. A marker file in this
    run's lake partition names the org, so the service can show this run's tiers 2 and 3.
    """
    import json

    from .service.ingestion import STORE_MARKER, result_frame, trace_frame
    from .service.store import iso, now_us, parse_since, read_stored, store_path

    org, since = ctx.params["org"], parse_since(ctx.params.get("since"), name="since")
    raw_modules = {n for n, m in all_modules(1).items() if getattr(m, "needs_raw", False)}
    traces_dir, raw_dir = _parts(ctx, TRACES), _parts(ctx, RESULTS, "tier=1-raw")
    total, snapshot, started, by_format = 0, 0, now_us(), {}
    for i, (rows, results, snapshot) in enumerate(
            read_stored(ctx.settings, org, since, ctx.params["batch_size"])):
        batch = trace_frame(rows, org)
        batch.write_parquet(traces_dir / f"part-{i:05d}.parquet")
        raw = result_frame([r for r in results if r[2] in raw_modules])
        raw.write_parquet(raw_dir / f"part-{i:05d}.parquet")
        total += batch.height
        for fmt, n in batch["source_format"].value_counts().iter_rows():
            by_format[fmt] = by_format.get(fmt, 0) + n
        ctx.progress(total, None, unit="traces")
    (traces_dir / STORE_MARKER).write_text(json.dumps(
        {"org": org, "since": iso(since), "snapshot_seq": snapshot, "snapshot_at": started}))
    stored = _load_table(ctx, TRACES, traces_dir)
    detail = {"source": "store", "store": str(store_path(ctx.settings)), "org": org,
              "since": iso(since), "snapshot_seq": snapshot, "traces": total,
              "by_format": by_format}
    ctx.ledger("traces_ingested", detail=detail)
    ctx.finish(rows_in=total, rows_out=stored, quarantined=0, by_format=by_format,
               source="store", org=org, snapshot_seq=snapshot)
    return {"lines": 0, "traces": total, "skipped_spans": 0, "blank_lines": 0,
            "stored": stored, "by_format": by_format, "masked": 0, "source": "store", "org": org,
            "quarantine": pl.DataFrame(schema=QUARANTINE_SCHEMA)}


def stored_traces(ctx) -> list[Path]:
    """Return this run's part files of masked traces (one per ingest batch)."""
    return sorted(ctx.run_lake_path(TRACES).glob("*.parquet"))


def prior_results(ctx, below: int) -> pl.DataFrame:
    """Return this run's result rows of the tiers before ``below``."""
    parts = [p for t in range(1, below) for p in
             sorted((ctx.run_lake_path(RESULTS) / f"tier={t}").glob("*.parquet"))]
    return pl.concat([pl.read_parquet(p) for p in parts]) if parts else pl.DataFrame(
        schema=TIER_SCHEMA)


def run_tier(ctx, tier: int, *, context: dict | None = None) -> pl.DataFrame:
    """Evaluate every module of ``tier`` over the stored batches; store and return its rows."""
    config = module_config(ctx)
    out_dir = _parts(ctx, RESULTS, f"tier={tier}")
    prior_all = prior_results(ctx, tier) if tier > 1 else None
    skip = {n for n, m in all_modules(tier).items() if getattr(m, "needs_raw", False)}
    if tier == 1:  # the raw-text modules already ran at ingest
        for p in sorted((ctx.run_lake_path(RESULTS) / "tier=1-raw").glob("*.parquet")):
            shutil.copy(p, out_dir / f"raw-{p.name}")
    files = stored_traces(ctx)
    for i, path in enumerate(files):
        batch = pl.read_parquet(path)
        prior = (prior_all.filter(pl.col("trace_id").is_in(batch["trace_id"].implode()))
                 if prior_all is not None else None)
        rows = evaluate_tier(batch, tier, config, prior=prior, skip=skip, context=context)
        rows.write_parquet(out_dir / f"part-{i:05d}.parquet")
        ctx.progress(i + 1, len(files), unit="batches")
    parts = sorted(out_dir.glob("*.parquet"))
    results = pl.concat([pl.read_parquet(p) for p in parts]) if parts else pl.DataFrame(
        schema=TIER_SCHEMA)
    _load_table(ctx, RESULTS, out_dir, key={"tier": tier})
    ctx.output(f"tier{tier}", results)
    return results


def _summary(rows: pl.DataFrame) -> pl.DataFrame:
    """Return per module: traces evaluated, flagged, failure rate, worst severity counts."""
    if rows.is_empty():
        return pl.DataFrame(schema={"module": pl.Utf8, "evaluated": pl.Int64, "flagged": pl.Int64,
                                    "failure_rate": pl.Float64})
    return (rows.group_by("module", maintain_order=True).agg(
        pl.col("passed").is_not_null().sum().cast(pl.Int64).alias("evaluated"),
        pl.col("passed").not_().sum().cast(pl.Int64).alias("flagged"))
        .with_columns((pl.col("flagged") / pl.col("evaluated").clip(1)).round(4)
                      .alias("failure_rate")).sort("module"))


def tier1(ctx) -> dict:
    """Stage 2: the rule modules over every trace (raw-text ones already ran at ingest)."""
    rows = run_tier(ctx, 1)
    table = _summary(rows)
    ctx.finish(rows_in=len(stored_traces(ctx)), rows_out=rows.height,
               flagged=int(table["flagged"].sum() or 0))
    return {"results": rows, "by_module": table}


def tier2(ctx) -> dict:
    """Stage 3: the risk classifier (train on a labels file with train=true, else the default)."""
    config = module_config(ctx)
    metrics = None
    if ctx.params["train"]:
        path, metrics = train_risk_model(ctx)
        config = {**config, "risk_model": {**config.get("risk_model", {}),
                                           "model_path": str(path)}}
        ctx.params = {**ctx.params, "modules": config}
    rows = run_tier(ctx, 2, context=ctx)
    from .risk_model import load_model

    model_path = (config.get("risk_model") or {}).get("model_path") or None
    meta_metrics = metrics or load_model(model_path).metadata.get("metrics", {})
    ctx.finish(rows_in=len(stored_traces(ctx)), rows_out=rows.height,
               flagged=int(rows["passed"].not_().sum()), trained=metrics is not None)
    return {"results": rows, "by_module": _summary(rows), "metrics": meta_metrics,
            "trained": metrics is not None}


def labels_path(ctx) -> Path:
    """Return the labels file: the ``labels`` parameter, else a labels.jsonl among the inputs."""
    if ctx.params["labels"]:
        p = Path(ctx.params["labels"]).expanduser()
        if not p.is_file():
            raise BadInput(f"labels file not found: {p} (--param labels=PATH of JSON lines "
                           "{trace_id, label})")
        return p
    for i in ctx.inputs:
        for cand in ([i] if i.is_file() else sorted(i.rglob("labels.jsonl"))):
            if cand.name in LABEL_FILES:
                return cand
    raise BadInput("train=true needs labels: --param labels=PATH (JSON lines {trace_id, "
                   "label}) or a labels.jsonl among the inputs")


def train_risk_model(ctx) -> tuple[Path, dict]:
    """Train the tier-2 model on this run's traces, tier-1 results and labels; return its path."""
    from .risk_model import save_model, train

    labels = pl.read_ndjson(labels_path(ctx), schema_overrides={"trace_id": pl.Utf8})
    if "label" not in labels.columns:
        raise BadInput("the labels file needs a 'label' (0/1) per trace_id")
    traces = pl.concat([pl.read_parquet(p) for p in stored_traces(ctx)])
    model, metrics = train(traces, prior_results(ctx, 2), labels.select("trace_id", "label"),
                           seed=7, folds=5)
    path = ctx.settings.data_dir / "models" / "trace_eval" / ctx.run_id / "risk_model.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    save_model(model, path)
    ctx.ledger("risk_model_trained", detail={k: metrics.get(k) for k in ("auc", "pr_auc",
                                                                         "brier")})
    return path, metrics


def tier3(ctx) -> dict:
    """Stage 4: the LLM judge on escalated traces only (offline: 'not judged (offline)')."""
    from .registry import evaluate_module, get_module

    out_dir = _parts(ctx, RESULTS, "tier=3")
    prior_all = prior_results(ctx, 3)
    config = module_config(ctx)
    details, calls = [], []
    for i, path in enumerate(stored_traces(ctx)):
        batch = pl.read_parquet(path)
        judge = get_module("llm_judge", config.get("llm_judge")).bind(ctx)
        prior = prior_all.filter(pl.col("trace_id").is_in(batch["trace_id"].implode()))
        evaluate_module(judge, batch, prior=prior).write_parquet(out_dir / f"part-{i:05d}.parquet")
        details.append(judge.details)
        calls.append(judge.calls)
    parts = sorted(out_dir.glob("*.parquet"))
    rows = pl.concat([pl.read_parquet(p) for p in parts]) if parts else pl.DataFrame(
        schema=TIER_SCHEMA)
    _load_table(ctx, RESULTS, out_dir, key={"tier": 3})
    details = pl.concat(details) if details else None
    calls = pl.concat(calls) if calls else None
    if details is not None:
        details.write_parquet(ctx.run_lake_path(RESULTS) / "judge_details.parquet")
    judged = int(rows["passed"].is_not_null().sum()) if rows.height else 0
    ctx.output("tier3", rows)
    ctx.finish(rows_in=rows.height, rows_out=judged,
               escalated=0 if calls is None else calls.height)
    return {"results": rows, "details": details, "calls": calls, "judged": judged}


def alerts(ctx) -> dict:
    """Stage 5: alert rules over all tiers' results, routed, deduplicated and delivered."""
    from datetime import UTC, datetime

    from ... import store
    from .alerts import DuckDBState, channels_from_settings, dispatch, evaluate_alerts, load_rules

    rules = load_rules(ctx.params["alert_rules"] or None)
    results = prior_results(ctx, 4).with_columns(pl.lit(ctx.run_id).alias("run_id"))
    traces = pl.concat([pl.read_parquet(p, columns=["trace_id", "model", "started_at",
                                                    "response"]) for p in stored_traces(ctx)]) \
        if stored_traces(ctx) else None
    now = datetime.now(UTC)
    found = evaluate_alerts(results, traces, rules, now)
    state = DuckDBState(lambda: store.connect(ctx.settings))
    with ctx.connect() as con:  # a re-run of this stage replaces its own delivery rows
        con.execute("DELETE FROM trace_eval_alerts WHERE run_id = ?", [ctx.run_id])
    log = dispatch(found, channels_from_settings(ctx.settings), state, now, ctx.run_id, rules)
    ctx.output("alerts", log.drop("delivered_at") if "delivered_at" in log.columns else log)
    ctx.ledger("alerts_dispatched", detail={"alerts": len(found), "rows": log.height})
    ctx.finish(rows_in=results.height, rows_out=len(found), deliveries=log.height)
    return {"alerts": found, "log": log}


def report(ctx) -> dict:
    """Stage 6: the evaluation report, ``results.parquet`` and ``summary.json``."""
    from .reporting import build_evidence, index_section, write_artifacts

    files = stored_traces(ctx)
    traces = pl.concat([pl.read_parquet(p) for p in files]) if files else pl.DataFrame()
    results = prior_results(ctx, 4).with_columns(pl.lit(ctx.run_id).alias("run_id"))
    with ctx.connect(read_only=True) as con:
        alerts = con.execute("SELECT * FROM trace_eval_alerts WHERE run_id = ?",
                             [ctx.run_id]).pl()
        tokens, usd = con.execute("SELECT coalesce(sum(tokens_in + tokens_out), 0), "
                                  "coalesce(sum(usd), 0) FROM ledger WHERE run_id = ?",
                                  [ctx.run_id]).fetchone()
    ev = build_evidence(ctx.run_id, traces, results, alerts,
                        {"tokens": int(tokens), "usd": float(usd)})
    write_artifacts(ev, results, ctx.run_dir)
    ctx.add_index_section("Evaluation", index_section(ev), order=10)
    ctx.output("summary", ev.summary)
    ctx.finish(rows_in=results.height, rows_out=traces.height, traces=ev.summary["traces"]["total"], alerts=ev.summary["alerts"]["alerts"], usd=ev.summary["cost"]["usd"])
    return {"evidence": ev}
