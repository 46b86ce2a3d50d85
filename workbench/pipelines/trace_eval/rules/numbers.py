"""Numbers that disagree inside one text: wrong arithmetic, totals, one quantity two values.

Plain Python over the few candidate texts the ``consistency`` prefilters select. The messages
say what disagrees and the figures involved (numbers are not PII here), never the text.
"""
from __future__ import annotations

import re

_NUM = r"[$€£]?\d(?:[\d,.]*\d)?"
_ARITH = re.compile(rf"(?P<lhs>{_NUM}\s*(?:[+\-−–×x*/÷]\s*{_NUM}\s*)+)="
                    rf"\s*(?:(?:a |en |im )?(?:total|gesamt|summe)(?: of| de| von)?:?\s*)?"
                    rf"(?P<rhs>[-−]?{_NUM})")
_TOKENS = re.compile(rf"{_NUM}|[+\-−–×x*/÷]")
_TOTAL = re.compile(r"(?i)\b(?:grand total|total|sum|gesamt\w*|summe|insgesamt|somme|suma|"
                    r"totale)\b")
_APPROX = re.compile(r"(?i)[^\d]{0,12}(?:about|around|approx\w*|roughly|nearly|almost|~|≈|ca\.|"
                     r"circa|environ|près de|etwa|ungefähr|rund|unos|aproximadamente|casi)")
_MARKER = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+")
_LINE_NUM = re.compile(_NUM)
_QUANTITY = re.compile(
    r"(?i)(?P<key>(?:[^\W\d_][\w\-]*\s+){0,2}[^\W\d_][\w\-]*)\s+"
    r"(?:is|are|was|were|equals|comes to|ist|beträgt|sind|est de|est|sont|es de|es|son)\s+"
    r"(?P<approx>about |around |approximately |roughly |environ |etwa |ca\. |unos )?"
    rf"(?P<val>{_NUM})\s*(?P<unit>%|[^\W\d_]+)?(?P<after>\s+\w+)?")
_ARTICLES = {"the", "a", "an", "le", "la", "les", "l", "der", "die", "das", "el", "los", "las",
             "this", "that", "its", "their", "our", "your", "my"}
_GENERIC = {"it", "this", "that", "there", "which", "what", "result", "step", "option",
            "number", "value", "one", "here", "who", "he", "she", "they", "we", "you", "i",
            "es", "il", "elle", "er", "sie", "c", "ce", "cela", "esto", "eso", "x", "y", "n"}
_QUALIFIER = {"for", "per", "in", "on", "at", "if", "when", "after", "before", "during",
              "each", "every", "a", "an", "pour", "par", "en", "für", "pro", "im", "para", "por",
              "cada", "and", "or", "versus", "vs", "compared", "than"}


_DIGIT = re.compile(r"\d")
_CONDITIONS = {"in", "for", "at", "on", "during", "after", "before", "if", "when", "unless",
               "en", "pour", "pendant", "après", "avant", "si", "im", "für", "nach", "vor", "wenn",
               "falls", "para", "durante", "después", "antes", "cuando"}


def parse_number(token: str, dot_thousands: bool = False) -> float | None:
    """Return the value of ``token`` ($1,234.50, 3,5, 1.234,5) or None.

    >>> parse_number("$1,234.50"), parse_number("3,5"), parse_number("1.234,5")
    (1234.5, 3.5, 1234.5)
    """
    t = token.strip().lstrip("$€£").rstrip(".,")
    if not t:
        return None
    if "," in t and "." in t:
        t = t.replace(",", "") if t.rfind(".") > t.rfind(",") else t.replace(".", "").replace(
            ",", ".")
    elif "," in t:
        head, _, tail = t.rpartition(",")
        t = t.replace(",", "") if len(tail) == 3 and head else t.replace(",", ".")
    elif t.count(".") > 1 or (dot_thousands and re.fullmatch(r"\d{1,3}\.\d{3}", t)):
        t = t.replace(".", "")
    try:
        return float(t)
    except ValueError:
        return None


