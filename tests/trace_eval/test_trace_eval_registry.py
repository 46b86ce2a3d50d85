"""Trace modules register through ``workbench.trace_modules`` like plugins; failures stay local."""
from pathlib import Path

import polars as pl
import pytest

from workbench.errors import BadInput
from workbench.pipelines.trace_eval import registry
from workbench.pipelines.trace_eval.modules import TraceModule, batch_frame, merge_config
from workbench.pipelines.trace_eval.registry import (
    all_modules,
    evaluate_module,
    evaluate_tier,
    get_module,
)
from workbench.pipelines.trace_eval.rules import register_trace_modules

BUILTINS = {"format_validity", "truncation", "safety_triggers", "consistency", "length_language",
            "pii_leak"}
HERE = Path(__file__).resolve().parent


@pytest.fixture
def plugin_path(monkeypatch):
    """Make the test package ``third_party_module`` importable, as an installed one would be."""
    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.delenv("WORKBENCH_TRACE_MODULES", raising=False)
    return HERE


def batch() -> pl.DataFrame:
    return batch_frame([
        {"trace_id": "loud", "prompt": "Status?", "response": "EVERYTHING IS ON FIRE NOW"},
        {"trace_id": "calm", "prompt": "Status?", "response": "All systems are running."},
        {"trace_id": "cut", "prompt": "Plan?", "response": "First we migrate the data and",
         "finish_reason": "length"},
    ])


def test_the_six_builtins_register_through_the_same_hook(monkeypatch):
    monkeypatch.delenv("WORKBENCH_TRACE_MODULES", raising=False)
    seen = []
    register_trace_modules(seen.append)
    assert {cls.name for cls in seen} == BUILTINS
    assert all(issubclass(cls, TraceModule) for cls in seen)
    modules = all_modules(tier=1)
    assert BUILTINS <= set(modules)
    for m in modules.values():
        assert m.tier == 1 and isinstance(m.version, str) and m.version
        assert isinstance(m.config, dict) and m.config["enabled"] is True
    assert all_modules(tier=2).keys().isdisjoint(BUILTINS)


def test_a_third_party_module_through_the_env_var(plugin_path, monkeypatch):
    assert "shouting" not in all_modules()
    monkeypatch.setenv("WORKBENCH_TRACE_MODULES", "third_party_module:register_trace_modules")
    assert "shouting" in all_modules(tier=1) and BUILTINS <= set(all_modules())
    out = evaluate_tier(batch())
    shouting = out.filter(pl.col("module") == "shouting")
    assert shouting["module_version"].unique().to_list() == ["0.3"]
    assert dict(zip(shouting["trace_id"], shouting["passed"], strict=True)) == {
        "loud": False, "calm": True, "cut": True}
    # the default hook name is register_trace_modules
    monkeypatch.setenv("WORKBENCH_TRACE_MODULES", "third_party_module")
    assert "shouting" in all_modules()


def test_a_third_party_module_through_a_real_entry_point(plugin_path, tmp_path, monkeypatch):
    dist = tmp_path / "shouting_checks-0.3.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: shouting-checks\nVersion: 0.3\n")
    (dist / "entry_points.txt").write_text(
        "[workbench.trace_modules]\nshouting = third_party_module:register_trace_modules\n")
    from importlib.metadata import entry_points

    assert "shouting" not in {ep.name for ep in entry_points(group="workbench.trace_modules")}
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "shouting" in {ep.name for ep in entry_points(group="workbench.trace_modules")}
    modules = all_modules(tier=1)
    assert "shouting" in modules and BUILTINS <= set(modules)
    assert modules["shouting"].version == "0.3"


def test_a_failing_module_does_not_stop_the_others(plugin_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_TRACE_MODULES",
                       "third_party_module:register_broken,third_party_module")
    b = batch().with_columns(pl.when(pl.col("trace_id") == "loud")
                             .then(pl.lit("MAIL ME AT ROOT.ADMIN@CORP-MAIL.NET NOW"))
                             .otherwise(pl.col("response")).alias("response"))
    out = evaluate_tier(b)
    assert set(out["module"]) == BUILTINS | {"shouting", "exploding", "row_dropper"}
    assert out.group_by("module").len()["len"].to_list() == [b.height] * 9
    broken = out.filter(pl.col("module") == "exploding")
    assert broken["passed"].null_count() == b.height
    reason = broken["reason"][0]
    assert reason.startswith("module error: RuntimeError: cannot handle")
    assert "ROOT.ADMIN" not in reason and "<EMAIL_ADDRESS>" in reason     # masked, never raw
    dropper = out.filter(pl.col("module") == "row_dropper")
    assert dropper["reason"][0] == ("module error: ValueError: row_dropper returned 1 rows for 3 "
                                    "traces")
    ok = out.filter(pl.col("module") == "truncation")
    assert ok.filter(pl.col("trace_id") == "cut")["passed"][0] is False


