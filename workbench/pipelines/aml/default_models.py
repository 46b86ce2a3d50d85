"""Rebuild the default models that ship in ``models/`` from the built-in sample data.

``python -m workbench.pipelines.aml.default_models`` regenerates them; same code, same files.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from .models import DEFAULT_DIR

DEFAULT_ALERTS = 6000
DEFAULT_SEED = 7


def build(out_dir: Path = DEFAULT_DIR, alerts: int = DEFAULT_ALERTS, seed: int = DEFAULT_SEED
          ) -> dict[str, Path]:
    """Train the three models on a generated sample batch; return the model paths written."""
    from .batch import read_batch
    from .features import build_features
    from .samples import samples
    from .train import TrainOptions, train_models

    with tempfile.TemporaryDirectory() as tmp:
        batch = read_batch(samples(Path(tmp), alerts=alerts, seed=seed)[0])
        features, clusters = build_features(batch)
        trained = train_models(features, batch.labels, clusters, TrainOptions(seed=seed))
    for meta in trained.metadata.values():
        meta["training_data"] = f"workbench samples aml --alerts {alerts} (seed {seed})"
    return trained.save(out_dir)


if __name__ == "__main__":
    for kind, path in build().items():
        print(kind, path)
