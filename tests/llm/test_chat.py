"""Tool calling through the gateway: masked and cached tool results, cache, offline, ledger."""
from __future__ import annotations

import json

import scripted_model
from scripted_model import Reply, ServerError

from workbench.llm import Budget, ToolSpec, run_chat

CALLS: list[dict] = []


def search_logs(query: str, limit: int = 5) -> list[dict]:
    """Search the logs for lines containing ``query``."""
    CALLS.append({"query": query, "limit": limit})
    return [{"line": f"ERROR login failed for alice.jones@example.com ({query})"}]


def test_tool_results_are_masked_before_the_model_sees_them(settings, ledger):
    CALLS.clear()
    model = scripted_model.script(
        "scripted",
        Reply(tool_calls=[{"name": "search_logs", "arguments": {"query": "login"}}]),
        Reply("One failed login, for <EMAIL_ADDRESS>.", usage=(120, 12)))
    r = run_chat("Why did logins fail?", [search_logs], model="scripted", settings=settings,
                 run_id="chat-1", stage="ask")
    assert (r.status, r.turns, r.attempts) == ("ok", 2, 2)
    assert r.text.startswith("One failed login")
    assert CALLS == [{"query": "login", "limit": 5}]
    second_turn = model.sent[1]
    assert "alice.jones@example.com" not in second_turn and "<EMAIL_ADDRESS_" in second_turn
    assert r.tool_calls == [{"name": "search_logs", "arguments": {"query": "login"},
                             "cached": False, "chars": r.tool_calls[0]["chars"],
                             "blocked": False}]
    events = [(x["event"], x["status"]) for x in ledger()]
    assert events == [("llm_call", "ok"), ("tool_call", "ok"), ("llm_call", "ok")]
    assert json.loads(ledger("llm_call")[0]["detail"])["tool_calls"] == ["search_logs"]
    assert all(x["run_id"] == "chat-1" and x["pii_mask_applied"] for x in ledger())


def test_answers_and_tool_results_are_cached(settings, ledger):
    CALLS.clear()
    tool_call = Reply(tool_calls=[{"name": "search_logs", "arguments": {"query": "disk"}}])
    model = scripted_model.script("scripted", tool_call, "disk full", tool_call, "disk is full")
    first = run_chat("What about the disk?", [ToolSpec(search_logs, cache_ttl_s=60)],
                     model="scripted", settings=settings)
    again = run_chat("What about the disk?", [search_logs], model="scripted", settings=settings)
    assert (first.status, again.status, again.text) == ("ok", "cached", "disk full")
    assert model.calls == 2
    other = run_chat("And the disk, again?", [search_logs], model="scripted", settings=settings)
    assert other.status == "ok" and other.tool_calls[0]["cached"] is True
    assert len(CALLS) == 1  # the tool ran once; its masked result was reused


def test_question_is_masked_and_chat_falls_back_to_offline(settings, ledger):
    model = scripted_model.script("scripted", default=ServerError())
    r = run_chat("Errors for user bob.brown@example.com?", [search_logs],
                 model="scripted,offline", settings=settings,
                 offline=lambda q: "offline: use /search")
    assert (r.status, r.text, r.attempts) == ("offline", "offline: use /search", 3)
    assert "bob.brown@example.com" not in r.question
    assert all("bob.brown@example.com" not in s for s in model.sent)
    assert [x["event"] for x in ledger()][-1] == "offline_answer"


def test_offline_chat_and_budget_stop(settings):
    off = run_chat("hello", [search_logs], model="offline", settings=settings,
                   offline=lambda q: f"echo {q}")
    assert (off.status, off.text) == ("offline", "echo hello")
    scripted_model.script("scripted", default="never sent")
    r = run_chat("hello", [search_logs], model="scripted", settings=settings,
                 budget=Budget(max_tokens=10))
    assert (r.status, r.error_code, r.attempts) == ("skipped", "BUDGET_EXCEEDED", 0)