def test_a_broken_hook_warns_and_the_rest_registers(plugin_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_TRACE_MODULES",
                       "third_party_module:register_invalid,no_such_package:hook,"
                       "third_party_module")
    with pytest.warns(RuntimeWarning) as caught:
        modules = all_modules()
    messages = " | ".join(str(w.message) for w in caught)
    assert "invalid trace module" in messages and "this hook is broken" in messages
    assert "no_such_package:hook" in messages
    assert "shouting" in modules and BUILTINS <= set(modules)


def test_registering_a_name_again_replaces_it_with_a_warning(monkeypatch):
    class MyTruncation(TraceModule):
        name, tier, version = "truncation", 1, "9"

        def evaluate(self, batch, prior=None):
            return get_module("consistency").evaluate(batch)

    import sys
    import types

    mod = types.ModuleType("custom_truncation")
    mod.register_trace_modules = lambda register: register(MyTruncation)
    monkeypatch.setitem(sys.modules, "custom_truncation", mod)
    monkeypatch.setenv("WORKBENCH_TRACE_MODULES", "custom_truncation")
    with pytest.warns(RuntimeWarning, match="registered again"):
        assert all_modules()["truncation"].version == "9"


def test_config_overrides_and_bad_config():
    b = batch_frame([{"trace_id": "t", "response": "We copy the data and then switch over to the"}])
    default = evaluate_tier(b).filter(pl.col("module") == "truncation")
    assert default["passed"][0] is False
    relaxed = evaluate_tier(b, config={"truncation": {"min_chars_dangling": 500}})
    assert relaxed.filter(pl.col("module") == "truncation")["passed"][0] is True
    skipped = evaluate_tier(b, config={"truncation": {"enabled": False}})
    assert "truncation" not in set(skipped["module"]) and skipped.height == 5
    assert get_module("truncation", {"min_chars": 120}).config["min_chars"] == 120
    assert get_module("truncation").config["min_chars"] == 200          # defaults untouched
    with pytest.raises(BadInput, match=r"unknown trace module\(s\) no_such; registered: "):
        evaluate_tier(b, config={"no_such": {}})
    with pytest.raises(BadInput, match="unknown config key 'min_char'"):
        evaluate_tier(b, config={"truncation": {"min_char": 3}})
    with pytest.raises(BadInput, match="'min_chars' must be int, got str"):
        get_module("truncation", {"min_chars": "3"})
    with pytest.raises(BadInput, match="unknown trace module 'nope'"):
        get_module("nope")
    assert merge_config("m", {"ratio": 0.5}, {"ratio": 1})["ratio"] == 1.0


def test_a_later_tier_reads_the_earlier_results(plugin_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_TRACE_MODULES", "third_party_module:register_tier2")
    assert set(all_modules(tier=2)) == {"flag_counter", "risk_model"}  # beside the built-in
    b = batch_frame([
        {"trace_id": "bad", "expected_format": "json", "response": '{"a": [1, 2',
         "finish_reason": "length"},
        {"trace_id": "good", "prompt": "Hi", "response": "Hello! How can I help you today?"},
    ])
    tier1 = evaluate_tier(b)
    tier2 = evaluate_tier(b, tier=2, prior=tier1, only={"flag_counter"})
    assert tier2["module"].to_list() == ["flag_counter"] * 2 and tier2["tier"].to_list() == [2, 2]
    assert dict(zip(tier2["trace_id"], tier2["passed"], strict=True)) == {"bad": False,
                                                                          "good": True}
    # an instance without configured(): overrides are copied onto a clone
    clone = get_module("flag_counter", {"threshold": 9})
    assert clone.config["threshold"] == 9 and get_module("flag_counter").config["threshold"] == 2
    no_prior = evaluate_module(all_modules(tier=2)["flag_counter"], b)
    assert no_prior["passed"].null_count() == 2
    assert no_prior["reason"][0] == ("module error: ValueError: needs the results of earlier "
                                     "tiers (prior=)")


def test_module_results_are_checked_against_the_contract():
    class OutOfRange(TraceModule):
        name, tier, version = "out_of_range", 1, "1"

        def evaluate(self, batch, prior=None):
            return get_module("truncation").evaluate(batch).with_columns(pl.lit(3.0).alias("score"))

    class Shuffled(TraceModule):
        name, tier, version = "shuffled", 1, "1"

        def evaluate(self, batch, prior=None):
            return get_module("truncation").evaluate(batch).reverse()

    b = batch()
    bad = evaluate_module(OutOfRange(), b)
    assert bad["passed"].null_count() == b.height and "score outside [0, 1]" in bad["reason"][0]
    realigned = evaluate_module(Shuffled(), b)
    assert realigned["trace_id"].to_list() == b["trace_id"].to_list()
    assert realigned.filter(pl.col("trace_id") == "cut")["passed"][0] is False


def test_discovery_is_cached_until_the_env_or_path_changes(monkeypatch):
    monkeypatch.delenv("WORKBENCH_TRACE_MODULES", raising=False)
    first = all_modules()
    assert all_modules() is not first and all_modules()["truncation"] is first["truncation"]
    assert len(registry._CACHE) == 1
