"""Two small spaCy NERs for names and places in prose, trained by the project on generated text.

- ``names_ner.bin`` (PERSON, about 2 MB), built by ``tests/data/pii/train_names.py`` from
  ``tests/data/pii/generate_names_train.py``: read on lines holding a capitalised word pair the
  rules left alone.
- ``prose_ner.bin`` (PERSON and LOC, about 2 MB), built by ``benchmarks/pii_train_prose.py``
  from its own sentences plus the first generator's (places relabelled as LOC): read on every
  line that reads as prose and holds something only a model can judge (a capitalised word inside
  a sentence, a possessive, a lower-case chat line with a chat cue), and on the lines above.

Their PERSON spans are united (each misses names the other finds); LOC spans become LOCATION.
Nothing is downloaded. Both load lazily, once, on the first line that needs them, and read only
such lines (``names_many`` gives them all such lines of a batch of texts at once), so log lines,
JSON and key=value dumps never reach them. A line written in lower case is read only when it
holds a word that is not an everyday English word (``names.COMMON_WORDS``).
"""
from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from pathlib import Path

from . import scanner
from .findings import Finding
from .names import COMMON_WORDS, FIRST_NAMES, NOT_NAMES, words

MODEL_PATH = Path(__file__).resolve().parent / "names_ner.bin"
PROSE_MODEL_PATH = Path(__file__).resolve().parent / "prose_ner.bin"
# a small CNN tok2vec under the transition-based NER: about 1 MB of weights
NER_CONFIG = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 64,
        "maxout_pieces": 2,
        "use_upper": True,
        "nO": None,
        "tok2vec": {
            "@architectures": "spacy.HashEmbedCNN.v2",
            "pretrained_vectors": None,
            "width": 64,
            "depth": 3,
            "embed_size": 2000,
            "window_size": 1,
            "maxout_pieces": 3,
            "subword_features": True,
        },
    },
}
_lock = threading.Lock()


