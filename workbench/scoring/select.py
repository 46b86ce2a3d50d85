"""Feature selection by importance and correlation, reproducible (no randomness)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def select_features(X: np.ndarray, feature_names: Sequence[str], importance: dict[str, float],
                    *, max_corr: float = 0.95, min_share: float = 0.0) -> list[str]:
    """Return the features kept: useful ones, minus the less important of each correlated pair.

    A feature is dropped when its share of total gain is at or below ``min_share`` (zero-gain
    features always go), or when it correlates above ``max_corr`` (absolute Pearson) with a more
    important feature that is kept. Order of the result follows ``feature_names``.

    >>> X = np.array([[1., 2., 0.], [2., 4., 1.], [3., 6., 0.], [4., 8., 1.]])
    >>> select_features(X, ["a", "b", "c"], {"a": 5.0, "b": 3.0, "c": 1.0})
    ['a', 'c']
    """
    names = list(feature_names)
    total = sum(max(v, 0.0) for v in importance.values()) or 1.0
    ranked = sorted(range(len(names)), key=lambda i: (-importance.get(names[i], 0.0), i))
    filled = np.nan_to_num(np.asarray(X, dtype=np.float64))  # missing counts as 0 for correlation
    std = filled.std(axis=0)
    kept: list[int] = []
    for i in ranked:
        gain = importance.get(names[i], 0.0)
        if gain <= 0.0 or gain / total <= min_share:
            continue
        if std[i] > 0:
            redundant = False
            for j in kept:
                if std[j] > 0 and abs(np.corrcoef(filled[:, i], filled[:, j])[0, 1]) > max_corr:
                    redundant = True
                    break
            if redundant:
                continue
        kept.append(i)
    return [names[i] for i in sorted(kept)]
