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


def _both_paths(body: dict, top_k: int):
    """Return (row path, batch path) results for one request body, as comparable lists."""
    from workbench.pipelines.aml.api import _to_batch
    from workbench.pipelines.aml.api_models import BatchIn
    from workbench.pipelines.aml.features import build_features
    from workbench.pipelines.aml.models import load_bundle
    from workbench.pipelines.aml.score import explain_top, score_alert_features, score_rows

    bundle = load_bundle()
    m = BatchIn.model_validate(body)
    r = score_rows(m.alerts, m.money_flows, m.clusters, m.features, bundle, top_k=top_k)
    fast = sorted((r.alert_ids[i], r.score[i].hex(), int(r.rank[i]), r.rank_score[i].hex(),
                   int(r.ranker_rank[i]), r.cluster_ids[i], r.reasons.get(i))
                  for i in range(len(r.alert_ids)))
    feats, _ = build_features(_to_batch(m))
    s = score_alert_features(feats, bundle, num_threads=3)
    e = explain_top(feats, s, bundle, top_k)
    why = {a: list(g["reason"]) for (a,), g in e.sort("position").group_by("alert_id")}
    slow = sorted((a, sc.hex(), rk, rs.hex(), rr, c, why.get(a)) for a, c, sc, rk, rs, rr in
                  s.select("alert_id", "cluster_id", "score", "rank", "rank_score",
                           "ranker_rank").iter_rows())
    return fast, slow


def test_row_path_equals_batch_path(small_tables):
    from workbench.pipelines.aml.payload import payload_from_tables, single_alert_payloads

    body = payload_from_tables(small_tables)
    fast, slow = _both_paths(body, top_k=40)
    assert fast == slow and len(fast) == len(body["alerts"])
    shuffled = {k: list(reversed(v)) for k, v in body.items()}
    assert _both_paths(shuffled, top_k=40)[0] == fast
    for single in single_alert_payloads(body, 25):
        fast, slow = _both_paths(single, top_k=1)
        assert fast == slow and fast[0][6]  # the one alert is explained
    bare = {"alerts": body["alerts"][:5]}  # no flows, clusters or account features
    fast, slow = _both_paths(bare, top_k=5)
    assert fast == slow


def test_array_path_equals_frame_path(small_batch, small_tables, tmp_path):
    """score_batch (arrays) and the stages' build_features + score_all (frames) agree bitwise."""
    from workbench.pipelines.aml.batch import read_batch
    from workbench.pipelines.aml.features import build_features
    from workbench.pipelines.aml.models import load_bundle
    from workbench.pipelines.aml.score import score_all

    framed = score_all(*build_features(read_batch(small_batch)), load_bundle(), top_k=50)
    arrays = score_batch(small_batch, top_k=50)
    assert _all(framed) == _all(arrays)
    # unclustered alerts become their own clusters on both paths
    lone = write_batch({k: v for k, v in small_tables.items() if k != "clusters"},
                       tmp_path / "lone")
    framed = score_all(*build_features(read_batch(lone)), load_bundle(), top_k=5)
    assert _all(framed) == _all(score_batch(lone, top_k=5))
    bare = write_batch({"alerts": small_tables["alerts"]}, tmp_path / "bare")  # alerts only
    framed = score_all(*build_features(read_batch(bare)), load_bundle(), top_k=5)
    assert _all(framed) == _all(score_batch(bare, top_k=5))