def build_nlp():
    """Return a blank English pipeline with an untrained ``ner`` of the shipped shape."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("ner", config=NER_CONFIG)
    return nlp


@lru_cache(maxsize=1)
def model():
    """Return the shipped name model, loaded once (None when the file is absent)."""
    if not MODEL_PATH.exists():
        return None
    with _lock:
        nlp = build_nlp()
        nlp.from_bytes(MODEL_PATH.read_bytes())
        return nlp


@lru_cache(maxsize=1)
def prose_model():
    """Return the shipped prose model (PERSON and LOC), loaded once (None when absent)."""
    if not PROSE_MODEL_PATH.exists():
        return None
    with _lock:
        nlp = build_nlp()
        nlp.from_bytes(PROSE_MODEL_PATH.read_bytes())
        return nlp


def available() -> bool:
    """Return whether the name model is switched on and shipped, so it can be asked."""
    return enabled() and (MODEL_PATH.exists() or PROSE_MODEL_PATH.exists())


def enabled() -> bool:
    """Return whether the name model runs (``WORKBENCH_PII_NAME_MODEL=0`` turns it off)."""
    return os.environ.get("WORKBENCH_PII_NAME_MODEL", "1") not in ("0", "off", "false", "no")


_UP, _LO = "A-ZÀ-ÖØ-ÞĀ-ſȘ-ț", "a-zß-öø-ÿĀ-ſȘ-ț"
_CAP = rf"[{_UP}](?:[{_LO}]+|')[{_UP}{_LO}'’\-]*"
# a capitalised word pair (an initial may stand between or before): the model's spans are kept
# only when they hold two words, so a text without such a pair never needs the model
_CANDIDATE = re.compile(rf"(?<![\w@./\-])(?:[{_UP}]\.[ \t]+)?{_CAP}(?:[ \t]+(?:[{_UP}]\.[ \t]+)?"
                        rf"{_CAP})+(?![\w@/\-])")
_LOWER_WORD = re.compile(rf"(?<![\w@./=\-])[{_LO}]{{2,}}(?![\w@/=\-])")
_SEGMENT = re.compile(r"[^\n]+")


def _uncovered(s: int, e: int, found: list[Finding]) -> bool:
    return all(e <= f.start or s >= f.end for f in found)


# a line reads as prose when most of its tokens are plain words (no key=value, JSON, paths)
_TOKEN = re.compile(r"\S+")
_PLAIN = re.compile(rf"[\"'(\[]?[{_UP}{_LO}][{_LO}'’\-]*[.,!?;:)\]\"']*")
_NOT_PROSE = re.compile(r"=|\{|\":|</|://|\[\d|^\s*[\w.\-]+\s*:\s*\S+$")


def prose_like(seg: str) -> bool:
    """Return True for a line of sentences: at least 3 tokens, 70 % of them plain words."""
    toks = _TOKEN.findall(seg)
    if len(toks) < 3 or _NOT_PROSE.search(seg):
        return False
    return sum(1 for t in toks if _PLAIN.fullmatch(t)) >= 0.7 * len(toks)


_CAP_WORD = re.compile(rf"(?<![\w@./\-])(?:Ma?c)?[{_UP}][{_LO}]+(?:['’\-][{_UP}]?[{_LO}]+)*(?![\w@/\-])")
_CHAT_CUE = re.compile(r"\b(?:omg|lol|hey|hi|hello|ping|cc|thanks|thx|ty|talked|told|ask|tell|"
                       r"with|me and|and|to|dm|call|met|saw|via|from|for|@)\b")
_POSSESSIVE = re.compile(r"\w['’]s\b")
_AFTER_PARTICLE = re.compile(r"\b(?:" + scanner._PARTICLES[3:-1] + r")[ \t]+$")
_LOWER_NAME_WORD = re.compile(rf"(?<![\w@./=\-])[{_LO}][{_LO}'’\-]{{2,}}(?![\w@/=\-])")
# what stands right before a one-word name on a lower-case line: a chat cue or an introduction
_LOWER_CUE_BEFORE = re.compile(r"(?:^|[\s,(])(?:" + scanner.CHAT_CUES +
                               r"|omg|lol|btw|fyi|this is|i'm|i’m|im|i am|my name is|name is|named|me and)"
                               r"[ \t,]*$")


def _opportunity(seg: str, offset: int, found: list[Finding]) -> bool:
    """Return True when a prose line holds something only the model can judge.

    A capitalised word inside a sentence that no rule covered and no list calls a common word
    (an everyday word only after a particle: ``Barnaby de Wit``), a possessive, or (on a lower-case chat line) a chat cue word and a word that is not an
    everyday English word (``COMMON_WORDS``): a lower-case line of everyday words holds no name
    the model may report (``_plausible``), so the model is not asked.
    """
    for m in _CAP_WORD.finditer(seg):
        w = m.group().lower()
        if w in NOT_NAMES or w in scanner.ORG_WORDS or w in _NOT_PLACES or \
                w in scanner.NOT_FIRST or scanner._sentence_start(seg, m.start()) or \
                w in COMMON_WORDS and not _AFTER_PARTICLE.search(seg, 0, m.start()):
            continue
        if _uncovered(offset + m.start(), offset + m.end(), found):
            return True
    if _POSSESSIVE.search(seg):
        return True
    return seg.lower() == seg and bool(_CHAT_CUE.search(seg)) and any(
        w not in COMMON_WORDS for w in _LOWER_NAME_WORD.findall(seg))


def _segments(text: str, found: list[Finding]) -> list[tuple[int, str, list, bool]]:
    """Return ``(offset, line, pairs, is_prose)`` for the lines the models should read.

    The name model reads a line that holds capitalised word pairs no finding covers yet
    (``pairs``, spans in the line); the prose
    model reads a line that reads as prose (``prose_like``) and holds such a pair or something
    else only a model can judge (``_opportunity``).
    """
    out = []
    for line in _SEGMENT.finditer(text):
        seg = line.group()
        if len(seg) > 400 or len(_LOWER_WORD.findall(seg)) < 2:
            continue                                 # not prose: ids, JSON, key=value dumps
        pairs = []
        for m in _CANDIDATE.finditer(seg):
            s, e = line.start() + m.start(), line.start() + m.end()
            words = [w.strip(".,'’").lower() for w in m.group().split()]
            if all(w in NOT_NAMES for w in words) or scanner.org_like(words) or \
                    not _uncovered(s, e, found):
                continue
            pairs.append((m.start(), m.end()))
        prose = prose_like(seg) and (bool(pairs) or _opportunity(seg, line.start(), found))
        if pairs or prose:
            out.append((line.start(), seg, pairs, prose))
    return out


def names(text: str, found: list[Finding]) -> list[Finding]:
    """Return PERSON and LOCATION findings the model adds to ``found`` (none when it is off).

    Texts the cheap trigger (``scanner.TRIGGER``) rejects are not read, so ``mask_frame``'s
    vectorized prefilter never drops a value the model would have masked.
    """
    return names_many([text], [found])[0]


def names_many(texts: list[str], founds: list[list[Finding]]) -> list[list[Finding]]:
    """Return ``names(text, found)`` for each text, with each model run once over all their lines.

    The same findings as one call a text; batching the lines (``nlp.pipe``) spreads the models'
    per-call cost, which is most of their time on short lines.
    """
    if not enabled():
        return [[] for _ in texts]
    plans = [_segments(text, found) if scanner._QUICK_ANCHOR(text) or
             scanner._TRIGGER.search(text) else [] for text, found in zip(texts, founds,
                                                                        strict=True)]
    prose_lines = [seg for plan in plans for _, seg, _, prose in plan if prose]
    pair_lines = [seg for plan in plans for _, seg, pairs, _ in plan if pairs]
    # the name model reads every line with a pair: each model finds names the other misses
    prose_ents = iter(_run(prose_model, prose_lines))
    pair_ents = iter(_run(model, pair_lines))
    out = []
    for text, found, plan in zip(texts, founds, plans, strict=True):
        res: list[Finding] = []
        for offset, seg, pairs, prose in plan:
            ents = (next(prose_ents) if prose else []) + (next(pair_ents) if pairs else [])
            _keep(text, found, res, offset, seg, ents)
        out.append(res)
    return out


def _run(load, lines: list[str]) -> list[list]:
    """Return the entity spans a model (loaded by ``load`` only when there are lines) marks."""
    nlp = load() if lines else None
    if nlp is None:
        return [[] for _ in lines]
    ner = nlp.get_pipe("ner")
    if len(lines) == 1:                              # one short line: skip nlp.pipe's batching
        return [list(ner(nlp.make_doc(lines[0])).ents)]
    return [list(doc.ents) for doc in ner.pipe((nlp.make_doc(x) for x in lines),
                                               batch_size=256)]


def _keep(text: str, found: list[Finding], out: list[Finding], offset: int, seg: str,
          ents: list) -> None:
    """Add to ``out`` the model spans of one line that pass the rules' checks."""
    lower_line = seg.lower() == seg
    for ent in ents:
        if ent.label_ == "LOC":
            s, e = offset + ent.start_char, offset + ent.end_char
            if _place_plausible(text[s:e]) and not _label_like(seg, e - offset) and \
                    _uncovered(s, e, found) and _uncovered(s, e, out):
                out.append(Finding("LOCATION", s, e, 0.5, "location_model"))
            continue
        if ent.label_ != "PERSON":
            continue
        tokens = list(ent)
        while tokens and (tokens[0].lower_ in _OPENERS or len(tokens) > 1 and len(
                tokens[0].text) > 5 and tokens[0].lower_.endswith("ing")):
            tokens.pop(0)                           # "Looks like Ana Souza", "Routing Bangalore"
        while tokens and tokens[-1].text in ("'s", "’s", "'", "’"):
            tokens.pop()
        while tokens and not (_name_word(tokens[-1].text) or lower_line):
            tokens.pop()                            # "Ana Souza got" -> "Ana Souza"
        if lower_line:                              # "omg wendelin okafor just" -> the name
            while tokens and tokens[0].lower_ in COMMON_WORDS:
                tokens.pop(0)
            while tokens and tokens[-1].lower_ in COMMON_WORDS and not (
                    len(tokens) > 2 and tokens[-2].lower_ in scanner._PARTICLE_SET):
                tokens.pop()                        # "… van dam" keeps its surname
        if not tokens:
            continue
        s, e = offset + tokens[0].idx, offset + tokens[-1].idx + len(tokens[-1].text)
        if len(tokens) == 1 and not (_lower_cue(seg, s - offset) if lower_line else
                                     _lone_word_ok(seg, s - offset, e - offset)):
            continue
        s, e = _whole_words(text, s, e)             # "-emberley" -> "shostakovich-emberley"
        if not text[s:e][:1].isalpha():
            continue
        if _plausible(text[s:e], lower_line, seg, s - offset) and _uncovered(s, e, found) \
                and _uncovered(s, e, out) and not _label_like(seg, e - offset):
            out.append(Finding("PERSON", s, e, 0.55, "name_model"))