def _decimals(token: str) -> int:
    t = token.strip().rstrip(".,")
    m = re.search(r"[.,](\d{1,2})$", t)
    return len(m.group(1)) if m else 0


def _close(value: float, stated: float, token: str) -> bool:
    return abs(value - stated) <= 0.5 * 10 ** -_decimals(token) + 0.001 * abs(stated) + 1e-9


def _evaluate(lhs: str) -> float | None:
    tokens = _TOKENS.findall(lhs)
    terms: list[float] = []
    sign, product, op = 1.0, None, None
    for tok in tokens:
        if tok in "+-−–":
            terms.append(sign * product if product is not None else 0.0)
            sign, product, op = (-1.0 if tok in "-−–" else 1.0), None, None
        elif tok in "×x*/÷":
            op = tok
        else:
            n = parse_number(tok)
            if n is None:
                return None
            if product is None:
                product = n
            elif op in ("/", "÷"):
                if n == 0:
                    return None
                product /= n
            else:
                product *= n
    if product is None:
        return None
    return sum(terms) + sign * product


def arithmetic_errors(text: str) -> list[str]:
    """Return one message per written calculation whose result is wrong.

    >>> arithmetic_errors("So 3 + 4 = 9 items.")
    ['3 + 4 is 7, the text says 9']
    """
    out = []
    for m in _ARITH.finditer(text):
        before = text[max(0, m.start() - 3):m.start()]
        after = text[m.end():m.end() + 3].lstrip()
        if (before[-1:].isalnum() or before[-1:] in "._" or before.rstrip()[-1:] in "+-−–*/×=^("
                or after[:1] in ("+", "-", "*", "/", "×", "^")):
            continue                                # part of a longer or symbolic expression
        value, stated = _evaluate(m.group("lhs")), parse_number(m.group("rhs"))
        if value is None or stated is None or _close(value, stated, m.group("rhs")):
            continue
        lhs = " ".join(_shown(t) if t[0].isdigit() or t[0] in "$€£" else t
                       for t in _TOKENS.findall(m.group("lhs")))
        out.append(f"{lhs} is {value:.10g}, the text says {_shown(m.group('rhs'))}")
    return out


def _last_number(line: str) -> str | None:
    tokens = _LINE_NUM.findall(_MARKER.sub("", line, count=1))
    return tokens[-1] if tokens and parse_number(tokens[-1]) is not None else None


def _sums_agree(items: list[str], total: str) -> bool:
    """Return True when the items add up to the total, read with '.' as decimal or thousands."""
    for dots in (False, True):
        values = [parse_number(t, dots) for t in items]
        stated = parse_number(total, dots)
        if stated is not None and None not in values and _close(sum(values), stated, total):
            return True
    return False


def _inline_items(before: str) -> list[str]:
    """Return the figures a total on the same line adds up: results of calculations, or parts.

    ``before`` is the paragraph up to the total's keyword: the results of its written
    calculations (``2 x $5 = $10; 3 x $4 = $12``), else the last figure of each ``;``-separated
    part, nearest first, as long as every part has one.

    >>> _inline_items("Cart: 2 x $5.00 = $10.00; 3 x $4.00 = $12.00. ")
    ['$10.00', '$12.00']
    >>> _inline_items("hosting $120; support $80, ")
    ['$120', '$80']
    """
    results = [m.group("rhs") for m in _ARITH.finditer(before)]
    if len(results) >= 2:
        return results
    parts: list[str] = []
    for part in reversed(before.split(";")):
        found = _last_number(part)
        if found is None:
            break
        parts.append(found)
    return parts[::-1] if len(parts) >= 2 else []


def _agrees(items: list[str], total: str) -> bool:
    """Return True when the items, or the last two or more of them, add up to the total.

    Inline, the first calculations may be about something else ("5 days; 2 x $4 = $8").
    """
    return any(_sums_agree(items[i:], total) for i in range(len(items) - 1))


