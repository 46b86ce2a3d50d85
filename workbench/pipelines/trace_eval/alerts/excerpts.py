"""Masked excerpts for alert payloads: a few short snippets of already-masked responses."""
from __future__ import annotations

import re
from collections.abc import Iterable

import polars as pl

from .alert import Excerpt

MAX_EXCERPTS = 5
MAX_CHARS = 200
_SPACE = re.compile(r"\s+")


def shorten(text: str, limit: int = MAX_CHARS) -> str:
    """Return ``text`` with whitespace collapsed, cut to at most ``limit`` characters.

    >>> shorten("a  b\\n c", 200), len(shorten("x" * 500))
    ('a b c', 200)
    """
    flat = _SPACE.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def response_lookup(traces: pl.DataFrame | None, trace_ids: Iterable[str]) -> dict[str, str]:
    """Return trace_id → masked response for the given ids (empty when traces lack responses)."""
    if traces is None or "response" not in traces.columns or traces.is_empty():
        return {}
    wanted = sorted(set(trace_ids))
    rows = (traces.lazy().select("trace_id", "response")
            .filter(pl.col("trace_id").is_in(wanted) & pl.col("response").is_not_null())
            .unique("trace_id", keep="first").collect())
    return dict(zip(rows["trace_id"].to_list(), rows["response"].to_list(), strict=True))


def excerpts_for(trace_ids: Iterable[str], responses: dict[str, str], *,
                 limit: int = MAX_EXCERPTS, chars: int = MAX_CHARS) -> tuple[Excerpt, ...]:
    """Return at most ``limit`` excerpts (≤ ``chars`` each) of the first traces with a response."""
    out: list[Excerpt] = []
    for tid in trace_ids:
        if len(out) >= min(limit, MAX_EXCERPTS):
            break
        if text := responses.get(tid):
            out.append(Excerpt(tid, shorten(text, min(chars, MAX_CHARS))))
    return tuple(out)
