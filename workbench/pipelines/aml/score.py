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
from .features import CLUSTER_FEATURES, CLUSTER_MEMBER_MAX, FEATURES, build_cluster_features
from .models import ModelBundle

DEFAULT_THREADS = 2


@dataclass
class Scored:
    """The outputs of scoring one batch."""

    alerts: pl.DataFrame  # alert_id, cluster_id, score, rank, rank_score, ranker_rank, reasons
    clusters: pl.DataFrame  # cluster_id, score, rank, alerts, max_alert_score
    explanations: pl.DataFrame  # alert_id, rank, position, feature, value, contribution, reason


def _matrix(df: pl.DataFrame, names: list[str]) -> np.ndarray:
    """Return the features as one C-ordered float64 matrix (LightGBM reads it without a copy)."""
    if df.height == 0:
        return np.zeros((0, len(names)))
    return df.select([pl.col(n).cast(pl.Float64) for n in names]).to_numpy(order="c")


def _ranks(values: np.ndarray) -> np.ndarray:
    """Return 1-based ranks, highest value first, ties by position (rows are in id order)."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[order] = np.arange(1, len(values) + 1)
    return ranks


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
    rank = _ranks(score)
    order = np.argsort(rank)
    out = feats.select("alert_id", "cluster_id").with_columns(
        pl.Series("score", score, dtype=pl.Float64), pl.Series("rank", rank),
        pl.Series("rank_score", rank_score, dtype=pl.Float64),
        pl.Series("ranker_rank", _ranks(rank_score)))
    return out[order]


def explain_top(features: pl.DataFrame, scored: pl.DataFrame, bundle: ModelBundle, top_k: int,
                *, n_reasons: int = 3, num_threads: int = DEFAULT_THREADS) -> pl.DataFrame:
    """Return the top contributing features (SHAP) of the ``top_k`` highest-scored alerts."""
    names = bundle.features("alert_scorer")
    top = scored.filter(pl.col("rank") <= top_k).select("alert_id", "rank", "score")
    rows = top.join(features, on="alert_id", how="left").sort("rank")
    return _explain_rows(rows["alert_id"].to_list(), rows["rank"].to_list(),
                         _matrix(rows, names), bundle, n_reasons, num_threads)


def _explain_rows(alert_ids: list[str], ranks: list[int], X: np.ndarray, bundle: ModelBundle,
                  n_reasons: int, num_threads: int) -> pl.DataFrame:
    """Return the explanation rows of alerts given their feature rows."""
    names = bundle.features("alert_scorer")
    contrib = lgbm.contributions(bundle.boosters["alert_scorer"], X, num_threads=num_threads)
    picks = explain.top_contributions(contrib, names, k=n_reasons)
    records = []
    for i, (alert_id, rank) in enumerate(zip(alert_ids, ranks)):
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
    alerts = _with_reasons(alerts, expl)
    clusters = score_clusters(features, cluster_base, alerts, bundle, num_threads=num_threads)
    return Scored(alerts=alerts, clusters=clusters, explanations=expl)


def _with_reasons(alerts: pl.DataFrame, expl: pl.DataFrame) -> pl.DataFrame:
    """Return the rank-ordered alerts with a ``reasons`` column (explained alerts only)."""
    by_rank: dict[int, list[str]] = {}
    for rank, reason in expl.sort(["rank", "position"]).select("rank", "reason").iter_rows():
        by_rank.setdefault(rank, []).append(reason)
    # alerts are in rank order, so the explained ones are the first rows
    alerts = alerts.with_columns(pl.Series("reasons", [
        "; ".join(by_rank[r]) if r in by_rank else None for r in range(1, len(by_rank) + 1)]
        + [None] * (alerts.height - len(by_rank)), dtype=pl.Utf8))
    return alerts


def _cluster_matrix(names: list[str], base: dict, cols: dict, acl: np.ndarray,
                    score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (present cluster codes, cluster feature matrix, highest alert score): the numbers
    ``build_cluster_features`` gives, from arrays (NaN-ignoring maxima, exact integer means)."""
    order = np.argsort(acl, kind="stable")
    k_sorted = acl[order]
    starts = np.flatnonzero(np.r_[True, k_sorted[1:] != k_sorted[:-1]])
    present = k_sorted[starts]
    count = np.diff(np.append(starts, len(order))).astype(np.float64)
    feats: dict[str, np.ndarray] = {n: v[present] for n, v in base.items()}
    for n in CLUSTER_MEMBER_MAX:
        feats[f"max_{n}"] = np.fmax.reduceat(cols[n][order], starts)
    s = score[order]
    feats["clu_score_max"] = np.maximum.reduceat(s, starts)
    total = np.add.reduceat(np.round(s * 1e12).astype(np.int64), starts)
    feats["clu_score_mean"] = total.astype(np.float64) / 1e12 / count
    X = np.empty((len(present), len(names)))
    for j, n in enumerate(names):
        X[:, j] = feats.get(n, np.nan)
    return present, X, feats["clu_score_max"]


