"""Trace shapes: OpenAI chat (merged and paired), OTLP GenAI spans (both message conventions),
plain records; the trace_id rule, skipped non-GenAI spans, finish reasons, expected formats."""
from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime

import polars as pl
import pytest

from workbench.pipelines.trace_eval.shapes import (
    TRACE_SCHEMA,
    ShapeError,
    detect_shape,
    normalize,
    parse_line,
    to_frame,
)

T0_NS = 1_741_082_400_000_000_000  # 2025-03-04T10:00:00Z


def one(obj) -> dict:
    n = normalize(obj)
    assert len(n.records) == 1 and not n.errors
    return n.records[0]


def merged(**over) -> dict:
    rec = {"id": "chatcmpl-abc", "object": "chat.completion", "created": 1741082400,
           "model": "gpt-4o-mini-2024-07-18",
           "messages": [{"role": "system", "content": "Be brief."},
                        {"role": "user", "content": "Capital of France?"},
                        {"role": "assistant", "content": "Paris."},
                        {"role": "user", "content": [{"type": "text", "text": "And Spain?"}]}],
           "choices": [{"index": 0, "message": {"role": "assistant", "content": "Madrid."},
                        "finish_reason": "stop"}],
           "usage": {"prompt_tokens": 31, "completion_tokens": 2, "total_tokens": 33}}
    rec.update(over)
    return rec


# --- OpenAI chat -------------------------------------------------------------------------------

def test_openai_merged_record_fills_every_unified_field():
    r = one(merged(latency_ms=412.5, max_tokens=64, metadata={"app": "faq"}))
    assert r["trace_id"] == "chatcmpl-abc" and r["source_format"] == "openai_chat"
    assert (r["provider"], r["model"]) == ("openai", "gpt-4o-mini-2024-07-18")
    assert r["system"] == "Be brief."
    assert r["prompt"] == "Capital of France?\n\nAnd Spain?"
    assert json.loads(r["messages"]) == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Capital of France?"},
        {"role": "assistant", "content": "Paris."}, {"role": "user", "content": "And Spain?"}]
    assert (r["response"], r["finish_reason"], r["expected_format"]) == ("Madrid.", "stop", "text")
    assert (r["tokens_in"], r["tokens_out"], r["max_tokens"]) == (31, 2, 64)
    assert r["latency_ms"] == 412.5 and r["cost_usd"] is None
    assert r["started_at"] == 1741082400 * 1_000_000
    assert json.loads(r["metadata"]) == {"app": "faq"}


def test_openai_finish_reason_at_top_level_and_tool_calls_as_json_text():
    rec = merged(finish_reason="tool_calls")
    rec["choices"] = [{"index": 0, "message": {"role": "assistant", "content": None, "tool_calls": [
        {"id": "call_1", "type": "function",
         "function": {"name": "get_weather", "arguments": "{\"city\": \"Oslo\"}"}}]}}]
    r = one(rec)
    assert r["finish_reason"] == "tool_calls"
    assert json.loads(r["response"]) == {
        "tool_calls": [{"name": "get_weather", "arguments": {"city": "Oslo"}}]}


def test_openai_request_response_pair_with_json_schema():
    schema = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
    rec = {"id": "req_42",
           "request": {"model": "gpt-4o", "max_completion_tokens": 100,
                       "messages": [{"role": "developer", "content": "JSON only."},
                                    {"role": "user", "content": "Is it ok?"}],
                       "response_format": {"type": "json_schema",
                                           "json_schema": {"name": "a", "schema": schema}}},
           "response": {"id": "chatcmpl-zz", "model": "gpt-4o-2024-08-06", "created": 1741082400,
                        "choices": [{"message": {"role": "assistant", "content": '{"ok": true}'},
                                     "finish_reason": "length"}],
                        "usage": {"prompt_tokens": 9, "completion_tokens": 5}},
           "cost_usd": 0.0004}
    assert detect_shape(rec) == "openai_chat"
    r = one(rec)
    assert r["trace_id"] == "req_42" and r["model"] == "gpt-4o-2024-08-06"
    assert r["system"] == "JSON only." and r["max_tokens"] == 100
    assert r["expected_format"] == "json_schema"
    assert json.loads(r["response_schema"]) == schema
    assert r["finish_reason"] == "length" and r["cost_usd"] == 0.0004


def test_openai_json_object_mode_means_json():
    r = one(merged(response_format={"type": "json_object"}))
    assert (r["expected_format"], r["response_schema"]) == ("json", None)


