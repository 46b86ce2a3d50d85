"""Scoring: alert scores and ranks, ranker order, cluster scores, SHAP reasons for the top k.

Deterministic by construction: features come from exact, order-free aggregations and are sorted
by id; LightGBM predicts each row on its own (the thread count cannot change a row's value);
ties in rank are broken by id. So a batch gives bitwise the same output in any row order.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ...scoring import explain, lgbm
from .features import CLUSTER_FEATURES, FEATURES, build_cluster_features
from .models import ModelBundle

DEFAULT_THREADS = 2


@dataclass
class Scored:
    """The outputs of scoring one batch."""

    alerts: pl.DataFrame  # alert_id, cluster_id, score, rank, rank_score, ranker_rank, reasons
    clusters: pl.DataFrame  # cluster_id, score, rank, alerts, max_alert_score
    explanations: pl.DataFrame  # alert_id, rank, position, feature, value, contribution, reason


def _matrix(df: pl.DataFrame, names: list[str]) -> np.ndarray:
    if df.height == 0:
        return np.zeros((0, len(names)))
    return df.select([pl.col(n).cast(pl.Float64) for n in names]).to_numpy()


def phrase(feature: str, value: float | None, docs: dict = FEATURES) -> str:
    """Return the analyst-facing phrase of a feature at a value.

    >>> phrase("net_in_degree", 23.0)
    'money arrived from 23 distinct senders'
    """
    template = docs.get(feature, ("", feature, feature))[2]
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return template.split("{")[0].strip() or feature
    try:
        return template.format(v=value)
    except (ValueError, KeyError):
        return template


def score_alert_features(features: pl.DataFrame, bundle: ModelBundle, *,
                         num_threads: int = DEFAULT_THREADS) -> pl.DataFrame:
    """Return alert_id, cluster_id, score, rank, rank_score and ranker_rank for every alert."""
    feats = features.sort("alert_id")
    X = _matrix(feats, bundle.features("alert_scorer"))
    score = lgbm.predict(bundle.boosters["alert_scorer"], X, num_threads=num_threads)
    rX = X if bundle.features("alert_ranker") == bundle.features("alert_scorer") else \
        _matrix(feats, bundle.features("alert_ranker"))
    rank_score = lgbm.predict(bundle.boosters["alert_ranker"], rX, raw_score=True,
                              num_threads=num_threads)
    out = feats.select("alert_id", "cluster_id").with_columns(
        pl.Series("score", score, dtype=pl.Float64),
        pl.Series("rank_score", rank_score, dtype=pl.Float64))
    out = out.sort(["score", "alert_id"], descending=[True, False]).with_row_index("rank", 1)
    out = out.sort(["rank_score", "alert_id"], descending=[True, False]) \
        .with_row_index("ranker_rank", 1)
    return out.select("alert_id", "cluster_id", "score", pl.col("rank").cast(pl.Int64),
                      "rank_score", pl.col("ranker_rank").cast(pl.Int64)).sort("rank")


def explain_top(features: pl.DataFrame, scored: pl.DataFrame, bundle: ModelBundle, top_k: int,
                *, n_reasons: int = 3, num_threads: int = DEFAULT_THREADS) -> pl.DataFrame:
    """Return the top contributing features (SHAP) of the ``top_k`` highest-scored alerts."""
    names = bundle.features("alert_scorer")
    top = scored.filter(pl.col("rank") <= top_k).select("alert_id", "rank", "score")
    rows = top.join(features, on="alert_id", how="left").sort("rank")
    X = _matrix(rows, names)
    contrib = lgbm.contributions(bundle.boosters["alert_scorer"], X, num_threads=num_threads)
    picks = explain.top_contributions(contrib, names, k=n_reasons)
    records = []
    for i, (alert_id, rank) in enumerate(zip(rows["alert_id"], rows["rank"])):
        margin = float(contrib[i].sum())
        for pos, (j, c) in enumerate(picks[i], 1):
            value = float(X[i, j])
            records.append({"alert_id": alert_id, "rank": int(rank), "position": pos,
                            "feature": names[j], "value": None if np.isnan(value) else value,
                            "contribution": c, "raw_margin": margin,
                            "reason": phrase(names[j], value)})
    schema = {"alert_id": pl.Utf8, "rank": pl.Int64, "position": pl.Int64, "feature": pl.Utf8,
              "value": pl.Float64, "contribution": pl.Float64, "raw_margin": pl.Float64,
              "reason": pl.Utf8}
    return pl.DataFrame(records, schema=schema)


def score_clusters(features: pl.DataFrame, cluster_base: pl.DataFrame, alert_scores: pl.DataFrame,
                   bundle: ModelBundle, *, num_threads: int = DEFAULT_THREADS) -> pl.DataFrame:
    """Return cluster_id, score, rank, alerts and the highest alert score of every cluster."""
    cf = build_cluster_features(features, cluster_base, alert_scores)
    names = bundle.features("cluster_scorer")
    score = lgbm.predict(bundle.boosters["cluster_scorer"], _matrix(cf, names),
                         num_threads=num_threads)
    out = cf.select("cluster_id", pl.col("clu_alerts").cast(pl.Int64).alias("alerts"),
                    pl.col("clu_score_max").alias("max_alert_score")).with_columns(
        pl.Series("score", score, dtype=pl.Float64))
    return out.sort(["score", "cluster_id"], descending=[True, False]).with_row_index(
        "rank", 1).select("cluster_id", "score", pl.col("rank").cast(pl.Int64), "alerts",
                          "max_alert_score")


def score_all(features: pl.DataFrame, cluster_base: pl.DataFrame, bundle: ModelBundle, *,
              top_k: int = 20, num_threads: int = DEFAULT_THREADS) -> Scored:
    """Return alert scores with reasons for the top k, explanations and cluster scores."""
    alerts = score_alert_features(features, bundle, num_threads=num_threads)
    expl = explain_top(features, alerts, bundle, top_k, num_threads=num_threads)
    reasons = expl.sort(["rank", "position"]).group_by("alert_id", maintain_order=True).agg(
        pl.col("reason").str.join("; ").alias("reasons"))
    alerts = alerts.join(reasons, on="alert_id", how="left").sort("rank")
    clusters = score_clusters(features, cluster_base, alerts, bundle, num_threads=num_threads)
    return Scored(alerts=alerts, clusters=clusters, explanations=expl)


def cluster_phrase(feature: str, value: float | None) -> str:
    """Return the analyst-facing phrase of a cluster feature."""
    return phrase(feature, value, CLUSTER_FEATURES)
