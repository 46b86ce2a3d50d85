"""Column matching: for every source column its top-k target columns, with evidence.

The match score of a (source, target) pair is a weighted mean (name 0.55, domain 0.25, type
0.10, table 0.15; unit, enum and values when present) of:

* **name**: how well the two headers' words correspond, read in all their variants (see
  ``headers.header_variants``: abbreviations spelled out, table prefixes dropped, run-together
  words split into the target schema's words) and compared word by word with
  ``headers.token_similarity`` in both directions (``disc`` ~ ``discount``, ``qty`` ~
  ``quantity``) or by a shared stem (``admit`` ~ ``admission``), each word weighted by its rarity among the target columns (IDF: ``id``,
  ``name`` or ``date`` say less than ``discount``); the soft F1 of the two sides, computed for
  a source against every target at once. A header is also compared with the other side's
  description (the share of it the description contains, discounted), and the character
  n-gram similarity of the headers is a floor;
* **domain**: agreement of the two columns' domain candidates (a composite and its part agree
  at 0.75, the same group at 0.35);
* **type** fit;
* **table**: the tables' names compared like headers, or the *structure*: how well the source
  table's columns match the target table's in a first pass, relative to the source table's best
  target table (a second pass adds it);
* when the columns carry them: **unit** (same dimension), **enum** (the share of source values
  that fall on the target's enum) and **values** (the similarity of the two sides' value shapes).

Examples
--------
>>> src = [{"table": "cust", "column": "fst_nm", "dtype": "string", "alternatives": []}]
>>> tgt = [{"table": "customers", "column": "first_name", "type": "string", "alternatives": []},
...        {"table": "customers", "column": "email", "type": "string", "alternatives": []}]
>>> [m["target_column"] for m in top_matches(src, tgt, k=2)]
['first_name', 'email']
>>> src = [{"table": "ORDPOS", "column": "QTYORD", "dtype": "integer", "alternatives": []}]
>>> tgt = [{"table": "order_lines", "column": c, "type": "integer", "alternatives": []}
...        for c in ("order_id", "ordered_quantity", "quality_score")]
>>> top_matches(src, tgt, k=1)[0]["target_column"]
'ordered_quantity'
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ... import transform
from .domaining import UNIT_KEYS, _type_fit
from .headers import (
    FILLER,
    Vocabulary,
    fold,
    header_variants,
    header_words,
    split_words,
    token_similarity,
)
from .vectors import name_vectors, similarity, value_vectors

WEIGHTS = {"name": 0.55, "domain": 0.25, "type": 0.10, "table": 0.15}
EXTRA_WEIGHTS = {"unit": 0.10, "enum": 0.15, "values": 0.20}
DESCRIPTION = 0.9       # a header found in the other side's description counts this much


def unit_key(word: str) -> str:
    """Return the Transform DSL unit of a unit word (``cents`` → ``minor``), or ''."""
    return UNIT_KEYS.get(fold(word or "").strip(), "")


def _dimension(unit: str) -> str:
    return transform.UNITS[unit][0] if unit in transform.UNITS else ""


def domain_agreement(a: list[dict], b: list[dict], relation) -> tuple[float, str]:
    """Return the best agreement of two columns' domain alternatives, and the domain pair."""
    best, why = 0.0, ""
    for x in a[:3]:
        for y in b[:3]:
            rel = relation(x["domain"], y["domain"])
            if rel:
                v = rel * float(np.sqrt(max(x["score"], 0) * max(y["score"], 0)))
                if v > best:
                    best, why = v, f"{x['domain']}~{y['domain']}"
    return best, why


def _no_relation(a: str, b: str) -> float:
    return 1.0 if a == b else 0.35 if a.split(".")[0] == b.split(".")[0] else 0.0


