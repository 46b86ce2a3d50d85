"""Regular expressions written once for Python ``re`` and run fast by Polars (Rust ``regex``).

Rust's fast engines give up on Unicode word boundaries (``\\b``) in any text holding a
non-ASCII character and fall back to one 30 to 100 times slower. So the Polars side works on a
*folded* text, where every non-ASCII letter became ``e`` (``fold``), with the pattern folded the
same way and ASCII word boundaries (``folded``): a letter is still a letter, so the boundaries
fall where the Unicode ones do, and the folded pattern matches every text the original matches
(and a few more, which the Python side, on the original text, then turns down).

>>> import polars as pl
>>> texts = pl.Series(["une scène érotique", "continue", "für dich"])
>>> fold(texts.to_frame("t")["t"]).str.contains(folded(r"\\b(?:érotique|nue?s?|für)\\b")).to_list()
[True, False, True]
"""
from __future__ import annotations

import re

import polars as pl

_NON_ASCII_LETTER = re.compile(r"(?![\x00-\x7F])[^\W\d_]")
_BOUNDARY = re.compile(r"(?<!\\)((?:\\\\)*)\\b")


def fold(text: pl.Expr | pl.Series) -> pl.Expr | pl.Series:
    """Return the text with each non-ASCII letter replaced by ``e`` (same letter/non-letter)."""
    return text.str.replace_all(r"[\p{L}&&[^\x00-\x7F]]", "e")


def folded(pattern: str, ignore_case: bool = True) -> str:
    """Return ``pattern`` folded like ``fold`` with ASCII ``\\b`` (for Polars, on folded text).

    >>> folded(r"\\bfür\\b")
    '(?i)(?-u:\\\\b)fer(?-u:\\\\b)'
    """
    out = _BOUNDARY.sub(lambda m: m.group(1) + r"(?-u:\b)", _NON_ASCII_LETTER.sub("e", pattern))
    return ("(?i)" if ignore_case else "") + out


def contains(text: pl.Expr, pattern: str, ignore_case: bool = True) -> pl.Expr:
    """Return True where the text may match ``pattern`` (folded search; nulls are False)."""
    return fold(text).str.contains(folded(pattern, ignore_case)).fill_null(False)
