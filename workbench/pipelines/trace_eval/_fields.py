"""Field rules shared by the trace shapes: JSON, message text, finish reasons, providers,
expected formats, typed numbers and times. A value of the wrong type raises ``ShapeError``."""
from __future__ import annotations

import functools
import hashlib
import json
from datetime import UTC, datetime

try:  # orjson parses and writes 3-10x faster than json; json is the fallback
    import orjson as _orjson
except ImportError:  # pragma: no cover - orjson is installed with the pipeline
    _orjson = None


class ShapeError(ValueError):
    """A JSON value that is not a trace of a known shape; the message is the quarantine reason."""


def loads(data: bytes | str):
    """Return the parsed JSON value; raise ``ShapeError("invalid JSON: …")`` when it is not JSON."""
    if _orjson is not None:
        try:
            return _orjson.loads(data)
        except _orjson.JSONDecodeError as exc:
            first = str(exc)
    else:
        first = None
    try:  # json also reads what orjson refuses on purpose (integers over 64 bits)
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ShapeError(f"invalid JSON: {first or exc}") from None


def dumps(value, *, sort_keys: bool = False) -> str:
    """Return compact JSON text of ``value`` (UTF-8, keys sorted when asked)."""
    if _orjson is not None:
        try:
            return _orjson.dumps(value, option=_orjson.OPT_SORT_KEYS if sort_keys else 0).decode()
        except TypeError:  # integers over 64 bits, non-string keys
            pass
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys,
                      default=str)


def content_hash(value) -> str:
    """Return the trace id of a record without one: sha256 of its canonical JSON, 32 hex digits.

    Canonical JSON is compact, UTF-8 and key-sorted, so the id does not depend on spacing or
    key order.

    >>> content_hash({"prompt": "hi", "response": "hello"}) == content_hash(
    ...     {"response": "hello", "prompt": "hi"})
    True
    >>> len(content_hash({"prompt": "hi"}))
    32
    """
    return hashlib.sha256(dumps(value, sort_keys=True).encode()).hexdigest()[:32]