def enum_fit(values: list, enum: list) -> float:
    """Return the share of distinct source values that fall on an enum (exact or prefix)."""
    options = _folded(tuple(str(e) for e in enum))
    distinct = _folded(tuple(str(v) for v in values if v is not None))
    if not distinct or not options:
        return 0.0
    hits = sum(1 for v in distinct if v in options or any(o.startswith(v) or v.startswith(o)
                                                         for o in options))
    return hits / len(distinct)


def _stem(a: str, b: str) -> float:
    """Return 0.45–0.65 for two words with a common beginning of at least four letters that
    covers 70 % of the shorter one (``admit`` ~ ``admission``; ``stre`` does not make ``street``
    a ``stream``), else 0."""
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    if n >= 4 and n >= 0.7 * min(len(a), len(b)):
        return 0.45 + 0.2 * n / max(len(a), len(b))
    return 0.0


@lru_cache(maxsize=4096)
def _folded(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(f for f in (fold(v).strip() for v in values) if f)


class _Words:
    """Word-level similarity of headers and descriptions, IDF-weighted over one schema."""

    def __init__(self, sources: list[dict], targets: list[dict]):
        t_words = [set(split_words(t["column"])) | set(header_words(t["column"]).split()) |
                   set(_text_words(t.get("description") or "")) for t in targets]
        vocab = {w for ws in t_words for w in ws if not w.isdigit()}
        self.vocab = Vocabulary(vocab)
        df: dict[str, int] = {}
        for ws in t_words:
            for w in ws:
                df[w] = df.get(w, 0) + 1
        n = max(len(targets), 1)
        self.idf = {w: float(np.log1p(n / c)) for w, c in df.items()}
        self.unknown = float(np.log1p(n))            # a word no target has: as rare as can be
        self.tokens: dict[str, int] = {}
        s_var = [self._ids(header_variants(s["column"], s["table"], self.vocab)) for s in sources]
        t_var = [self._ids(header_variants(t["column"], t["table"], self.vocab)) for t in targets]
        s_desc = [self._ids(_desc(s.get("description") or "")) for s in sources]
        t_desc = [self._ids(_desc(t.get("description") or "")) for t in targets]
        words = sorted(self.tokens, key=self.tokens.get)
        pad = len(words)
        sim = np.zeros((pad + 1, pad + 1))                 # last row/column: padding
        by_initial: dict[str, list[int]] = {}
        for i, w in enumerate(words):
            by_initial.setdefault(w[0], []).append(i)
        for group in by_initial.values():                 # related words share an initial
            for x, i in enumerate(group):
                for j in group[x:]:
                    a, b = words[i], words[j]
                    sim[i, j] = sim[j, i] = 1.0 if a == b else \
                        max(token_similarity(a, b), token_similarity(b, a), _stem(a, b))
        self.sim = sim
        self.weight = np.array([FILLER_WEIGHT if w in FILLER else
                                self.idf.get(w, self._near_idf(w)) for w in words] + [0.0])
        self.s_var, self.s_desc, self.n_targets = s_var, s_desc, len(targets)
        self.t_var = _Padded(t_var, pad, self.weight)
        self.t_desc = _Padded(t_desc, pad, self.weight)

    def _near_idf(self, word: str) -> float:
        near = [self.idf[w] for w in self.idf if w[:1] == word[:1] and
                max(token_similarity(word, w), token_similarity(w, word)) >= 0.75]
        return max(near) if near else self.unknown

    def _ids(self, variants) -> list[np.ndarray]:
        out = []
        for v in variants:
            ids = [self.tokens.setdefault(t, len(self.tokens)) for t in v if not t.isdigit()]
            if ids:
                out.append(np.asarray(ids))
        return out

    def _against(self, a: np.ndarray, padded: _Padded, recall_only: bool) -> np.ndarray:
        """Return per target the best soft F1 (or share of ``a`` found) of ``a`` and the
        target's readings."""
        out = np.zeros(self.n_targets)
        if not len(padded.ids):
            return out
        x = self.sim[a][:, padded.ids]                        # a words × readings × L
        wa = self.weight[a]
        p = (wa @ x.max(axis=2)) / wa.sum()                   # share of a found in the reading
        if recall_only:
            f = p
        else:
            r = (x.max(axis=0) * padded.weights).sum(axis=1) / padded.total
            f = np.where(p + r > 0, 2 * p * r / np.maximum(p + r, 1e-12), 0.0)
        np.maximum.at(out, padded.owner, f)
        return out

    def names(self, i: int) -> np.ndarray:
        """Return the name evidence of source ``i`` against every target."""
        out = np.zeros(self.n_targets)
        for a in self.s_var[i]:
            np.maximum(out, self._against(a, self.t_var, False), out=out)
            np.maximum(out, DESCRIPTION * self._against(a, self.t_desc, True), out=out)
        for d in self.s_desc[i]:                 # a target header found in the source's text
            if len(self.t_var.ids):
                x = self.sim[self.t_var.ids][:, :, d].max(axis=2)          # readings × L
                share = (x * self.t_var.weights).sum(axis=1) / self.t_var.total
                found = np.zeros(self.n_targets)
                np.maximum.at(found, self.t_var.owner, share)
                np.maximum(out, DESCRIPTION * found, out=out)
        return out


class _Padded:
    """Word-id readings of several columns as one padded matrix, with weights and owners."""

    def __init__(self, per_column: list[list[np.ndarray]], pad: int, weight: np.ndarray):
        rows = [(j, v) for j, vs in enumerate(per_column) for v in vs]
        width = max((len(v) for _, v in rows), default=1)
        self.ids = np.full((len(rows), width), pad, dtype=np.int64)
        for k, (_, v) in enumerate(rows):
            self.ids[k, :len(v)] = v
        self.owner = np.array([j for j, _ in rows], dtype=np.int64)
        self.weights = weight[self.ids]
        self.total = np.maximum(self.weights.sum(axis=1), 1e-12)


FILLER_WEIGHT = 0.1


def _text_words(text: str) -> list[str]:
    return [w for w in split_words(fold(text)) if not w.isdigit()]


def _desc(text: str) -> tuple[tuple[str, ...], ...]:
    words = tuple(w for w in _text_words(text) if w not in FILLER)
    return (words,) if words else ()


def _table_similarity(sources: list[dict], targets: list[dict]) -> tuple[list, list, np.ndarray]:
    s_tables = sorted({s["table"] for s in sources})
    t_tables = sorted({t["table"] for t in targets})
    words = _Words([{"table": "", "column": x} for x in s_tables],
                   [{"table": "", "column": x} for x in t_tables])
    sims = np.array([words.names(i) for i in range(len(s_tables))]).reshape(
        len(s_tables), len(t_tables))
    grams = similarity(name_vectors([header_words(x) for x in s_tables]),
                       name_vectors([header_words(x) for x in t_tables]))
    return s_tables, t_tables, np.maximum(sims, grams)


def _score(parts: dict, weights: dict) -> float:
    return sum(weights[k] * v for k, v in parts.items()) / sum(weights[k] for k in parts)


def pair_scores(sources: list[dict], targets: list[dict], relation=_no_relation) -> list[list[dict]]:
    """Return, per source column, the scored evidence against every target column."""
    if not sources or not targets:
        return [[] for _ in sources]
    words = _Words(sources, targets)
    s_words = [header_words(s["column"], s["table"]) for s in sources]
    t_words = [header_words(t["column"], t["table"]) for t in targets]
    grams = similarity(name_vectors(s_words), name_vectors(t_words))
    s_tables, t_tables, tables = _table_similarity(sources, targets)
    s_tab = [s_tables.index(s["table"]) for s in sources]
    t_tab = [t_tables.index(t["table"]) for t in targets]
    s_vals = [i for i, s in enumerate(sources) if s.get("values")]
    t_vals = [j for j, t in enumerate(targets) if t.get("values")]
    vsim = np.zeros((len(sources), len(targets)))
    if s_vals and t_vals:
        vsim[np.ix_(s_vals, t_vals)] = np.clip(similarity(
            value_vectors([sources[i]["values"] for i in s_vals]),
            value_vectors([targets[j]["values"] for j in t_vals])), 0.0, 1.0)
    rows: list[list[tuple[dict, dict]]] = []
    first = np.zeros((len(sources), len(targets)))
    memo: dict[tuple[str, str], float] = {}

    def rel(a: str, b: str) -> float:
        if (a, b) not in memo:
            memo[(a, b)] = relation(a, b)
        return memo[(a, b)]

    for i, s in enumerate(sources):
        row = []
        s_unit = unit_key(s.get("unit_cue", ""))
        name_row = np.maximum(words.names(i), 0.9 * grams[i])
        for j, t in enumerate(targets):
            dom, why = domain_agreement(s.get("alternatives") or [], t.get("alternatives") or [],
                                        rel)
            name = 1.0 if s_words[i] == t_words[j] else float(name_row[j])
            parts = {"name": name, "domain": dom,
                     "type": _type_fit(t.get("type", "string"), s.get("dtype", "string"),
                                       s.get("hints") or [])}
            t_unit = unit_key(t.get("unit", ""))
            if s_unit and t_unit:
                parts["unit"] = 1.0 if _dimension(s_unit) == _dimension(t_unit) else 0.0
            if t.get("enum") and s.get("values"):
                parts["enum"] = enum_fit(s["values"], list(t["enum"]))
            if s.get("values") and t.get("values"):
                parts["values"] = float(vsim[i, j])
            weights = {**WEIGHTS, **EXTRA_WEIGHTS}
            first[i, j] = _score(parts, weights)
            row.append((parts, {"domains": why}))
        rows.append(row)
    structure = _structure(first, s_tab, t_tab, len(s_tables), len(t_tables))
    out = []
    for i, row in enumerate(rows):
        scored = []
        for j, (parts, why) in enumerate(row):
            parts = {**parts, "table": max(float(tables[s_tab[i], t_tab[j]]),
                                           float(structure[s_tab[i], t_tab[j]]))}
            score = _score(parts, {**WEIGHTS, **EXTRA_WEIGHTS})
            scored.append({"target_table": targets[j]["table"],
                           "target_column": targets[j]["column"],
                           "score": round(float(score), 4),
                           "evidence": {k: round(v, 4) for k, v in parts.items()} | why})
        out.append(scored)
    return out


def _structure(first: np.ndarray, s_tab: list, t_tab: list, n_s: int, n_t: int) -> np.ndarray:
    """Return source tables × target tables: the mean best column match, over the source
    table's best target table (1.0 for that table)."""
    s_tab_a, t_tab_a = np.asarray(s_tab), np.asarray(t_tab)
    aff = np.zeros((n_s, n_t))
    for a in range(n_s):
        rows = first[s_tab_a == a]
        for b in range(n_t):
            cols = rows[:, t_tab_a == b]
            if cols.size:
                aff[a, b] = cols.max(axis=1).mean()
    return aff / np.maximum(aff.max(axis=1, keepdims=True), 1e-9)


def top_matches(sources: list[dict], targets: list[dict], k: int = 3,
                relation=_no_relation) -> list[dict]:
    """Return the top-k target columns of every source column (rank 1 = best)."""
    rows = []
    for s, scored in zip(sources, pair_scores(sources, targets, relation), strict=True):
        ranked = sorted(scored, key=lambda m: (-m["score"], m["target_table"],
                                               m["target_column"]))[:k]
        for rank, m in enumerate(ranked, 1):
            rows.append({"source_table": s["table"], "source_column": s["column"], **m,
                         "rank": rank})
    return rows