@pytest.mark.parametrize(("record", "reason"), [
    ({"id": "x", "messages": []}, "openai_chat: missing 'choices'"),
    ({"id": "x", "choices": [{"message": {}}]}, "openai_chat: missing 'messages'"),
    (merged(choices=[]), "'choices' must be a non-empty list"),
    (merged(messages="hi"), "messages must be a list"),
    (merged(messages=[{"content": "no role"}]), "messages[0] has no role"),
    (merged(usage={"prompt_tokens": "31"}), "usage.prompt_tokens must be an integer, got str"),
    (merged(id={"nested": 1}), "trace_id/id must be a non-empty string"),
    (merged(metadata=[1]), "metadata must be an object"),
    ({"request": {"messages": []}, "response": "oops"}, "'request' and 'response' must both"),
])
def test_openai_bad_records_name_the_problem(record, reason):
    with pytest.raises(ShapeError, match=re.escape(reason)):
        normalize(record)


# --- OTLP GenAI spans --------------------------------------------------------------------------

def kv(key, value) -> dict:
    if isinstance(value, bool):
        v = {"boolValue": value}
    elif isinstance(value, int):
        v = {"intValue": str(value)}  # int64 as a decimal string, as OTLP JSON writes it
    elif isinstance(value, list):
        v = {"arrayValue": {"values": [{"stringValue": x} for x in value]}}
    elif isinstance(value, dict):
        v = {"kvlistValue": {"values": [kv(k, x) for k, x in value.items()]}}
    else:
        v = {"stringValue": value}
    return {"key": key, "value": v}


def span(span_id: str, attrs: dict, events=(), trace_id="5b8aa5a2d2c872e8321cf37308d69df2",
         start=T0_NS, duration_ns=850_000_000) -> dict:
    return {"traceId": trace_id, "spanId": span_id, "name": "chat", "kind": 3,
            "startTimeUnixNano": str(start), "endTimeUnixNano": str(start + duration_ns),
            "attributes": [kv(k, v) for k, v in attrs.items()], "events": list(events)}


def export(*spans, service="checkout") -> dict:
    return {"resourceSpans": [{
        "resource": {"attributes": [kv("service.name", service)]},
        "scopeSpans": [{"scope": {"name": "opentelemetry.instrumentation.openai_v2"},
                        "spans": list(spans)}]}]}


NEW_ATTRS = {
    "gen_ai.operation.name": "chat", "gen_ai.provider.name": "anthropic",
    "gen_ai.request.model": "claude-3-5-sonnet", "gen_ai.response.model": "claude-3-5-sonnet-2024",
    "gen_ai.request.max_tokens": 300, "gen_ai.usage.input_tokens": 120,
    "gen_ai.usage.output_tokens": 42, "gen_ai.response.finish_reasons": ["end_turn"],
    "gen_ai.output.type": "json",
    "gen_ai.system_instructions": json.dumps([{"type": "text", "content": "Answer in JSON."}]),
    "gen_ai.input.messages": json.dumps([{"role": "user", "parts": [
        {"type": "text", "content": "Weather in Paris?"}]}]),
    "gen_ai.output.messages": json.dumps([{"role": "assistant", "finish_reason": "stop", "parts": [
        {"type": "text", "content": '{"city": "Paris", "sky": "rain"}'}]}]),
}


def test_otel_current_convention_attributes():
    n = normalize(export(span("0011223344556677", NEW_ATTRS)))
    assert n.source_format == "otel_genai" and n.skipped_spans == 0
    r = n.records[0]
    assert r["trace_id"] == "5b8aa5a2d2c872e8321cf37308d69df2:0011223344556677"
    assert (r["provider"], r["model"]) == ("anthropic", "claude-3-5-sonnet-2024")
    assert r["system"] == "Answer in JSON." and r["prompt"] == "Weather in Paris?"
    assert json.loads(r["messages"])[0] == {"role": "system", "content": "Answer in JSON."}
    assert r["response"] == '{"city": "Paris", "sky": "rain"}'
    assert (r["finish_reason"], r["expected_format"]) == ("stop", "json")  # end_turn -> stop
    assert (r["max_tokens"], r["tokens_in"], r["tokens_out"]) == (300, 120, 42)
    assert r["latency_ms"] == pytest.approx(850.0)
    assert r["started_at"] == T0_NS // 1000
    meta = json.loads(r["metadata"])
    assert meta["service"] == "checkout" and meta["operation"] == "chat"


