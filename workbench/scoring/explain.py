"""Explanations: the top contributing features of each row from LightGBM SHAP values."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def top_contributions(contrib: np.ndarray, feature_names: Sequence[str], k: int = 3,
                      positive_only: bool = True) -> list[list[tuple[int, float]]]:
    """Return per row the (feature index, contribution) pairs of its k largest contributions.

    ``contrib`` is the output of ``lgbm.contributions`` (bias in the last column). Ties are broken
    by feature index so the choice never depends on anything but the row itself.

    >>> top_contributions(np.array([[0.5, -0.2, 0.5, 0.1]]), ["a", "b", "c"], k=2)
    [[(0, 0.5), (2, 0.5)]]
    """
    n_feat = len(feature_names)
    values = np.asarray(contrib, dtype=np.float64)[:, :n_feat]
    idx = np.arange(n_feat)
    out = []
    for row in values:
        order = np.lexsort((idx, -row))  # by contribution desc, then feature index asc
        picked = [(int(i), float(row[i])) for i in order[:k]
                  if not positive_only or row[i] > 0.0]
        out.append(picked)
    return out
