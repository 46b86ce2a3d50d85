"""Sample interactions written as trace lines: OpenAI chat, OTLP GenAI spans, plain records."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from random import Random
from typing import TextIO

from ._sample_cases import Case

_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# (shape, line): each is quarantined once by ingest, with the reason in the comment
BAD_LINES = (
    ("openai_chat", ('{"id": "chatcmpl-broken", "model": "gpt-4o", "messages": [{"role": "user", '
                    '"content": "Hel')),                                    # invalid JSON
    ("openai_chat", ('{"id": "chatcmpl-nochoice", "model": "gpt-4o-mini", "messages": '
                    '[{"role": "user", "content": "Ping"}]}')),             # missing 'choices'
    ("plain", '{"trace_id": "pl-badtype", "prompt": "What is 2+2?", "response": 4}'),  # wrong type
    ("otel", '{"resourceSpans": "not a list"}'),                           # wrong type
)


def _rid(rng: Random, n: int = 24) -> str:
    return "".join(rng.choice(_ALNUM) for _ in range(n))


def _messages(case: Case) -> list[dict]:
    out = [{"role": "system", "content": case.system}] if case.system else []
    return out + case.history + [{"role": "user", "content": case.prompt}]


def _response_format(case: Case) -> dict | None:
    if case.expected == "json":
        return {"type": "json_object"}
    if case.expected == "json_schema":
        return {"type": "json_schema",
                "json_schema": {"name": "answer", "strict": True, "schema": case.schema}}
    return None


def _openai_calls(case: Case) -> list[dict]:
    return [{"id": c["id"], "type": "function",
             "function": {"name": c["name"], "arguments": json.dumps(c["arguments"])}}
            for c in case.tool_calls or []]


def _meta(case: Case, rng: Random) -> dict:
    return {"app": case.app, "env": "prod", "user": f"u-{rng.getrandbits(32):08x}"}


def openai_record(case: Case, f: dict, rng: Random) -> dict:
    """Return an OpenAI chat trace: merged (70 %) or a request/response pair."""
    message = {"role": "assistant", "content": case.response or None}
    if case.tool_calls:
        message["tool_calls"] = _openai_calls(case)
    completion = {"id": f"chatcmpl-{_rid(rng)}", "object": "chat.completion",
                  "created": f["start_us"] // 1_000_000, "model": f["model"],
                  "choices": [{"index": 0, "message": message, "finish_reason": case.finish}],
                  "usage": {"prompt_tokens": f["tokens_in"], "completion_tokens": f["tokens_out"],
                            "total_tokens": f["tokens_in"] + f["tokens_out"]}}
    request = {"model": f["model"].split("-20")[0], "messages": _messages(case),
               "temperature": rng.choice((0, .2, .7, 1))}
    if _response_format(case):
        request["response_format"] = _response_format(case)
    if case.max_tokens:
        request["max_tokens"] = case.max_tokens
    if rng.random() < .7:
        rec = {**completion, **request, "model": f["model"], "latency_ms": f["latency_ms"],
               "metadata": _meta(case, rng)}
        if rng.random() < .15:  # some loggers keep finish_reason at the top level only
            rec["finish_reason"] = rec["choices"][0].pop("finish_reason")
        return rec
    return {"id": f"req_{_rid(rng, 16)}", "request": request, "response": completion,
            "latency_ms": f["latency_ms"], "cost_usd": f["cost_usd"],
            "metadata": _meta(case, rng)}


def plain_record(case: Case, f: dict, rng: Random) -> dict:
    """Return a plain trace; one in five has no trace_id (its id is then the content hash)."""
    meta = {**_meta(case, rng), "timestamp": datetime.fromtimestamp(
        f["start_us"] / 1e6, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "latency_ms": f["latency_ms"], "tokens_in": f["tokens_in"],
        "tokens_out": f["tokens_out"], "cost_usd": f["cost_usd"],
        "finish_reason": native_finish(f["provider"], case.finish)}
    if case.expected != "text":
        meta["expected_format"] = case.expected
    if case.schema:
        meta["response_schema"] = case.schema
    if case.max_tokens:
        meta["max_tokens"] = case.max_tokens
    rec = {} if rng.random() < .2 else {"trace_id": f"pl-{rng.getrandbits(48):012x}"}
    response = case.response
    if case.tool_calls:
        response = json.dumps({"tool_calls": [{"name": c["name"], "arguments": c["arguments"]}
                                              for c in case.tool_calls]})
    rec.update({"prompt": case.prompt, "response": response})
    if case.system:
        rec["system"] = case.system
    if rng.random() < .9:
        rec["model"] = f["model"]
    rec["metadata"] = meta
    return rec


# instrumentation library (span scope) per provider
SCOPES = {"openai": "opentelemetry.instrumentation.openai_v2",
          "anthropic": "opentelemetry.instrumentation.anthropic",
          "gcp.gemini": "opentelemetry.instrumentation.google_genai",
          "aws.bedrock": "opentelemetry.instrumentation.botocore",
          "mistral_ai": "opentelemetry.instrumentation.mistralai"}
# finish reasons as each provider's API reports them (ingest normalises them)
NATIVE_FINISH = {
    "anthropic": {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use"},
    "gcp.gemini": {"stop": "STOP", "length": "MAX_TOKENS"},
}


def native_finish(provider: str, finish: str) -> str:
    """Return ``finish`` as the provider's own API spells it."""
    return NATIVE_FINISH.get(provider, {}).get(finish, finish)