def test_otel_structured_messages_attribute_is_read_too():
    attrs = {k: v for k, v in NEW_ATTRS.items() if not k.endswith("messages")}
    s = span("0011223344556677", attrs)
    s["attributes"].append({"key": "gen_ai.input.messages", "value": {"arrayValue": {"values": [
        {"kvlistValue": {"values": [kv("role", "user"), {"key": "parts", "value": {"arrayValue": {
            "values": [{"kvlistValue": {"values": [kv("type", "text"),
                                                   kv("content", "Hola")]}}]}}}]}}]}}})
    r = one(export(s))
    assert r["prompt"] == "Hola" and r["response"] == ""


def test_otel_older_event_convention():
    events = [
        {"timeUnixNano": str(T0_NS), "name": "gen_ai.system.message",
         "attributes": [kv("content", "You are a travel agent.")]},
        {"timeUnixNano": str(T0_NS), "name": "gen_ai.user.message",
         "attributes": [kv("content", "Book Rome.")]},
        {"timeUnixNano": str(T0_NS), "name": "gen_ai.assistant.message",
         "attributes": [kv("content", "Which dates?")]},
        {"timeUnixNano": str(T0_NS), "name": "gen_ai.user.message",
         "attributes": [kv("content", "{\"from\": \"May 3\"}")]},
        {"timeUnixNano": str(T0_NS + 9), "name": "gen_ai.choice",
         "attributes": [kv("index", 0), kv("finish_reason", "max_tokens"),
                        kv("message", {"role": "assistant", "content": "Booked: Rome, May 3 to"})]},
    ]
    attrs = {"gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o",
             "gen_ai.usage.prompt_tokens": 50, "gen_ai.usage.completion_tokens": 8}
    r = one(export(span("8899aabbccddeeff", attrs, events)))
    assert r["system"] == "You are a travel agent."
    assert r["prompt"] == "Book Rome.\n\n{\"from\": \"May 3\"}"  # JSON-looking text stays text
    assert [m["role"] for m in json.loads(r["messages"])] == ["system", "user", "assistant", "user"]
    assert r["response"] == "Booked: Rome, May 3 to" and r["finish_reason"] == "length"
    assert (r["provider"], r["tokens_in"], r["tokens_out"]) == ("openai", 50, 8)
    assert r["expected_format"] == "text"


def test_otel_choice_event_with_tool_calls_and_message_as_json_string():
    events = [{"name": "gen_ai.user.message", "attributes": [kv("content", "Order A-1?")]},
              {"name": "gen_ai.choice", "attributes": [
                  kv("index", 0), kv("finish_reason", "tool_calls"),
                  kv("message", json.dumps({"role": "assistant", "tool_calls": [
                      {"id": "c1", "type": "function",
                       "function": {"name": "lookup", "arguments": "{\"id\": \"A-1\"}"}}]}))]}]
    r = one(export(span("8899aabbccddeeff", {"gen_ai.system": "openai"}, events)))
    assert json.loads(r["response"])["tool_calls"][0] == {"name": "lookup",
                                                          "arguments": {"id": "A-1"}}
    assert r["finish_reason"] == "tool_calls"


def test_otel_many_spans_per_line_and_non_genai_spans_are_counted():
    http = span("1111111111111111", {"http.request.method": "POST", "url.path": "/chat"})
    db = span("2222222222222222", {"db.system.name": "postgresql"})
    a = span("3333333333333333", NEW_ATTRS)
    b = span("4444444444444444", NEW_ATTRS, trace_id="ffffffffffffffffffffffffffffffff")
    n = normalize(export(http, a, db, b))
    assert n.skipped_spans == 2
    assert [r["trace_id"] for r in n.records] == [
        "5b8aa5a2d2c872e8321cf37308d69df2:3333333333333333",
        "ffffffffffffffffffffffffffffffff:4444444444444444"]


def test_otel_base64_ids_become_hex_and_bad_spans_are_reported_alone():
    good = span("ESIzRFVmd4g=", NEW_ATTRS, trace_id="W4qlotLIcugyHPNzCNad8g==")
    bad = span("zz", NEW_ATTRS)
    n = normalize(export(good, bad))
    assert n.records[0]["trace_id"] == "5b8aa5a2d2c872e8321cf37308d69df2:1122334455667788"
    assert n.errors == [("span 2", "otel_genai: spanId is neither 16 hex digits nor base64")]


def test_otel_span_without_ids_gets_a_content_hash():
    s = span("", NEW_ATTRS, trace_id="")
    r = one(export(s))
    assert len(r["trace_id"]) == 32 and ":" not in r["trace_id"]


