"""Turning a model's text into a validated answer: JSON extraction, schema check, re-ask text."""
from __future__ import annotations

import json
import re

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


class InvalidAnswer(ValueError):
    """The text is not JSON, or the JSON does not satisfy the task's schema."""


def schema_instruction(schema) -> str:
    """Return the text appended to a prompt telling the model the answer's shape."""
    return ("\n\nReply with only one JSON object, no prose, valid against this JSON Schema:\n"
            + json.dumps(schema, sort_keys=True))


def extract_json(text: str):
    """Return the JSON value in ``text`` (bare, fenced, or the outermost {...}); InvalidAnswer if none.

    >>> extract_json('Sure: ```json\\n{"a": 1}\\n```')
    {'a': 1}
    >>> extract_json('The answer is {"a": [1, 2]} as asked.')
    {'a': [1, 2]}
    """
    candidates = [text.strip()]
    candidates += [m.strip() for m in _FENCE.findall(text)]
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start:end + 1])
    for c in candidates:
        try:
            return json.loads(c)
        except (json.JSONDecodeError, ValueError):
            continue
    raise InvalidAnswer(f"the reply is not JSON: {text[:200]!r}")


def validate(task, text: str) -> dict:
    """Return the answer parsed from ``text`` if it satisfies ``task.schema``; else InvalidAnswer."""
    value = extract_json(text)
    error = next(iter(sorted(task.validator.iter_errors(value), key=lambda e: list(e.path))), None)
    if error is not None:
        where = "/".join(str(p) for p in error.path) or "(root)"
        raise InvalidAnswer(f"the JSON does not match the schema at {where}: {error.message}")
    return value


def reask_text(error: str) -> str:
    """Return the follow-up prompt that asks the model to correct an invalid answer."""
    return (f"Your previous reply could not be used: {error[:500]}\n"
            "Reply again with only the corrected JSON object.")
