"""Tier 2 ``risk_model``: features, deterministic training, the shipped model, the module."""
from __future__ import annotations

import re

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import roc_auc_score

from workbench.errors import BadInput
from workbench.pipelines.trace_eval import risk_model as rm
from workbench.pipelines.trace_eval.modules import batch_frame
from workbench.pipelines.trace_eval.registry import all_modules, evaluate_tier
from workbench.pipelines.trace_eval.risk_features import build_features, feature_names

HOOK = "workbench.pipelines.trace_eval.risk_model:register_trace_modules"


@pytest.fixture(scope="module")
def held_out():
    """Generated traces of a seed the default model never saw, with tier-1 rows and labels."""
    return rm.sample_training_data(2000, seed=rm.DEFAULT_SEED + 1000)


@pytest.fixture(scope="module")
def small():
    """A small generated training set (another seed again)."""
    return rm.sample_training_data(1200, seed=rm.DEFAULT_SEED + 2000)


def _scores(batch: pl.DataFrame, prior: pl.DataFrame) -> dict[str, float]:
    out = rm.RiskModelModule().evaluate(batch, prior)
    return dict(zip(out["trace_id"], out["score"], strict=True))


def test_features_are_deterministic_and_per_trace(held_out):
    traces, tier1, _ = held_out
    modules = rm.load_model().modules
    a = build_features(traces, tier1, modules)
    assert a.columns == ["trace_id", *feature_names(modules)]
    assert a.height == traces.height and a["trace_id"].equals(traces["trace_id"])
    assert a.equals(build_features(traces, tier1, modules))
    shuffled = traces.sample(fraction=1.0, shuffle=True, seed=5)
    b = build_features(shuffled, tier1.sample(fraction=1.0, shuffle=True, seed=6), modules)
    assert b["trace_id"].equals(shuffled["trace_id"])
    assert a.sort("trace_id").equals(b.sort("trace_id"))
    # a trace's features do not depend on its batch company
    one = build_features(traces.slice(17, 1), tier1, modules)
    assert one.equals(a.slice(17, 1))
    # hashed n-gram shares and tier-1 signals carry information
    assert a.select(pl.col("^ng_.*$").sum()).row(0) != (0.0,) * 64
    assert a["t1_flags"].max() >= 1


def test_order_of_rows_does_not_change_a_score(held_out):
    traces, tier1, _ = held_out
    base = _scores(traces, tier1)
    reversed_ = _scores(traces.reverse(), tier1.reverse())
    alone = _scores(traces.slice(3, 5), tier1)
    assert base == reversed_
    assert all(base[t] == s for t, s in alone.items())


def test_masking_pseudonyms_do_not_change_features():
    rows = [{"trace_id": f"t{k}", "prompt": "Who owns the account?",
             "response": f"The owner is <PERSON_{k}> at <EMAIL_ADDRESS_{k}>."}
            for k in ("3f9a1c", "77aa0b")]
    f = build_features(batch_frame(rows), None, ["pii_leak"]).drop("trace_id")
    assert f.row(0) == f.row(1) and f["response_placeholders"][0] == 2.0


def test_training_is_deterministic_and_order_independent(small, tmp_path):
    traces, tier1, labels = small
    a, metrics = rm.train(traces, tier1, labels, seed=3, folds=3)
    b, _ = rm.train(traces.reverse(), tier1.reverse(), labels.reverse(), seed=3, folds=3)
    pa, ja = rm.save_model(a, tmp_path / "a" / "risk_model.txt", trained_at=None)
    pb, jb = rm.save_model(b, tmp_path / "b" / "risk_model.txt", trained_at=None)
    assert pa.read_bytes() == pb.read_bytes() and ja.read_bytes() == jb.read_bytes()
    c, _ = rm.train(traces, tier1, labels, seed=4, folds=3)
    assert c.booster.model_to_string() != a.booster.model_to_string()
    for key in ("auc", "pr_auc", "brier", "at_threshold", "calibration", "calibration_deciles"):
        assert key in metrics
    assert 0.0 <= metrics["brier"] <= 1.0 and len(metrics["calibration_deciles"]) == 10
    assert metrics["at_threshold"]["threshold"] == 0.5
    loaded = rm.load_model(pa)
    assert loaded.features == a.features and loaded.metadata["data_hash"] == \
        a.metadata["data_hash"]
    assert set(loaded.metadata["tier1_modules"]) == set(tier1["module"])
    np.testing.assert_array_equal(loaded.predict(traces, tier1), a.predict(traces, tier1))