def score_batch_arrays(batch, bundle: ModelBundle, *, top_k: int = 20, n_reasons: int = 3,
                       num_threads: int = DEFAULT_THREADS) -> Scored:
    """Return what ``build_features`` + ``score_all`` give for a batch, bit for bit, computed
    from the feature arrays directly (no feature frame: faster and about half the memory)."""
    from .features import (
        alert_cluster_ids,
        alert_matrix,
        cluster_names,
        coded_from_batch,
        compute,
    )

    coded, alert_ids, cl_values = coded_from_batch(batch)
    n_cl = coded.n_cl
    cols, base, acl = compute(coded)
    del coded
    names, rnames = bundle.features("alert_scorer"), bundle.features("alert_ranker")
    rX = None if rnames == names else alert_matrix(cols, rnames)
    # the matrix takes the columns one by one, so the feature arrays and it never coexist
    keep = set(CLUSTER_MEMBER_MAX)
    X = alert_matrix(cols, names, pop=lambda n: n not in keep)
    cols = {n: cols[n] for n in keep}
    score = lgbm.predict(bundle.boosters["alert_scorer"], X, num_threads=num_threads)
    rank_score = lgbm.predict(bundle.boosters["alert_ranker"], X if rX is None else rX,
                              raw_score=True, num_threads=num_threads)
    del rX
    rank = _ranks(score)
    order = np.empty(len(rank), dtype=np.int64)
    order[rank - 1] = np.arange(len(rank))  # rows by rank: the inverse permutation
    top = order[:max(0, top_k)]
    expl = _explain_rows(alert_ids.gather(top).to_list(), rank[top].tolist(), X[top], bundle,
                         n_reasons, num_threads)
    del X
    alerts = pl.DataFrame([alert_ids, alert_cluster_ids(alert_ids, cl_values, acl, n_cl),
                           pl.Series("score", score), pl.Series("rank", rank),
                           pl.Series("rank_score", rank_score),
                           pl.Series("ranker_rank", _ranks(rank_score))])[order]
    alerts = _with_reasons(alerts, expl)

    cnames = bundle.features("cluster_scorer")
    present, cX, max_score = _cluster_matrix(cnames, base, cols, acl, score)
    del cols
    cscore = lgbm.predict(bundle.boosters["cluster_scorer"], cX, num_threads=num_threads)
    ids = cluster_names(present, alert_ids, cl_values, n_cl)
    by_id = ids.arg_sort().to_numpy()  # ties in score go to the smaller cluster id
    id_rank = np.empty(len(ids), dtype=np.int64)
    id_rank[by_id] = np.arange(len(ids))
    corder = np.lexsort((id_rank, -cscore))
    clusters = pl.DataFrame([ids, pl.Series("score", cscore),
                             pl.Series("alerts", base["clu_alerts"][present].astype(np.int64)),
                             pl.Series("max_alert_score", max_score)])[corder].with_columns(
        pl.Series("rank", np.arange(1, len(ids) + 1, dtype=np.int64))).select(
        "cluster_id", "score", "rank", "alerts", "max_alert_score")
    return Scored(alerts=alerts, clusters=clusters, explanations=expl)


def cluster_phrase(feature: str, value: float | None) -> str:
    """Return the analyst-facing phrase of a cluster feature."""
    return phrase(feature, value, CLUSTER_FEATURES)


@dataclass
class RowScores:
    """Scores of a small batch computed without DataFrames (the API's fast path)."""

    alert_ids: list[str]  # in alert id order, like every array below
    cluster_ids: list[str]
    score: np.ndarray
    rank: np.ndarray
    rank_score: np.ndarray
    ranker_rank: np.ndarray
    reasons: dict[int, list[str]]  # row → reasons, for the top k by score


def score_rows(alerts: list, flows: list, clusters: list, accounts: list | None,
               bundle: ModelBundle, *, top_k: int = 20, n_reasons: int = 3,
               num_threads: int = 1) -> RowScores:
    """Return scores, ranks and top-k reasons of validated rows: the same numbers as
    ``score_alert_features`` and ``explain_top`` give for the same batch, without Polars."""
    from .features import alert_matrix, coded_from_rows, compute

    coded, alert_ids, cl_ids = coded_from_rows(alerts, flows, clusters, accounts)
    cols, _, acl = compute(coded)
    names = bundle.features("alert_scorer")
    X = alert_matrix(cols, names)
    score = lgbm.predict(bundle.boosters["alert_scorer"], X, num_threads=num_threads)
    rnames = bundle.features("alert_ranker")
    rX = X if rnames == names else alert_matrix(cols, rnames)
    rank_score = lgbm.predict(bundle.boosters["alert_ranker"], rX, raw_score=True,
                              num_threads=num_threads)
    rank = _ranks(score)
    top = np.argsort(rank)[:max(0, top_k)]
    reasons: dict[int, list[str]] = {}
    if len(top):
        contrib = lgbm.contributions(bundle.boosters["alert_scorer"], X[top],
                                     num_threads=num_threads)
        for i, picks in zip(top, explain.top_contributions(contrib, names, k=n_reasons)):
            reasons[int(i)] = [phrase(names[j], float(X[i, j])) for j, _ in picks]
    n_cl = coded.n_cl
    cluster_ids = [cl_ids[k] if k < n_cl else f"ALERT-{alert_ids[k - n_cl]}" for k in acl]
    return RowScores(alert_ids, cluster_ids, score, rank, rank_score, _ranks(rank_score),
                     reasons)