def maybe_json(value):
    """Return ``value`` parsed when it is a string holding a JSON object or list, else as is."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return loads(value)
        except ShapeError:
            return value
    return value


_TEXT_TYPES = frozenset(("text", "input_text", "output_text", "reasoning"))
_CALL_TYPES = frozenset(("tool_call", "function_call", "tool_use"))


def _args(value):
    return maybe_json(value) if isinstance(value, str) else value


def tool_calls_text(calls) -> str:
    """Return tool calls (OpenAI ``tool_calls`` or GenAI ``tool_call`` parts) as JSON text."""
    out = []
    for c in calls if isinstance(calls, list) else [calls]:
        if not isinstance(c, dict):
            continue
        fn = c.get("function") if isinstance(c.get("function"), dict) else c
        out.append({"name": fn.get("name"),
                    "arguments": _args(fn.get("arguments", fn.get("input")))})
    return dumps({"tool_calls": out})


def text_of(content) -> str | None:
    """Return the text of message content: a string, a list of parts, or an object.

    >>> text_of([{"type": "text", "text": "a"}, {"type": "text", "content": "b"}])
    'a\\nb'
    >>> text_of([{"type": "image_url", "image_url": {"url": "x"}}])
    '[image_url]'
    """
    if content is None or type(content) is str:
        return content
    if type(content) is list and len(content) == 1 and type(p := content[0]) is dict \
            and p.get("type") == "text":  # the common case: one text part
        t = p["text"] if "text" in p else p.get("content")
        if type(t) is str:
            return t
    if isinstance(content, list):
        texts, calls = [], []
        for p in content:
            if isinstance(p, str):
                texts.append(p)
            elif isinstance(p, dict):
                kind = p.get("type")
                if kind in _TEXT_TYPES or (kind is None and ("text" in p or "content" in p)):
                    t = p["text"] if "text" in p else p.get("content")
                    texts.append(t if isinstance(t, str) else dumps(t))
                elif kind in _CALL_TYPES:
                    calls.append(p)
                elif kind == "tool_call_response":
                    r = p.get("result", p.get("response"))
                    texts.append(r if isinstance(r, str) else dumps(r))
                else:
                    texts.append(f"[{kind}]")
        if calls:
            texts.append(tool_calls_text(calls))
        return "\n".join(texts)
    if isinstance(content, dict):
        for key in ("text", "content"):
            if isinstance(content.get(key), str):
                return content[key]
        return dumps(content)
    return str(content)


def join_texts(texts: list[str | None]) -> str | None:
    """Return the non-empty texts joined by a blank line, or None when there are none."""
    kept = [t for t in texts if t]
    return "\n\n".join(kept) if kept else None


FINISH_REASONS = {
    "stop": "stop", "end_turn": "stop", "stop_sequence": "stop", "complete": "stop",
    "finish_reason_stop": "stop", "eos": "stop", "length": "length", "max_tokens": "length",
    "model_length": "length", "max_output_tokens": "length", "tool_calls": "tool_calls",
    "tool_call": "tool_calls", "tool_use": "tool_calls", "function_call": "tool_calls",
    "content_filter": "content_filter", "safety": "content_filter", "blocklist": "content_filter",
    "prohibited_content": "content_filter", "spii": "content_filter", "refusal": "content_filter",
    "recitation": "recitation", "error": "error", "other": "other",
}


_FINISH_EXACT = {**FINISH_REASONS, **{k.upper(): v for k, v in FINISH_REASONS.items()}}


def finish_reason(value) -> str | None:
    """Return a finish reason in lower case with provider synonyms merged.

    >>> [finish_reason(v) for v in ("STOP", "end_turn", "max_tokens", "tool_use", ["length"])]
    ['stop', 'stop', 'length', 'tool_calls', 'length']
    """
    found = _FINISH_EXACT.get(value) if type(value) is str else None
    if found is not None:
        return found
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ShapeError(f"finish_reason must be a string, got {type(value).__name__}")
    v = value.strip().lower()
    return FINISH_REASONS.get(v, v)


# (model name prefix, provider): provider names as in the GenAI conventions where they have one
_MODEL_PREFIXES = (
    ("gpt-", "openai"), ("chatgpt", "openai"), ("o1", "openai"), ("o3", "openai"),
    ("o4", "openai"), ("text-davinci", "openai"), ("davinci", "openai"), ("claude", "anthropic"),
    ("gemini", "gcp.gemini"), ("palm", "gcp.gemini"), ("mistral", "mistral_ai"),
    ("mixtral", "mistral_ai"), ("codestral", "mistral_ai"), ("ministral", "mistral_ai"),
    ("command", "cohere"), ("deepseek", "deepseek"), ("grok", "x_ai"), ("llama", "meta"),
    ("qwen", "alibaba"), ("titan", "aws.bedrock"), ("nova", "aws.bedrock"),
)


@functools.lru_cache(maxsize=4096)
def provider_of(provider, model: str | None) -> str | None:
    """Return the provider: the one given (lower case), else the one a model name implies.

    >>> provider_of(None, "claude-3-5-sonnet-20241022"), provider_of("OpenAI", "x")
    ('anthropic', 'openai')
    >>> provider_of(None, "my-finetune") is None
    True
    """
    if provider:
        if not isinstance(provider, str):
            raise ShapeError(f"provider must be a string, got {type(provider).__name__}")
        return provider.strip().lower()
    if not model:
        return None
    m = model.lower()
    if "/" in m:  # "anthropic/claude-3" (gateways) or "meta-llama/Llama-3" (hubs)
        head, m = m.split("/", 1)
        m = m.rsplit("/", 1)[-1]
        found = provider_of(None, m)
        return found or head
    if m.startswith(("anthropic.", "amazon.", "meta.", "cohere.", "mistral.", "ai21.")):
        return "aws.bedrock"  # Bedrock model ids: <vendor>.<model>-v1:0
    return next((p for prefix, p in _MODEL_PREFIXES if m.startswith(prefix)), None)


def expected_format(value) -> tuple[str | None, str | None]:
    """Return (json / json_schema / text, schema JSON text) of a ``response_format`` value.

    >>> expected_format({"type": "json_object"})
    ('json', None)
    >>> expected_format({"type": "json_schema", "json_schema": {"schema": {"type": "object"}}})
    ('json_schema', '{"type":"object"}')
    """
    if value is None:
        return None, None
    if isinstance(value, str):
        v = value.strip().lower()
        return ("json" if v in ("json", "json_object") else
                "json_schema" if v == "json_schema" else "text"), None
    if not isinstance(value, dict):
        raise ShapeError(f"response_format must be an object or a string, got "
                         f"{type(value).__name__}")
    kind = value.get("type")
    if kind == "json_schema":
        spec = value.get("json_schema") if isinstance(value.get("json_schema"), dict) else value
        schema = spec.get("schema")
        return "json_schema", (None if schema is None else
                               schema if isinstance(schema, str) else dumps(schema, sort_keys=True))
    return expected_format(kind if isinstance(kind, str) else "text")


def as_int(value, name: str, *, strings: bool = False) -> int | None:
    """Return an integer field (None stays None); OTLP passes int64 as decimal strings."""
    if value is None or (type(value) is int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if strings and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise ShapeError(f"{name} must be an integer, got {type(value).__name__}")


def as_float(value, name: str) -> float | None:
    """Return a number field as a float (None stays None)."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise ShapeError(f"{name} must be a number, got {type(value).__name__}")


def as_str(value, name: str) -> str | None:
    """Return a string field (None stays None); numbers become their decimal text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ShapeError(f"{name} must be a string, got {type(value).__name__}")


def epoch_us(value, name: str) -> int | None:
    """Return a time as microseconds since the epoch: epoch s/ms/us/ns (by size) or ISO 8601.

    >>> epoch_us(1741046400, "t") == epoch_us("2025-03-04T00:00:00Z", "t") == 1741046400000000
    True
    """
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        v = abs(value)
        if v >= 1e17:  # nanoseconds: integer division keeps every digit
            return int(value) // 1000
        return int(value) if v >= 1e14 else int(value * (1000 if v >= 1e11 else 1_000_000))
    if isinstance(value, str):
        try:
            t = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ShapeError(f"{name} is not an ISO 8601 time or an epoch number") from None
        t = t if t.tzinfo else t.replace(tzinfo=UTC)
        delta = t - datetime(1970, 1, 1, tzinfo=UTC)
        return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    raise ShapeError(f"{name} must be a time, got {type(value).__name__}")
