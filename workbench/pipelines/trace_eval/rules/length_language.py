"""``length_language``: wrong language, absurd length, degenerate repetition.

- language: the answer's language differs from the prompt's (stopword profiles in Polars; only
  the pairs they do not confirm go to ``langid``); skipped for short texts, and when the prompt
  or system asks for a language or a translation;
- length: empty, absurdly short for a request to write/explain/list (a short answer to a yes/no
  or one-word question is fine), absurdly long, or long where brevity was asked;
- repetition: the same phrase or line repeated many times (a generation loop).
"""
from __future__ import annotations

from typing import Any, ClassVar

import polars as pl

from ..modules import ROW, TraceModule, hits_from_rows, hits_of_checks, results_from_hits
from .fences import without_code
from .language import dominant, langid_language, language_code, stopword_counts
from .repetition import repetition, repetition_suspect

_LANGS = (r"english|french|german|spanish|italian|portuguese|dutch|chinese|japanese|korean|"
          r"russian|arabic|hindi|polish|turkish|swedish|anglais|français|allemand|espagnol|"
          r"italien|portugais|néerlandais|chinois|japonais|englisch|französisch|deutsch|"
          r"spanisch|italienisch|portugiesisch|niederländisch|chinesisch|japanisch|inglés|"
          r"francés|alemán|español|italiano|portugués|holandés|chino|japonés")
_EXPLICIT = (rf"(?i)(?:translat|tradui|tradu[cz]|übersetz|(?:in|into|en|auf|al|ins)\s+(?:{_LANGS})"
             r"|(?:answer|respond|reply|write|speak) in|répond(?:s|ez)? en|écri(?:s|vez) en|"
             r"antworte(?:n sie)? auf|schreibe(?:n sie)? auf|responde(?:r)? en|escribe en)")
_YES_NO = (r"(?i)(?:yes or no|yes/no|oui ou non|ja oder nein|sí o no|true or false|vrai ou faux|"
           r"one word|single word|un (?:seul )?mot|ein(?:em)? wort|una (?:sola )?palabra|"
           r"only (?:the|a|one) (?:number|name|answer|word|letter|date)|"
           r"just (?:the|a) (?:number|name|answer)|(?:\A|[.!?\n]\s*)(?:is|are|was|were|do|does|did"
           r"|can|could|should|would|will|has|have|had|may|might|must|shall|est-ce que|est-ce|"
           r"peux-tu|pouvez-vous|puis-je|faut-il|ist|sind|kann|kannst|können|hast|hat|gibt es|"
           r"darf|soll|muss|es|son|puedo|puede|hay|tiene|debo|existe)\s[^?\n]*\?\s*\z)")
_ELABORATE = (r"(?i)(?:\A|\W)(?:write|explain|describe|list|summari[sz]e|draft|compare|"
              r"analy[sz]e|outline|elaborate|rédige[zr]?|écri[st]|expliquez?|décri[st]|"
              r"décrivez|résume[zr]?|schreibe|erkläre|erklären sie|beschreibe|fasse|vergleiche|"
              r"escribe|explica|describe|resume|enumera|compara|analiza)\W")
_BRIEF = (r"(?i)(?:briefly|in one sentence|in a sentence|short answer|in a few words|tl;?dr|"
          r"one line|concisely|en une phrase|brièvement|en quelques mots|kurz|in einem satz|"
          r"knapp|brevemente|en una frase|en pocas palabras)")


