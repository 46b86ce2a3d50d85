"""Offline vectors of names and values: hashed character n-grams and value shapes, in numpy.

Names are compared on character 2–4-grams of their words (``cust name`` is close to
``customer name``); values on their *shape* (``555-010-1234`` → ``999-999-9999``) and their
characters, so a column of e-mails is close to the e-mail domain's examples whatever the
addresses. Vectors are L2-normalized; similarity is a dot product. Hashing is by CRC32, so
vectors are identical on every machine.

Examples
--------
>>> v = name_vectors(["customer name", "cust name", "order date"])
>>> round(float(v[0] @ v[1]), 2) > round(float(v[0] @ v[2]), 2)
True
>>> shape("Ab-12 x")
'Aa-99 a'
"""
from __future__ import annotations

import re
import zlib

import numpy as np

DIM = 1 << 12


def _grams(text: str, sizes=(2, 3, 4)) -> list[str]:
    padded = f" {text} "
    return [padded[i:i + n] for n in sizes for i in range(len(padded) - n + 1)]


def _vector(grams: list[str], weight: float = 1.0, out: np.ndarray | None = None) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32) if out is None else out
    for g in grams:
        v[zlib.crc32(g.encode()) & (DIM - 1)] += weight
    return v


def _normalize(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.where(norms == 0, 1.0, norms)


def name_vectors(names: list[str]) -> np.ndarray:
    """Return one normalized n-gram vector per name (rows)."""
    m = np.zeros((len(names), DIM), dtype=np.float32)
    for i, n in enumerate(names):
        _vector(_grams(n), out=m[i])
    return _normalize(m)


def shape(value: str) -> str:
    """Return the shape of a value: letters → a/A, digits → 9, runs of 5+ cut to 5."""
    s = re.sub(r"[0-9]", "9", value)
    s = re.sub(r"[^\W\d_]", lambda m: "A" if m.group().isupper() else "a", s)
    return re.sub(r"(.)\1{4,}", r"\1\1\1\1\1", s)


def value_vector(values: list[str], limit: int = 200) -> np.ndarray:
    """Return one normalized vector of a set of values: shapes and lower-cased characters."""
    v = np.zeros(DIM, dtype=np.float32)
    distinct = sorted({str(x).strip() for x in values if x is not None and str(x).strip()})
    for x in distinct[:limit]:
        _vector(_grams(shape(x)[:40], (2, 3)), 1.0, v)
        _vector(_grams(x.lower()[:40], (3,)), 0.5, v)
    return _normalize(v[None, :])[0]