def _v(value) -> dict:
    """Return a Python value as an OTLP AnyValue (ints as decimal strings, as OTLP JSON does)."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, list):
        return {"arrayValue": {"values": [_v(x) for x in value]}}
    if isinstance(value, dict):
        return {"kvlistValue": {"values": _kvs(value)}}
    return {"stringValue": str(value)}


def _kvs(d: dict) -> list[dict]:
    return [{"key": k, "value": _v(v)} for k, v in d.items() if v is not None]


def _parts_messages(case: Case) -> list[dict]:
    return [{"role": m["role"], "parts": [{"type": "text", "content": m["content"]}]}
            for m in case.history + [{"role": "user", "content": case.prompt}]]


def _output_parts(case: Case) -> list[dict]:
    parts = [{"type": "text", "content": case.response}] if case.response else []
    parts += [{"type": "tool_call", "id": c["id"], "name": c["name"], "arguments": c["arguments"]}
              for c in case.tool_calls or []]
    return parts


class OtelWriter:
    """Collects GenAI spans of one request and writes them as one OTLP export line."""

    def __init__(self, rng: Random, fh: TextIO) -> None:
        self.rng, self.fh, self.service = rng, fh, "support-bot"
        self.spans: list[tuple[str, dict]] = []  # (scope name, span)
        self.trace_id = self.root = ""
        self.new_convention = True
        self.target = 0

    def _span_id(self) -> str:
        return f"{self.rng.getrandbits(64):016x}"

    def add(self, case: Case, f: dict) -> str:
        """Add the GenAI span of ``case``; return its trace id (``traceId:spanId``)."""
        if not self.spans:
            self.trace_id, self.root = f"{self.rng.getrandbits(128):032x}", self._span_id()
            self.new_convention, self.service = self.rng.random() < .5, case.app
            self.target = self.rng.choice((1, 1, 2, 3))
        sid = self._span_id()
        finish = native_finish(f["provider"], case.finish)
        attrs = {"gen_ai.operation.name": "chat",
                 "gen_ai.request.model": f["model"].split("-20")[0],
                 "gen_ai.response.model": f["model"], "gen_ai.request.max_tokens": case.max_tokens,
                 "gen_ai.usage.input_tokens": f["tokens_in"],
                 "gen_ai.usage.output_tokens": f["tokens_out"],
                 "gen_ai.response.finish_reasons": [finish],
                 "gen_ai.response.id": f"resp_{self.rng.getrandbits(40):010x}",
                 "gen_ai.output.type": "json" if case.expected != "text" else None,
                 "server.address": "api.example-llm.net"}
        events = []
        if self.new_convention:
            attrs["gen_ai.provider.name"] = f["provider"]
            if case.system:
                attrs["gen_ai.system_instructions"] = json.dumps(
                    [{"type": "text", "content": case.system}], ensure_ascii=False)
            attrs["gen_ai.input.messages"] = json.dumps(_parts_messages(case), ensure_ascii=False)
            attrs["gen_ai.output.messages"] = json.dumps(
                [{"role": "assistant", "parts": _output_parts(case),
                  "finish_reason": finish}], ensure_ascii=False)
        else:
            attrs["gen_ai.system"] = f["provider"]
            t = str(f["start_us"] * 1000)
            msgs = ([("gen_ai.system.message", {"content": case.system})] if case.system else [])
            msgs += [(f"gen_ai.{m['role']}.message", {"content": m["content"]})
                     for m in case.history]
            msgs.append(("gen_ai.user.message", {"content": case.prompt}))
            events += [{"timeUnixNano": t, "name": n, "attributes": _kvs(a)} for n, a in msgs]
            message = {"role": "assistant", "content": case.response or None}
            if case.tool_calls:
                message["tool_calls"] = _openai_calls(case)
            events.append({"timeUnixNano": str(f["end_us"] * 1000), "name": "gen_ai.choice",
                           "attributes": _kvs({"index": 0, "finish_reason": finish,
                                               "message": message})})
        self.spans.append((SCOPES.get(f["provider"], "opentelemetry.instrumentation.genai"), {
                           "traceId": self.trace_id, "spanId": sid, "parentSpanId": self.root,
                           "name": f"chat {attrs['gen_ai.request.model']}", "kind": 3,
                           "startTimeUnixNano": str(f["start_us"] * 1000),
                           "endTimeUnixNano": str(f["end_us"] * 1000),
                           "attributes": _kvs(attrs), "events": events, "status": {}}))
        if len(self.spans) >= self.target:
            self.flush()
        return f"{self.trace_id}:{sid}"

    def flush(self) -> None:
        """Write the collected spans with their HTTP server (and sometimes database) spans."""
        if not self.spans:
            return
        start, end = self.spans[0][1]["startTimeUnixNano"], self.spans[-1][1]["endTimeUnixNano"]
        http = {"traceId": self.trace_id, "spanId": self.root, "name": "POST /api/chat",
                "kind": 2, "startTimeUnixNano": str(int(start) - 2_000_000),
                "endTimeUnixNano": str(int(end) + 1_000_000),
                "attributes": _kvs({"http.request.method": "POST", "url.path": "/api/chat",
                                    "http.response.status_code": 200}), "status": {}}
        other = [http]
        if self.rng.random() < .4:
            other.append({"traceId": self.trace_id, "spanId": self._span_id(),
                          "parentSpanId": self.root, "name": "SELECT conversations", "kind": 3,
                          "startTimeUnixNano": str(int(start) - 1_500_000),
                          "endTimeUnixNano": str(int(start) - 600_000),
                          "attributes": _kvs({"db.system.name": "postgresql",
                                              "db.operation.name": "SELECT"})})
        by_scope: dict[str, list[dict]] = {}
        for scope, span in self.spans:
            by_scope.setdefault(scope, []).append(span)
        version = "2.1b0" if self.new_convention else "0.8b0"
        export = {"resourceSpans": [{
            "resource": {"attributes": _kvs({"service.name": self.service,
                                             "deployment.environment.name": "prod"})},
            "scopeSpans": [{"scope": {"name": "opentelemetry.instrumentation.asgi"},
                            "spans": other},
                           *({"scope": {"name": name, "version": version}, "spans": spans}
                             for name, spans in by_scope.items())]}]}
        self.fh.write(json.dumps(export, ensure_ascii=False) + "\n")
        self.spans = []
