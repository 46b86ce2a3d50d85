"""Trace shapes: detect the shape of one parsed JSON line and normalise it to unified records.

Shapes (``source_format``):

- ``openai_chat``: an OpenAI chat completion, merged (``messages`` + ``choices``) or as a
  ``{"request", "response"}`` pair (see ``_openai_chat``);
- ``otel_genai``: one OTLP JSON export request; every span with ``gen_ai.*`` attributes or
  events is a trace, other spans are skipped and counted (see ``_otel_spans``);
- ``plain``: ``{"trace_id"?, "prompt", "response", "model"?, "system"?, "metadata"?}``.

trace_id: the record's ``trace_id``, else its ``id``; for OTel ``f"{traceId}:{spanId}"`` (hex);
else ``content_hash`` of the record (an OTel span without ids: of the span), i.e. the first 32
hex digits of the sha256 of its canonical (key-sorted, compact) JSON.

Fields a shape does not give are looked up in the record's top level (``latency_ms``,
``cost_usd``, ``provider``, ``started_at``/``timestamp``, …) and then in its ``metadata``
object; ``expected_format`` defaults to ``text``. A record's ``started_at`` is epoch
microseconds; ``to_frame`` makes it a UTC datetime.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass, field

import polars as pl

from ._fields import (
    ShapeError,
    as_float,
    as_int,
    as_str,
    content_hash,
    dumps,
    epoch_us,
    expected_format,
    finish_reason,
    loads,
    provider_of,
)
from ._openai_chat import normalize_openai
from ._otel_spans import normalize_otlp

TRACE_SCHEMA: dict[str, pl.DataType] = {
    "trace_id": pl.Utf8, "source_format": pl.Utf8, "provider": pl.Utf8, "model": pl.Utf8,
    "system": pl.Utf8, "prompt": pl.Utf8, "messages": pl.Utf8, "response": pl.Utf8,
    "finish_reason": pl.Utf8, "expected_format": pl.Utf8, "response_schema": pl.Utf8,
    "max_tokens": pl.Int64, "tokens_in": pl.Int64, "tokens_out": pl.Int64,
    "latency_ms": pl.Float64, "cost_usd": pl.Float64, "started_at": pl.Datetime("us", "UTC"),
    "metadata": pl.Utf8, "source_file": pl.Utf8, "line_no": pl.Int64,
}
FORMATS = ("openai_chat", "otel_genai", "plain")
_KINDS = frozenset(("json", "json_schema", "text"))
_ROW = operator.itemgetter(*TRACE_SCHEMA)
_EMPTY = dict.fromkeys(TRACE_SCHEMA)
# fields read from the top level, then from metadata, when the shape left them empty
_FALLBACK = {"provider": ("provider",), "model": ("model",), "system": ("system",),
             "finish_reason": ("finish_reason",), "max_tokens": ("max_tokens",),
             "tokens_in": ("tokens_in", "input_tokens", "prompt_tokens"),
             "tokens_out": ("tokens_out", "output_tokens", "completion_tokens"),
             "latency_ms": ("latency_ms",), "cost_usd": ("cost_usd", "cost"),
             "started_at": ("started_at", "timestamp", "created_at", "time"),
             "expected_format": ("expected_format",), "response_schema": ("response_schema",)}


@dataclass
class Normalized:
    """The traces of one line, the non-GenAI spans it skipped, and its bad parts."""

    source_format: str
    records: list[dict] = field(default_factory=list)
    skipped_spans: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (e.g. "span 3", reason)


def detect_shape(obj) -> str:
    """Return the shape of a parsed line (``openai_chat`` / ``otel_genai`` / ``plain``).

    Raise ``ShapeError`` naming what is missing when it is none of them.

    >>> detect_shape({"prompt": "Hi", "response": "Hello"})
    'plain'
    >>> detect_shape({"resourceSpans": []})
    'otel_genai'
    """
    return _shape(obj)[0]


def _shape(obj) -> tuple[str, bool]:
    if not isinstance(obj, dict):
        raise ShapeError(f"a line must hold a JSON object, got a JSON {_json_type(obj)}")
    if "resourceSpans" in obj:
        return "otel_genai", False
    if "request" in obj or "response" in obj and isinstance(obj.get("response"), dict):
        if isinstance(obj.get("request"), dict) and isinstance(obj.get("response"), dict):
            return "openai_chat", True
        if "prompt" not in obj:
            raise ShapeError("openai_chat: 'request' and 'response' must both be objects")
    if "choices" in obj:
        if "messages" not in obj:
            raise ShapeError("openai_chat: missing 'messages'")
        return "openai_chat", False
    if "prompt" in obj and "response" in obj:  # a plain record may log its messages too
        return "plain", False
    if "messages" in obj:
        raise ShapeError("openai_chat: missing 'choices'")
    if "prompt" in obj or "response" in obj:
        for key in ("prompt", "response"):
            if key not in obj:
                raise ShapeError(f"plain: missing '{key}'")
        return "plain", False
    keys = [k for k in obj if k.isidentifier()][:8]
    raise ShapeError("unknown shape: expected OpenAI chat (messages + choices), an OTLP export "
                     f"(resourceSpans) or prompt + response; top-level keys: {keys}")


def _json_type(obj) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null",
            int: "number", float: "number"}.get(type(obj), type(obj).__name__)


def _plain(obj: dict) -> dict:
    prompt, response = obj["prompt"], obj["response"]
    for key, value in (("prompt", prompt), ("response", response)):
        if not isinstance(value, str):
            raise ShapeError(f"plain: '{key}' must be a string, got {_json_type(value)}")
    system = as_str(obj.get("system"), "plain: system")
    messages = ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": prompt}]
    return {"system": system, "prompt": prompt, "messages": dumps(messages),
            "response": response}


_CASTS = {"provider": as_str, "model": as_str, "system": as_str, "finish_reason": as_str,
          "max_tokens": as_int, "tokens_in": as_int, "tokens_out": as_int,
          "latency_ms": as_float, "cost_usd": as_float, "started_at": epoch_us,
          "expected_format": as_str, "response_schema": as_str}


_KEY_COLUMN = {k: col for col, keys in _FALLBACK.items() for k in keys}
_KEY_RANK = {k: i for i, k in enumerate(_KEY_COLUMN)}  # an alias listed first wins
_KEYS = frozenset(_KEY_COLUMN)


def _fill(rec: dict, sources: list[tuple[str, dict]]) -> None:
    """Fill the fields a shape left empty from the record's top level, then its metadata."""
    for where, src in sources:
        hits = _KEYS.intersection(src)  # one C-level pass; most records hit few keys
        for key in sorted(hits, key=_KEY_RANK.__getitem__) if len(hits) > 1 else hits:
            col, value = _KEY_COLUMN[key], src[key]
            if rec[col] is not None or value is None:
                continue
            if col == "response_schema" and not isinstance(value, str):
                value = dumps(value, sort_keys=True)
            try:
                rec[col] = _CASTS[col](value, key)
            except ShapeError as exc:
                raise ShapeError(f"{where}{exc}") from None


