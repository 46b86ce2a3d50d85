"""Offline vectors of names and values: hashed character n-grams and value shapes, in numpy.

Names are compared on character 2–4-grams of their words (``cust name`` is close to
``customer name``), hashed by CRC32. Values are compared on their *shape* (``555-010-1234`` →
``999-999-9999``, runs of 5+ cut to 5): its 2–3-grams and, as one feature, the shape with
runs collapsed (``9-9-9``); a word written in one case counts half as written and half
capitalized (``MÜLLER`` ~ ``Müller``); a length bucket; the decade of a year (birth dates are
decades older than events); and the value's lower-cased character trigrams (twice the weight
of a shape gram: they tell cities from streets). A set of values is the sum of its distinct
values' features; :func:`value_vectors` computes them for many sets at once from the values'
code points (a shape table, run limits and n-gram hashes as numpy arrays, one ``bincount``),
with multiplicative hashing. Vectors are L2-normalized; similarity is a dot product
(:func:`similarity`, which avoids waking BLAS threads for small matrices). The catalog
re-weights value features by how few domains share them (``DomainCatalog.value_idf``). The
hashes depend on nothing but the text, so vectors are identical on every machine.

Examples
--------
>>> v = name_vectors(["customer name", "cust name", "order date"])
>>> round(float(v[0] @ v[1]), 2) > round(float(v[0] @ v[2]), 2)
True
>>> shape("Ab-12 x"), coarse_shape("555-010-1234")
('Aa-99 a', '9-9-9')
>>> m = value_vectors([["a@example.com", "b@example.org"], ["12", "7"]])
>>> m.shape, round(float(m[0] @ value_vector(["c@example.net"])), 1) > 0.5
((2, 4096), True)
>>> s = similarity(m, m)
>>> round(float(s[0, 0]), 3), bool(s[0, 1] < 0.2)
(1.0, True)
"""
from __future__ import annotations

import re
import zlib
from functools import lru_cache

import numpy as np

DIM = 1 << 12
_DIGIT = re.compile(r"[0-9]")
_LETTER = re.compile(r"[^\W\d_]")
_RUN5 = re.compile(r"(.)\1{4,}")
_RUN = re.compile(r"(.)\1+")
_LENGTHS = (1, 2, 3, 5, 8, 12, 20, 40)
CHAR_WEIGHT = 2.0       # character trigrams tell words apart (cities from streets) better than shape
_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")


@lru_cache(maxsize=1 << 18)
def _bucket(gram: str) -> int:
    return zlib.crc32(gram.encode()) & (DIM - 1)


def _grams(text: str, sizes=(2, 3, 4)) -> list[str]:
    padded = f" {text} "
    return [padded[i:i + n] for n in sizes for i in range(len(padded) - n + 1)]


def _vector(grams: list[str], weight: float = 1.0, out: np.ndarray | None = None) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32) if out is None else out
    for g in grams:
        v[_bucket(g)] += weight
    return v


