"""Tier 3 ``llm_judge`` through the scripted `llm` model on a real DuckDB workspace."""
from __future__ import annotations

import json

import polars as pl
import pytest
import scripted_model
from scripted_model import Reply

from workbench.errors import BadInput
from workbench.pipelines.trace_eval import judge_task, registry
from workbench.pipelines.trace_eval.judge import (
    CALL_SCHEMA,
    DETAIL_SCHEMA,
    JudgeContext,
    LlmJudge,
    escalation,
    judge,
    register_trace_modules,
)
from workbench.pipelines.trace_eval.modules import RESULT_SCHEMA, batch_frame
from workbench.pipelines.trace_eval.registry import TIER_COLUMNS, evaluate_module, get_module

GOOD = {"scores": {"correctness": 5, "instruction_following": 5, "safety": 5, "helpfulness": 5},
        "verdict": "pass", "reasons": ["accurate and complete"]}
BAD = {"scores": {"correctness": 1, "instruction_following": 3, "safety": 4, "helpfulness": 2},
       "verdict": "fail", "reasons": ["contradicts the context", "wrong total"]}


@pytest.fixture(autouse=True)
def _scripted(llm_home):
    """Every test here gets the temp `llm` home with fresh scripted models."""
    return llm_home


def ctx(settings, model: str | None = "scripted") -> JudgeContext:
    return JudgeContext(model=model, run_id="run-1", stage="tier3", settings=settings)


def traces(n: int, **row) -> pl.DataFrame:
    """Return ``n`` distinct traces t0..t(n-1)."""
    return batch_frame([{"trace_id": f"t{i}", "system": "Answer in one sentence.",
                         "prompt": f"What is {i} + {i}?", "response": f"It is {2 * i}.",
                         **row} for i in range(n)])


def prior(*rows: tuple) -> pl.DataFrame:
    """Return prior result rows from (trace_id, module, tier, passed, severity, score)."""
    return pl.DataFrame(
        [(t, m, tier, "1", p, s, sc, "") for t, m, tier, p, s, sc in rows],
        schema={"trace_id": pl.Utf8, "module": pl.Utf8, "tier": pl.Int64,
                "module_version": pl.Utf8, "passed": pl.Boolean, "severity": pl.Utf8,
                "score": pl.Float64, "reason": pl.Utf8}, orient="row")


def flag_all(batch: pl.DataFrame, severity: str = "high") -> pl.DataFrame:
    return prior(*[(t, "truncation", 1, False, severity, 0.9) for t in batch["trace_id"]])


def by_id(frame: pl.DataFrame) -> dict[str, dict]:
    return {r["trace_id"]: r for r in frame.iter_rows(named=True)}


# --- escalation ----------------------------------------------------------------------------------

MIXED = prior(
    ("high", "truncation", 1, False, "high", 0.8), ("high", "risk_model", 2, None, None, 0.1),
    ("medium", "format_validity", 1, False, "medium", 0.5),
    ("low", "consistency", 1, False, "low", 0.3), ("low", "risk_model", 2, None, None, 0.69),
    ("clean", "truncation", 1, True, "none", 0.0), ("clean", "risk_model", 2, None, None, 0.2),
    ("risky", "truncation", 1, True, "none", 0.0), ("risky", "risk_model", 2, None, None, 0.75),
    ("critical", "pii_leak", 1, False, "critical", 1.0),
)
MIXED_BATCH = batch_frame([{"trace_id": t, "prompt": "q", "response": "a"}
                           for t in ("high", "medium", "low", "clean", "risky", "critical")])


def test_escalation_by_severity_and_risk_score():
    esc = by_id(escalation(MIXED_BATCH, MIXED))
    assert {t for t, r in esc.items() if r["escalated"]} == {"high", "medium", "risky", "critical"}
    assert esc["critical"]["why"] == "pii_leak critical"
    assert esc["risky"]["why"] == "risk_model 0.75"
    stricter = by_id(escalation(MIXED_BATCH, MIXED, escalate_score=0.8,
                                escalate_severity="high"))
    assert {t for t, r in stricter.items() if r["escalated"]} == {"high", "critical"}
    looser = by_id(escalation(MIXED_BATCH, MIXED, escalate_score=0.6, escalate_severity="low"))
    assert {t for t, r in looser.items() if r["escalated"]} == {
        "high", "medium", "low", "risky", "critical"}
    assert looser["low"]["why"] == "consistency low; risk_model 0.69"


def test_max_traces_keeps_the_worst_first():
    esc = by_id(escalation(MIXED_BATCH, MIXED, max_traces=2))
    assert {t for t, r in esc.items() if r["selected"]} == {"critical", "high"}
    esc = by_id(escalation(MIXED_BATCH, MIXED, max_traces=3))
    assert {t for t, r in esc.items() if r["selected"]} == {"critical", "high", "medium"}


