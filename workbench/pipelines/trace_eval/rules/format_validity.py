"""``format_validity``: JSON asked and the output is empty, invalid or off-schema; broken fences.

Vectorized first: the empty check and the fence count run on the whole batch in Polars; only
rows that asked for JSON (or hold a ```json block) are parsed in Python, one ``json.loads`` each,
and validated against their ``response_schema`` with a validator compiled once per schema.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, ClassVar

import polars as pl

from ..modules import (
    ROW,
    TraceModule,
    candidates,
    hits_from_rows,
    hits_of_checks,
    results_from_hits,
)
from .fences import fenced_body, unclosed_fence

_JSON_BLOCK = re.compile(r"```[ \t]*json[ \t]*\r?\n(.*?)```", re.DOTALL | re.IGNORECASE)
_FENCED_NOTE = ("valid JSON inside a ```json code fence (accepted; a strict parser rejects the "
                "fence)")
_SAFE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,40}")


def _decode(text: str) -> tuple[Any, str]:
    """Return ``(value, how)`` with how plain/fenced/embedded; raise ValueError with a reason."""
    try:
        return json.loads(text), "plain"
    except json.JSONDecodeError as exc:
        first = exc
    fenced = fenced_body(text)
    if fenced is not None and fenced[0] in ("", "json", "jsonc", "json5"):
        try:
            return json.loads(fenced[1]), "fenced"
        except json.JSONDecodeError as exc:
            raise ValueError(f"invalid JSON inside a code fence: {exc.msg} (line "
                             f"{exc.lineno}, column {exc.colno})") from None
    starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
    end = max(text.rfind("}"), text.rfind("]"))
    if starts and end > min(starts):
        try:
            return json.loads(text[min(starts):end + 1]), "embedded"
        except json.JSONDecodeError:
            pass
    raise ValueError(f"invalid JSON: {first.msg} (line {first.lineno}, column {first.colno})")


@lru_cache(maxsize=256)
def _validator(schema_text: str) -> Any:
    """Return a compiled jsonschema validator, or a str saying why the schema is unusable."""
    import jsonschema

    try:
        schema = json.loads(schema_text)
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
    except json.JSONDecodeError:
        return "response_schema is not valid JSON; the output was not checked against it"
    except jsonschema.SchemaError:
        return "response_schema is not a valid JSON Schema; the output was not checked against it"
    return cls(schema)


def _path(error: Any) -> str:
    parts = ["$"]
    for p in error.absolute_path:
        parts.append(f"[{p}]" if isinstance(p, int) else
                     f".{p}" if _SAFE_KEY.fullmatch(str(p)) else ".*")
    return "".join(parts)


def _schema_problems(value: Any, schema_text: str) -> tuple[str, str] | None:
    """Return ``(severity, reason)`` when ``value`` breaks the schema (no instance values)."""
    validator = _validator(schema_text)
    if isinstance(validator, str):
        return "low", validator
    errors = sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return None
    described = []
    for e in errors[:3]:
        what = e.validator
        if e.validator == "required" and isinstance(e.instance, dict):
            missing = [k for k in e.validator_value if k not in e.instance]
            what = f"required ({', '.join(map(str, missing))})"
        described.append(f"{what} at {_path(e)}")
    more = f" and {len(errors) - 3} more" if len(errors) > 3 else ""
    return "high", "JSON violates the response schema: " + "; ".join(described) + more


class FormatValidity(TraceModule):
    """JSON asked (expected_format json/json_schema) but empty, invalid or off-schema output."""

    name = "format_validity"
    tier = 1
    version = "1.0"
    description = "JSON/schema validity of structured outputs; broken code fences"
    defaults: ClassVar[dict[str, Any]] = {"require_container": True, "fenced_json_severity": "low",
                                          "check_fences": True, "check_json_blocks": True}

    def _check(self, text: str, fmt: str, schema: str | None) -> list[tuple[str, float, str]]:
        try:
            value, how = _decode(text)
        except ValueError as exc:
            return [("high", 0.9, str(exc))]
        out: list[tuple[str, float, str]] = []
        if how == "embedded":
            out.append(("medium", 0.6, "JSON surrounded by prose: a strict parser rejects it"))
        elif how == "fenced" and self.config["fenced_json_severity"] != "none":
            out.append((self.config["fenced_json_severity"], 0.15, _FENCED_NOTE))
        if self.config["require_container"] and not isinstance(value, dict | list):
            out.append(("medium", 0.5,
                        f"JSON is a bare {type(value).__name__}, not an object or array"))
        if schema:
            problem = _schema_problems(value, schema)
            if problem:
                out.append((problem[0], 0.8 if problem[0] == "high" else 0.2, problem[1]))
        return out

    @staticmethod
    def _blocks(text: str) -> list[tuple[str, float, str]]:
        bad = 0
        for body in _JSON_BLOCK.findall(text):
            try:
                json.loads(body)
            except json.JSONDecodeError:
                bad += 1
        return [("low", 0.3, f"{bad} ```json block(s) holding invalid JSON")] if bad else []

    def evaluate(self, batch: pl.DataFrame, prior: pl.DataFrame | None = None) -> pl.DataFrame:
        """Return one row per trace: flagged when asked-for JSON is not valid JSON."""
        rows = batch.lazy().select("expected_format", "response").with_row_index(ROW)
        text = pl.col("response")
        wants_json = pl.col("expected_format").is_in(["json", "json_schema"]).fill_null(False)
        empty = text.str.strip_chars() == ""
        checks = [(wants_json & empty, "high", 0.9, "empty output where JSON was asked")]
        if self.config["check_fences"]:
            checks.append((unclosed_fence(text), "medium", 0.5, "unclosed code fence"))
        hits = [hits_of_checks(rows, checks)]
        found: list[tuple[int, str, float, str]] = []
        for row, fmt, out, schema in candidates(
                batch, wants_json & ~empty,
                ["expected_format", "response", "response_schema"]).iter_rows():
            found += [(row, *h) for h in self._check(out, fmt, schema)]
        if self.config["check_json_blocks"]:
            blocks = ~wants_json & text.str.contains("(?i)```[ \t]*json")
            for row, out in candidates(batch, blocks, ["response"]).iter_rows():
                found += [(row, *h) for h in self._blocks(out)]
        hits.append(hits_from_rows(found))
        return results_from_hits(batch, hits, skipped=pl.col("response").is_null(),
                                 skipped_reason="not evaluated: no response")
