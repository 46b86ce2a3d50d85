"""OpenTelemetry GenAI spans in OTLP JSON as traces: one export request holds many spans.

OTLP JSON (opentelemetry-proto, JSON encoding): ``resourceSpans[].scopeSpans[].spans[]``
(``instrumentationLibrarySpans`` in old exporters); ``traceId``/``spanId`` hex (base64 from
exporters that use the plain protobuf JSON mapping: converted to hex); int64 fields
(``startTimeUnixNano``, ``intValue``) as decimal strings or numbers; attribute values as
``AnyValue`` objects. A span is a GenAI span when it has a ``gen_ai.*`` attribute or event.

Messages, in order of preference: the ``gen_ai.input.messages`` / ``gen_ai.output.messages`` /
``gen_ai.system_instructions`` attributes (JSON strings or structured, messages made of
``parts``); the older span events ``gen_ai.system.message`` / ``gen_ai.user.message`` /
``gen_ai.assistant.message`` / ``gen_ai.tool.message`` / ``gen_ai.choice`` (fields as event
attributes, or a ``message`` / ``body`` object); the oldest ``gen_ai.content.prompt`` /
``gen_ai.content.completion`` events and indexed ``gen_ai.prompt.N.*`` attributes.
"""
from __future__ import annotations

import base64
import binascii
import re

from ._fields import (
    ShapeError,
    as_float,
    as_int,
    as_str,
    content_hash,
    dumps,
    expected_format,
    join_texts,
    maybe_json,
    text_of,
    tool_calls_text,
)
from ._openai_chat import input_messages

_ROLE_EVENTS = {"gen_ai.system.message": "system", "gen_ai.user.message": "user",
                "gen_ai.assistant.message": "assistant", "gen_ai.tool.message": "tool"}
_INDEXED = re.compile(r"gen_ai\.(prompt|completion)\.(\d+)\.(\w+)")


def any_value(v):
    """Return the Python value of an OTLP ``AnyValue`` (``{"stringValue": …}`` and so on)."""
    if not isinstance(v, dict):
        return v  # a producer that wrote the bare value
    if "stringValue" in v:
        return v["stringValue"]
    if "intValue" in v:
        try:
            return int(v["intValue"])
        except (TypeError, ValueError):
            raise ShapeError("an intValue is not an integer") from None
    if "doubleValue" in v:
        d = v["doubleValue"]
        return float(d) if isinstance(d, str) else as_float(d, "doubleValue")
    if "boolValue" in v:
        return bool(v["boolValue"])
    if "arrayValue" in v:
        return [any_value(x) for x in _values(v["arrayValue"], "arrayValue")]
    if "kvlistValue" in v:
        return attributes(_values(v["kvlistValue"], "kvlistValue"))
    if "bytesValue" in v:
        return v["bytesValue"]
    return None


def _values(container, name: str) -> list:
    """Return the ``values`` list of an OTLP ArrayValue / KeyValueList (empty when absent)."""
    values = container.get("values") if isinstance(container, dict) else container
    if not isinstance(values, list | None):
        raise ShapeError(f"an {name} has no list of values")
    return values or []


def attributes(kvs) -> dict:
    """Return OTLP ``[{"key", "value": AnyValue}]`` as a dict."""
    if not kvs:
        return {}
    if not isinstance(kvs, list):
        raise ShapeError("attributes must be a list of key/value objects")
    out = {}
    for kv in kvs:
        if type(kv) is not dict or type(key := kv.get("key")) is not str:
            raise ShapeError("an attribute has no key")
        v = kv.get("value")
        # most values are strings: skip the dispatch for them
        out[key] = v["stringValue"] if type(v) is dict and "stringValue" in v else any_value(v)
    return out


