"""The ``aml`` pipeline: deterministic AML alert scoring, ranking and cluster scoring.

``score_alerts(batch)`` and ``score_clusters(batch)`` score a batch folder with the workspace's
latest trained models (else the shipped default). Heavy libraries load on first call.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["score_alerts", "score_batch", "score_clusters"]


def score_batch(batch, *, workspace=None, model_dir=None, top_k: int = 20,
                num_threads: int = 2):
    """Return the ``Scored`` result (alerts, clusters, explanations) of a batch folder."""
    from ... import config
    from .batch import SCORING_TABLES, read_batch
    from .models import load_bundle, resolve_dir
    from .score import score_batch_arrays

    if model_dir is None:
        model_dir, source = resolve_dir(config.load(workspace))
    else:
        source = "given"
    bundle = load_bundle(Path(model_dir), source)
    return score_batch_arrays(read_batch(batch, SCORING_TABLES), bundle, top_k=top_k,
                              num_threads=num_threads)


def score_alerts(batch, **options):
    """Return a Polars frame of every alert: alert_id, score, rank, rank_score, reasons, …"""
    return score_batch(batch, **options).alerts


def score_clusters(batch, **options):
    """Return a Polars frame of every cluster: cluster_id, score, rank, alerts, …"""
    return score_batch(batch, **options).clusters
