"""``length_language``: wrong language, absurd length, degenerate repetition.

- language: the answer's language differs from the prompt's (stopword profiles in Polars; only
  the pairs they do not confirm go to ``langid``); skipped when the prompt or system asks for a
  language or a translation, but not when it asks to answer *in the user's language* (that is
  the rule checked). Short texts (a one-sentence answer, a one-line question) are checked only
  when their stopword profiles name two different languages and ``langid`` confirms both;
- length: empty, absurdly short for a request to write/explain/list (a short answer to a yes/no
  or one-word question is fine), absurdly long, or long where brevity was asked;
- repetition: the same phrase or line repeated many times (a generation loop).
"""
from __future__ import annotations

import re
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
_EXPLICIT = re.compile(rf"(?i)(?:translat|tradui|tradu[cz]|übersetz|(?:in|into|en|auf|al|ins)\s+(?:{_LANGS})"
             r"|(?:answer|respond|reply|write|speak) in|répond(?:s|ez)? en|écri(?:s|vez) en|"
             r"antworte(?:n sie)? auf|schreibe(?:n sie)? auf|responde(?:r)? en|escribe en)")
# "answer in the user's language", "réponds dans la langue de l'utilisateur", ...: no language
# is named, the answer must match the question's
_MATCH = re.compile(
    r"(?i)(?:(?:answer|respond|reply|write|speak)(?: \w+){0,2} in (?:the )?(?:same language|"
    r"(?:user|customer|client)(?:'|’)?s?(?:'|’)? (?:own )?language|language (?:of|used by) the "
    r"(?:user|customer|client|question|request|message|prompt)|language the (?:user|customer) "
    r"(?:uses|used|writes|wrote))|match (?:the )?(?:user|customer)(?:'|’)?s? language|"
    r"r[ée]pond(?:s|ez|re)? dans la (?:même )?langue|dans la langue (?:de l(?:'|’)utilisateur|du "
    r"client|de la question)|antworte(?:n sie|t)? (?:immer )?in der (?:gleichen |selben )?sprache|"
    r"in derselben sprache|in der sprache des (?:nutzers|benutzers|kunden|users|fragenden)|"
    r"responde(?:r)? (?:siempre )?en el (?:mismo )?idioma|en el idioma del (?:usuario|cliente)|"
    r"en el mismo idioma)")
_LOWER_WORD = r"(?:^|\s)\p{Ll}[\p{L}'’-]*"
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


def _asked_language(text: str | None) -> bool:
    """Return True when ``text`` asks for a language or a translation (not the user's own)."""
    return bool(text) and _EXPLICIT.search(_MATCH.sub(" ", text)) is not None


def _mismatch(answer: str, prompt_lang: str, prompt: str | None, system: str | None) -> str:
    told = any(t and _MATCH.search(t) for t in (system, prompt))
    return (f"answer in {answer}, the prompt is in {prompt_lang}"
            + (" (told to answer in the user's language)" if told else ""))


class LengthLanguage(TraceModule):
    """Answer language against the prompt's; absurd lengths; generation loops."""

    name = "length_language"
    tier = 1
    version = "1.1"
    description = "language mismatch, empty/too short/too long answers, degenerate repetition"
    defaults: ClassVar[dict[str, Any]] = {"check_language": True, "check_length": True,
                                          "check_repetition": True, "min_language_chars": 60,
                                          "min_prompt_language_chars": 80, "mixed_chunk_words": 6,
                                          "min_short_language_chars": 24,
                                          "min_short_prompt_chars": 24,
                                          "min_short_lower_words": 4,
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
        p_len, r_len = pl.col("_p").str.len_chars(), pl.col("_r").str.len_chars()
        long = (p_len >= cfg["min_prompt_language_chars"]) & (r_len >= cfg["min_language_chars"])
        # a short answer must be a sentence, not a name ("Le Bureau de la Rive Gauche."): enough
        # words in lower case
        short = (~long & (p_len >= cfg["min_short_prompt_chars"])
                 & (r_len >= cfg["min_short_language_chars"])
                 & (pl.col("_r").str.count_matches(_LOWER_WORD) >= cfg["min_short_lower_words"]))
        prose = (prose.filter(long | short)
                 .with_columns(short.alias("_short"), stopword_counts(pl.col("_p")).alias("_pc"),
                               stopword_counts(pl.col("_r")).alias("_rc"))
                 .with_columns(dominant(pl.col("_pc")).alias("_pd"),
                               dominant(pl.col("_rc")).alias("_rd"),
                               dominant(pl.col("_pc"), 1).alias("_pw"),
                               dominant(pl.col("_rc"), 1).alias("_rw")))
        pc, rc, pd, rd = pl.col("_pc"), pl.col("_rc"), pl.col("_pd"), pl.col("_rd")
        # agreed: the same winner, or one clear winner that also leads the other's (weak) profile
        agreed = ((pd == rd)
                  | ((pc.list.get(rd, null_on_oob=True) >= 1)
                     & (pc.list.get(rd, null_on_oob=True) == pc.list.max()))
                  | ((rc.list.get(pd, null_on_oob=True) >= 1)
                     & (rc.list.get(pd, null_on_oob=True) == rc.list.max()))).fill_null(False)
        # a short pair is open only when both profiles name a language, not the same one, and
        # neither text has a word of the other's language (code-switching: "Peux-tu expliquer
        # the retry policy ?")
        pw, rw = pl.col("_pw"), pl.col("_rw")
        short_open = ((pw != rw) & (pc.list.get(rw, null_on_oob=True) == 0)
                      & (rc.list.get(pw, null_on_oob=True) == 0)).fill_null(False)
        is_short = pl.col("_short")
        open_rows = prose.filter(pl.when(is_short).then(short_open).otherwise(~agreed)).select(
            ROW, "_p", "_r", "prompt", "system", is_short,
            language_code(pl.when(is_short).then(pl.col("_pw")).otherwise(pd)).alias("_pl"),
            language_code(pl.when(is_short).then(pl.col("_rw")).otherwise(rd)).alias("_rl"),
        ).collect()
        found = []
        prob = cfg["langid_min_prob"]
        short_chunk = max(3, cfg["mixed_chunk_words"] * 2 // 3)   # a one-line prompt's stretch
        for row, p, r, prompt, system, brief, p_lang, r_lang in open_rows.iter_rows():
            if _asked_language(prompt) or _asked_language(system):
                continue
            if brief:           # both profiles and langid must agree on both languages
                if (langid_language(r, prob) != r_lang or langid_language(p, prob) != p_lang
                        or _has_stretch_in(p, r_lang, short_chunk)):
                    continue
                found.append((row, "medium", 0.6, _mismatch(r_lang, p_lang, prompt, system)))
                continue
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
                              _mismatch(answer, asked_in[0], prompt, system)))
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
