"""LightGBM with deterministic settings: train, cross-validate, predict, contributions, model files.

Determinism: every seed LightGBM knows is fixed, ``deterministic=True`` with ``force_col_wise``,
and training runs on a fixed thread count that is written into the model file, so the same data
and seed give the same model file byte for byte. Prediction is per row, so its result does not
depend on the thread count or on the other rows of the batch.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import lightgbm as lgb
import numpy as np

SEED_KEYS = ("seed", "bagging_seed", "feature_fraction_seed", "data_random_seed", "drop_seed",
             "objective_seed", "extra_seed")


def deterministic_params(objective: str, *, seed: int = 7, num_threads: int = 1,
                         **overrides) -> dict:
    """Return LightGBM parameters for ``objective`` with every seed and threading knob fixed."""
    params = {
        "objective": objective,
        "learning_rate": 0.05,
        "num_leaves": 15,
        "min_data_in_leaf": 20,
        "feature_fraction": 0.9,
        "bagging_fraction": 0.9,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "max_bin": 255,
        "deterministic": True,
        "force_col_wise": True,
        "num_threads": int(num_threads),
        "verbosity": -1,
    }
    params.update({k: int(seed) for k in SEED_KEYS})
    params.update(overrides)
    return params


def early_stopping_after(min_rounds: int, rounds: int):
    """Return an early-stopping callback that neither stops nor picks a best round before
    ``min_rounds`` (a ranker whose metric plateaus at once would otherwise keep 2 trees)."""
    inner = lgb.early_stopping(rounds, verbose=False)

    def callback(env) -> None:
        if env.iteration + 1 < min_rounds:
            return
        inner(dataclasses.replace(env, begin_iteration=max(env.begin_iteration, min_rounds - 1)))

    callback.order = inner.order  # type: ignore[attr-defined]
    return callback


def train(X: np.ndarray, y: np.ndarray, feature_names: Sequence[str], params: dict, *,
          num_boost_round: int = 300, group: Sequence[int] | None = None,
          valid: tuple[np.ndarray, np.ndarray, Sequence[int] | None] | None = None,
          early_stopping_rounds: int | None = None, min_rounds: int = 1) -> lgb.Booster:
    """Return a Booster trained on (X, y) (grouped for ranking), early-stopped on ``valid``
    (never before ``min_rounds``)."""
    names = list(feature_names)
    dtrain = lgb.Dataset(X, label=y, group=group, feature_name=names, free_raw_data=True,
                         params={"max_bin": params.get("max_bin", 255), "verbosity": -1})
    valid_sets, callbacks = [], []
    if valid is not None:
        vx, vy, vgroup = valid
        valid_sets = [lgb.Dataset(vx, label=vy, group=vgroup, reference=dtrain, feature_name=names)]
        if early_stopping_rounds:
            callbacks.append(early_stopping_after(min_rounds, early_stopping_rounds))
    return lgb.train(params, dtrain, num_boost_round=num_boost_round, valid_sets=valid_sets,
                     callbacks=callbacks)


@dataclass
class CVResult:
    """Out-of-fold predictions and the best iteration of each fold."""

    oof: np.ndarray
    best_iterations: list[int]
    folds: np.ndarray  # fold index of each row
    fold_metrics: list[dict] = field(default_factory=list)

    @property
    def best_iteration(self) -> int:
        """Return the median best iteration over folds (the round count for the final fit)."""
        return max(1, int(np.median(self.best_iterations)))


def stratified_folds(y: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Return a fold index per row, stratified by label and reproducible from ``seed``."""
    from sklearn.model_selection import StratifiedKFold

    folds = np.zeros(len(y), dtype=np.int32)
    skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    for i, (_, idx) in enumerate(skf.split(np.zeros(len(y)), y)):
        folds[idx] = i
    return folds


