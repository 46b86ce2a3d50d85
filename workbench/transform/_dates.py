"""Date formats of the DSL: a strftime subset that DuckDB, Polars (chrono) and SQLite read alike.

Directives: ``%Y`` (4-digit year 1000-9999), ``%m`` (01-12), ``%d`` (01-31), ``%H`` (00-23),
``%M`` (00-59), ``%S`` (00-59) and ``%%``; every other character is literal. Fields are fixed
width and zero-padded; ``%H`` and ``%M`` go together (``%S`` needs both). Parsing is guarded by a
regular expression built from the format, so widths, signs and blanks never depend on a backend.
"""
from __future__ import annotations

_META = set(".^$*+?()[]{}|\\")
DIRECTIVES = {
    "Y": "[1-9][0-9]{3}",
    "m": "(?:0[1-9]|1[0-2])",
    "d": "(?:0[1-9]|[12][0-9]|3[01])",
    "H": "(?:[01][0-9]|2[0-3])",
    "M": "[0-5][0-9]",
    "S": "[0-5][0-9]",
}
TIME_DIRECTIVES = {"H", "M", "S"}


def parse_format(fmt: str) -> tuple[list[str], str | None]:
    """Split a format into its directives; return ``(directives, error)``.

    Examples
    --------
    >>> parse_format("%d/%m/%Y")
    (['d', 'm', 'Y'], None)
    >>> parse_format("%b %d")[1]
    'directive %b is not allowed (use %Y %m %d %H %M %S %%)'
    """
    if not isinstance(fmt, str) or fmt == "":
        return [], "format must be a non-empty string"
    found, i = [], 0
    while i < len(fmt):
        if fmt[i] == "%":
            if i + 1 >= len(fmt):
                return [], "format ends with a lone %"
            d = fmt[i + 1]
            if d != "%" and d not in DIRECTIVES:
                return [], f"directive %{d} is not allowed (use %Y %m %d %H %M %S %%)"
            if d != "%":
                if d in found:
                    return [], f"directive %{d} appears twice"
                found.append(d)
            i += 2
        else:
            i += 1
    if ("H" in found) != ("M" in found) or ("S" in found and "H" not in found):
        return [], "%H and %M go together, and %S needs both"
    return found, None


def guard_regex(fmt: str) -> str:
    """An anchored regex (DSL subset) that a string must match before it is parsed with *fmt*.

    Examples
    --------
    >>> guard_regex("%Y-%m")
    '^[1-9][0-9]{3}-(?:0[1-9]|1[0-2])$'
    """
    out, i = ["^"], 0
    while i < len(fmt):
        if fmt[i] == "%":
            d = fmt[i + 1]
            out.append(DIRECTIVES[d] if d != "%" else "%")
            i += 2
        else:
            ch = fmt[i]
            out.append("\\" + ch if ch in _META else ch)
            i += 1
    out.append("$")
    return "".join(out)
