"""Markdown code fences, as Polars expressions (vectorized) and one Python helper.

>>> import polars as pl
>>> pl.Series(["```py\\nx = 1\\n```", "```\\nopen"]).to_frame("r").select(
...     unclosed_fence(pl.col("r"))).to_series().to_list()
[False, True]
"""
from __future__ import annotations

import re

import polars as pl

FENCE_LINE = r"(?m)^[ \t]*(?:```|~~~)"
_FENCED = re.compile(r"\A\s*```[ \t]*([A-Za-z0-9_+\-]*)[ \t]*\r?\n(.*?)\r?\n?[ \t]*```\s*\Z",
                     re.DOTALL)
_CODE_BLOCK = r"(?s)```.*?(?:```|\z)"


def fence_count(text: pl.Expr) -> pl.Expr:
    """Return the number of lines opening or closing a code fence."""
    return text.str.count_matches(FENCE_LINE).fill_null(0)


def unclosed_fence(text: pl.Expr) -> pl.Expr:
    """Return True where the text has an odd number of fence lines (one left open)."""
    return (fence_count(text) % 2) == 1


def without_code(text: pl.Expr) -> pl.Expr:
    """Return the text with fenced code blocks (closed or not) replaced by a space."""
    return text.str.replace_all(_CODE_BLOCK, " ")


def fenced_body(text: str) -> tuple[str, str] | None:
    """Return ``(language tag, body)`` when the whole text is one fenced block, else None.

    >>> fenced_body('```json\\n{"a": 1}\\n```')
    ('json', '{"a": 1}')
    """
    m = _FENCED.match(text)
    return (m.group(1).lower(), m.group(2)) if m else None
