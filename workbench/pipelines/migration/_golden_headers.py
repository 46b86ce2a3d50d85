"""Legacy column headers of the golden set, spelled the way old systems do: abbreviated stems
by domain and language (from the vocabulary, never the catalog's aliases), a table prefix,
upper snake / camel / PascalCase, the odd typo, a trailing digit or an opaque ``col7``."""
from __future__ import annotations

import random

from ._golden_gen import _ascii
from ._golden_values import UNKNOWN
from ._golden_vocab import vocab

_V = vocab()
_HEADERS, _UNKNOWN_HEADERS, _OPAQUE = (_V["header_stems"], _V["unknown_header_stems"],
                                       _V["opaque_headers"])
_MULTI = {"contact.phone", "contact.mobile", "contact.email", "address.street",
          "address.full_address", "general.note", "network.ip_address", "datetime.date"}
_STYLES = ["snake", "upper", "camel", "pascal", "flat", "flatup"]


def _styled(tokens: list[str], style: str) -> str:
    if style == "upper":
        return "_".join(t.upper() for t in tokens)
    if style == "camel":
        return tokens[0].lower() + "".join(t[:1].upper() + t[1:].lower() for t in tokens[1:])
    if style == "pascal":
        return "".join(t[:1].upper() + t[1:].lower() for t in tokens)
    if style == "flat":
        return "".join(t.lower() for t in tokens)
    if style == "flatup":
        return "".join(t.upper() for t in tokens)
    return "_".join(t.lower() for t in tokens)


def _typo(rng: random.Random, token: str) -> str:
    if len(token) < 5:
        return token
    i = rng.randrange(1, len(token) - 2)
    if rng.random() < 0.5:
        return token[:i] + token[i + 1:]
    return token[:i] + token[i + 1] + token[i] + token[i + 2:]


def _stems(domain: str, kind: str, lang: str) -> list[str]:
    if domain == UNKNOWN:
        return _UNKNOWN_HEADERS.get(kind, [kind.replace("_", " ")])
    by_lang = _HEADERS[domain]
    return by_lang.get(lang) or by_lang["en"]


def legacy_header(rng: random.Random, domain: str, kind: str, table: dict, index: int) -> str:
    """Return a legacy header of the ``index``-th column of ``table``, holding ``domain``."""
    if rng.random() < table["opaque"]:
        return rng.choice(_OPAQUE).format(k=index + 1 if rng.random() < 0.6 else
                                          rng.randint(1, 60))
    lang = table["lang"] if rng.random() < 0.75 else "en"
    tokens = rng.choice(_stems(domain, kind, lang)).split()
    if rng.random() < 0.06:
        j = rng.randrange(len(tokens))
        tokens[j] = _typo(rng, tokens[j])
    if table["prefix"] and rng.random() < 0.35:
        tokens = [table["prefix"], *tokens]
    style = table["style"] if rng.random() < 0.85 else rng.choice(_STYLES)
    text = _styled(tokens, style)
    if not any(ord(ch) > 127 for ch in text) or rng.random() < 0.7:
        text = _ascii(text)
    if rng.random() < (0.15 if domain in _MULTI else 0.04):
        digit = rng.choice("12")
        text += f"_{digit}" if style in ("snake", "upper") and rng.random() < 0.5 else digit
    return text
