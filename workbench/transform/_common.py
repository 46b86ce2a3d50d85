"""Constants both compilers share, so the backends cannot drift apart."""
from __future__ import annotations

import string
from fractions import Fraction

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


def affine(src: str, dst: str) -> tuple[float, float, float]:
    """(m, d, b) such that dst = src * m / d + b, computed once in Python for every backend.

    The factor is taken as the exact ratio of the two units' decimal factors: a whole ratio
    multiplies, the inverse of a whole number divides (1999 cents are 19.99, not
    19.990000000000002 as ``* 0.01`` gives), anything else multiplies by the nearest double.

    Examples
    --------
    >>> affine("minor", "major"), affine("major", "minor"), affine("lb", "kg")
    ((1.0, 100.0, 0.0), (100.0, 1.0, 0.0), (0.45359237, 1.0, 0.0))
    """
    _, f1, o1 = UNITS[src]
    _, f2, o2 = UNITS[dst]
    ratio = Fraction(repr(f1)) / Fraction(repr(f2))
    if ratio.numerator == 1:
        mul, div = 1.0, float(ratio.denominator)
    else:
        mul, div = (float(ratio.numerator) if ratio.denominator == 1 else float(ratio)), 1.0
    return mul, div, (o1 - o2) / f2
