"""A chat session: the model's tool loop (scripted), slash commands, the offline planner, privacy."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import scripted_model
from scripted_model import Reply

from workbench.ingest.log_local import LocalLogSource
from workbench.pipelines.log_chat.session import ChatSession

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
CHECKOUT = "aws/lambda/checkout.jsonl"


@pytest.fixture
def session_for(sample_logs, chat_settings):
    def make(model="offline", **kw):
        src = LocalLogSource([sample_logs], cache_dir=chat_settings.lake_dir / "parsed")
        return ChatSession(src, chat_settings, model=model, now=NOW, **kw)
    return make


def call(name, **arguments):
    return Reply(tool_calls=[{"name": name, "arguments": arguments}])


def test_model_lists_then_fetches_and_never_sees_raw_pii(session_for, no_raw_pii):
    model = scripted_model.script(
        "scripted", call("list_log_groups"),
        call("fetch_logs", log_group=CHECKOUT, since="2h ago", filter_pattern="ERROR", limit=20),
        Reply("Checkout errors jumped in the last two hours: GatewayCircuitOpen.", usage=(900, 20)))
    s = session_for("scripted")
    a = s.ask("What went wrong in checkout for customer maria.khan50@example.com?")
    assert (a.source, a.status) == ("model", "ok")
    assert a.text.startswith("Checkout errors jumped")
    assert [c["name"] for c in a.tool_calls] == ["list_log_groups", "fetch_logs"]
    assert 5 <= a.tool_calls[1]["rows"] <= 20 and a.masked.get("EMAIL_ADDRESS", 0) >= 1
    assert model.calls == 3
    for sent in model.sent:
        no_raw_pii(sent)
        assert "maria.khan50@example.com" not in sent
    assert "GatewayCircuitOpen" in model.sent[2]  # the evidence reached the model, masked
    assert a.tokens >= 920 and s.history[-1][1] == a.text


def test_invalid_arguments_and_failing_tools_are_told_to_the_model(session_for):
    model = scripted_model.script(
        "scripted", call("fetch_logs", log_group=CHECKOUT, since="when the moon was full"),
        call("fetch_logs", log_group="no/such/group"),
        Reply("I could not read those logs."))
    a = session_for("scripted").ask("fetch checkout")
    assert a.status == "ok" and model.calls == 3
    assert "Error: ValueError" in model.sent[1] and "1h ago" in model.sent[1]
    assert "Error: BadInput" in model.sent[2] and "no log group 'no/such/group'" in model.sent[2]


def test_the_iteration_cap_gives_a_clear_partial_answer(session_for):
    model = scripted_model.script("scripted", default=call("list_log_groups", prefix="aws/"))
    a = session_for("scripted", max_iterations=3).ask("keep looking")
    assert a.status == "partial" and model.calls == 4
    assert "stopped after 3 tool rounds" in a.text and "list_log_groups" in a.text
    assert "log_chat_max_iterations" in a.text


def test_answers_stream_as_they_come(session_for):
    scripted_model.script("scripted-stream", call("count_logs", log_group=CHECKOUT,
                                                  filter_pattern="ERROR", since="24h"),
                          Reply(chunks=["Errors ", "peaked ", "at 11:00."]))
    pieces = []
    a = session_for("scripted-stream").ask("error trend?", on_text=pieces.append)
    assert pieces == ["Errors ", "peaked ", "at 11:00."] and a.text == "Errors peaked at 11:00."


def test_follow_up_questions_carry_the_conversation(session_for):
    model = scripted_model.script("scripted", Reply("Checkout is failing."), Reply("Since 10:07."))
    s = session_for("scripted")
    s.ask("what is failing?")
    s.ask("since when?")
    assert "Checkout is failing." in model.sent[1] and "what is failing?" in model.sent[1]
    s.ask("/clear")
    assert s.history == []


def test_slash_commands_call_the_tools_directly(session_for):
    s = session_for("scripted")  # no model call is scripted: none may happen
    assert "log groups" in s.ask("/groups").text
    fetched = s.ask(f"/fetch {CHECKOUT} 2h ago GatewayCircuitOpen")
    assert fetched.source == "command" and "GatewayCircuitOpen" in fetched.text
    assert fetched.tool_calls[0]["arguments"]["filter_pattern"] == "GatewayCircuitOpen"
    assert "New templates" in s.ask(f"/summary {CHECKOUT} 2h").text
    assert "matching events" in s.ask('/search "circuit" 24h aws/').text
    assert "entries" in s.ask("/cache status").text
    assert "Cleared" in s.ask("/cache clear").text
    assert "/fetch GROUP" in s.ask("/help").text
    assert s.ask("/quit").status == "quit"
    assert "unknown command /frobnicate" in s.ask("/frobnicate").text
    assert s.ask("/fetch no/such").text.startswith("error: no log group")
    assert scripted_model.MODELS["scripted"].calls == 0


def test_offline_planner_says_so_and_declines_the_rest(session_for, no_raw_pii):
    s = session_for()
    a = s.ask("what went wrong in checkout in the last 2 hours?")
    assert a.source == "offline" and "offline planner" in a.text and "GatewayCircuitOpen" in a.text
    no_raw_pii(a.text)
    assert "needs a model" in s.ask("write me a haiku").text


def test_pii_off_only_through_the_setting_and_the_model_still_gets_masked_text(
        session_for, monkeypatch, no_raw_pii):
    monkeypatch.setenv("WORKBENCH_LOG_CHAT_PII", "off")
    model = scripted_model.script(
        "scripted", call("fetch_logs", log_group=CHECKOUT, since="24h", limit=30), Reply("ok"))
    s = session_for("scripted")
    assert s.mask is False
    assert "@example." in s.ask(f"/fetch {CHECKOUT} 24h").text  # shown unmasked, locally
    s.ask("show me checkout")
    no_raw_pii(model.sent[1])  # the gateway masks whatever leaves the machine