def test_training_needs_labels_of_both_classes(small):
    traces, tier1, labels = small
    with pytest.raises(BadInput, match="both classes"):
        rm.train(traces, tier1, labels.filter(pl.col("label") == 0), seed=1)
    with pytest.raises(BadInput, match="at least 50"):
        rm.train(traces, tier1, labels.head(20), seed=1)


def test_shipped_default_model_rebuilds_byte_identically(tmp_path):
    txt, meta = rm.build_default_model(tmp_path)
    why = ("the shipped risk model is stale (tier-1 modules, samples or features changed): "
           "rebuild it with python -m workbench.pipelines.trace_eval.risk_model")
    assert txt.read_bytes() == rm.DEFAULT_PATH.read_bytes(), why
    assert meta.read_bytes() == rm.DEFAULT_PATH.with_suffix(".json").read_bytes(), why


def test_default_model_on_held_out_traces_beats_any_tier1_flag(held_out):
    traces, tier1, labels = held_out
    out = rm.RiskModelModule().evaluate(traces, tier1)
    assert out.height == traces.height and out["trace_id"].equals(traces["trace_id"])
    assert out["score"].is_between(0.0, 1.0).all() and out["passed"].null_count() == 0
    j = out.join(labels, on="trace_id", how="inner")
    assert j.height == traces.height
    auc = roc_auc_score(j["label"], j["score"])
    flag = tier1.group_by("trace_id").agg((~pl.col("passed")).any().alias("f"))
    b = flag.join(labels, on="trace_id")
    baseline = roc_auc_score(b["label"], b["f"].cast(pl.Int8))
    assert auc >= 0.8 and auc >= baseline  # tier 1 alone may already separate generated traces
    shipped = rm.load_model().metadata["metrics"]
    assert shipped["auc"] >= shipped["baselines"]["any_tier1_flag"]["auc"]


def test_passed_and_severity_follow_threshold_and_bands(held_out):
    traces, tier1, _ = held_out
    for threshold in (0.5, 0.2):
        out = rm.RiskModelModule({"threshold": threshold}).evaluate(traces, tier1)
        s = out["score"].to_numpy()
        assert (out["passed"].to_numpy() == (s < threshold)).all()
        want = np.where(s >= 0.9, "high", np.where(s >= 0.7, "medium", np.where(
            s >= threshold, "low", "none")))
        assert out["severity"].to_list() == want.tolist()
        assert (out.filter(pl.col("passed"))["reason"] == "").all()
    assert (~out["passed"]).sum() > 0


def test_reasons_name_features_and_never_trace_text():
    markers = ["Quokkalantis", "zebrafrost", "m.wolff@kestrel-mail.net", "4111 1111 1111 1111"]
    rows = [
        {"trace_id": "a", "prompt": f"Reply in JSON about {markers[0]}.", "expected_format":
         "json", "response": f"Sure! {{'name': '{markers[0]}', 'x': 1,", "finish_reason":
         "length", "tokens_out": 30, "max_tokens": 30},
        {"trace_id": "b", "prompt": "Who do I contact?", "response":
         f"Write to {markers[2]}, card {markers[3]}, ask for {markers[1]}."},
        {"trace_id": "c", "prompt": "Status?", "response": f"{markers[1]} " * 60,
         "finish_reason": "length"},
    ]
    batch = batch_frame(rows)
    tier1 = rm.builtin_tier1(batch)
    out = rm.RiskModelModule({"threshold": 0.0}).evaluate(batch, tier1)
    model = rm.load_model()
    grammar = re.compile(r"^risk [01]\.\d\d(: [a-z0-9_]+(, [a-z0-9_]+){0,2})?$")
    for reason in out["reason"]:
        assert grammar.match(reason), reason
        names = reason.partition(": ")[2]
        assert all(n in model.features for n in names.split(", ") if n)
        assert not any(m.lower() in reason.lower() for m in markers)


def test_registered_through_the_env_hook(monkeypatch, held_out):
    monkeypatch.delenv("WORKBENCH_TRACE_MODULES", raising=False)
    monkeypatch.setenv("WORKBENCH_TRACE_MODULES", HOOK)
    modules = all_modules(tier=2)
    assert "risk_model" in modules and modules["risk_model"].needs_prior
    traces, tier1, _ = held_out
    batch = traces.head(200)
    rows = evaluate_tier(batch, tier=2, prior=tier1)
    mine = rows.filter(pl.col("module") == "risk_model")
    assert mine.height == batch.height and mine["tier"].unique().to_list() == [2]
    assert mine["passed"].null_count() == 0  # evaluated, not a module error
    assert mine["trace_id"].equals(batch["trace_id"])
