"""Building blocks of the golden set's value generators: the ``Gen`` type, a registrar and the
small random helpers (digits, letters, log-uniform numbers, ASCII folding, pools by language).

A generator is ``fn(rng, n, ctx) -> n values``; ``ctx`` holds the table's ``country`` and
``lang`` and a case's generator options (``fmt``, ``set``, ``range``, ``unit``, ...).
"""
from __future__ import annotations

import random
import string
import unicodedata
from collections.abc import Callable

from ._golden_vocab import vocab

Gen = Callable[[random.Random, int, dict], list[str]]
CITIES = vocab()["cities"]


def registrar(registry: dict[str, Gen]) -> Callable[..., Callable[[Gen], Gen]]:
    """Return a decorator ``@gen("domain", ...)`` that files a generator in ``registry``.

    >>> registry = {}
    >>> @registrar(registry)("a.b", "a.c")
    ... def nothing(rng, n, ctx):
    ...     return []
    >>> sorted(registry)
    ['a.b', 'a.c']
    """
    def gen(*domains: str):
        def register(fn: Gen) -> Gen:
            for d in domains:
                registry[d] = fn
            return fn
        return register
    return gen


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _pool(table: dict, ctx: dict) -> list[str]:
    return table.get(ctx["lang"]) or table["en"]


def _lognum(rng: random.Random, lo: float, hi: float) -> float:
    import math
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def _digits(rng: random.Random, k: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(k))


def _letters(rng: random.Random, k: int, alphabet: str = string.ascii_uppercase) -> str:
    return "".join(rng.choice(alphabet) for _ in range(k))


def _city(rng: random.Random, ctx: dict) -> tuple:
    return rng.choice(CITIES[ctx["country"]])
