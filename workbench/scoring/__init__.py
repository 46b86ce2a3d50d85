"""Scoring: LightGBM with deterministic settings, metrics, explanations, feature selection, tuning.

Modules: ``lgbm`` (train / cross-validate / predict / contributions / model files with metadata),
``metrics`` (AUC, PR-AUC, precision and recall at k, NDCG, calibration), ``explain`` (top
contributing features per row), ``select`` (importance and correlation selection), ``tune``
(seeded Optuna search). Heavy libraries load when those modules are imported, not here.
"""
from __future__ import annotations

__all__ = ["explain", "lgbm", "metrics", "select", "tune"]
