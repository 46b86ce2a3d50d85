"""Determinism: 100 runs, any row order, any thread count, across a process restart."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import polars as pl
import pytest

from workbench.pipelines.aml import score_batch
from workbench.pipelines.aml.samples import write_batch

from .conftest import digest


def _all(scored) -> list[str]:
    return [digest(scored.alerts), digest(scored.clusters), digest(scored.explanations)]


@pytest.fixture(scope="module")
def reference(small_batch):
    return _all(score_batch(small_batch, top_k=50))


def test_one_hundred_runs_are_identical(small_batch, reference):
    for _ in range(100):
        assert _all(score_batch(small_batch, top_k=50)) == reference


def test_any_row_order(small_tables, tmp_path, reference):
    for seed in (1, 2):
        shuffled = {k: v.sample(fraction=1.0, shuffle=True, seed=seed)
                    for k, v in small_tables.items()}
        batch = write_batch(shuffled, tmp_path / f"perm{seed}")
        assert _all(score_batch(batch, top_k=50)) == reference


def test_any_thread_count(small_batch, reference):
    for threads in (1, 3, 8):
        assert _all(score_batch(small_batch, top_k=50, num_threads=threads)) == reference


def test_after_restart_with_other_threading(small_batch, reference):
    code = ("import json, sys; sys.path.insert(0, sys.argv[2]);"
            "from conftest import digest; from workbench.pipelines.aml import score_batch;"
            "s = score_batch(sys.argv[1], top_k=50, num_threads=1);"
            "print(json.dumps([digest(s.alerts), digest(s.clusters), digest(s.explanations)]))")
    env = dict(os.environ, POLARS_MAX_THREADS="1", OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", code, str(small_batch),
                          os.path.dirname(__file__)], capture_output=True, text=True, env=env,
                         check=True, timeout=120)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == reference


def test_contract_columns(small_batch):
    from workbench.pipelines.aml import score_alerts, score_clusters

    alerts = score_alerts(small_batch)
    assert {"alert_id", "score", "rank"} <= set(alerts.columns)
    assert alerts["rank"].to_list() == list(range(1, alerts.height + 1))
    assert alerts["score"].is_between(0, 1).all()
    clusters = score_clusters(small_batch)
    assert {"cluster_id", "score"} <= set(clusters.columns)
    assert clusters["cluster_id"].n_unique() == clusters.height
    assert alerts.filter(pl.col("rank") <= 20)["reasons"].null_count() == 0