def _normalize(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.where(norms == 0, 1.0, norms)


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return the dot products of the rows of ``a`` with the rows of ``b`` (``a @ b.T``).

    Computed by ``einsum``'s own loop, not the multi-threaded BLAS: for these small matrices
    BLAS threads cost far more to wake (tens of milliseconds on a busy machine) than the work.
    """
    return np.einsum("ij,kj->ik", a, b)


def name_vectors(names: list[str]) -> np.ndarray:
    """Return one normalized n-gram vector per name (rows)."""
    m = np.zeros((len(names), DIM), dtype=np.float32)
    for i, n in enumerate(names):
        _vector(_grams(n), out=m[i])
    return _normalize(m)


_ASCII_SHAPE = str.maketrans({**{c: "9" for c in "0123456789"},
                              **{c: "A" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
                              **{c: "a" for c in "abcdefghijklmnopqrstuvwxyz"}})


def shape(value: str) -> str:
    """Return the shape of a value: letters → a/A, digits → 9, runs of 5+ cut to 5."""
    if value.isascii():
        s = value.translate(_ASCII_SHAPE)
    else:
        s = _DIGIT.sub("9", value)
        s = _LETTER.sub(lambda m: "A" if m.group().isupper() else "a", s)
    return _RUN5.sub(r"\1\1\1\1\1", s)


def coarse_shape(value: str) -> str:
    """Return the shape of a value with every run of one symbol collapsed to one."""
    return _RUN.sub(r"\1", shape(value))


_P = np.uint64(1000003)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(64 - DIM.bit_length() + 1)
_TAGS = {"shape2": 11, "shape3": 13, "coarse": 17, "len": 19, "decade": 23, "char3": 29}


@lru_cache(maxsize=1)
def _shape_table() -> np.ndarray:
    """Return the shape symbol of every code point of the Basic Multilingual Plane."""
    table = np.arange(1 << 16, dtype=np.uint32)
    for cp in range(1 << 16):
        ch = chr(cp)
        if "0" <= ch <= "9":
            table[cp] = ord("9")
        elif ch.isalnum() and not ch.isdecimal():         # what [^\W\d_] matches
            table[cp] = ord("A") if ch.isupper() else ord("a")
    return table


def _codes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return the code points of all texts, concatenated, and the text each belongs to."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    cps = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    return cps, np.repeat(np.arange(len(texts)), lengths)


def _limit_runs(codes: np.ndarray, owner: np.ndarray, run: int, keep: int):
    """Cut runs of one symbol to ``run`` symbols, then keep each text's first ``keep``."""
    n = len(codes)
    if not n:
        return codes, owner
    idx = np.arange(n)
    start = np.ones(n, dtype=bool)
    start[1:] = (codes[1:] != codes[:-1]) | (owner[1:] != owner[:-1])
    in_run = idx - np.maximum.accumulate(np.where(start, idx, 0))
    codes, owner = codes[in_run < run], owner[in_run < run]
    first = np.ones(len(owner), dtype=bool)
    first[1:] = owner[1:] != owner[:-1]
    idx = np.arange(len(owner))
    pos = idx - np.maximum.accumulate(np.where(first, idx, 0))
    return codes[pos < keep], owner[pos < keep]


def _bucket_of(h: np.ndarray) -> np.ndarray:
    return ((h * _MIX) >> _SHIFT).astype(np.int64) & (DIM - 1)


def _gram_features(codes: np.ndarray, owner: np.ndarray, n_texts: int, sizes, tag: str):
    """Return (text, bucket) of every n-gram of each text padded with a blank on both sides."""
    counts = np.bincount(owner, minlength=n_texts)
    seg = np.cumsum(counts + 2) - (counts + 2)                 # padded segment starts
    padded = np.full(int((counts + 2).sum()), 32, dtype=np.uint64)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    pos = np.arange(len(codes)) - first[owner]
    padded[seg[owner] + 1 + pos] = codes
    seg_of = np.repeat(np.arange(n_texts), counts + 2)
    end = seg + counts + 2
    texts, buckets = [], []
    for size in sizes:
        if len(padded) < size:
            continue
        p = np.arange(len(padded) - size + 1)
        p = p[p + size <= end[seg_of[p]]]
        h = np.zeros(len(p), dtype=np.uint64)
        for k in range(size):
            h = h * _P + padded[p + k]
        h = h + np.uint64(_TAGS[f"{tag}{size}"] << 40)
        texts.append(seg_of[p])
        buckets.append(_bucket_of(h))
    return np.concatenate(texts), np.concatenate(buckets)


def _coarse_features(codes: np.ndarray, owner: np.ndarray):
    """Return (text, bucket) of each text's shape with runs collapsed (first 24 symbols)."""
    start = np.ones(len(codes), dtype=bool)
    start[1:] = (codes[1:] != codes[:-1]) | (owner[1:] != owner[:-1])
    c, o = _limit_runs(codes[start], owner[start], 1 << 30, 24)
    first = np.ones(len(o), dtype=bool)
    first[1:] = o[1:] != o[:-1]
    idx = np.arange(len(o))
    pos = idx - np.maximum.accumulate(np.where(first, idx, 0))
    powers = np.cumprod(np.full(25, _P, dtype=np.uint64)) // _P      # P**k, wrapping
    terms = c.astype(np.uint64) * powers[pos]
    heads = np.flatnonzero(first)
    h = np.add.reduceat(terms, heads) + np.uint64(_TAGS["coarse"] << 40)
    return o[heads], _bucket_of(h)


def _title_shape(codes: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Return the shape of the texts capitalized: a letter after a non-letter is upper."""
    letter = (codes == ord("A")) | (codes == ord("a"))
    after_letter = np.zeros(len(codes), dtype=bool)
    after_letter[1:] = letter[:-1] & (owner[1:] == owner[:-1])
    out = codes.copy()
    out[letter & after_letter] = ord("a")
    out[letter & ~after_letter] = ord("A")
    return out


def _value_features(values: list[str]):
    """Return (value index, bucket, weight) of every feature of every value.

    Shape 2–3-grams and the run-collapsed shape (weight 1; a word in one case half as written,
    half capitalized), a length bucket (0.5), the decade of a year (1) and lower-cased
    character trigrams (``CHAR_WEIGHT``), each value padded with a blank.
    """
    n = len(values)
    cps, owner = _codes(values)
    table = _shape_table()
    shaped = np.where(cps < (1 << 16), table[np.minimum(cps, (1 << 16) - 1)], cps)
    one_case = np.fromiter(((v.isupper() or v.islower()) and sum(ch.isalpha() for ch in v) >= 4
                            for v in values), dtype=bool, count=n)
    parts = []                                            # (value, bucket, weight)
    streams = [(shaped, owner, np.where(one_case, 0.5, 1.0))]
    if one_case.any():
        sel = one_case[owner]
        streams.append((_title_shape(shaped[sel], owner[sel]), owner[sel],
                        np.where(one_case, 0.5, 0.0)))
    for codes, own, weight in streams:
        codes, own = _limit_runs(codes, own, 5, 40)
        t, b = _gram_features(codes, own, n, (2, 3), "shape")
        parts.append((t, b, weight[t]))
        t, b = _coarse_features(codes, own)
        parts.append((t, b, weight[t]))
    lengths = np.fromiter((len(v) for v in values), dtype=np.int64, count=n)
    rank = np.searchsorted(np.asarray(_LENGTHS), lengths)
    parts.append((np.arange(n), _bucket_of(rank.astype(np.uint64) +
                                           np.uint64(_TAGS["len"] << 40)), np.full(n, 0.5)))
    decades = [(i, int(m.group()[:3])) for i, v in enumerate(values) if (m := _YEAR.search(v))]
    if decades:
        i, d = np.array(decades).T
        parts.append((i, _bucket_of(d.astype(np.uint64) + np.uint64(_TAGS["decade"] << 40)),
                      np.ones(len(i))))
    lows = [v.lower()[:40] for v in values]
    cps, owner = _codes(lows)
    t, b = _gram_features(cps, owner, n, (3,), "char")
    parts.append((t, b, np.full(len(t), CHAR_WEIGHT)))
    return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]))


def _distinct(values, limit: int) -> list[str]:
    return sorted({str(x).strip() for x in values if x is not None and str(x).strip()})[:limit]


def value_vector(values: list[str], limit: int = 200) -> np.ndarray:
    """Return one normalized vector of a set of values: shapes and lower-cased characters."""
    return value_vectors([values], limit)[0]


def value_vectors(value_lists: list, limit: int = 200) -> np.ndarray:
    """Return one normalized value vector per set of values (rows), all computed at once."""
    values: list[str] = []
    column: list[int] = []
    for i, vs in enumerate(value_lists):
        d = _distinct(vs, limit)
        values += d
        column += [i] * len(d)
    m = np.zeros(len(value_lists) * DIM)
    if values:
        v, b, w = _value_features(values)
        m += np.bincount(np.asarray(column)[v] * DIM + b, weights=w, minlength=len(m))
    return _normalize(m.reshape(len(value_lists), DIM)).astype(np.float32)