def cross_validate(X: np.ndarray, y: np.ndarray, feature_names: Sequence[str], params: dict, *,
                   folds: np.ndarray, num_boost_round: int = 500,
                   early_stopping_rounds: int = 30, groups: np.ndarray | None = None,
                   min_rounds: int = 1) -> CVResult:
    """Return out-of-fold raw predictions from k models, each early-stopped on its held-out fold.

    For ranking, ``groups`` holds each row's query id; rows must be sorted by it and folds must not
    split a query.
    """
    oof = np.zeros(len(y), dtype=np.float64)
    best: list[int] = []
    for f in np.unique(folds):
        tr, va = folds != f, folds == f
        gtr = _group_sizes(groups[tr]) if groups is not None else None
        gva = _group_sizes(groups[va]) if groups is not None else None
        booster = train(X[tr], y[tr], feature_names, params, num_boost_round=num_boost_round,
                        group=gtr, valid=(X[va], y[va], gva),
                        early_stopping_rounds=early_stopping_rounds, min_rounds=min_rounds)
        it = booster.best_iteration or booster.current_iteration()
        best.append(int(it))
        oof[va] = booster.predict(X[va], num_iteration=it, raw_score=True)
    return CVResult(oof=oof, best_iterations=best, folds=folds)


def _group_sizes(group_ids: np.ndarray) -> list[int]:
    """Return the sizes of consecutive runs of equal ids (rows are sorted by query)."""
    if len(group_ids) == 0:
        return []
    change = np.flatnonzero(group_ids[1:] != group_ids[:-1]) + 1
    bounds = np.concatenate([[0], change, [len(group_ids)]])
    return np.diff(bounds).astype(int).tolist()


def group_sizes(group_ids: np.ndarray) -> list[int]:
    """Return LightGBM query sizes for rows sorted by ``group_ids``."""
    return _group_sizes(np.asarray(group_ids))


def predict(booster: lgb.Booster, X: np.ndarray, *, raw_score: bool = False,
            num_threads: int = 1) -> np.ndarray:
    """Return predictions (probability for binary, raw margin with ``raw_score``), row by row."""
    if len(X) == 0:
        return np.zeros(0, dtype=np.float64)
    return booster.predict(X, raw_score=raw_score, num_threads=int(num_threads))


def contributions(booster: lgb.Booster, X: np.ndarray, *, num_threads: int = 1) -> np.ndarray:
    """Return SHAP values (n, features + 1); the last column is the bias; rows sum to the margin."""
    if len(X) == 0:
        return np.zeros((0, booster.num_feature() + 1), dtype=np.float64)
    return booster.predict(X, pred_contrib=True, num_threads=int(num_threads))


def importance(booster: lgb.Booster) -> dict[str, float]:
    """Return total gain per feature name."""
    gains = booster.feature_importance(importance_type="gain")
    return {n: float(g) for n, g in zip(booster.feature_name(), gains)}


def data_hash(X: np.ndarray, y: np.ndarray | None, feature_names: Sequence[str]) -> str:
    """Return the SHA-256 of the training matrix, labels and feature names."""
    h = hashlib.sha256()
    h.update("\x1f".join(feature_names).encode())
    h.update(np.ascontiguousarray(X, dtype=np.float64).tobytes())
    if y is not None:
        h.update(np.ascontiguousarray(y, dtype=np.float64).tobytes())
    return h.hexdigest()


def save(booster: lgb.Booster, path: Path, metadata: dict) -> tuple[Path, Path]:
    """Write the model text file and its metadata JSON next to it; return both paths."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = booster.model_to_string(num_iteration=-1)
    path.write_text(text)
    meta = {
        "features": booster.feature_name(),
        "num_trees": booster.num_trees(),
        "model_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **metadata,
    }
    meta_path = path.with_suffix(".json")
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True, default=_json_default) + "\n")
    return path, meta_path


def load(path: Path) -> tuple[lgb.Booster, dict]:
    """Return the Booster of a model text file and its metadata (empty if there is none)."""
    path = Path(path)
    booster = lgb.Booster(model_str=path.read_text())
    meta_path = path.with_suffix(".json")
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    return booster, meta


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)