# words that open a sentence before a name and are never part of it
_OPENERS = words("""looks look like seems seem apparently turns out i think not sure if
yesterday today tonight tomorrow this morning afternoon evening according to unfortunately sadly
honestly maybe also update fyi note btw ps so well then and but per ok okay yes no hey hi hello
dear thanks cc""")
_NOT_PLACES = words("""monday tuesday wednesday thursday friday saturday sunday january
february march april may june july august september october november december today tomorrow
mon tue tues wed thu thur thurs fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec""")


_NEIGHBOUR_CAP = re.compile(rf"[{_UP}][{_LO}]")


def _lone_word_ok(seg: str, s: int, e: int) -> bool:
    """Return True when a one-word model span may be a name on its own.

    Only on a prose line, not in capitals (``SSN``, ``GMT``), and with no capitalised word right
    before or after it: a lone word inside a capitalised phrase (``Santa Monica``, ``Lakeside
    Clinic``, ``Stuck In Traffic``) is a piece of a place, company or title, not a name.
    """
    word = seg[s:e]
    if word.isupper() or not prose_like(seg):
        return False
    before = seg[max(0, s - 40):s].rstrip().split()
    after = seg[e:e + 40].split()
    prev = before[-1] if before else ""
    nxt = after[0] if after else ""
    return not (_NEIGHBOUR_CAP.match(prev) and not prev.endswith((".", ",", ":", ";", "!", "?"))
                and prev.rstrip(".").lower() not in scanner._TITLES
                or _NEIGHBOUR_CAP.match(nxt) and not word.endswith((",", ";")))


