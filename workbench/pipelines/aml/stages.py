"""Stage functions of the ``aml`` pipeline: features → train → score → report.

Each takes the stage context, reads what earlier stages wrote to the run's lake partitions,
writes its own outputs idempotently (replace, never append) and ends with ``ctx.finish``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ...errors import BadInput
from ...report import write_csv, write_json

DATASETS = ("aml_alert_features", "aml_cluster_base", "aml_labels", "aml_scores",
            "aml_cluster_scores", "aml_explanations")


def _read(ctx, dataset: str) -> pl.DataFrame | None:
    path = ctx.run_lake_path(dataset)
    files = sorted(path.rglob("*.parquet")) if path.is_dir() else []
    return pl.read_parquet(files) if files else None


def _need(ctx, dataset: str) -> pl.DataFrame:
    df = _read(ctx, dataset)
    if df is None:
        raise BadInput(f"run {ctx.run_id} has no {dataset}: run the earlier stages first")
    return df


def _params(ctx):
    from .pipeline import AmlParams

    return AmlParams.model_validate(ctx.params or {})


@dataclass
class FeatureResult:
    """What the features stage produced."""

    features: pl.DataFrame
    clusters: pl.DataFrame
    quarantine: pl.DataFrame
    checks: list[dict]


def features(ctx) -> FeatureResult:
    """Read and validate the batch, quarantine bad rows, build features into the lake."""
    from .batch import read_batch
    from .features import build_features

    if not ctx.inputs:
        raise BadInput("aml needs a batch folder: workbench run aml --input BATCH_DIR")
    batch = read_batch(ctx.inputs[0])
    ctx.quarantine(batch.quarantine)
    feats, clusters = build_features(batch)
    ctx.write_lake("aml_alert_features", feats)
    ctx.write_lake("aml_cluster_base", clusters)
    labels = batch.labels if batch.has_labels else pl.DataFrame(
        schema={"alert_id": pl.Utf8, "is_suspicious": pl.Boolean})
    ctx.write_lake("aml_labels", labels)
    checks = batch.checks()
    write_json(ctx.artifact("aml_data_checks.json"), {"batch": Path(batch.source).name,
                                                       "tables": checks})
    ctx.output("features", feats)
    ctx.output("clusters", clusters)
    ctx.ledger("features_built", detail={"alerts": feats.height, "clusters": clusters.height,
                                         "quarantined": batch.quarantine.height})
    ctx.finish(rows_in=batch.rows_in.get("alerts", 0), rows_out=feats.height,
               quarantined=batch.quarantine.height, clusters=clusters.height,
               labels=labels.height)
    return FeatureResult(feats, clusters, batch.quarantine, checks)


def train(ctx) -> dict:
    """Train new models (train=true) or evaluate the active ones on the batch's labels."""
    from ...scoring import metrics
    from .models import load_bundle, mark_latest, resolve_dir, run_model_dir
    from .score import score_alert_features
    from .train import TrainOptions, train_models

    p = _params(ctx)
    feats = _need(ctx, "aml_alert_features")
    labels = _read(ctx, "aml_labels")
    has_labels = labels is not None and labels.height > 0
    if p.train:
        if not has_labels:
            raise BadInput("train=true needs labels.parquet (alert_id, is_suspicious) in the batch")
        trained = train_models(feats, labels, _need(ctx, "aml_cluster_base"),
                               TrainOptions(seed=p.seed, folds=p.folds, tune=p.tune,
                                            n_trials=p.n_trials))
        out_dir = run_model_dir(ctx.settings, ctx.run_id)
        paths = trained.save(out_dir)
        mark_latest(ctx.settings, out_dir)
        rows = pl.DataFrame([{
            "run_id": ctx.run_id, "kind": k, "version": m["version"], "path": str(paths[k]),
            "model_sha256": json.loads(paths[k].with_suffix(".json").read_text())["model_sha256"],
            "data_hash": m["data_hash"], "metrics": json.dumps(m["metrics"], sort_keys=True),
            "trained_at": json.loads(paths[k].with_suffix(".json").read_text())["trained_at"]}
            for k, m in trained.metadata.items()])
        ctx.replace_rows("aml_models", rows)
        summary = {"mode": "trained", "model_dir": str(out_dir),
                   **{k: m["metrics"] for k, m in trained.metadata.items()},
                   "baselines": trained.metadata["alert_scorer"]["baselines"],
                   "features_selected": trained.boosters["alert_scorer"].num_feature()}
        for k in paths:
            ctx.output(k, paths[k])
        ctx.ledger("model_trained", decision="accept",
                   detail={"model_dir": str(out_dir), "tune": p.tune, "seed": p.seed})
    elif has_labels:
        directory, source = resolve_dir(ctx.settings, ctx.run_id)
        bundle = load_bundle(directory, source)
        scored = score_alert_features(feats, bundle, num_threads=p.num_threads)
        joined = scored.join(labels, on="alert_id").sort("alert_id")
        y = joined["is_suspicious"].cast(pl.Int8).to_numpy()
        s = joined["score"].to_numpy()
        summary = {"mode": "evaluated", "model_source": source,
                   "alert_scorer": metrics.binary_metrics(y, s, (10, 20, 50, 100)),
                   "calibration": metrics.calibration(y, s)}
        ctx.ledger("model_evaluated", detail={"source": source, "auc": summary["alert_scorer"]
                                              ["auc"]})
    else:
        summary = {"mode": "skipped", "reason": "no labels and train=false"}
        ctx.ledger("skip", decision="skip", detail=summary)
    write_json(ctx.artifact("aml_training.json"), summary)
    ctx.output("training", summary)
    ctx.finish(rows_in=feats.height, rows_out=feats.height, mode=summary["mode"])
    return summary