def test_otel_bad_export_is_a_shape_error():
    with pytest.raises(ShapeError, match="resourceSpans must be a list"):
        normalize({"resourceSpans": {"oops": 1}})


# --- plain -------------------------------------------------------------------------------------

def test_plain_record_with_metadata_fallbacks():
    rec = {"trace_id": "t-9", "prompt": "Résume ce texte.", "response": "Voici le résumé.",
           "model": "mistral-large-2411", "system": "Tu es concis.",
           "metadata": {"timestamp": "2025-03-04T10:00:00.250Z", "latency_ms": 731,
                        "tokens_in": 40, "tokens_out": 12, "cost_usd": 0.0001,
                        "finish_reason": "STOP", "expected_format": "json_schema",
                        "response_schema": {"type": "object"}, "app": "notes"}}
    r = one(rec)
    assert (r["trace_id"], r["source_format"], r["provider"]) == ("t-9", "plain", "mistral_ai")
    assert json.loads(r["messages"]) == [{"role": "system", "content": "Tu es concis."},
                                         {"role": "user", "content": "Résume ce texte."}]
    assert (r["latency_ms"], r["tokens_in"], r["tokens_out"]) == (731.0, 40, 12)
    assert r["finish_reason"] == "stop" and r["expected_format"] == "json_schema"
    assert r["response_schema"] == '{"type":"object"}'
    start = datetime(2025, 3, 4, 10, 0, 0, 250_000, tzinfo=UTC)
    assert r["started_at"] == int(start.timestamp() * 1_000_000)
    assert json.loads(r["metadata"])["app"] == "notes"


def test_trace_id_rule_trace_id_then_id_then_content_hash():
    assert one({"trace_id": "a", "id": "b", "prompt": "p", "response": "r"})["trace_id"] == "a"
    assert one({"id": 7, "prompt": "p", "response": "r"})["trace_id"] == "7"
    line = '{"response": "r",  "prompt": "p"}'
    canonical = json.dumps(json.loads(line), sort_keys=True, separators=(",", ":"))
    want = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    assert parse_line(line).records[0]["trace_id"] == want
    # spacing and key order do not change the id
    assert parse_line('{"prompt":"p","response":"r"}').records[0]["trace_id"] == want


@pytest.mark.parametrize(("line", "reason"), [
    (b'{"prompt": "p"', "invalid JSON"),
    (b"[1, 2]", "a line must hold a JSON object, got a JSON array"),
    (b'{"prompt": "p"}', "plain: missing 'response'"),
    (b'{"prompt": "p", "response": null}', "plain: 'response' must be a string, got null"),
    (b'{"prompt": "p", "response": "r", "metadata": {"latency_ms": "fast"}}',
     "metadata.latency_ms must be a number, got str"),
    (b'{"hello": "world"}', "unknown shape"),
])
def test_bad_lines_raise_a_reason(line, reason):
    with pytest.raises(ShapeError, match=reason):
        parse_line(line)


@pytest.mark.parametrize(("given", "want"), [
    ("STOP", "stop"), ("end_turn", "stop"), ("stop_sequence", "stop"), ("max_tokens", "length"),
    ("MAX_TOKENS", "length"), ("tool_use", "tool_calls"), ("function_call", "tool_calls"),
    ("SAFETY", "content_filter"), ("content_filter", "content_filter"), ("weird", "weird"),
])
def test_finish_reasons_are_normalised(given, want):
    assert one({"prompt": "p", "response": "r", "finish_reason": given})["finish_reason"] == want


def test_provider_from_model_prefix_or_null():
    def provider(model):
        return one({"prompt": "p", "response": "r", "model": model})["provider"]
    assert provider("claude-3-haiku-20240307") == "anthropic"
    assert provider("gemini-2.0-flash") == "gcp.gemini"
    assert provider("anthropic.claude-3-sonnet-v1:0") == "aws.bedrock"
    assert provider("acme-internal-7b") is None


def test_to_frame_has_the_unified_schema():
    records = normalize(merged()).records + normalize({"prompt": "p", "response": "r"}).records
    df = to_frame(records)
    assert df.schema == pl.Schema(TRACE_SCHEMA)
    assert df["started_at"][0] == datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
    assert df["started_at"][1] is None
    assert to_frame([]).schema == pl.Schema(TRACE_SCHEMA)


def test_a_plain_record_that_also_logs_messages_stays_plain():
    rec = {"prompt": "Hi", "response": "Hello", "messages": [{"role": "user", "content": "Hi"}]}
    assert detect_shape(rec) == "plain"
    assert detect_shape({"id": "x", "choices": [], "messages": []}) == "openai_chat"