def _whole_words(text: str, s: int, e: int) -> tuple[int, int]:
    """Return ``(s, e)`` widened to whole hyphenated words: ``-emberley`` -> ``shostakovich-emberley``."""
    while s > 0 and (text[s - 1].isalpha() or text[s - 1] == "-" and s > 1 and
                     text[s - 2].isalpha()):
        s -= 1
    while e < len(text) and (text[e].isalpha() or text[e] == "-" and e + 1 < len(text) and
                             text[e + 1].isalpha()):
        e += 1
    return s, e


def _lower_cue(seg: str, s: int) -> bool:
    """Return True when a chat cue or an introduction stands right before ``s`` (``ping kavya``).

    On a line written in lower case there is no capital to go by, so a one-word name needs one:
    ``mail from …`` opens a log line, not a message to someone called Mail.
    """
    return bool(_LOWER_CUE_BEFORE.search(seg, max(0, s - 24), s))


def _label_like(seg: str, end: int) -> bool:
    """Return True when a span ends right before a colon: a label or heading (``Lieferadresse:``)."""
    return seg[end:end + 2].lstrip(" ").startswith(":")


def _place_plausible(value: str) -> bool:
    """Return True for a model LOC span shaped like a place name (capitalised, no digits)."""
    words = value.split()
    if not 1 <= len(words) <= 4 or any(c.isdigit() or c in "@/=_" for c in value):
        return False
    lowers = [w for w in words if w[:1].islower() and w not in ("de", "la", "le", "del", "do",
                                                                  "da", "upon", "on", "am", "an")]
    if len(words) == 1 and value.strip(".,").lower() in COMMON_WORDS:
        return False                                # "Sort by …", "Reading the logs": words
    return value[:1].isupper() and not lowers and not value.isupper() and not any(
        w.strip(".,").lower() in _NOT_PLACES for w in words)


def _name_word(word: str) -> bool:
    return word[:1].isupper() or word.lower() in scanner._PARTICLE_SET


def _plausible(value: str, lower_line: bool = False, seg: str = "", pos: int = 0) -> bool:
    """Return True when a model span passes the rules' negative checks for names.

    Two to five capitalised words (or particles) pass unless every word is an everyday English
    word (``Signup Date``, ``Order Date``; a known given name first still passes). A single word
    passes when it is capitalised, not an everyday word and does not open the sentence (``I told
    Nikola``; a sentence start is too often a product or a heading). On a line written all in
    lower case (chat) no word of the span may be an everyday word (``mail``, ``backup``,
    ``yesterday``); particles inside a name (``van``, ``de``) are allowed.
    """
    words = value.split()
    if not 1 <= len(words) <= 5 or any(c.isdigit() or c in "@/=_" for c in value):
        return False
    lw = [w.strip(".,'’").lower() for w in words]
    if lw[-1] in scanner._PARTICLE_SET:
        return False                                # "Adresse de": a name ends in a name
    if lower_line:
        after_particle = len(lw) > 2 and lw[-2] in scanner._PARTICLE_SET
        return len(words) <= 4 and all(
            w not in NOT_NAMES and w not in scanner._CHAT_NOT_NAMES and len(w) > 2
            and w.replace("-", "").isalpha() for w in lw[:1] + lw[-1:]
        ) and lw[0] not in COMMON_WORDS and (after_particle or lw[-1] not in COMMON_WORDS) and all(
            w in scanner._PARTICLE_SET or w not in COMMON_WORDS for w in lw[1:-1])
    if not value[:1].isupper():
        return False
    if len(words) == 1:
        if lw[0] in NOT_NAMES or lw[0] in scanner.ORG_WORDS or lw[0] in scanner.places.CITIES or \
                lw[0] in COMMON_WORDS:
            return False
        return not scanner._sentence_start(seg, pos) if seg else False
    # every word capitalised, or a particle (van, de, …): "Pharmaceuticals got" is no name
    if not all(_name_word(w) for w in words):
        return False
    if any(w in NOT_NAMES for w, raw in zip(lw, words, strict=True)
           if not (len(raw) == 2 and raw[1] == ".")):
        return False
    if lw[0] not in FIRST_NAMES and all(w in COMMON_WORDS or w in scanner._PARTICLE_SET
                                        for w, raw in zip(lw, words, strict=True)
                                        if not (len(raw) == 2 and raw[1] == ".")):
        return False                                # "Signup Date", "Running Late"
    return not (scanner.WEAK_CUES["model_org_words"] and scanner.org_like(words))