def hex_id(value, size: int, name: str) -> str | None:
    """Return a trace/span id as lower-case hex; base64 ids (protobuf JSON) are converted."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ShapeError(f"otel_genai: {name} must be a string")
    if len(value) == 2 * size:
        try:
            bytes.fromhex(value)
            return value.lower()
        except ValueError:
            pass
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != size:
        raise ShapeError(f"otel_genai: {name} is neither {2 * size} hex digits nor base64")
    return raw.hex()


def _messages(value, name: str) -> list[dict]:
    value = maybe_json(value)
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise ShapeError(f"otel_genai: {name} is not a JSON list of messages")
    out = []
    for i, m in enumerate(value):
        if not isinstance(m, dict):
            raise ShapeError(f"otel_genai: {name}[{i}] is not an object")
        out.append({"role": m.get("role") or "user",
                    "content": text_of(m["parts"] if "parts" in m else m.get("content")),
                    "finish_reason": m.get("finish_reason")})
    return out


def _from_attributes(attrs: dict) -> tuple[list, list, str | None] | None:
    """Return (input messages, output messages, system) of the current convention, if used."""
    if "gen_ai.input.messages" not in attrs and "gen_ai.output.messages" not in attrs:
        return None
    ins = _messages(attrs.get("gen_ai.input.messages") or [], "gen_ai.input.messages")
    outs = _messages(attrs.get("gen_ai.output.messages") or [], "gen_ai.output.messages")
    system = attrs.get("gen_ai.system_instructions")
    if system is not None:  # instructions kept apart from the chat history: put them first
        system = text_of(maybe_json(system))
        ins = [{"role": "system", "content": system}, *ins]
    return ins, outs, None


def _event_fields(ev_attrs: dict) -> dict:
    """Return an event's fields: its attributes over its ``body``/``message`` object, if any."""
    if "body" in ev_attrs or "event.body" in ev_attrs:
        body = maybe_json(ev_attrs.get("body", ev_attrs.get("event.body")))
        ev_attrs = {**body, **ev_attrs} if isinstance(body, dict) else ev_attrs
    msg = ev_attrs.get("message")
    if msg is None:
        return ev_attrs
    msg = maybe_json(msg)
    return {**ev_attrs, **msg} if isinstance(msg, dict) else ev_attrs


def _event_text(f: dict) -> str | None:
    """Return an event's message text (content is text as given: never re-parsed)."""
    text = text_of(f.get("content"))
    calls = f.get("tool_calls")
    return join_texts([text, tool_calls_text(maybe_json(calls))]) if calls else text


def _from_events(events) -> tuple[list, list, None] | None:
    """Return (input messages, output messages, None) of the event conventions, if used."""
    if type(events) is not list or not events:
        return None
    ins, outs = [], []
    for ev in events:
        name = ev.get("name") if type(ev) is dict else None
        if type(name) is not str or not name.startswith("gen_ai."):
            continue
        f = _event_fields(attributes(ev.get("attributes")))
        role = _ROLE_EVENTS.get(name)
        if role is not None:
            ins.append({"role": f.get("role") or role, "content": _event_text(f)})
        elif name == "gen_ai.choice":
            index = as_int(f.get("index", 0), "gen_ai.choice index", strings=True) or 0
            outs.append((index, {"role": f.get("role") or "assistant", "content": _event_text(f),
                                 "finish_reason": f.get("finish_reason")}))
        elif name == "gen_ai.content.prompt":
            ins += input_messages(maybe_json(f.get("gen_ai.prompt")) or [], "gen_ai.prompt")[0]
        elif name == "gen_ai.content.completion":
            done = _messages(f.get("gen_ai.completion") or [], "gen_ai.completion")
            outs += [(0, m) for m in done]
    if not ins and not outs:
        return None
    return ins, [m for _, m in sorted(outs, key=lambda x: x[0])], None


def _from_indexed(attrs: dict) -> tuple[list, list, None]:
    """Return messages of ``gen_ai.prompt.N.role/content`` style attributes (may be empty)."""
    found: dict[tuple[str, int], dict] = {}
    for key, value in attrs.items():
        m = _INDEXED.fullmatch(key)
        if m:
            found.setdefault((m[1], int(m[2])), {})[m[3]] = value
    ins = [{"role": v.get("role") or "user", "content": text_of(v.get("content"))}
           for (kind, _), v in sorted(found.items()) if kind == "prompt"]
    outs = [{"role": v.get("role") or "assistant", "content": text_of(v.get("content")),
             "finish_reason": v.get("finish_reason")}
            for (kind, _), v in sorted(found.items()) if kind == "completion"]
    return ins, outs, None


def is_genai(span: dict) -> bool:
    """Return True when a span carries GenAI semantics (a gen_ai.* attribute or event)."""
    kvs = span.get("attributes")
    if type(kvs) is list:
        for kv in kvs:
            key = kv.get("key") if type(kv) is dict else None
            if type(key) is str and key.startswith("gen_ai."):
                return True
    events = span.get("events")
    return isinstance(events, list) and any(
        isinstance(e, dict) and str(e.get("name", "")).startswith("gen_ai.") for e in events)


def _output_format(attrs: dict) -> str | None:
    kind = attrs.get("gen_ai.output.type")
    if kind is None:
        legacy = attrs.get("gen_ai.openai.request.response_format")
        return expected_format(legacy)[0] if legacy is not None else None
    kind = as_str(kind, "gen_ai.output.type").lower()
    return kind if kind in ("json", "json_schema", "text") else "text"


