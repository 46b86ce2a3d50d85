"""Tier 2: ``risk_model``, a LightGBM classifier of P(defective) over tier-1 signals and text.

``train`` cross-validates (stratified folds, early stopping) and fits the final booster on
every row; its metrics are out-of-fold (AUC, PR-AUC, Brier, precision and recall at the
threshold, calibration) next to the "any tier-1 flag" baseline. ``save_model`` / ``load_model``
use ``workbench.scoring.lgbm`` model files; the default model in ``models/`` is trained on
``samples.write_samples`` traces and ``python -m workbench.pipelines.trace_eval.risk_model``
rebuilds it byte for byte. The module flags ``score >= threshold``; its reason names the top
contributing features (SHAP values), never trace text. LightGBM loads on first use, so
registering the module costs nothing.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import polars as pl

from ...errors import BadInput
from .hookspecs import Register
from .modules import TraceModule
from .risk_features import BUCKETS, CHAR_WINDOW, WORD_WINDOW, build_features, feature_names

MODEL_VERSION = "1.0.0"
DEFAULT_DIR = Path(__file__).resolve().parent / "models"
DEFAULT_PATH = DEFAULT_DIR / "risk_model.txt"
DEFAULT_TRACES = 6000
DEFAULT_SEED = 7
THRESHOLD = 0.5
_CACHE: dict[tuple, RiskModel] = {}


@dataclass(frozen=True)
class RiskModel:
    """A trained booster and its metadata (features, tier-1 modules, metrics, data hash)."""

    booster: Any
    metadata: dict

    @property
    def modules(self) -> list[str]:
        """Return the tier-1 module names whose signals the model reads."""
        return sorted(self.metadata["tier1_modules"])

    @property
    def features(self) -> list[str]:
        """Return the model's feature names in column order."""
        return list(self.metadata["features"])

    def matrix(self, batch: pl.DataFrame, prior: pl.DataFrame | None) -> np.ndarray:
        """Return the feature matrix (rows in batch order) the model scores."""
        buckets = int(self.metadata.get("feature_config", {}).get("buckets", BUCKETS))
        if feature_names(self.modules, buckets) != self.features:
            raise ValueError("risk model features do not match this feature builder; retrain")
        feats = build_features(batch, prior, self.modules, buckets)
        return feats.select(self.features).to_numpy().astype(np.float64)

    def predict(self, batch: pl.DataFrame, prior: pl.DataFrame | None) -> np.ndarray:
        """Return P(defective) per trace of ``batch``."""
        from ...scoring import lgbm

        return lgbm.predict(self.booster, self.matrix(batch, prior))


def _tier1_versions(tier1: pl.DataFrame) -> dict[str, str]:
    rows = tier1.filter(pl.col("tier") == 1) if "tier" in tier1.columns else tier1
    if "module_version" not in rows.columns:
        rows = rows.with_columns(pl.lit("").alias("module_version"))
    pairs = rows.select("module", pl.col("module_version").cast(pl.Utf8)).unique()
    return {m: v or "" for m, v in sorted(pairs.iter_rows())}


def _at_threshold(y: np.ndarray, p: np.ndarray, threshold: float) -> dict:
    flagged = p >= threshold
    tp = float((flagged & (y == 1)).sum())
    return {"threshold": threshold, "flagged": int(flagged.sum()),
            "precision": tp / flagged.sum() if flagged.sum() else 0.0,
            "recall": tp / y.sum() if y.sum() else 0.0}


def calibration_deciles(y: np.ndarray, p: np.ndarray) -> list[dict]:
    """Return mean predicted vs observed rate per decile of predicted risk (equal counts)."""
    order = np.argsort(p, kind="stable")
    return [{"decile": i, "count": len(idx), "mean_predicted": float(p[idx].mean()),
             "observed_rate": float(y[idx].mean())}
            for i, idx in enumerate(np.array_split(order, 10)) if len(idx)]


