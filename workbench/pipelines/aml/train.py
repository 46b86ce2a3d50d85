"""Training: alert scorer (binary), alert ranker (lambdarank by day), cluster scorer, baselines.

Each model is cross-validated with early stopping; the scorer's features are selected by
importance and correlation first, and its out-of-fold scores feed the cluster scorer so the
cluster model never sees in-sample scores. Optional seeded Optuna tuning. Every step is seeded
and single-threaded, so the same data and seed give the same model files.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from ...errors import BadInput
from ...scoring import lgbm, metrics
from .features import ALERT_FEATURES, CLUSTER_FEATURES, build_cluster_features

MODEL_VERSION = "1.0.0"
KINDS = ("alert_scorer", "alert_ranker", "cluster_scorer")
K_VALUES = (10, 20, 50, 100)


@dataclass
class TrainOptions:
    """Knobs of one training run (recorded in each model's metadata)."""

    seed: int = 7
    folds: int = 5
    tune: bool = False
    n_trials: int = 15
    max_rounds: int = 400
    early_stopping: int = 30
    min_rounds: int = 50  # early stopping may not cut a model below this many trees
    max_corr: float = 0.95


@dataclass
class Trained:
    """Trained boosters, their metadata and the evaluation a report shows."""

    boosters: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)
    oof: pl.DataFrame | None = None  # alert_id, label, oof_score, baseline scores

    def save(self, out_dir: Path) -> dict[str, Path]:
        """Write every model (``<kind>.txt`` + ``<kind>.json``) into ``out_dir``; return paths."""
        out = {}
        for kind, booster in self.boosters.items():
            out[kind], _ = lgbm.save(booster, Path(out_dir) / f"{kind}.txt", self.metadata[kind])
        return out


def labeled(features: pl.DataFrame, labels: pl.DataFrame) -> pl.DataFrame:
    """Return alert features joined to labels (``label`` 0/1), sorted by day then alert id."""
    if labels is None or labels.height == 0:
        raise BadInput("training needs labels: add labels.parquet (alert_id, is_suspicious) "
                       "to the batch")
    df = features.join(labels.select("alert_id", pl.col("is_suspicious").cast(pl.Int8)
                                     .alias("label")), on="alert_id", how="inner")
    if df.height < 50 or df["label"].n_unique() < 2:
        raise BadInput(f"training needs at least 50 labeled alerts of both classes; got "
                       f"{df.height} with {int(df['label'].sum() or 0)} suspicious")
    return df.sort(["day", "alert_id"])


def _matrix(df: pl.DataFrame, names) -> np.ndarray:
    return df.select([pl.col(n).cast(pl.Float64) for n in names]).to_numpy()


def _fit_binary(X, y, names, opts: TrainOptions, overrides: dict):
    """Return (final booster, CV result, params) for a binary model."""
    params = lgbm.deterministic_params("binary", seed=opts.seed, **overrides)
    folds = lgbm.stratified_folds(y, opts.folds, opts.seed)
    cv = lgbm.cross_validate(X, y, names, params, folds=folds, num_boost_round=opts.max_rounds,
                             early_stopping_rounds=opts.early_stopping,
                             min_rounds=opts.min_rounds)
    final = lgbm.train(X, y, names, params, num_boost_round=cv.best_iteration)
    return final, cv, params


def _tune_binary(X, y, names, opts: TrainOptions) -> tuple[dict, list[dict]]:
    from sklearn.metrics import roc_auc_score

    from ...scoring.tune import tune

    folds = lgbm.stratified_folds(y, min(opts.folds, 3), opts.seed)

    def objective(point: dict) -> float:
        params = lgbm.deterministic_params("binary", seed=opts.seed, **point)
        cv = lgbm.cross_validate(X, y, names, params, folds=folds,
                                 num_boost_round=opts.max_rounds,
                                 early_stopping_rounds=opts.early_stopping,
                                 min_rounds=opts.min_rounds)
        return float(roc_auc_score(y, cv.oof))

    return tune(objective, n_trials=opts.n_trials, seed=opts.seed)