def normalize_span(span: dict, attrs: dict, resource: dict, scope: dict) -> dict:
    """Return the unified fields of one GenAI span."""
    tid = hex_id(span.get("traceId"), 16, "traceId")
    sid = hex_id(span.get("spanId"), 8, "spanId")
    found = (_from_attributes(attrs) or _from_events(span.get("events"))
             or _from_indexed(attrs))
    ins, outs, system = found
    system = join_texts([system, *(m["content"] for m in ins if m["role"] in ("system",
                                                                                "developer"))])
    first = outs[0] if outs else {}
    start = as_int(span.get("startTimeUnixNano"), "startTimeUnixNano", strings=True)
    end = as_int(span.get("endTimeUnixNano"), "endTimeUnixNano", strings=True)
    model = attrs.get("gen_ai.response.model") or attrs.get("gen_ai.request.model")
    tin = attrs.get("gen_ai.usage.input_tokens", attrs.get("gen_ai.usage.prompt_tokens"))
    tout = attrs.get("gen_ai.usage.output_tokens", attrs.get("gen_ai.usage.completion_tokens"))
    status = span.get("status") if isinstance(span.get("status"), dict) else {}
    meta = {"span_name": span.get("name"), "span_kind": span.get("kind"),
            "parent_span_id": span.get("parentSpanId") or None,
            "service": resource.get("service.name"), "scope": scope.get("name"),
            "operation": attrs.get("gen_ai.operation.name"),
            "conversation_id": attrs.get("gen_ai.conversation.id"),
            "response_id": attrs.get("gen_ai.response.id"), "status": status.get("code"),
            "output_type": attrs.get("gen_ai.output.type")}
    return {
        "trace_id": f"{tid}:{sid}" if tid and sid else content_hash(span),
        "provider": attrs.get("gen_ai.provider.name") or attrs.get("gen_ai.system")
        or resource.get("gen_ai.provider.name") or resource.get("gen_ai.system"),
        "model": as_str(model, "otel_genai: gen_ai.request.model"),
        "system": system,
        "prompt": join_texts([m["content"] for m in ins if m["role"] == "user"]),
        "messages": dumps([{"role": m["role"], "content": m["content"]} for m in ins]),
        "response": first.get("content") or "",
        "finish_reason": attrs.get("gen_ai.response.finish_reasons")
        or first.get("finish_reason"),
        "expected_format": _output_format(attrs),
        "max_tokens": as_int(attrs.get("gen_ai.request.max_tokens"), "gen_ai.request.max_tokens"),
        "tokens_in": as_int(tin, "gen_ai.usage.input_tokens"),
        "tokens_out": as_int(tout, "gen_ai.usage.output_tokens"),
        "latency_ms": (end - start) / 1e6 if start and end else None,
        "cost_usd": as_float(attrs.get("gen_ai.usage.cost"), "gen_ai.usage.cost"),
        "started_at": start // 1000 if start else None,
        "_extra": {k: v for k, v in meta.items() if v not in (None, "")},
    }


def normalize_otlp(obj: dict) -> tuple[list[tuple[int, dict]], int, list[tuple[str, str]]]:
    """Return ([(span number, fields)], non-GenAI spans skipped, [(locator, reason)]).

    Span numbers count every span of the line from 1, so a quarantined span is ``span 3``.
    """
    rss = obj["resourceSpans"]
    if not isinstance(rss, list):
        raise ShapeError("otel_genai: resourceSpans must be a list")
    found, skipped, errors, n = [], 0, [], 0
    for rs in rss:
        if not isinstance(rs, dict):
            raise ShapeError("otel_genai: a resourceSpans entry is not an object")
        res = rs.get("resource") if isinstance(rs.get("resource"), dict) else {}
        resource = attributes(res.get("attributes"))
        scopes = rs.get("scopeSpans") or rs.get("instrumentationLibrarySpans") or []
        if not isinstance(scopes, list):
            raise ShapeError("otel_genai: scopeSpans must be a list")
        for ss in scopes:
            if not isinstance(ss, dict) or not isinstance(ss.get("spans") or [], list):
                raise ShapeError("otel_genai: a scopeSpans entry has no list of spans")
            scope = ss.get("scope") or ss.get("instrumentationLibrary")
            scope = scope if isinstance(scope, dict) else {}
            for span in ss.get("spans") or []:
                n += 1
                try:
                    if not isinstance(span, dict):
                        raise ShapeError("otel_genai: span is not an object")
                    if not is_genai(span):
                        skipped += 1
                        continue
                    attrs = attributes(span.get("attributes"))
                    found.append((n, normalize_span(span, attrs, resource, scope)))
                except ShapeError as exc:
                    errors.append((f"span {n}", str(exc)))
                except Exception as exc:  # noqa: BLE001 - one odd span must not lose the line
                    errors.append((f"span {n}",
                                   f"otel_genai: unexpected span structure ({type(exc).__name__})"))
    return found, skipped, errors