def _finish(fields: dict, fmt: str, obj: dict, sources: list) -> dict:
    """Return the full record: shape fields, fallbacks, normalised values, metadata JSON."""
    rec = dict(_EMPTY)
    extra = fields.pop("_extra", None)
    rec.update(fields)
    rec["source_format"] = fmt
    _fill(rec, sources)
    rec["finish_reason"] = finish_reason(rec["finish_reason"])
    schema, kind = rec["response_schema"], rec["expected_format"]
    if kind not in _KINDS:
        kind = expected_format(kind)[0] if kind else "json_schema" if schema else "text"
    rec["expected_format"] = kind
    rec["response_schema"] = schema if kind == "json_schema" else None
    if not isinstance(rec["provider"], str | None) or not isinstance(rec["model"], str | None):
        raise ShapeError(f"{fmt}: provider and model must be strings")
    rec["provider"] = provider_of(rec["provider"], rec["model"])
    meta = obj.get("metadata") if fmt != "otel_genai" else None
    rec["metadata"] = dumps({**(extra or {}), **(meta or {})}, sort_keys=True)
    return rec


def normalize(obj) -> Normalized:
    """Return the unified trace records of one parsed line (see the module docstring).

    >>> n = normalize({"prompt": "Is 7 prime?", "response": "Yes.", "model": "gpt-4o-mini"})
    >>> r = n.records[0]
    >>> n.source_format, r["provider"], r["expected_format"], len(r["trace_id"])
    ('plain', 'openai', 'text', 32)
    """
    fmt, paired = _shape(obj)
    meta = obj.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        raise ShapeError(f"{fmt}: metadata must be an object, got {_json_type(meta)}")
    if fmt == "otel_genai":
        found, skipped, errors = normalize_otlp(obj)
        out = Normalized(fmt, skipped_spans=skipped, errors=errors)
        for n, fields in found:
            try:
                out.records.append(_finish(fields, fmt, obj, []))
            except ShapeError as exc:
                out.errors.append((f"span {n}", str(exc)))
        return out
    fields = normalize_openai(obj, paired) if fmt == "openai_chat" else _plain(obj)
    tid = obj.get("trace_id", obj.get("id"))
    if isinstance(tid, bool) or not isinstance(tid, str | int | type(None)) or tid == "":
        got = "an empty string" if tid == "" else f"a JSON {_json_type(tid)}"
        raise ShapeError(f"{fmt}: trace_id/id must be a non-empty string, got {got}")
    fields["trace_id"] = str(tid) if tid is not None else content_hash(obj)
    sources = [("", obj), ("metadata.", meta or {})]
    return Normalized(fmt, [_finish(fields, fmt, obj, sources)])


def parse_line(line: bytes | str) -> Normalized:
    """Return the traces of one JSON line; raise ``ShapeError`` (the reason) when it is bad.

    >>> parse_line(b'{"id": "t1", "prompt": "Hi", "response": "Hello"}').records[0]["trace_id"]
    't1'
    """
    return normalize(loads(line))


def to_frame(records: list[dict]) -> pl.DataFrame:
    """Return unified records as a DataFrame of ``TRACE_SCHEMA`` (missing columns are null).

    >>> to_frame(normalize({"prompt": "a", "response": "b"}).records).schema["started_at"]
    Datetime(time_unit='us', time_zone='UTC')
    """
    try:  # records from normalize + ingest have every column
        rows = list(map(_ROW, records))
    except KeyError:
        rows = [_ROW({**_EMPTY, **r}) for r in records]
    cols = dict(zip(TRACE_SCHEMA, map(list, zip(*rows, strict=True)), strict=True)) \
        if records else {}
    schema = {**TRACE_SCHEMA, "started_at": pl.Int64}
    return pl.DataFrame(cols or None, schema=schema).with_columns(
        pl.col("started_at").cast(TRACE_SCHEMA["started_at"]))