def _has_stretch_in(text: str, lang: str, size: int, max_chunks: int = 6) -> bool:
    """Return True when some run of ``size`` words of ``text`` reads as ``lang`` to langid."""
    words = text.split()
    starts = list(range(0, max(1, len(words) - size + 1), max(1, size // 2)))
    if len(starts) > max_chunks:                      # the start and the end of a long prompt
        starts = starts[:max_chunks // 2] + starts[-(max_chunks // 2):]
    return any(langid_language(" ".join(words[i:i + size]), 0.5) == lang for i in starts)


class LengthLanguage(TraceModule):
    """Answer language against the prompt's; absurd lengths; generation loops."""

    name = "length_language"
    tier = 1
    version = "1.0"
    description = "language mismatch, empty/too short/too long answers, degenerate repetition"
    defaults: ClassVar[dict[str, Any]] = {"check_language": True, "check_length": True,
                                          "check_repetition": True, "min_language_chars": 60,
                                          "min_prompt_language_chars": 80, "mixed_chunk_words": 6,
                                          "langid_min_prob": 0.9, "min_response_chars": 20,
                                          "min_prompt_chars": 60, "max_response_chars": 20000,
                                          "brief_max_chars": 1200, "min_repeats": 6}

    def _length_hits(self, rows: pl.LazyFrame) -> list[pl.LazyFrame]:
        cfg = self.config
        prompt = pl.col("prompt").fill_null("")
        size = pl.col("response").fill_null("").str.strip_chars().str.len_chars()
        text = pl.col("expected_format").fill_null("text") == "text"
        quiet = pl.col("finish_reason").is_in(["tool_calls", "content_filter"]).fill_null(False)
        short = ((size > 0) & (size < cfg["min_response_chars"]) & text
                 & (prompt.str.len_chars() >= cfg["min_prompt_chars"])
                 & prompt.str.contains(_ELABORATE) & ~prompt.str.tail(300).str.contains(_YES_NO))
        return [hits_of_checks(rows, [
            ((size == 0) & pl.col("response").is_not_null() & ~quiet, "medium", 0.6,
             "empty answer"),
            (short, "low", 0.35,
             pl.format("answer of {} characters to a request for a written answer", size)),
            (size > cfg["max_response_chars"], "low", 0.3,
             pl.format("very long answer ({} characters)", size)),
            ((size > cfg["brief_max_chars"]) & prompt.str.contains(_BRIEF), "low", 0.3,
             pl.format("answer of {} characters where brevity was asked", size)),
        ])]

    def _language_hits(self, rows: pl.LazyFrame) -> list[tuple[int, str, float, str]]:
        cfg = self.config
        prose_out = ((pl.col("expected_format").fill_null("text") == "text")
                     & ~pl.col("response").str.contains(r"\A\s*[\[{]").fill_null(True))
        prose = rows.filter(prose_out).select(ROW, "prompt", "system", "response").with_columns(
            without_code(pl.col("prompt").fill_null("")).alias("_p"),
            without_code(pl.col("response").fill_null("")).alias("_r"))
        prose = (prose.filter((pl.col("_p").str.len_chars() >= cfg["min_prompt_language_chars"])
                              & (pl.col("_r").str.len_chars() >= cfg["min_language_chars"]))
                 .with_columns(stopword_counts(pl.col("_p")).alias("_pc"),
                               stopword_counts(pl.col("_r")).alias("_rc"))
                 .with_columns(dominant(pl.col("_pc")).alias("_pd"),
                               dominant(pl.col("_rc")).alias("_rd")))
        pc, rc, pd, rd = pl.col("_pc"), pl.col("_rc"), pl.col("_pd"), pl.col("_rd")
        # agreed: the same winner, or one clear winner that also leads the other's (weak) profile
        agreed = ((pd == rd)
                  | ((pc.list.get(rd, null_on_oob=True) >= 1)
                     & (pc.list.get(rd, null_on_oob=True) == pc.list.max()))
                  | ((rc.list.get(pd, null_on_oob=True) >= 1)
                     & (rc.list.get(pd, null_on_oob=True) == rc.list.max()))).fill_null(False)
        asked = (pl.col("prompt").str.contains(_EXPLICIT).fill_null(False)
                 | pl.col("system").str.contains(_EXPLICIT).fill_null(False))
        open_rows = prose.filter(~agreed & ~asked).select(
            ROW, "_p", "_r", language_code(pd).alias("_pl"), language_code(rd).alias("_rl")
        ).collect()
        found = []
        prob = cfg["langid_min_prob"]
        for row, p, r, p_lang, r_lang in open_rows.iter_rows():
            answer = r_lang or langid_language(r, prob)
            head = p_lang or langid_language(p[:600], prob)
            if not answer or not head or answer == head:
                continue
            # a likely mismatch: confirm profile guesses with langid, look at the prompt's end
            # too; a prompt with a stretch in the answer's language is code-switching
            answer = langid_language(r, prob) if r_lang else answer
            asked_in = [langid_language(p[:600], prob) if p_lang else head]
            if len(p) > 1200:
                asked_in.append(langid_language(p[-600:], prob))
            if (answer and None not in asked_in and answer not in asked_in
                    and not _has_stretch_in(p, answer, cfg["mixed_chunk_words"])):
                found.append((row, "medium", 0.6,
                              f"answer in {answer}, the prompt is in {asked_in[0]}"))
        return found

    def evaluate(self, batch: pl.DataFrame, prior: pl.DataFrame | None = None) -> pl.DataFrame:
        """Return one row per trace: flagged on a wrong language, absurd length or a loop."""
        cfg = self.config
        rows = batch.lazy().select("prompt", "system", "response", "expected_format",
                                   "finish_reason").with_row_index(ROW)
        hits = self._length_hits(rows) if cfg["check_length"] else []
        found = self._language_hits(rows) if cfg["check_language"] else []
        if cfg["check_repetition"]:
            for row, out in repetition_suspect(rows.select(ROW, "response")).iter_rows():
                rep = repetition(out, cfg["min_repeats"])
                if rep:
                    why = f"degenerate repetition: a {rep[0]}-word phrase repeated {rep[1]} times"
                    found.append((row, "medium", 0.6, why))
        hits.append(hits_from_rows(found))
        return results_from_hits(batch, hits, skipped=pl.col("response").is_null(),
                                 skipped_reason="not evaluated: no response")
