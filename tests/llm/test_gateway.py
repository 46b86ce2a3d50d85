"""run_task / run_tasks over the scripted model: answers, cache, retries, skips, chains, ledger."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
import time

import pytest
import scripted_model
from scripted_model import RateLimited, Reply, ServerError

from workbench import cache, config
from workbench.errors import WorkbenchError
from workbench.llm import Task, estimate, run_task, run_tasks
from workbench.llm.gateway import NS_ANSWER, NS_SKIP

SCHEMA = {
    "type": "object",
    "properties": {"kind": {"type": "string", "enum": ["ai", "other"]},
                   "confidence": {"type": "number"}},
    "required": ["kind"],
    "additionalProperties": False,
}


def offline_kind(inputs: dict) -> dict:
    return {"kind": "ai" if "openai" in inputs["host"] else "other"}


TASK = Task(name="classify_host", version="1", prompt="Classify the host {host}.", schema=SCHEMA,
            offline=offline_kind, system="You classify web hosts.")


def test_offline_answer_is_marked_offline(settings, ledger):
    r = run_task(TASK, {"host": "api.openai.com"}, model="offline", settings=settings)
    assert (r.status, r.output, r.attempts, r.model) == ("offline", {"kind": "ai"}, 0, "offline")
    assert not r.from_model
    (row,) = ledger()
    assert row["event"] == "offline_answer" and row["status"] == "offline"
    assert row["model"] == "offline" and row["pii_mask_applied"] is False


def test_model_none_uses_settings_model_then_offline(settings, ledger):
    scripted_model.script("scripted", {"kind": "other"})
    r = run_task(TASK, {"host": "example.org"}, settings=dataclasses.replace(settings, model=""))
    assert r.status == "offline"
    r = run_task(TASK, {"host": "example.org"},
                 settings=dataclasses.replace(settings, model="scripted"))
    assert (r.status, r.model, r.output) == ("ok", "scripted", {"kind": "other"})


def test_ok_answer_then_cached_then_fresh(settings, ledger):
    model = scripted_model.script("scripted", Reply('{"kind": "ai"}', usage=(40, 6)),
                                  {"kind": "other"})
    r = run_task(TASK, {"host": "chat.example.com"}, model="scripted", settings=settings)
    assert (r.status, r.output, r.attempts, r.tokens_in, r.tokens_out) == (
        "ok", {"kind": "ai"}, 1, 40, 6)
    assert r.usd is None  # no price for a scripted model
    again = run_task(TASK, {"host": "chat.example.com"}, model="scripted", settings=settings)
    assert (again.status, again.output, again.attempts) == ("cached", {"kind": "ai"}, 0)
    assert model.calls == 1
    fresh = run_task(TASK, {"host": "chat.example.com"}, model="scripted", settings=settings,
                     fresh=True)
    assert (fresh.status, fresh.output) == ("ok", {"kind": "other"})
    assert model.calls == 2
    events = [(r["event"], r["status"]) for r in ledger()]
    assert events == [("llm_call", "ok"), ("cache_hit", "cached"), ("llm_call", "ok")]
    call = ledger("llm_call")[0]
    system, user = model.sent[0].split("\n", 1)  # what the model got: system, then the prompt
    assert system == TASK.system and "chat.example.com" in user
    assert call["prompt_hash"] == hashlib.sha256(f"{system}\n\n{user}".encode()).hexdigest()
    assert call["provider"] == "scripted-model" and call["pii_mask_applied"] is True
    detail = json.loads(call["detail"])
    assert detail["task"] == "classify_host" and detail["task_version"] == "1"
    assert detail["usage_estimated"] is False


def test_cache_key_changes_with_task_version_and_model(settings):
    scripted_model.script("scripted", {"kind": "ai"}, {"kind": "other"})
    scripted_model.script("scripted-b", {"kind": "other"})
    assert run_task(TASK, {"host": "h"}, model="scripted", settings=settings).status == "ok"
    v2 = dataclasses.replace(TASK, version="2")
    assert run_task(v2, {"host": "h"}, model="scripted", settings=settings).status == "ok"
    assert run_task(TASK, {"host": "h"}, model="scripted-b", settings=settings).status == "ok"
    assert run_task(TASK, {"host": "h"}, model="scripted", settings=settings).status == "cached"
    assert cache.stats(NS_ANSWER, settings=settings)["entries"] == 3


def test_invalid_json_is_reasked_with_the_error(settings, ledger):
    model = scripted_model.script("scripted", "I think it is an AI service.",
                                  '{"kind": "robot"}', '```json\n{"kind": "ai"}\n```')
    r = run_task(TASK, {"host": "h1"}, model="scripted", settings=settings)
    assert (r.status, r.output, r.attempts) == ("ok", {"kind": "ai"}, 3)
    assert "not JSON" in model.sent[1] and "'robot' is not one of" in model.sent[2]
    assert "I think it is an AI service." in model.sent[1]  # the re-ask carries the history
    rows = ledger("llm_call")
    assert [(x["status"], x["decision"], x["error_code"]) for x in rows] == [
        ("invalid", "reask", "SCHEMA_INVALID"), ("invalid", "reask", "SCHEMA_INVALID"),
        ("ok", "accept", None)]


def test_schema_failures_skip_and_are_remembered(settings, ledger):
    model = scripted_model.script("scripted", default={"kind": "robot"})
    r = run_task(TASK, {"host": "h2"}, model="scripted", settings=settings)
    assert (r.status, r.output, r.error_code, r.attempts) == ("skipped", None, "SCHEMA_INVALID", 3)
    assert model.calls == 3
    later = run_task(TASK, {"host": "h2"}, model="scripted", settings=settings)
    assert (later.status, later.error_code, later.attempts) == ("skipped", "SCHEMA_INVALID", 0)
    assert model.calls == 3  # not resent
    skip_rows = ledger("skip")
    assert [json.loads(x["detail"])["remembered"] for x in skip_rows] == [False, True]
    assert cache.stats(NS_SKIP, settings=settings)["entries"] == 1
    scripted_model.script("scripted", {"kind": "ai"})
    fresh = run_task(TASK, {"host": "h2"}, model="scripted", settings=settings, fresh=True)
    assert (fresh.status, fresh.output) == ("ok", {"kind": "ai"})
    assert cache.stats(NS_SKIP, settings=settings)["entries"] == 0  # the memory is cleared


def test_rate_limit_honours_retry_after(settings, ledger):
    model = scripted_model.script("scripted", RateLimited(retry_after=0.3), {"kind": "ai"})
    t0 = time.perf_counter()
    r = run_task(TASK, {"host": "h3"}, model="scripted", settings=settings)
    assert time.perf_counter() - t0 >= 0.3
    assert (r.status, r.attempts) == ("ok", 2) and model.calls == 2
    first = ledger("llm_call")[0]
    assert (first["error_code"], first["decision"]) == ("RATE_LIMIT", "retry")
    assert json.loads(first["detail"])["retry_after"] == 0.3


def test_timeouts_spend_the_retries_then_skip(settings, ledger):
    scripted_model.script("scripted", TimeoutError("read timed out"), TimeoutError(),
                          TimeoutError(), {"kind": "ai"})
    r = run_task(TASK, {"host": "h4"}, model="scripted", settings=settings)
    assert (r.status, r.error_code, r.attempts) == ("skipped", "TIMEOUT", 3)  # 1 + 2 retries
    assert [x["decision"] for x in ledger("llm_call")] == ["retry", "retry", "reject"]


def test_a_stalled_call_hits_the_deadline(settings):
    fast = dataclasses.replace(settings, llm_timeout_s=0.2)
    model = scripted_model.script("scripted", Reply('{"kind": "ai"}', delay=1.0),
                                  {"kind": "other"})
    t0 = time.perf_counter()
    r = run_task(TASK, {"host": "h5"}, model="scripted", settings=fast)
    assert time.perf_counter() - t0 < 0.9
    assert (r.status, r.output, r.attempts) == ("ok", {"kind": "other"}, 2)
    assert model.calls == 2


def test_deterministic_failure_is_not_retried(settings):
    model = scripted_model.script("scripted", ValueError("bad request"), {"kind": "ai"})
    r = run_task(TASK, {"host": "h6"}, model="scripted,offline", settings=settings)
    assert (r.status, r.error_code, r.attempts) == ("skipped", "DETERMINISTIC_FAILURE", 1)
    assert model.calls == 1


def test_fallback_chain_on_transient_failures(settings, ledger):
    a = scripted_model.script("scripted", default=ServerError())
    b = scripted_model.script("scripted-b", {"kind": "other"})
    r = run_task(TASK, {"host": "h7"}, model="scripted, scripted-b, offline", settings=settings)
    assert (r.status, r.model, r.attempts) == ("ok", "scripted-b", 4)
    assert r.chain == ("scripted", "scripted-b", "offline")
    assert a.calls == 3 and b.calls == 1
    codes = [(x["model"], x["error_code"]) for x in ledger("llm_call")]
    assert codes == [("scripted", "TRANSIENT_ERROR")] * 3 + [("scripted-b", None)]
    assert json.loads(ledger("llm_call")[-1]["detail"])["chain"] == list(r.chain)


def test_chain_ends_offline_when_every_model_fails(settings, ledger):
    scripted_model.script("scripted", default=RateLimited(retry_after=0.01))
    scripted_model.script("scripted-b", default={"kind": "robot"})
    r = run_task(TASK, {"host": "api.openai.com"}, model="scripted,scripted-b,offline",
                 settings=settings)
    assert (r.status, r.output, r.model) == ("offline", {"kind": "ai"}, "offline")
    assert "scripted: RATE_LIMIT" in r.message and "scripted-b: SCHEMA_INVALID" in r.message
    (row,) = ledger("offline_answer")
    chain = json.loads(row["detail"])["fallback_chain"]
    assert [(c["model"], c["code"]) for c in chain] == [
        ("scripted", "RATE_LIMIT"), ("scripted-b", "SCHEMA_INVALID")]


def test_unknown_model_falls_back(settings):
    r = run_task(TASK, {"host": "example.org"}, model="no-such-model,offline", settings=settings)
    assert (r.status, r.attempts) == ("offline", 0)
    assert "PROVIDER_UNHEALTHY" in r.message


def test_inputs_are_masked_and_the_guard_blocks(settings, ledger):
    model = scripted_model.script("scripted", default={"kind": "other"})
    r = run_task(TASK, {"host": "mail for jane.doe@example.com"}, model="scripted",
                 settings=settings)
    assert r.status == "ok"
    assert "jane.doe@example.com" not in model.sent[0] and "<EMAIL_ADDRESS" in model.sent[0]
    assert json.loads(ledger("llm_call")[0]["detail"])["masked_values"] == 1
    leaky = dataclasses.replace(TASK, name="leaky",
                                prompt="Ask admin.person@example.com about {host}.")
    blocked = run_task(leaky, {"host": "h"}, model="scripted", settings=settings)
    assert (blocked.status, blocked.error_code, blocked.attempts) == ("skipped", "POLICY_BLOCK", 0)
    assert model.calls == 1  # the blocked prompt was never sent
    assert ledger("skip")[0]["error_code"] == "POLICY_BLOCK"


def test_trusted_inputs_are_sent_as_written_and_data_inputs_still_masked(settings):
    model = scripted_model.script("scripted", default={"kind": "other"})
    task = dataclasses.replace(TASK, name="with_catalog", prompt="Host {host}. Options: {options}",
                               trusted=("options",))
    catalog_text = "ai: a service such as Claude Opus; other: Full name of a person"
    r = run_task(task, {"host": "mail for jane.doe@example.com", "options": catalog_text},
                 model="scripted", settings=settings)
    assert r.status == "ok"
    assert catalog_text in model.sent[0] and "jane.doe@example.com" not in model.sent[0]
    leaky = run_task(task, {"host": "h", "options": "x"}, model="scripted", settings=settings,
                     fresh=True)
    assert leaky.status == "ok"
    untrusted = dataclasses.replace(task, name="untrusted", trusted=(),
                                    prompt="Ask admin.person@example.com, {host} {options}")
    blocked = run_task(untrusted, {"host": "h", "options": "x"}, model="scripted",
                       settings=settings)
    assert blocked.error_code == "POLICY_BLOCK"  # literal template text is still guarded


def test_token_budget_stops_calls(settings, ledger):
    from workbench.llm import Budget

    model = scripted_model.script("scripted", default=Reply('{"kind": "ai"}', usage=(300, 20)))
    budget = Budget(max_tokens=500)  # each call is estimated at ~280 tokens
    first = run_task(TASK, {"host": "a"}, model="scripted", budget=budget, settings=settings)
    second = run_task(TASK, {"host": "b"}, model="scripted", budget=budget, settings=settings)
    assert first.status == "ok" and budget.spent_tokens == 320
    assert (second.status, second.error_code, second.attempts) == (
        "skipped", "BUDGET_EXCEEDED", 0)
    assert model.calls == 1
    assert cache.stats(NS_SKIP, settings=settings)["entries"] == 0  # budget stops are not remembered


def test_usd_budget_per_run_across_calls(settings, ledger):
    from workbench.llm import Budget

    (settings.workspace / "prices.yml").write_text("scripted: {in: 1000.0, out: 1000.0}\n")
    (settings.workspace / "workbench.toml").write_text('[workbench]\nllm_prices = "prices.yml"\n')
    loaded = config.load(settings.workspace)
    assert loaded.extra["llm_prices"] == "prices.yml"
    priced = dataclasses.replace(loaded, llm_timeout_s=2.0, llm_max_retries=2)
    scripted_model.script("scripted", default=Reply('{"kind": "ai"}', usage=(100, 20)))
    task = dataclasses.replace(TASK, expected_output_tokens=20)  # estimate ~ 0.1 USD per call
    r = run_task(task, {"host": "a"}, model="scripted", settings=priced, run_id="run-1",
                 stage="s1", budget=Budget(max_usd=0.5, scope="run"))
    assert r.status == "ok" and r.usd == pytest.approx(0.12)
    assert ledger("llm_call")[0]["usd"] == pytest.approx(0.12)
    # a new Budget object (another stage, another process) reads the run's spend from the ledger
    budget = Budget(max_usd=0.5, scope="run")
    statuses = [run_task(task, {"host": h}, model="scripted", settings=priced, run_id="run-1",
                         stage="s2", budget=budget).status for h in "bcdef"]
    assert statuses == ["ok", "ok", "ok", "skipped", "skipped"]
    assert budget.spent_usd == pytest.approx(0.48)
    stage_only = Budget(max_usd=0.5, scope="stage")
    s3 = run_task(task, {"host": "g"}, model="scripted", settings=priced, run_id="run-1",
                  stage="s3", budget=stage_only)
    assert s3.status == "ok"


def test_usage_is_estimated_when_not_reported(settings, ledger):
    model = scripted_model.script("scripted", '{"kind": "ai"}')
    r = run_task(TASK, {"host": "h8"}, model="scripted", settings=settings)
    assert r.tokens_in == -(-len(model.sent[0]) // 4) and r.tokens_out == -(-14 // 4)
    assert json.loads(ledger("llm_call")[0]["detail"])["usage_estimated"] is True


def test_run_tasks_keeps_order_and_asks_duplicates_once(settings, ledger):
    def answer(prompt: str):
        return {"kind": "ai" if "host-ai" in prompt else "other"}

    model = scripted_model.script("scripted", default=answer, delay=0.02)
    hosts = ["host-ai-1", "x1", "host-ai-2", "x2", "x3", "host-ai-1", "x4", "host-ai-3"]
    rs = run_tasks(TASK, [{"host": h} for h in hosts], model="scripted", concurrency=4,
                   settings=settings)
    assert [r.output["kind"] for r in rs] == ["ai" if "ai" in h else "other" for h in hosts]
    assert [r.status for r in rs].count("cached") == 1 and rs[5].status == "cached"
    assert model.calls == 7
    assert len(ledger("llm_call")) == 7 and len(ledger("cache_hit")) == 1
    again = run_tasks(TASK, [{"host": h} for h in hosts], model="scripted", settings=settings)
    assert {r.status for r in again} == {"cached"} and model.calls == 7


def test_run_tasks_mixes_cached_offline_and_skipped(settings):
    scripted_model.script("scripted", {"kind": "ai"})
    run_task(TASK, {"host": "known"}, model="scripted", settings=settings)
    scripted_model.script("scripted", default=ServerError())
    rs = run_tasks(TASK, [{"host": "known"}, {"host": "api.openai.com"}],
                   model="scripted,offline", settings=settings)
    assert [r.status for r in rs] == ["cached", "offline"]
    assert rs[1].output == {"kind": "ai"}


def test_bad_offline_answer_fails_loudly(settings):
    broken = dataclasses.replace(TASK, offline=lambda inputs: {"kind": "robot"})
    with pytest.raises(WorkbenchError, match="breaks its schema"):
        run_task(broken, {"host": "h"}, model="offline", settings=settings)


def test_estimate_before_sending(settings):
    items = [{"host": f"host-{i}.example.com"} for i in range(10)]
    e = estimate(TASK, items, model="gpt-4o-mini", settings=settings)
    assert e.model == "gpt-4o-mini" and e.items == 10 and e.tokens_out == 2000
    assert e.tokens_in > 10 * 25
    assert e.usd == pytest.approx((e.tokens_in * 0.15 + e.tokens_out * 0.60) / 1e6)
    assert estimate(TASK, items, model="scripted", settings=settings).usd is None
    assert estimate(TASK, items, model="offline", settings=settings).tokens == 0


def test_calls_are_bounded_by_concurrency(settings):
    lock, active, peak = threading.Lock(), [0], [0]

    def slow(prompt: str):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return {"kind": "other"}

    model = scripted_model.script("scripted", default=slow)
    rs = run_tasks(TASK, [{"host": f"n{i}"} for i in range(12)], model="scripted",
                   concurrency=3, settings=settings)
    assert [r.status for r in rs] == ["ok"] * 12 and model.calls == 12
    assert peak[0] == 3


def test_a_prompt_field_missing_from_the_inputs_is_bad_input(settings):
    from workbench.errors import BadInput

    with pytest.raises(BadInput, match=r"uses \{host\}"):
        run_tasks(TASK, [{"hostname": "x"}], model="offline", settings=settings)
