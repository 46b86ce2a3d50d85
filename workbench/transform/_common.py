"""Constants both compilers share, so the backends cannot drift apart."""
from __future__ import annotations

import string

from workbench.transform._plan import UNITS

WHITESPACE = " \t\n\r\f\v"          # trim default; collapse_whitespace's set
WS_RUN = "[\t\n\r\f\v ]+"           # regex for a run of it
SPLIT_SENTINEL = "\uffff"           # regex_split: input containing U+FFFF gives null
LOWER, UPPER = string.ascii_lowercase, string.ascii_uppercase
DBL_MAX = 1.7976931348623157e308
I64_MIN, I64_LIM = -(2.0 ** 63), 2.0 ** 63   # float -> integer accepts [I64_MIN, I64_LIM)
INT_RE = "^[+-]?[0-9]+$"
FLOAT_RE = "^[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
BOOL_WORDS = {"true": True, "1": True, "false": False, "0": False}
ISO_DATE, ISO_TIMESTAMP = "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"


def affine(src: str, dst: str) -> tuple[float, float]:
    """(a, b) such that dst = src * a + b, computed once in Python for every backend.

    Examples
    --------
    >>> affine("minor", "major")
    (0.01, 0.0)
    """
    _, f1, o1 = UNITS[src]
    _, f2, o2 = UNITS[dst]
    return f1 / f2, (o1 - o2) / f2
