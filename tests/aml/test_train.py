"""Training: metrics above the baselines, model files with metadata, same data+seed → same file."""
from __future__ import annotations

import json

import numpy as np
import pytest

from workbench.pipelines.aml.batch import read_batch
from workbench.pipelines.aml.features import build_features
from workbench.pipelines.aml.samples import samples
from workbench.pipelines.aml.train import TrainOptions, train_models
from workbench.scoring import lgbm


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    batch = read_batch(samples(tmp_path_factory.mktemp("train"), alerts=1500, seed=21)[0])
    feats, clusters = build_features(batch)
    return feats, batch.labels, clusters


def test_trains_above_baseline_and_saves_identical_files(data, tmp_path):
    feats, labels, clusters = data
    opts = TrainOptions(seed=3, folds=3, max_rounds=150)
    first = train_models(feats, labels, clusters, opts)
    m = first.metadata["alert_scorer"]
    rules = m["baselines"]["rules_only"]
    assert m["metrics"]["auc"] > rules["auc"] + 0.2
    assert m["metrics"]["pr_auc"] > rules["pr_auc"] + 0.3
    assert m["metrics"]["auc"] > m["baselines"]["logistic_regression"]["auc"] - 0.02
    ranker = first.metadata["alert_ranker"]
    assert ranker["metrics"]["ndcg_at_20"] > ranker["baselines"]["rules_only"]["ndcg_at_20"]
    assert first.metadata["cluster_scorer"]["metrics"]["auc"] > 0.8
    paths_a = first.save(tmp_path / "a")
    paths_b = train_models(feats, labels, clusters, opts).save(tmp_path / "b")
    for kind in paths_a:
        assert paths_a[kind].read_bytes() == paths_b[kind].read_bytes(), kind
        meta = json.loads(paths_a[kind].with_suffix(".json").read_text())
        for key in ("version", "data_hash", "features", "params", "metrics", "trained_at"):
            assert key in meta, (kind, key)
    booster, meta = lgbm.load(paths_a["alert_scorer"])
    assert booster.feature_name() == meta["features"]


def test_tuning_is_seeded(data):
    feats, labels, clusters = data
    opts = TrainOptions(seed=4, folds=3, tune=True, n_trials=3, max_rounds=60)
    a = train_models(feats, labels, clusters, opts).metadata["alert_scorer"]["tuning"]
    b = train_models(feats, labels, clusters, opts).metadata["alert_scorer"]["tuning"]
    assert a["best"] == b["best"] and len(a["trials"]) == 3


def test_explanations_sum_to_raw_margin(small_batch):
    from workbench.pipelines.aml.models import load_bundle
    from workbench.pipelines.aml.score import explain_top, score_alert_features

    feats, _ = build_features(read_batch(small_batch))
    bundle = load_bundle()
    scored = score_alert_features(feats, bundle)
    names = bundle.features("alert_scorer")
    X = feats.sort("alert_id").select(names).to_numpy()
    booster = bundle.boosters["alert_scorer"]
    contrib = lgbm.contributions(booster, X)
    raw = lgbm.predict(booster, X, raw_score=True)
    np.testing.assert_allclose(contrib.sum(axis=1), raw, rtol=0, atol=1e-9)
    prob = lgbm.predict(booster, X)
    np.testing.assert_allclose(1 / (1 + np.exp(-raw)), prob, rtol=1e-12)
    expl = explain_top(feats, scored, bundle, 10)
    assert expl["alert_id"].n_unique() == 10 and (expl["contribution"] > 0).all()
    top_raw = dict(zip(feats.sort("alert_id")["alert_id"], raw))
    for row in expl.iter_rows(named=True):
        assert row["raw_margin"] == pytest.approx(top_raw[row["alert_id"]], abs=1e-9)
        assert row["reason"] and "{" not in row["reason"]
