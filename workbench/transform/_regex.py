"""The regex flavour of the DSL: a small RE2-compatible subset read the same by DuckDB and Polars.

Allowed: literal characters (any Unicode), ``.``, ``^`` and ``$`` (whole-text anchors),
``* + ?`` and ``{m}``, ``{m,}``, ``{m,n}`` (greedy or lazy with ``?``), ``|``, groups ``( )``
and non-capturing groups ``(?: )``, bracket classes ``[...]`` / ``[^...]`` with ranges, and the
escapes ``\\t \\n \\r \\f \\v`` and ``\\`` before any ASCII punctuation character except ``<`` and ``>``.

Refused (they differ between RE2 and Rust's regex crate, or one lacks them): ``\\d \\w \\s \\b``
and their negations (Unicode-aware in Polars, ASCII in RE2), ``\\p{..}``, inline flags ``(?i)``,
named groups, look-around, back-references, POSIX classes ``[[:alpha:]]``.
"""
from __future__ import annotations

import re
import string

_ESCAPABLE = set(string.punctuation) - set("<>")  # \\< \\> are word boundaries in Rust
_CONTROL = set("tnrfv")


def check_pattern(pattern: str) -> str | None:
    """Return None when *pattern* is in the DSL subset, else a reason.

    Examples
    --------
    >>> check_pattern("([A-Za-z]+) ([0-9]{2})")
    >>> check_pattern(r"\\d+")
    'escape \\\\d is not in the DSL regex subset (use [0-9])'
    """
    if not isinstance(pattern, str) or pattern == "":
        return "pattern must be a non-empty string"
    i, n, in_class = 0, len(pattern), False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if i + 1 >= n:
                return "pattern ends with a lone backslash"
            nxt = pattern[i + 1]
            if nxt not in _ESCAPABLE and nxt not in _CONTROL:
                hint = {"d": " (use [0-9])", "s": " (use [ \\t\\n\\r\\f\\v])",
                        "w": " (use [A-Za-z0-9_])"}.get(nxt.lower(), "")
                return f"escape \\{nxt} is not in the DSL regex subset{hint}"
            i += 2
            continue
        if in_class:
            if pattern.startswith("[:", i):
                return "POSIX classes [[:name:]] are not in the DSL regex subset"
            if ch == "[":
                return "a literal [ inside a class must be escaped (\\[)"
            if pattern.startswith(("&&", "--", "~~"), i):
                return "class set operations (&&, --, ~~) are not in the DSL regex subset"
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":  # leading ']' is literal in RE2 but not everywhere
                return "a class may not start with ']' (escape it as \\])"
            if pattern.startswith("[:", j):
                return "POSIX classes [[:name:]] are not in the DSL regex subset"
            i = j
            continue
        elif ch == "(" and pattern.startswith("(?", i) and not pattern.startswith("(?:", i):
            return "only (?:...) groups are allowed (no flags, names or look-around)"
        i += 1
    if in_class:
        return "unterminated character class"
    try:
        re.compile(pattern)
    except re.error as err:
        return f"invalid pattern: {err}"
    return None


def group_count(pattern: str) -> int:
    """Number of capturing groups of a pattern already accepted by :func:`check_pattern`."""
    return re.compile(pattern).groups


def matches_empty(pattern: str) -> bool:
    """True when the pattern can match the empty string (in this subset: iff it matches "")."""
    return re.search(pattern, "") is not None
