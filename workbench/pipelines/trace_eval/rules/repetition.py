"""Degenerate repetition: a model stuck in a loop repeats one phrase or line many times.

``repetition_suspect`` is the vectorized prefilter (the text's end recurs in it, or few distinct
lines); ``repetition`` confirms in Python on the rows it selects.

>>> repetition("I am here. " * 12)
(3, 12)
>>> repetition("A normal answer with varied words, each sentence saying something new.")
"""
from __future__ import annotations

from collections import Counter

import polars as pl

_TAIL_PROBE = 40
_MAX_TOKENS = 3000
_MAX_N = 12


def repetition_suspect(frame: pl.DataFrame | pl.LazyFrame, column: str = "response",
                       min_chars: int = 200, min_lines: int = 10) -> pl.DataFrame:
    """Return the rows of ``frame`` whose text may loop: its end recurs, or most lines repeat.

    Two cheap tests: the last 40 characters found 3+ times in the text (a loop that runs to the
    token limit), then, on texts of ``min_lines`` lines or more only, fewer distinct lines than
    half of them.
    """
    text = pl.col(column)
    tail_recurs = ((text.str.len_chars() >= min_chars)
                   & (text.str.count_matches(text.str.tail(_TAIL_PROBE), literal=True) >= 3))
    many_lines = text.str.count_matches("\n") >= min_lines - 1
    lines = text.str.split("\n")
    few_lines = lines.list.n_unique() < 0.5 * lines.list.len()
    lf = frame.lazy()
    first = lf.filter(tail_recurs.fill_null(False))
    second = lf.filter(~tail_recurs.fill_null(False) & many_lines.fill_null(False))
    return pl.concat([first, second.filter(few_lines.fill_null(False))]).collect()


def _terminal_loop(text: str, min_repeats: int, min_coverage: float) -> tuple[int, int] | None:
    """Return ``(words, repeats)`` when the text ends in one unit repeated back to back."""
    body = text.rstrip()
    probe = body[-_TAIL_PROBE:]
    prev = body.rfind(probe, 0, len(body) - 1)
    if len(body) < 2 * _TAIL_PROBE or prev < 0:
        return None
    period = len(body) - len(probe) - prev
    unit, k = body[-period:], 1
    while (k + 1) * period <= len(body) and body[-(k + 1) * period:-k * period] == unit:
        k += 1
    if body[:-k * period].endswith(unit.lstrip()):
        k += 1                                          # the first copy, without its separator
    if k >= min_repeats and k * period >= min_coverage * len(body):
        return max(1, len(unit.split())), k
    return None


def _ngram_loop(tokens: list[str], min_repeats: int, min_coverage: float
                ) -> tuple[int, int] | None:
    best: tuple[float, int, int] | None = None
    for n in range(1, _MAX_N + 1):
        if len(tokens) < n * min_repeats:
            break
        gram, count = Counter(zip(*(tokens[i:] for i in range(n)), strict=False)
                              ).most_common(1)[0]
        if any(n % d == 0 and gram == gram[d:] + gram[:d] for d in range(1, n)):
            continue                                    # "very very": a repeat of a shorter one
        coverage = min(1.0, n * count / len(tokens))    # overlapping shifts can exceed 1
        if count >= min_repeats and coverage >= min_coverage and len("".join(gram)) >= 3 and (
                best is None or coverage > best[0] + 0.05):
            best = (coverage, n, count)
    return (best[1], best[2]) if best else None


def repetition(text: str, min_repeats: int = 6, min_coverage: float = 0.4
               ) -> tuple[int, int] | None:
    """Return ``(phrase length in words, repeats)`` of a degenerate repetition, or None.

    A phrase counts when it occurs at least ``min_repeats`` times and covers at least
    ``min_coverage`` of the text (of its words, or of its non-empty lines for a repeated line).
    """
    loop = _terminal_loop(text, min_repeats, min_coverage)
    if loop:
        return loop
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if lines:
        line, count = Counter(lines).most_common(1)[0]
        if count >= min_repeats and count >= min_coverage * len(lines) and len(line) >= 8:
            return len(line.split()), count
    return _ngram_loop(text.split()[-_MAX_TOKENS:], min_repeats, min_coverage)
