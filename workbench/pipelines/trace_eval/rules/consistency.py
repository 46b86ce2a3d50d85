"""``consistency``: the output contradicts itself.

- yes and no both given as the answer ("Yes, ... So the answer is no."), in en/fr/de/es: fully
  vectorized (an opening answer word and concluding phrases, both polarities);
- yes and no to the same statement: sentences opening with either answer word, one affirming
  what the other negates ("Yes, it is compatible. ... No, it is not compatible."; ``answers``);
- a written calculation, or a stated total (of a list, a table or inline calculations), that
  disagrees with its numbers;
- one quantity given two different values.
The numeric checks run in Python only on rows that a Polars pattern marks as holding them.
"""
from __future__ import annotations

from typing import Any, ClassVar

import polars as pl

from ..modules import ROW, TraceModule, candidates, hits_from_rows, hits_where, results_from_hits
from .answers import NO_WORDS, YES_WORDS, answer_opening, yes_no_conflicts
from .numbers import arithmetic_errors, quantity_conflicts, total_errors
from .patterns import contains

_YES = r"(?:yes|yeah|yep|oui|ja|sí)"
_NO = r"(?:no|nope|non|nein)"
_OPENING = r"(?i)\A[\W_]{0,3}"
# no answer: "No problem", "Non seulement", "No hay", ...
_NOT_ANSWER = (r"(?i)\A[\W_]{0,3}(?:no (?:problem|worries|doubt|need|matter|wonder|one|way to "
               r"know)|non seulement|no hay|no es (?:posible|necesario)|nein danke|sí,? claro)")
_CONCLUDE = (r"(?i)(?:\A|\W)(?:the (?:short |simple )?answer is|in short|in summary|"
             r"to summari[sz]e|"
             r"therefore|thus|so|overall|in conclusion|la réponse est|en résumé|en bref|donc|bref|"
             r"die antwort (?:ist|lautet)|kurz gesagt|zusammengefasst|also|la respuesta es|"
             r"en resumen|por lo tanto|así que)[:,]?\s+[«\"'*]*")
_END = r"[»\"'*]*\s*(?:[.!,;:]|\z)"
_NUANCED = (r"\b(?:yes and no|both yes and no|oui et non|ja und nein|sí y no|it depends|"
            r"ça dépend|es kommt darauf an|depende)\b")
_ARITH_HINT = (r"\d\s*[+×*x/÷−–-]\s*[$€£]?\d[\d.,\s+×*x/÷−–-]*=\s*(?:[A-Za-z ]{0,12}:?\s*)?"
               r"[-−]?[$€£]?\d")
_TOTAL_HINT = (r"(?i)(?:total|sum|gesamt|summe|insgesamt|somme|suma)[^\n\d]{0,30}[$€£]?\s?\d")
_LIST_NUMBER = r"(?m)^\s*(?:[-*+•|]|\d{1,2}[.)])[^\n]*\d"
_INLINE_PARTS = r"\d[^\n;]{0,80};[^\n;]{0,80}\d"
_YES_SENTENCE = answer_opening(YES_WORDS)
_NO_SENTENCE = answer_opening(NO_WORDS)
_QUANTITY_HINT = (r"(?i)(?:is|are|was|were|equals|ist|beträgt|sind|est|sont|es|son) "
                  r"(?:about |around |approximately |roughly |environ |etwa |unos )?[$€£]?\d")


class Consistency(TraceModule):
    """Contradictions inside one output: yes and no, wrong sums, two values for one quantity."""

    name = "consistency"
    tier = 1
    version = "1.1"
    description = "yes/no contradictions, arithmetic and totals that disagree, conflicting values"
    defaults: ClassVar[dict[str, Any]] = {"check_yes_no": True, "check_numbers": True,
                                          "check_quantities": True}

    def evaluate(self, batch: pl.DataFrame, prior: pl.DataFrame | None = None) -> pl.DataFrame:
        """Return one row per trace: flagged when the output contradicts itself."""
        cfg = self.config
        text = pl.col("response")
        rows = batch.lazy().select("response").with_row_index(ROW)
        hits = []
        if cfg["check_yes_no"]:
            head = text.str.slice(0, 24)
            opening_yes = head.str.contains(_OPENING + _YES + _END)
            opening_no = head.str.contains(_OPENING + _NO + _END) & ~head.str.contains(_NOT_ANSWER)
            concl_yes = text.str.contains(_CONCLUDE + _YES + _END)
            concl_no = text.str.contains(_CONCLUDE + _NO + _END)
            both = ((opening_yes | concl_yes) & (opening_no | concl_no)
                    & ~contains(text, _NUANCED))
            hits.append(hits_where(rows, both, "medium", 0.6,
                                   "answers both yes and no to the same question"))
        found: list[tuple[int, str, float, str]] = []
        if cfg["check_yes_no"]:
            answers = text.str.contains(_YES_SENTENCE) & text.str.contains(_NO_SENTENCE)
            for row, out in candidates(batch, answers, ["response"]).iter_rows():
                found += [(row, "medium", 0.6, e) for e in yes_no_conflicts(out)[:1]]
        if cfg["check_numbers"]:
            numeric = (text.str.contains(_ARITH_HINT).fill_null(False)
                       | (text.str.contains(_TOTAL_HINT).fill_null(False)
                          & (text.str.contains(_LIST_NUMBER).fill_null(False)
                             | text.str.contains(_INLINE_PARTS).fill_null(False))))
            for row, out in candidates(batch, numeric, ["response"]).iter_rows():
                found += [(row, "medium", 0.7, f"arithmetic error: {e}")
                          for e in arithmetic_errors(out)[:3]]
                found += [(row, "medium", 0.7, f"total disagrees: {e}")
                          for e in total_errors(out)[:3]]
        if cfg["check_quantities"]:
            stated = text.str.count_matches(_QUANTITY_HINT).fill_null(0) >= 2
            for row, out in candidates(batch, stated, ["response"]).iter_rows():
                found += [(row, "low", 0.45, e) for e in quantity_conflicts(out)[:3]]
        hits.append(hits_from_rows(found))
        return results_from_hits(batch, hits, skipped=text.is_null(),
                                 skipped_reason="not evaluated: no response")

