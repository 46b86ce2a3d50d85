"""OpenAI chat completions as traces: the merged record and the request/response pair.

Merged: ``{"id", "model", "messages", "choices": [{"message", "finish_reason"}], "usage"}``
(``finish_reason`` may also sit at the top level). Pair: ``{"id", "request": {"model",
"messages", "response_format"?, "max_tokens"?}, "response": <chat.completion>}``. Both give
``source_format = "openai_chat"``: they hold the same facts, only nested differently.
"""
from __future__ import annotations

from ._fields import (
    ShapeError,
    as_float,
    as_int,
    as_str,
    dumps,
    epoch_us,
    expected_format,
    join_texts,
    text_of,
    tool_calls_text,
)


def input_messages(messages, where: str) -> tuple[list[dict], str | None, str | None]:
    """Return (``[{role, content}]``, system text, user text) of a list of chat messages."""
    if not isinstance(messages, list):
        raise ShapeError(f"{where} must be a list, got {type(messages).__name__}")
    out, system, user = [], [], []
    for i, m in enumerate(messages):
        if not isinstance(m, dict):
            raise ShapeError(f"{where}[{i}] must be an object, got {type(m).__name__}")
        role = m.get("role")
        if not isinstance(role, str):
            raise ShapeError(f"{where}[{i}] has no role")
        text = text_of(m.get("content"))
        if m.get("tool_calls"):
            text = join_texts([text, tool_calls_text(m["tool_calls"])])
        out.append({"role": role, "content": text})
        if role in ("system", "developer"):
            system.append(text)
        elif role == "user":
            user.append(text)
    return out, join_texts(system), join_texts(user)


def output_text(message: dict) -> str:
    """Return the assistant's answer: its text, then its tool calls as JSON text."""
    text = text_of(message.get("content"))
    calls = message.get("tool_calls") or message.get("function_call")
    if calls:
        text = join_texts([text, tool_calls_text(calls)])
    if text is None and isinstance(message.get("refusal"), str):
        text = message["refusal"]
    return text or ""


def _usage(usage, where: str) -> tuple[int | None, int | None]:
    if usage is None:
        return None, None
    if not isinstance(usage, dict):
        raise ShapeError(f"{where} must be an object, got {type(usage).__name__}")
    tin = usage.get("prompt_tokens", usage.get("input_tokens"))
    tout = usage.get("completion_tokens", usage.get("output_tokens"))
    return as_int(tin, f"{where}.prompt_tokens"), as_int(tout, f"{where}.completion_tokens")


def normalize_openai(obj: dict, paired: bool) -> dict:
    """Return the unified fields of one OpenAI chat record (merged or request/response)."""
    if paired:
        req, resp = obj["request"], obj["response"]
        where_req, where_resp = "request.", "response."
    else:
        req = resp = obj
        where_req = where_resp = ""
    if "messages" not in req:
        raise ShapeError(f"openai_chat: missing '{where_req}messages'")
    messages, system, prompt = input_messages(req["messages"], f"openai_chat: {where_req}messages")
    choices = resp.get("choices")
    if not isinstance(choices, list) or not choices:
        raise ShapeError(f"openai_chat: '{where_resp}choices' must be a non-empty list")
    first = choices[0]
    if not isinstance(first, dict) or not isinstance(first.get("message"), dict):
        raise ShapeError(f"openai_chat: {where_resp}choices[0] has no message object")
    fmt, schema = expected_format(req.get("response_format"))
    tokens_in, tokens_out = _usage(resp.get("usage", obj.get("usage")), f"{where_resp}usage")
    model = resp.get("model") or req.get("model")
    max_tokens = req.get("max_completion_tokens", req.get("max_tokens"))
    out = {
        "model": as_str(model, "openai_chat: model"),
        "system": system, "prompt": prompt, "messages": dumps(messages),
        "response": output_text(first["message"]),
        "finish_reason": first.get("finish_reason") or obj.get("finish_reason"),
        "expected_format": fmt, "response_schema": schema,
        "max_tokens": as_int(max_tokens, f"openai_chat: {where_req}max_tokens"),
        "tokens_in": tokens_in, "tokens_out": tokens_out,
        "started_at": epoch_us(resp.get("created"), f"openai_chat: {where_resp}created"),
    }
    for key in ("latency_ms", "cost_usd"):
        if key in obj:
            out[key] = as_float(obj[key], f"openai_chat: {key}")
    if len(choices) > 1:
        out["_extra"] = {"choices": len(choices)}
    return out