def baselines(df: pl.DataFrame, folds: np.ndarray, names) -> dict[str, np.ndarray]:
    """Return out-of-fold scores of the rules-only baseline and a logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    # rules only: the rule engine's severity, then the amount, as an analyst queue would sort
    rules = (df["alert_severity"].fill_null(1).to_numpy() * 100.0
             + df["alert_amount_log"].fill_null(0).to_numpy())
    X = np.nan_to_num(_matrix(df, names))
    y = df["label"].to_numpy()
    logit = np.zeros(len(y))
    for f in np.unique(folds):
        tr, va = folds != f, folds == f
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=1.0))
        model.fit(X[tr], y[tr])
        logit[va] = model.predict_proba(X[va])[:, 1]
    return {"rules_only": rules, "logistic_regression": logit}


def train_models(features: pl.DataFrame, labels: pl.DataFrame, cluster_base: pl.DataFrame,
                 opts: TrainOptions | None = None) -> Trained:
    """Return the three trained models with metadata (metrics, baseline, data hash, params)."""
    from ...scoring.select import select_features

    opts = opts or TrainOptions()
    df = labeled(features, labels)
    y = df["label"].to_numpy().astype(np.float64)
    names_all = list(ALERT_FEATURES)
    X_all = _matrix(df, names_all)
    tuned, trials = {}, []
    if opts.tune:
        tuned, trials = _tune_binary(X_all, y, names_all, opts)
    # feature selection: importance of a full fit, minus correlated duplicates
    probe = lgbm.train(X_all, y, names_all, lgbm.deterministic_params(
        "binary", seed=opts.seed, **tuned), num_boost_round=100)
    names = select_features(X_all, names_all, lgbm.importance(probe), max_corr=opts.max_corr)
    X = _matrix(df, names)
    scorer, cv, params = _fit_binary(X, y, names, opts, tuned)
    oof_prob = 1.0 / (1.0 + np.exp(-cv.oof))
    scorer_metrics = metrics.binary_metrics(y, oof_prob, K_VALUES)
    base = baselines(df, cv.folds, names)
    base_metrics = {k: metrics.binary_metrics(y, v, K_VALUES) for k, v in base.items()}
    data_hash = lgbm.data_hash(X, y, names)
    common = {"version": MODEL_VERSION, "seed": opts.seed, "folds": opts.folds,
              "training_rows": len(y), "positives": int(y.sum()), "data_hash": data_hash}
    trained = Trained()
    trained.boosters["alert_scorer"] = scorer
    trained.metadata["alert_scorer"] = {
        **common, "kind": "alert_scorer", "objective": "binary", "params": params,
        "best_iterations": cv.best_iterations, "metrics": scorer_metrics,
        "baselines": base_metrics, "calibration": metrics.calibration(y, oof_prob),
        "features_considered": names_all, "tuning": {"enabled": opts.tune, "best": tuned,
                                                     "trials": trials},
        "importance": lgbm.importance(scorer)}

    # ranker: lambdarank with one query per alert day
    groups = df["day"].cast(pl.Int32).to_numpy()
    day_fold = (groups - groups.min()) % opts.folds
    rparams = lgbm.deterministic_params("lambdarank", seed=opts.seed, min_data_in_leaf=10,
                                        lambdarank_truncation_level=20, eval_at=[20])
    rcv = lgbm.cross_validate(X, y, names, rparams, folds=day_fold, groups=groups,
                              num_boost_round=opts.max_rounds,
                              early_stopping_rounds=opts.early_stopping,
                              min_rounds=opts.min_rounds)
    ranker = lgbm.train(X, y, names, rparams, num_boost_round=rcv.best_iteration,
                        group=lgbm.group_sizes(groups))
    ndcg = {f"ndcg_at_{k}": metrics.ndcg_by_group(y, rcv.oof, groups, k) for k in (10, 20)}
    ndcg_scorer = {f"ndcg_at_{k}": metrics.ndcg_by_group(y, cv.oof, groups, k) for k in (10, 20)}
    ndcg_rules = {f"ndcg_at_{k}": metrics.ndcg_by_group(y, base["rules_only"], groups, k)
                  for k in (10, 20)}
    trained.boosters["alert_ranker"] = ranker
    trained.metadata["alert_ranker"] = {
        **common, "kind": "alert_ranker", "objective": "lambdarank", "group": "day",
        "params": rparams, "best_iterations": rcv.best_iterations, "metrics": ndcg,
        "baselines": {"alert_scorer": ndcg_scorer, "rules_only": ndcg_rules},
        "importance": lgbm.importance(ranker)}

    # cluster scorer on out-of-fold alert scores
    oof = df.select("alert_id", "label").with_columns(pl.Series("score", oof_prob))
    clusters = build_cluster_features(features.filter(pl.col("alert_id").is_in(
        df["alert_id"].implode())), cluster_base, oof.select("alert_id", "score"))
    clabel = features.select("alert_id", "cluster_id").join(oof, on="alert_id") \
        .group_by("cluster_id").agg(pl.col("label").max())
    cdf = clusters.join(clabel, on="cluster_id").sort("cluster_id")
    cnames = list(CLUSTER_FEATURES)
    cX, cy = _matrix(cdf, cnames), cdf["label"].to_numpy().astype(np.float64)
    copts = TrainOptions(**{**opts.__dict__, "folds": min(opts.folds, max(2, int(cy.sum())))})
    cparams_over = {"min_data_in_leaf": 10}
    cluster, ccv, cparams = _fit_binary(cX, cy, cnames, copts, cparams_over)
    cprob = 1.0 / (1.0 + np.exp(-ccv.oof))
    trained.boosters["cluster_scorer"] = cluster
    trained.metadata["cluster_scorer"] = {
        **common, "kind": "cluster_scorer", "objective": "binary", "params": cparams,
        "training_rows": len(cy), "positives": int(cy.sum()),
        "data_hash": lgbm.data_hash(cX, cy, cnames),
        "best_iterations": ccv.best_iterations,
        "metrics": metrics.binary_metrics(cy, cprob, (10, 20, 50)),
        "baselines": {"max_alert_score": metrics.binary_metrics(
            cy, cdf["clu_score_max"].fill_null(0).to_numpy(), (10, 20, 50))},
        "importance": lgbm.importance(cluster)}
    trained.oof = oof.with_columns(pl.Series("rules_only", base["rules_only"]),
                                   pl.Series("logistic_regression", base["logistic_regression"]))
    return trained