def evaluation(y: np.ndarray, p: np.ndarray, threshold: float = THRESHOLD) -> dict:
    """Return AUC, PR-AUC, Brier, precision/recall at k and at ``threshold`` of scores ``p``."""
    from ...scoring import metrics

    out = metrics.binary_metrics(y, p, (10, 50, 100))
    out["at_threshold"] = _at_threshold(y, p, threshold)
    return out


def train(traces_df: pl.DataFrame, tier1_results_df: pl.DataFrame, labels_df: pl.DataFrame,
          seed: int = DEFAULT_SEED, folds: int = 5) -> tuple[RiskModel, dict]:
    """Return (the model fit on every labeled trace, out-of-fold metrics + calibration)."""
    from ...scoring import lgbm, metrics

    labels = labels_df.select(pl.col("trace_id").cast(pl.Utf8),
                              pl.col("label").cast(pl.Int8)).unique("trace_id", keep="first")
    df = (traces_df.unique("trace_id", keep="first").join(labels, on="trace_id", how="inner")
          .sort("trace_id"))  # input order never changes the model
    if df.height < 50 or df["label"].n_unique() < 2 or int(df["label"].sum()) < folds:
        raise BadInput(f"risk_model training needs at least 50 labeled traces of both classes "
                       f"(labels: trace_id, label 0/1); got {df.height} with "
                       f"{int(df['label'].sum() or 0)} defective")
    versions = _tier1_versions(tier1_results_df)
    modules = sorted(versions)
    names = feature_names(modules)
    feats = build_features(df, tier1_results_df, modules)
    X = feats.select(names).to_numpy().astype(np.float64)
    y = df["label"].to_numpy().astype(np.float64)
    params = lgbm.deterministic_params("binary", seed=seed)
    fold_of = lgbm.stratified_folds(y, folds, seed)
    cv = lgbm.cross_validate(X, y, names, params, folds=fold_of, num_boost_round=400,
                             early_stopping_rounds=30, min_rounds=50)
    booster = lgbm.train(X, y, names, params, num_boost_round=cv.best_iteration)
    oof = 1.0 / (1.0 + np.exp(-cv.oof))
    any_flag = (feats["t1_flags"].fill_null(0).to_numpy() > 0).astype(np.float64)
    result = {**evaluation(y, oof), "calibration": metrics.calibration(y, oof),
              "calibration_deciles": calibration_deciles(y, oof),
              "baselines": {"any_tier1_flag": evaluation(y, any_flag)}}
    meta = {"kind": "risk_model", "version": MODEL_VERSION, "objective": "binary",
            "features": names, "params": params, "seed": seed, "folds": folds, "training_rows": len(y),
            "positives": int(y.sum()), "data_hash": lgbm.data_hash(X, y, names),
            "tier1_modules": versions, "best_iterations": cv.best_iterations,
            "feature_config": {"buckets": BUCKETS, "char_window": CHAR_WINDOW,
                               "word_window": WORD_WINDOW, "hash": "crc32"},
            "metrics": result, "importance": lgbm.importance(booster)}
    return RiskModel(booster, meta), result


def save_model(model: RiskModel, path: Path | str, *, trained_at: str | None = "now",
               **extra: Any) -> tuple[Path, Path]:
    """Return the (model .txt, metadata .json) paths written; ``trained_at=None`` for a
    reproducible file (``"now"`` stamps the current time)."""
    from ...scoring import lgbm

    meta = {**model.metadata, **extra}
    if trained_at != "now":
        meta["trained_at"] = trained_at
    return lgbm.save(model.booster, Path(path), meta)


