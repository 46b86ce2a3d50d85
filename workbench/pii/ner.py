"""A small spaCy NER for person names in prose, trained by the project on generated sentences.

The model (``names_ner.bin`` next to this module, about 2 MB) is built by
``tests/data/pii/train_names.py`` from ``tests/data/pii/generate_names_train.py``; nothing is
downloaded. It is loaded lazily, only when
a text looks like prose and holds a capitalised word pair the rules left alone, and it runs on the
line around that pair only, so most texts never reach it.
"""
from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from pathlib import Path

from . import scanner
from .findings import Finding
from .names import NOT_NAMES

MODEL_PATH = Path(__file__).resolve().parent / "names_ner.bin"
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


def available() -> bool:
    """Return whether the name model is switched on and shipped, so it can be asked."""
    return enabled() and MODEL_PATH.exists()


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


def _segments(text: str, found: list[Finding]) -> list[tuple[int, str]]:
    """Return the prose lines that hold a capitalised candidate no finding covers yet."""
    out = []
    for line in _SEGMENT.finditer(text):
        seg = line.group()
        if len(seg) > 400 or len(_LOWER_WORD.findall(seg)) < 2:
            continue                                 # not prose: ids, JSON, key=value dumps
        for m in _CANDIDATE.finditer(seg):
            s, e = line.start() + m.start(), line.start() + m.end()
            words = [w.strip(".,'’").lower() for w in m.group().split()]
            if all(w in NOT_NAMES for w in words) or not _uncovered(s, e, found):
                continue
            out.append((line.start(), seg))
            break
    return out


def names(text: str, found: list[Finding]) -> list[Finding]:
    """Return PERSON findings the model adds to ``found`` (none when it is off or absent)."""
    segments = _segments(text, found)
    if not segments or not enabled():
        return []
    nlp = model()
    if nlp is None:
        return []
    ner_pipe = nlp.get_pipe("ner")
    out = []
    for offset, seg in segments:
        doc = ner_pipe(nlp.make_doc(seg))          # one short line: skip nlp.pipe's batching
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            tokens = list(ent)
            while tokens and not _name_word(tokens[-1].text):  # "Ana Souza got" -> "Ana Souza"
                tokens.pop()
            if not tokens:
                continue
            s, e = offset + tokens[0].idx, offset + tokens[-1].idx + len(tokens[-1].text)
            if _plausible(text[s:e]) and _uncovered(s, e, found):
                out.append(Finding("PERSON", s, e, 0.55, "name_model"))
    return out


def _name_word(word: str) -> bool:
    return word[:1].isupper() or word.lower() in scanner._PARTICLE_SET


def _plausible(value: str) -> bool:
    """Return True when a model span passes the rules' negative checks for names.

    Single words are left out: alone, a capitalised word is a sentence start or a product
    more often than a surname, and the rules already take single names after strong cues.
    """
    words = value.split()
    if not 2 <= len(words) <= 5 or any(c.isdigit() or c in "@/=_" for c in value):
        return False
    if not value[:1].isupper():
        return False
    # every word capitalised, or a particle (van, de, …): "Pharmaceuticals got" is no name
    if not all(_name_word(w) for w in words):
        return False
    if any(w.strip(".,'’").lower() in NOT_NAMES for w in words
           if not (len(w) == 2 and w[1] == ".")):
        return False
    return not (scanner.WEAK_CUES["model_org_words"] and scanner.org_like(words))
