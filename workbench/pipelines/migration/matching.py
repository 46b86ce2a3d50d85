"""Column matching: for every source column its top-k target columns, with evidence.

The match score of a (source, target) pair averages: **name** (n-gram similarity of the two
headers' words, and of the source header to the target's description), **domain** (agreement of
the two columns' domain candidates; a composite and its part agree at 0.75, the same group at
0.35), **type** fit, **table** (the tables' names), and, when the columns carry them, **unit**
(same dimension) and **enum** (the share of source values that fall on the target's enum).

Examples
--------
>>> src = [{"table": "cust", "column": "fst_nm", "dtype": "string", "alternatives": []}]
>>> tgt = [{"table": "customers", "column": "first_name", "type": "string", "alternatives": []},
...        {"table": "customers", "column": "email", "type": "string", "alternatives": []}]
>>> [m["target_column"] for m in top_matches(src, tgt, k=2)]
['first_name', 'email']
"""
from __future__ import annotations

import numpy as np

from ... import transform
from .domaining import _type_fit
from .headers import fold, header_words
from .vectors import name_vectors

WEIGHTS = {"name": 0.40, "domain": 0.35, "type": 0.10, "table": 0.15}
UNIT_KEYS = {"cents": "minor", "cent": "minor", "pence": "minor", "minor": "minor",
             "usd": "major", "eur": "major", "gbp": "major", "chf": "major", "jpy": "major",
             "dollars": "major", "dollar": "major", "euro": "major", "euros": "major",
             "kg": "kg", "kgs": "kg", "kilograms": "kg", "kilogram": "kg", "g": "g",
             "grams": "g", "lb": "lb", "lbs": "lb", "pounds": "lb", "oz": "oz", "ounces": "oz",
             "km": "km", "mi": "mi", "miles": "mi", "m": "m", "meters": "m", "cm": "cm",
             "mm": "mm", "in": "in", "inches": "in", "ft": "ft", "feet": "ft", "ms": "ms",
             "sec": "s", "seconds": "s", "s": "s", "min": "min", "minutes": "min", "hours": "h",
             "hrs": "h", "h": "h", "days": "d", "d": "d", "celsius": "c", "fahrenheit": "f"}


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
    options = [fold(str(e)).strip() for e in enum]
    distinct = {fold(str(v)).strip() for v in values if v is not None and str(v).strip()}
    if not distinct or not options:
        return 0.0
    hits = sum(1 for v in distinct if any(o == v or o.startswith(v) or v.startswith(o)
                                          for o in options))
    return hits / len(distinct)


def pair_scores(sources: list[dict], targets: list[dict], relation=_no_relation) -> list[list[dict]]:
    """Return, per source column, the scored evidence against every target column."""
    s_words = [header_words(s["column"], s["table"]) for s in sources]
    t_words = [header_words(t["column"], t["table"]) for t in targets]
    t_desc = [fold(t.get("description") or "") for t in targets]
    sv, tv = name_vectors(s_words), name_vectors(t_words)
    names = sv @ tv.T
    if any(t_desc):
        dv = name_vectors([d or "-" for d in t_desc])
        mask = np.array([1.0 if d else 0.0 for d in t_desc])
        names = np.maximum(names, 0.9 * (sv @ dv.T) * mask)
    for i, sw in enumerate(s_words):
        for j, tw in enumerate(t_words):
            if sw == tw:
                names[i, j] = 1.0
    s_tables = sorted({s["table"] for s in sources})
    t_tables = sorted({t["table"] for t in targets})
    tables = name_vectors([header_words(x) for x in s_tables]) @ \
        name_vectors([header_words(x) for x in t_tables]).T
    out = []
    for i, s in enumerate(sources):
        row = []
        s_unit = unit_key(s.get("unit_cue", ""))
        for j, t in enumerate(targets):
            dom, why = domain_agreement(s.get("alternatives") or [], t.get("alternatives") or [],
                                        relation)
            parts = {"name": float(names[i, j]), "domain": dom,
                     "type": _type_fit(t.get("type", "string"), s.get("dtype", "string"),
                                       s.get("hints") or []),
                     "table": float(tables[s_tables.index(s["table"]),
                                           t_tables.index(t["table"])])}
            weights = dict(WEIGHTS)
            t_unit = unit_key(t.get("unit", ""))
            if s_unit and t_unit:
                parts["unit"] = 1.0 if _dimension(s_unit) == _dimension(t_unit) else 0.0
                weights["unit"] = 0.10
            if t.get("enum") and s.get("values"):
                parts["enum"] = enum_fit(s["values"], list(t["enum"]))
                weights["enum"] = 0.15
            score = sum(weights[k] * v for k, v in parts.items()) / sum(weights.values())
            row.append({"target_table": t["table"], "target_column": t["column"],
                        "score": round(float(score), 4),
                        "evidence": {k: round(v, 4) for k, v in parts.items()} |
                        {"domains": why}})
        out.append(row)
    return out


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
