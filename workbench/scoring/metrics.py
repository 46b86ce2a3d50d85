"""Model metrics: AUC, PR-AUC, precision and recall at k, NDCG per query, calibration bins."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _order(scores: np.ndarray) -> np.ndarray:
    # highest score first; ties keep input order so results are reproducible
    return np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")


def precision_recall_at_k(y: np.ndarray, scores: np.ndarray, k: int) -> tuple[float, float]:
    """Return (precision, recall) of the k highest-scored rows."""
    y = np.asarray(y)
    k = max(1, min(int(k), len(y)))
    hits = float(y[_order(scores)[:k]].sum())
    positives = float(y.sum())
    return hits / k, (hits / positives if positives else 0.0)


def binary_metrics(y: np.ndarray, scores: np.ndarray, ks: Sequence[int] = (10, 20, 50, 100)
                   ) -> dict:
    """Return AUC, PR-AUC, Brier score, positives and precision/recall at each k."""
    from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

    y = np.asarray(y).astype(int)
    s = np.asarray(scores, dtype=np.float64)
    out: dict = {"rows": len(y), "positives": int(y.sum())}
    if len(np.unique(y)) == 2:
        out["auc"] = float(roc_auc_score(y, s))
        out["pr_auc"] = float(average_precision_score(y, s))
    else:
        out["auc"] = out["pr_auc"] = None
    if s.min(initial=0.0) >= 0.0 and s.max(initial=0.0) <= 1.0:
        out["brier"] = float(brier_score_loss(y, s)) if len(y) else None
    for k in ks:
        p, r = precision_recall_at_k(y, s, k)
        out[f"precision_at_{k}"] = p
        out[f"recall_at_{k}"] = r
    return out


def ndcg_by_group(y: np.ndarray, scores: np.ndarray, groups: np.ndarray, k: int = 20) -> float:
    """Return the mean NDCG@k over queries that hold at least one relevant row."""
    y = np.asarray(y, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    g = np.asarray(groups)
    values = []
    for gid in np.unique(g):
        idx = np.flatnonzero(g == gid)
        rel = y[idx]
        if rel.sum() <= 0:
            continue
        order = rel[_order(s[idx])][:k]
        discounts = 1.0 / np.log2(np.arange(2, len(order) + 2))
        dcg = float(((2 ** order - 1) * discounts).sum())
        ideal = np.sort(rel)[::-1][:k]
        idcg = float(((2 ** ideal - 1) * discounts[: len(ideal)]).sum())
        values.append(dcg / idcg if idcg else 0.0)
    return float(np.mean(values)) if values else 0.0


def calibration(y: np.ndarray, probs: np.ndarray, bins: int = 10) -> list[dict]:
    """Return per-bin mean predicted probability, observed rate and count (equal-width bins)."""
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(probs, dtype=np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, bins - 1)
    rows = []
    for b in range(bins):
        m = which == b
        n = int(m.sum())
        rows.append({"bin": b, "lower": float(edges[b]), "upper": float(edges[b + 1]), "count": n,
                     "mean_predicted": float(p[m].mean()) if n else None,
                     "observed_rate": float(y[m].mean()) if n else None})
    return rows