def test_offline_judges_nothing_and_says_so(settings, ledger):
    model = scripted_model.script("scripted", default=GOOD)
    for model_id in ("offline", None):
        out = judge(MIXED_BATCH, MIXED, {"max_traces": 3}, ctx(settings, model_id))
        assert out.results.schema == pl.Schema(RESULT_SCHEMA)
        assert out.results["trace_id"].to_list() == MIXED_BATCH["trace_id"].to_list()
        reasons = dict(zip(out.results["trace_id"], out.results["reason"], strict=True))
        assert reasons == {"high": "not judged (offline)", "medium": "not judged (offline)",
                           "critical": "not judged (offline)",
                           "risky": "not escalated (over max_traces)",
                           "low": "not escalated", "clean": "not escalated"}
        assert out.results["passed"].null_count() == 6
        assert out.results["score"].null_count() == 6
        assert out.details.is_empty() and out.calls.is_empty()
    assert model.calls == 0 and ledger() == []


# --- verdicts ------------------------------------------------------------------------------------

def test_valid_answers_become_verdicts_scores_and_details(settings, ledger):
    model = scripted_model.script(
        "scripted", default=lambda text: BAD if "It is 999." in text else GOOD)
    batch = traces(3).with_columns(
        pl.when(pl.col("trace_id") == "t1").then(pl.lit("It is 999."))
        .otherwise(pl.col("response")).alias("response"))
    p = prior(("t0", "truncation", 1, False, "medium", 0.5), ("t1", "risk_model", 2, None, None,
                                                              0.9),
              ("t2", "truncation", 1, False, "low", 0.2))
    module = LlmJudge().bind(ctx(settings))
    out = by_id(module.evaluate(batch, prior=p))
    assert (out["t0"]["passed"], out["t0"]["severity"], out["t0"]["score"]) == (True, "none", 0.0)
    assert out["t0"]["reason"] == "accurate and complete"
    assert (out["t1"]["passed"], out["t1"]["severity"]) == (False, "high")
    assert out["t1"]["score"] == pytest.approx(1 - (2.5 - 1) / 4)
    assert out["t1"]["reason"] == "contradicts the context; wrong total"
    assert (out["t2"]["passed"], out["t2"]["reason"]) == (None, "not escalated")
    assert model.calls == 2
    assert module.details.schema == pl.Schema(DETAIL_SCHEMA)
    t1 = module.details.filter(pl.col("trace_id") == "t1")
    assert dict(zip(t1["rubric"], t1["score"], strict=True)) == BAD["scores"]
    assert t1.filter(~pl.col("passed"))["rubric"].to_list() == ["correctness", "helpfulness"]
    assert module.calls.schema == pl.Schema(CALL_SCHEMA)
    assert by_id(module.calls)["t1"]["escalation"] == "risk_model 0.9"
    assert set(module.calls["status"]) == {"ok"}
    calls = ledger("llm_call")
    assert len(calls) == 2 and {(c["run_id"], c["stage"]) for c in calls} == {("run-1", "tier3")}
    assert {json.loads(c["detail"])["task"] for c in calls} == {"trace_eval.llm_judge"}
    # the same traces again: cached answers, no new call, same verdicts
    again = by_id(LlmJudge().bind(ctx(settings)).evaluate(batch, prior=p))
    assert again == out and model.calls == 2 and len(ledger("cache_hit")) == 2


def test_the_prompt_carries_rubrics_context_and_response(settings):
    model = scripted_model.script("scripted", GOOD)
    judge(traces(1), flag_all(traces(1)), None, ctx(settings))
    (sent,) = model.sent
    for rubric in judge_task.load_rubrics().rubrics:
        assert f"- {rubric.name} (pass mark {rubric.pass_min})" in sent
    assert "Answer in one sentence." in sent and "user: What is 0 + 0?" in sent
    assert "It is 0." in sent and '"verdict"' in sent  # the schema hint


def test_invalid_json_then_valid_is_reasked(settings, ledger):
    model = scripted_model.script("scripted", "The response looks fine to me.", BAD)
    out = judge(traces(1), flag_all(traces(1)), None, ctx(settings))
    assert out.results.row(0, named=True)["passed"] is False
    assert model.calls == 2 and "not JSON" in model.sent[1]
    assert [(c["decision"], c["error_code"]) for c in ledger("llm_call")] == [
        ("reask", "SCHEMA_INVALID"), ("accept", None)]


def test_invalid_json_every_time_is_not_judged(settings, ledger):
    model = scripted_model.script("scripted", default='{"verdict": "maybe"}')
    out = judge(traces(1), flag_all(traces(1)), None, ctx(settings))
    row = out.results.row(0, named=True)
    assert (row["passed"], row["severity"], row["score"]) == (None, None, None)
    assert row["reason"] == "not judged (SCHEMA_INVALID)"
    assert model.calls == 3  # the first answer and two re-asks
    assert out.details.is_empty() and out.calls["error_code"].to_list() == ["SCHEMA_INVALID"]
    assert ledger("skip")[0]["error_code"] == "SCHEMA_INVALID"