def _added(items: list[str], total: str) -> float:
    dots = any(re.fullmatch(r"\d{1,3}\.\d{3}", t.lstrip("$€£")) for t in [*items, total])
    return sum(parse_number(t, dots) or 0.0 for t in items)


def total_errors(text: str) -> list[str]:
    """Return one message per stated total that differs from the sum of its items.

    The items are the last figures of the lines just above the total (a list or a table), or,
    for a total inside a paragraph, the results of the calculations (or ``;``-separated parts)
    before it in that paragraph. An approximate total ("about 20") is not checked.

    >>> total_errors("- apples: 3\\n- pears: 4\\nTotal: 9")
    ['items sum to 7, the stated total is 9']
    >>> total_errors("2 x $5.00 = $10.00; 1 x $4.00 = $4.00. Total: $16.00.")
    ['items sum to 14, the stated total is $16.00']
    """
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        if not _TOTAL.search(line):
            continue
        keyword = list(_TOTAL.finditer(line))[-1]
        rest = line[keyword.end():]
        total = _last_number(rest)
        if total is None or _APPROX.match(rest):
            continue
        items: list[str] = []
        for above in reversed(lines[:i]):
            if not above.strip() or set(above.strip()) <= set("|-: "):
                if items or not above.strip():
                    break
                continue                            # a table's separator row
            if _TOTAL.search(above):
                break
            found = _last_number(above)
            if found is None:
                break
            items.append(found)
        agree = _sums_agree
        if len(items) < 2:                          # a total inside the paragraph
            first = _LINE_NUM.search(rest)
            total = first.group(0) if first and parse_number(first.group(0)) is not None \
                else total
            items, agree = _inline_items(line[:keyword.start()])[::-1], _agrees
        if len(items) >= 2 and not agree(items[::-1], total):
            out.append(f"items sum to {_added(items, total):.10g}, the stated total is "
                       f"{_shown(total)}")
    return out


def _key(raw: str) -> str | None:
    words = raw.lower().split()
    cut = max((i + 1 for i, w in enumerate(words) if w in _ARTICLES), default=0)
    words = words[cut:]                             # the noun phrase an article opens
    return " ".join(words) if words and not set(words) <= _GENERIC else None


def quantity_conflicts(text: str) -> list[str]:
    """Return one message per quantity stated with two different values.

    >>> quantity_conflicts("The fee is 30 EUR. Later: the fee is 45 EUR.")
    ['one quantity is stated as 30 and as 45']
    """
    seen: dict[tuple[str, str], tuple[float, str, bool]] = {}
    out = []
    for m in _QUANTITY.finditer(text):
        after = (m.group("after") or "").strip().lower()
        key = _key(m.group("key"))
        value = parse_number(m.group("val"))
        unit = (m.group("unit") or "").lower()
        if key is None or value is None or after in _QUALIFIER or unit in _QUALIFIER:
            continue
        cut = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start()))
        sentence = text[cut + 1:m.start()].strip().lower()
        if _DIGIT.search(sentence) or sentence.split(" ", 1)[0] in _CONDITIONS:
            continue                                # "In 2021 revenue was ...", "If ..., it is"
        approx = bool(m.group("approx"))
        old = seen.get((key, unit))
        if old is None:
            seen[(key, unit)] = (value, m.group("val"), approx)
            continue
        if approx or old[2]:
            if abs(old[0] - value) <= 0.1 * max(abs(old[0]), abs(value)):
                continue
        elif _close(value, old[0], m.group("val")):
            continue
        out.append(f"one quantity is stated as {_shown(old[1])} and as {_shown(m.group('val'))}")
    return out


def _shown(token: str) -> str:
    """Return a figure short enough to quote; long digit runs (ids, phones) are not repeated."""
    return token.strip() if sum(c.isdigit() for c in token) <= 6 else "a long number"