def load_model(path: Path | str | None = None) -> RiskModel:
    """Return the model at ``path`` (default: the one shipped), cached per file state."""
    from ...scoring import lgbm

    p = Path(path) if path else DEFAULT_PATH
    if not p.is_file():
        raise BadInput(f"risk_model: no model file at {p}")
    stat = p.stat()
    key = (str(p.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        booster, meta = lgbm.load(p)
        if "tier1_modules" not in meta or meta.get("features") != booster.feature_name():
            raise BadInput(f"risk_model: {p.with_suffix('.json').name} beside {p.name} must "
                           "name the model's features and tier-1 modules")
        _CACHE.clear()
        _CACHE[key] = RiskModel(booster, meta)
    return _CACHE[key]


def builtin_tier1(traces: pl.DataFrame) -> pl.DataFrame:
    """Return the rows of the six built-in tier-1 modules (no plugins) over ``traces``."""
    from .registry import evaluate_module
    from .rules import register_trace_modules as builtins

    classes: list = []
    builtins(classes.append)
    return pl.concat([evaluate_module(cls(), traces) for cls in classes], how="vertical")


def sample_training_data(traces: int = DEFAULT_TRACES, seed: int = DEFAULT_SEED
                         ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Return (traces, built-in tier-1 rows, labels) of freshly generated sample traces."""
    from .ingest import read_traces
    from .samples import write_samples

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_samples(Path(tmp), traces=traces, seed=seed)
        frame = pl.concat([b.traces for b in read_traces(paths[:3])], how="vertical")
        labels = pl.read_ndjson(paths[3]).select("trace_id", "label")
    return frame, builtin_tier1(frame), labels


def build_default_model(out_dir: Path | str = DEFAULT_DIR, traces: int = DEFAULT_TRACES,
                        seed: int = DEFAULT_SEED) -> tuple[Path, Path]:
    """Return the (model, metadata) paths of the default model rebuilt into ``out_dir``."""
    frame, tier1, labels = sample_training_data(traces, seed)
    model, _ = train(frame, tier1, labels, seed=seed)
    return save_model(model, Path(out_dir) / "risk_model.txt", trained_at=None,
                      training_data=f"samples.write_samples(traces={traces}, seed={seed})")


def _severity(p: np.ndarray, cfg: dict) -> np.ndarray:
    return np.select([p >= cfg["high"], p >= cfg["medium"], p >= cfg["threshold"]],
                     ["high", "medium", "low"], "none")


class RiskModelModule(TraceModule):
    """Tier 2: P(defective) from the risk model; flags ``score >= threshold``."""

    name, tier, version = "risk_model", 2, "1"
    description = "LightGBM risk of a defect from tier-1 signals and text features"
    needs_prior = True
    defaults: ClassVar[dict[str, Any]] = {"threshold": THRESHOLD, "high": 0.9, "medium": 0.7,
                                          "model_path": "", "top_features": 3}

    def evaluate(self, batch: pl.DataFrame, prior: pl.DataFrame | None = None) -> pl.DataFrame:
        """Return one row per trace: score P(defective), severity by band, top features."""
        from ...scoring import explain, lgbm

        cfg = self.config
        model = load_model(cfg["model_path"] or None)
        X = model.matrix(batch, prior)
        p = np.clip(lgbm.predict(model.booster, X), 0.0, 1.0)
        flagged = p >= cfg["threshold"]
        reasons = np.full(len(p), "", dtype=object)
        idx = np.flatnonzero(flagged)
        if len(idx):
            top = explain.top_contributions(lgbm.contributions(model.booster, X[idx]),
                                            model.features, k=int(cfg["top_features"]))
            for i, picked in zip(idx, top, strict=True):
                names = ", ".join(model.features[f] for f, _ in picked)
                reasons[i] = f"risk {p[i]:.2f}" + (f": {names}" if names else "")
        return pl.DataFrame({"trace_id": batch["trace_id"].cast(pl.Utf8), "passed": ~flagged,
                             "severity": _severity(p, cfg), "score": p,
                             "reason": reasons.astype(str)})


def register_trace_modules(register: Register) -> None:
    """Return nothing; register the tier-2 ``risk_model`` module with ``register``."""
    register(RiskModelModule)


if __name__ == "__main__":
    import json

    model_path, _ = build_default_model()
    m = load_model(model_path).metadata["metrics"]
    print(model_path)
    print(json.dumps({k: m[k] for k in ("auc", "pr_auc", "brier", "at_threshold")}, indent=1))
    print("baseline any tier-1 flag:", json.dumps(
        {k: m["baselines"]["any_tier1_flag"][k] for k in ("auc", "pr_auc", "at_threshold")}))