def score(ctx):
    """Score, rank and explain the batch's alerts and score its clusters; write the outputs."""
    from .models import load_bundle, resolve_dir
    from .score import score_all

    p = _params(ctx)
    feats = _need(ctx, "aml_alert_features")
    directory, source = resolve_dir(ctx.settings, ctx.run_id)
    bundle = load_bundle(directory, source)
    scored = score_all(feats, _need(ctx, "aml_cluster_base"), bundle, top_k=p.top_k,
                       num_threads=p.num_threads)
    sha = bundle.metadata["alert_scorer"]["model_sha256"]
    ctx.write_lake("aml_scores", scored.alerts)
    ctx.write_lake("aml_cluster_scores", scored.clusters)
    ctx.write_lake("aml_explanations", scored.explanations)
    top = scored.alerts.filter(pl.col("rank") <= p.top_k).select(
        pl.lit(ctx.run_id).alias("run_id"), "alert_id", "rank", "score", "cluster_id",
        "reasons", pl.lit(sha).alias("model_sha256"))
    ctx.replace_rows("aml_top_alerts", top)
    write_csv(ctx.artifact("aml_scores.csv"), scored.alerts)
    write_csv(ctx.artifact("aml_cluster_scores.csv"), scored.clusters)
    ctx.output("scores", scored.alerts)
    ctx.output("cluster_scores", scored.clusters)
    ctx.output("explanations", scored.explanations)
    ctx.ledger("scored", model=f"lightgbm:{sha[:12]}",
               detail={"model_source": source, "alerts": scored.alerts.height,
                       "clusters": scored.clusters.height, "top_k": p.top_k})
    ctx.finish(rows_in=feats.height, rows_out=scored.alerts.height, model_source=source,
               model_sha256=sha, clusters=scored.clusters.height)
    return scored


def report(ctx):
    """Write the report artifacts (aml_report.json) and the run index section; return evidence."""
    from .models import load_bundle, resolve_dir
    from .reporting import build_evidence, index_html

    scores = _need(ctx, "aml_scores")
    clusters = _need(ctx, "aml_cluster_scores")
    expl = _need(ctx, "aml_explanations")
    labels = _read(ctx, "aml_labels")
    directory, source = resolve_dir(ctx.settings, ctx.run_id)
    bundle = load_bundle(directory, source)
    checks_path = ctx.artifact("aml_data_checks.json")
    checks = json.loads(checks_path.read_text()) if checks_path.exists() else {}
    training_path = ctx.artifact("aml_training.json")
    training = json.loads(training_path.read_text()) if training_path.exists() else {}
    ev = build_evidence(scores, clusters, expl, labels, bundle, checks, training)
    write_json(ctx.artifact("aml_report.json"), ev.summary)
    ctx.add_index_section("AML: highest-risk alerts", index_html(ev), order=20)
    ctx.output("report", ev.summary)
    ctx.finish(rows_in=scores.height, rows_out=min(scores.height, 20),
               quarantined=sum(t.get("quarantined", 0) for t in checks.get("tables", [])))
    return ev