def test_a_timeout_is_not_judged(settings, ledger):
    model = scripted_model.script("scripted", default=TimeoutError("read timed out"))
    out = judge(traces(1), flag_all(traces(1)), None, ctx(settings))
    assert out.results.row(0, named=True)["reason"] == "not judged (TIMEOUT)"
    assert out.results.row(0, named=True)["passed"] is None
    assert model.calls == 3 and [c["decision"] for c in ledger("llm_call")] == [
        "retry", "retry", "reject"]


def test_budget_stops_after_two_traces(settings, ledger):
    model = scripted_model.script("scripted", default=Reply(json.dumps(GOOD), usage=(5000, 0)))
    batch = traces(4)
    # each call is estimated at ~1,000 tokens and reports 5,000: two fit in 10,500, a third not
    out = judge(batch, flag_all(batch), {"max_tokens": 10_500, "concurrency": 1}, ctx(settings))
    assert out.results["reason"].to_list() == [
        "accurate and complete", "accurate and complete", "not judged (BUDGET_EXCEEDED)",
        "not judged (BUDGET_EXCEEDED)"]
    assert out.results["passed"].to_list() == [True, True, None, None]
    assert model.calls == 2 and len(ledger("llm_call")) == 2
    assert [s["error_code"] for s in ledger("skip")] == ["BUDGET_EXCEEDED"] * 2
    # a later pass of the same stage starts from what the ledger says was spent
    rest = judge(batch.slice(2), flag_all(batch.slice(2)), {"max_tokens": 10_500},
                 ctx(settings))
    assert set(rest.results["reason"]) == {"not judged (BUDGET_EXCEEDED)"} and model.calls == 2


def test_the_model_never_sees_raw_pii_and_reasons_are_masked(settings, ledger):
    leaky = {**BAD, "reasons": ["leaks the address jane.doe@example.com to the user"]}
    model = scripted_model.script("scripted", leaky)
    batch = traces(1, prompt="Who sent the invoice?",
                   response="It came from jane.doe@example.com, call +1 415 555 0132.")
    out = judge(batch, flag_all(batch, "critical"), None, ctx(settings))
    (sent,) = model.sent
    assert "jane.doe@example.com" not in sent and "<EMAIL_ADDRESS" in sent
    reason = out.results.row(0, named=True)["reason"]
    assert "jane.doe@example.com" not in reason and "<EMAIL_ADDRESS" in reason
    assert ledger("llm_call")[0]["pii_mask_applied"] is True


# --- configuration and registration --------------------------------------------------------------

def test_bad_config_fails_before_any_work(tmp_path):
    with pytest.raises(BadInput, match="escalate_severity"):
        LlmJudge({"escalate_severity": "urgent"})
    with pytest.raises(BadInput, match="unknown config key 'threshold'"):
        LlmJudge({"threshold": 0.5})
    bad = tmp_path / "rubrics.yml"
    bad.write_text("rubrics:\n  - {name: x, version: '1', instructions: y, pass_min: 7}\n")
    with pytest.raises(BadInput, match="pass_min"):
        LlmJudge({"rubrics": str(bad)})


def test_a_custom_rubric_file_changes_the_schema_and_the_task_version(tmp_path):
    path = tmp_path / "rubrics.yml"
    path.write_text("name: tone\nversion: '2'\nrubrics:\n  - {name: politeness, version: '1', "
                    "instructions: 'Is it polite?', pass_min: 4, scale: [1, 5]}\n")
    custom, default = judge_task.load_rubrics(path), judge_task.load_rubrics()
    assert custom.names == ("politeness",)
    task = judge_task.judge_task(custom)
    assert task.schema["properties"]["scores"]["required"] == ["politeness"]
    assert task.version != judge_task.judge_task(default).version
    assert "{" not in task.render({"system": "", "conversation": "", "response": ""})[:50]


def test_registers_like_a_plugin_and_runs_through_the_registry(settings, monkeypatch):
    seen: list = []
    register_trace_modules(seen.append)
    assert seen == [LlmJudge]
    monkeypatch.setenv("WORKBENCH_TRACE_MODULES",
                       "workbench.pipelines.trace_eval.judge:register_trace_modules")
    module = registry.all_modules(tier=3)["llm_judge"]
    assert module.needs_prior and module.tier == 3
    scripted_model.script("scripted", default=GOOD)
    bound = get_module("llm_judge", {"max_traces": 1}).bind(ctx(settings))
    batch = traces(2)
    rows = evaluate_module(bound, batch, flag_all(batch))
    assert rows.columns == list(TIER_COLUMNS)
    assert rows["reason"].to_list() == ["accurate and complete", "not escalated (over max_traces)"]
    assert set(rows["tier"]) == {3} and bound.details.height == 4
    no_prior = evaluate_module(bound, batch)
    assert no_prior["passed"].null_count() == 2
    assert no_prior["reason"][0].startswith("module error: ValueError")
