"""National identification numbers (type ``NATIONAL_ID``): shapes, cue words and check digits.

A value is taken when its check digit is right (``validators``) and either its shape is
distinctive enough to stand alone (letters in fixed places, or a fixed punctuation such as the
Brazilian CPF ``123.456.789-09``) or a cue word (``NHS number``, ``PESEL``, ``Steuer-ID``, …)
stands a few words before it. Bare digit strings need the cue: about one random number in ten
passes a mod-10 or mod-11 check, so the check alone would mask order numbers.
"""
from __future__ import annotations

import re

from . import validators as v
from .trie import trie_pattern

NATIONAL_ID = "NATIONAL_ID"

# cue words and labels that introduce a national identifier (several languages)
_CUE = re.compile(
    r"(?i)(?:\bnhs(?:[ \t]*(?:no|num|number|nr))?|national[ \t]+insurance(?:[ \t]+(?:no|number))?|"
    r"\bni[ \t]+(?:no|number)|\bnino|\bdni|\bnie|\bnif|codice[ \t]+fiscale|\bc\.f\.|\bbsn|"
    r"burgerservicenummer|\bpesel|personnummer|personal[ \t]+(?:identity[ \t]+)?number|\bhetu|"
    r"henkil[öo]tunnus|rijksregisternummer|num[ée]ro[ \t]+national|social[ \t]+insurance"
    r"(?:[ \t]+(?:no|number))?|\bsin\b|aadhaa?r(?:[ \t]+(?:no|number))?|\bcpf|steuer[ \-]?id"
    r"(?:nr)?|steueridentifikationsnummer|identifikationsnummer|tax[ \t]+file[ \t]+number|"
    r"\btfn|tax[ \t]+id(?:entification)?(?:[ \t]+number)?|\btin\b|national[ \t]+id(?:entity)?"
    r"(?:[ \t]+(?:no|number|card))?|s[ée]curit[ée][ \t]+sociale|\bnir\b|\binsee|passport"
    r"(?:[ \t]+(?:no|number))?|id[ \t]+(?:card[ \t]+)?(?:no|number))"
    r"\.?[ \t]*(?:#|no\.?|nr\.?|number)?[ \t]*[:=]?[ \t]*[\"']?$")

# shapes that carry their own structure: taken with a right check digit, no cue needed
_SHAPED = re.compile(
    r"(?=[A-Z\d])(?<![\w\-.])(?:"
    r"(?P<cf>[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z])"                 # IT codice fiscale
    r"|(?P<dni>[XYZ]?\d{7,8}-?[A-Z])"                                           # ES DNI / NIE
    r"|(?P<nino>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] \d\d \d\d \d\d [A-D])"     # UK NINO, spaced
    r"|(?P<hetu>\d{6}[\-+A]\d{3}[0-9A-Y])"                                      # FI henkilötunnus
    r"|(?P<cpf>\d{3}\.\d{3}\.\d{3}-\d{2})"                                      # BR CPF
    r"|(?P<be>\d\d\.\d\d\.\d\d-\d{3}\.\d\d)"                                    # BE national no.
    r"|(?P<nir>[1278] \d\d \d\d \d\d \d{3} \d{3} \d\d)"                         # FR NIR, spaced
    r")(?![\w\-]|\.\d)")
# any other candidate: digits in groups (or a compact NINO) after a cue word
_AFTER_CUE = re.compile(r"(?<![\w\-.])(?:[A-Z]{2}\d{6}[A-D]|\d[\d .\-]{7,20}\d)(?![\w\-]|\.\d)")
_SEP = re.compile(r"[ .\-]")


def shaped_ok(kind: str, value: str) -> bool:
    """Return True when a value of one of the self-describing shapes has a right check."""
    if kind == "cf":
        return v.it_cf_ok(value)
    if kind == "dni":
        return v.es_dni_ok(value)
    if kind == "nino":
        return v.uk_nino_ok(value)
    if kind == "hetu":
        return v.fi_hetu_ok(value)
    compact = _SEP.sub("", value)
    if kind == "cpf":
        return v.br_cpf_ok(compact)
    if kind == "be":
        return v.be_nn_ok(compact)
    return v.fr_nir_ok(compact)


def value_ok(value: str) -> bool:
    """Return True when a value (under an ID key or after a cue) is some national identifier."""
    val = value.strip().upper()
    compact = _SEP.sub("", val)
    if compact.isdigit():
        return v.national_digits_ok(compact)
    m = _SHAPED.fullmatch(val)
    if m:
        return shaped_ok(m.lastgroup, m.group())
    return v.uk_nino_ok(compact) or v.es_dni_ok(compact) or v.it_cf_ok(compact) or \
        v.fi_hetu_ok(val)


# a cheap test before the cue search: some cue word stem occurs in the lower-cased text
_CUE_STEMS = ("nhs", "insurance", "nino", "dni", "nie", "nif", "fiscale", "c.f.", "bsn",
              "burgerservice", "pesel", "personnummer", "personal", "hetu", "henkil",
              "rijksregister", "national", "social", "sin", "aadha", "cpf", "steuer",
              "identifikation", "tax", "tfn", "tin", "curit", "nir", "insee", "passport",
              "id no", "id number", "id card")


_CUE_STEM = re.compile(trie_pattern(sorted(_CUE_STEMS)))


def find(text: str, out: list, add) -> None:
    """Append NATIONAL_ID findings of ``text`` to ``out`` through ``add(out, type, s, e, score, rec)``."""
    for m in _SHAPED.finditer(text):
        if shaped_ok(m.lastgroup, m.group()):
            add(out, NATIONAL_ID, m.start(), m.end(), 0.95, f"national_id_{m.lastgroup}")
    if not _CUE_STEM.search(text.lower()):
        return
    for m in _AFTER_CUE.finditer(text):
        val = m.group()
        # a phone number after "no." is not an identifier: one group of digits or fixed groups
        if _CUE.search(text, max(0, m.start() - 40), m.start()) and value_ok(val):
            add(out, NATIONAL_ID, m.start(), m.end(), 0.9, "national_id_cue")
