"""Yes and no to the same thing: a statement affirmed after one answer word, negated after the other.

Plain Python over the few texts the ``consistency`` prefilter selects (both a sentence opening
with a yes-word and one opening with a no-word). The text is cut into *answer blocks*, each from
a sentence opening with an answer word to the next such sentence; a block's clauses holding a
negation give *negated predicates* (the first content words after the negation, or before it
when it ends the clause: German "unterstützt SSO nicht"). A negated predicate of a block of one
polarity whose words (crudely stemmed) all appear in a clause without negation of a block of
the other polarity is a contradiction. So "Yes, it is compatible. No, it is not compatible."
hits, while "Yes, it is free. No, you do not need an account." (two questions) does not.
"""
from __future__ import annotations

import re

YES_WORDS = ("yes", "yeah", "yep", "oui", "ja", "sí", "sim")
NO_WORDS = ("no", "nope", "non", "nein", "não")
# a sentence opening with an answer word followed by punctuation ("No, ...", "Yes." "Ja:")
_ANSWER = re.compile(r"(?:\A|(?<=[.!?\n]))\s*[\W_]{0,3}(?P<word>" +
                     "|".join(YES_WORDS + NO_WORDS) + r")[\s\"'»*]*[,.!:;—–-]", re.IGNORECASE)
_CLAUSE = re.compile(r"[.!?;:\n]+|,\s+(?:but|mais|aber|pero|however|though|sondern|sino)\b|"
                     r"\s+(?:but|mais|aber|pero|sondern|sino)\s+", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|ne|pas|jamais|nicht|kein\w*|nie|nunca|"
                       r"tampoco|não)\b|n['’]t\b|\bn['’]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# function words that say nothing about the predicate (copulas, auxiliaries, articles, pronouns)
_FUNCTION_WORDS = """
a an the it its it's this that these those is are was were be been being am do does did have has
had will would can could should may might must shall to of in on at for with by from as and or
so very fully really quite just also still yet all any some you your we our they their he she i
me my us them there here which who what then than too much more most less fully completely
totally entirely yes no not
le la les l un une des du de d est sont être été a ont il elle ils elles on nous vous je tu ce
cet cette ces c qui que qu en y et ou se s n ne pas plus très bien tout toute tous toutes
der die das den dem des ein eine einen einem einer ist sind war waren sein wird werden hat haben
es er sie wir ihr ich du man und oder zu mit von für auf in im am an nicht kein keine sehr ganz
vollständig auch noch schon
el la los las un una unos unas es son está están ser sido ha han hay lo le les se y o de del
al en con para por que muy totalmente completamente también no
"""
_FUNCTION = frozenset(_FUNCTION_WORDS.split())
_STEM = 6


def _stem(word: str) -> str:
    w = word.lower().strip("'’-")
    return w[:_STEM]


def _content(words: list[str]) -> list[str]:
    return [_stem(w) for w in words if w.lower() not in _FUNCTION and len(w) > 1]


_QUESTION = re.compile(r"[^.!?\n]*[?？]")


def _clauses(block: str) -> list[str]:
    """Return the statements of ``block``: questions ("Is it cheap?") affirm nothing."""
    return [c for c in _CLAUSE.split(_QUESTION.sub(" . ", block)) if c and c.strip()]


def _negated_predicate(clause: str) -> list[str] | None:
    """Return the stemmed content words the clause's negation applies to (None: no negation)."""
    neg = list(_NEGATION.finditer(clause))
    if not neg:
        return None
    after = _content(_WORD.findall(clause[neg[-1].end():]))[:2]
    if after:
        return after
    return _content(_WORD.findall(clause[:neg[0].start()]))[-3:] or None


def _blocks(text: str) -> list[tuple[bool, str]]:
    """Return ``(is_yes, text)`` of each answer block, in order."""
    marks = [(m.start(), m.end(), m.group("word").lower() in YES_WORDS)
             for m in _ANSWER.finditer(text)]
    out = []
    for i, (_, end, yes) in enumerate(marks):
        stop = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        out.append((yes, text[end:stop]))
    return out


def yes_no_conflicts(text: str) -> list[str]:
    """Return one message per statement affirmed under one answer and negated under the other.

    >>> yes_no_conflicts("Yes, the API is backward compatible. No, it is not backward compatible.")
    ['answers yes and no: a statement is both affirmed and negated']
    >>> yes_no_conflicts("Yes, it is free. No, you do not need an account.")
    []
    >>> yes_no_conflicts("Is it fast? Yes, it is fast. Is it cheap? No, it is not cheap.")
    []
    """
    blocks = _blocks(text)
    if {yes for yes, _ in blocks} != {True, False}:
        return []
    affirmed: dict[bool, list[set[str]]] = {True: [], False: []}
    negated: dict[bool, list[list[str]]] = {True: [], False: []}
    for yes, block in blocks:
        for clause in _clauses(block):
            pred = _negated_predicate(clause)
            if pred is None:
                affirmed[yes].append(set(_content(_WORD.findall(clause))))
            else:
                negated[yes].append(pred)
    for polarity in (True, False):
        for pred in negated[polarity]:
            if any(set(pred) <= words for words in affirmed[not polarity]):
                return ["answers yes and no: a statement is both affirmed and negated"]
    return []


def answer_opening(words: tuple[str, ...]) -> str:
    """Return the Polars (Rust) pattern of a sentence opening with one of ``words``."""
    return (r"(?i)(?:\A|[.!?\n])\s*[\W_]{0,3}(?:" + "|".join(words) +
            r")[\s\"'»*]*[,.!:;—–-]")
