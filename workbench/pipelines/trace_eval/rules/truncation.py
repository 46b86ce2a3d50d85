"""``truncation``: the output stopped at the token limit or was cut mid sentence or structure.

Everything but the JSON check is vectorized on the last 240 characters of each output. Only
structured outputs (JSON asked, or starting with ``{``/``[``) whose brackets do not balance are
scanned in Python, with a string-aware bracket stack. A short complete answer ("Yes.", "Paris")
is never called truncated: the mid-sentence rules need a long text or a dangling last word.
"""
from __future__ import annotations

import json
from typing import Any, ClassVar

import polars as pl

from ..modules import ROW, TraceModule, hits_from_rows, hits_of_checks, indexed, results_from_hits
from .fences import unclosed_fence
from .patterns import fold, folded

# a text ending on one of these is finished: punctuation, closers, quotes, emphasis, emoji
_DONE = r"(?:[.!?…。！？」』)\]}\"'»”’*`|>~_]|\p{So}|\p{Sk})\z"
# ends on a comma or connector, or on a word that always needs a continuation (lower case)
_DANGLING = folded(r"(?:[,;:(\-–—/&+=]|\b(?:the|a|an|and|or|but|of|to|with|for|from|by|at|because|"
                   r"le|la|les|un|une|des|du|de|et|ou|mais|avec|pour|par|que|der|die|das|den|dem|"
                   r"des|ein|eine|einen|einem|und|oder|aber|mit|von|zu|für|el|los|las|unos|unas|"
                   r"y|pero|del|con|para|por))\z", ignore_case=False)
# a last line that is a list item, heading, table row, quote, link or signature, not prose
_NOT_PROSE = r"\A\s*(?:[-*+•]\s|\d+[.)]\s|#{1,6}\s|\||>|https?://\S+\z)"
_STRUCTURED = r"\A\s*[\[{]"
# a finished prose sentence (capital first, terminal punctuation last, no code characters): a
# fence left open before it was forgotten, not cut off (format_validity reports the fence)
_FINISHED_SENTENCE = (r"\A\s*\p{Lu}[\p{L}\p{N}'’\-–—%]*(?:[,;:]?\s+[\p{L}\p{N}'’\-–—%]+){3,}"
                      r"[.!?…。！？]\z")
# typographic double quotes pair up differently by language (“…” en, „…“ de/cs, „…” pl/hu,
# ”…” sv/fi, «…» fr, »…« de): an odd count of them is a quote left open, whatever the style
_DOUBLE_QUOTES = r"[“”„‟]"
_GUILLEMETS = r"[«»]"


def _open_structure(text: str) -> str | None:
    """Return what is left open at the end of a JSON-like text (object/array/string), or None.

    >>> _open_structure('{"a": [1, 2')
    'array'
    >>> _open_structure('{"a": "b"}') is None
    True
    """
    stack: list[str] = []
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("object" if ch == "{" else "array")
        elif ch in "}]" and stack:
            stack.pop()
    return "string" if in_string else (stack[-1] if stack else None)


class Truncation(TraceModule):
    """finish_reason length, tokens_out at max_tokens, output cut mid sentence or structure."""

    name = "truncation"
    tier = 1
    version = "1.1"
    description = "token-limit stops and outputs cut mid sentence, bracket, quote or fence"
    defaults: ClassVar[dict[str, Any]] = {"min_chars": 200, "min_chars_dangling": 40,
                                          "min_last_line_words": 8}

    def evaluate(self, batch: pl.DataFrame, prior: pl.DataFrame | None = None) -> pl.DataFrame:
        """Return one row per trace: flagged when the output looks cut off."""
        cfg = self.config
        text = pl.col("response").str.strip_chars_end()
        rows = indexed(batch, ["response", "finish_reason", "max_tokens", "tokens_out",
                               "expected_format"], [
            text.str.len_chars().fill_null(0).alias("_len"),
            text.str.tail(240).str.extract(r"([^\n]*)\z", 1).fill_null("").alias("_last"),
            text.str.contains(_STRUCTURED).fill_null(False).alias("_struct"),
            unclosed_fence(pl.col("response")).alias("_fence")])
        wants_json = pl.col("expected_format").is_in(["json", "json_schema"]).fill_null(False)
        structured = pl.col("_struct") | wants_json
        last, n = pl.col("_last"), pl.col("_len")
        capped = (pl.col("tokens_out") >= pl.col("max_tokens")) & (pl.col("max_tokens") > 0)
        prose = ~structured & ~pl.col("_fence")
        unterminated = (prose & (n >= cfg["min_chars"]) & ~last.str.contains(_DONE)
                        & ~last.str.contains(_NOT_PROSE)
                        & (last.str.count_matches(r"\S+") >= cfg["min_last_line_words"]))
        dangling = (prose & (n >= cfg["min_chars_dangling"])
                    & fold(last).str.contains(_DANGLING).fill_null(False))
        open_paren = prose & (last.str.count_matches(r"\(") > last.str.count_matches(r"\)"))
        open_quote = prose & (((last.str.count_matches('"') % 2) == 1)
                              | ((last.str.count_matches(_DOUBLE_QUOTES) % 2) == 1)
                              | ((last.str.count_matches(_GUILLEMETS) % 2) == 1)
                              | (last.str.count_matches("「") > last.str.count_matches("」")))
        cut_fence = pl.col("_fence") & ~last.str.contains(_FINISHED_SENTENCE)
        hits = [hits_of_checks(rows, [
            (pl.col("finish_reason") == "length", "medium", 0.7,
             "finish_reason is length: the output stopped at the token limit"),
            (capped & (pl.col("finish_reason") != "length").fill_null(True), "medium", 0.65,
             pl.format("tokens_out ({}) reached max_tokens ({})", "tokens_out", "max_tokens")),
            (cut_fence, "medium", 0.6, "ends inside an unclosed code fence"),
            (dangling, "medium", 0.55, "ends mid sentence (on a comma, colon or connecting word)"),
            (unterminated & ~dangling, "low", 0.4,
             "ends without terminal punctuation after a long text"),
            (open_paren, "medium", 0.5, "ends inside an unclosed parenthesis"),
            (open_quote & ~open_paren, "low", 0.4, "ends inside an unclosed quote"),
        ])]
        # structured outputs whose closing bracket is missing: confirm in Python, string-aware
        out = pl.col("response")
        unbalanced = (~last.str.contains(r"[}\]]\z")
                      | (out.str.count_matches(r"\{") != out.str.count_matches(r"\}"))
                      | (out.str.count_matches(r"\[") != out.str.count_matches(r"\]")))
        suspect = (rows.lazy().filter(structured & (n > 0) & ~pl.col("_fence"))
                   .filter(unbalanced).select(ROW, "response", "expected_format").collect())
        found = []
        for row, out, fmt in suspect.iter_rows():
            try:
                json.loads(out)
                continue
            except json.JSONDecodeError:
                pass
            what = _open_structure(out)
            if what:
                json_asked = fmt in ("json", "json_schema")
                found.append((row, "high" if json_asked else "medium",
                              0.8 if json_asked else 0.6, f"ends inside an unclosed JSON {what}"))
        hits.append(hits_from_rows(found))
        return results_from_hits(batch, hits, skipped=pl.col("response").is_null(),
                                 skipped_reason="not evaluated: no response")
