"""Domain assignment (§10): score = α·name + β·regex + γ·value + ε·unit, banded by the profile.

* **name**: n-gram similarity of the header's words (abbreviations spelled out, table prefix
  dropped) to every alias of a domain, in every language; an alias equal to the header, or
  contained in it as whole words, scores high. A header that resembles no domain at all
  (``col7``) carries no evidence, and its weight goes to the other parts.
* **regex**: share of the column's values the domain's regex matches; its weight is β times
  the regex's specificity (how rarely it matches other domains' examples), so a loose pattern
  (a postal code, a small integer id) neither proves nor disproves much.
* **value** (data_mode only): similarity of the column's value shapes to the domain's examples.
* **unit**: a unit cue in the header (``cents``, ``_lb``, ``usd``) that the domain lists.

Weights of evidence a column cannot have are spread over the rest; a type that does not fit the
domain and a header the domain lists as a negative lower the score. High ≥ τ_high assigns the
domain, low < τ_low leaves the column unknown, the rest is borderline (to a person or a model).

Examples
--------
>>> from workbench.pipelines.migration.contract import load_profile
>>> from workbench.pipelines.migration.domain_catalog import load_catalog
>>> col = ColumnEvidence("customers", "E-Mail", "string",
...                      values=["ann@example.com", "bo@example.org", None])
>>> r = score_columns([col], load_catalog(), load_profile())[0]
>>> r["domain"], r["band"]
('contact.email', 'high')
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .contract import band
from .domain_catalog import DomainCatalog
from .headers import fold, header_words
from .vectors import name_vectors, value_vector

INFORMATIVE = 0.35      # a header whose best alias similarity is below carries no evidence
MAX_VALUES = 200
UNIT_WORDS = {"usd", "eur", "gbp", "chf", "jpy", "dollars", "dollar", "euro", "euros", "cents",
              "cent", "pence", "minor", "kg", "kgs", "kilograms", "kilogram", "g", "grams",
              "lb", "lbs", "pounds", "oz", "ounces", "km", "mi", "miles", "m", "meters", "cm",
              "mm", "in", "inches", "ft", "feet", "pct", "percent", "ms", "sec", "seconds",
              "min", "minutes", "hours", "hrs", "days", "celsius", "fahrenheit"}
TYPE_FIT = {  # (domain type, column type) -> factor; missing pairs -> 0.55
    ("integer", "float"): 0.9, ("float", "integer"): 0.95, ("string", "integer"): 0.85,
    ("string", "float"): 0.7, ("string", "date"): 0.6, ("string", "boolean"): 0.6,
    ("date", "timestamp"): 0.9, ("timestamp", "date"): 0.85, ("integer", "string"): 0.75,
    ("float", "string"): 0.75, ("date", "string"): 0.75, ("timestamp", "string"): 0.75,
    ("boolean", "integer"): 0.8, ("boolean", "string"): 0.8, ("string", "timestamp"): 0.6,
}


@dataclass
class ColumnEvidence:
    """What domaining knows about one column (source or target)."""

    table: str
    name: str
    dtype: str = "string"
    values: list = field(default_factory=list)     # raw sample values (never stored)
    hints: list = field(default_factory=list)
    description: str = ""
    unit: str = ""
    regex_values: list | None = None               # values for regex rates (metadata_only)


def unit_cue(col: ColumnEvidence) -> str:
    """Return the unit word in a column's header, declared unit or values, or ''."""
    if col.unit:
        return fold(col.unit)
    words = re.split(r"[^a-z%$€£]+", fold(f"{col.name} {header_words(col.name, col.table)}"))
    for w in words:
        if w in UNIT_WORDS:
            return w
    return ""


def _type_fit(domain_type: str, col_type: str, hints: list) -> float:
    if domain_type == col_type:
        return 1.0
    if col_type == "string" and "money_text" in hints and domain_type in ("float", "integer"):
        return 0.9
    return TYPE_FIT.get((domain_type, col_type), 0.55)


def _contained(alias: str, words: str) -> bool:
    return f" {alias} " in f" {words} "


def name_scores(cols: list[ColumnEvidence], catalog: DomainCatalog) -> tuple[np.ndarray, list]:
    """Return (columns × domains name similarity, best alias per cell)."""
    vectors, owners, texts = catalog.alias_index
    headers = [header_words(c.name, c.table) for c in cols]
    descs = [fold(c.description) for c in cols]
    sims = name_vectors(headers) @ vectors.T                       # cols × aliases
    if any(descs):
        dsims = name_vectors([d or "-" for d in descs]) @ vectors.T
        sims = np.maximum(sims, 0.85 * dsims * np.array([[1.0] if d else [0.0] for d in descs]))
    owners_arr = np.asarray(owners)
    n_dom = len(catalog.domains)
    out = np.zeros((len(cols), n_dom))
    best_alias: list[list[str]] = [[""] * n_dom for _ in cols]
    for i, words in enumerate(headers):
        row = sims[i].copy()
        for j, alias in enumerate(texts):       # exact or whole-word containment beats n-grams
            if alias == words:
                row[j] = 1.0
            elif len(alias) > 2 and _contained(alias, words):
                row[j] = max(row[j], 0.8 + 0.2 * len(alias) / max(len(words), 1))
        for d in range(n_dom):
            idx = np.flatnonzero(owners_arr == d)
            k = idx[np.argmax(row[idx])]
            out[i, d] = row[k]
            best_alias[i][d] = texts[k]
        for d, negs in catalog.negative_index.items():
            if any(n == words or _contained(n, words) for n in negs):
                out[i, d] *= 0.2
    return np.clip(out, 0.0, 1.0), best_alias


def regex_rates(values: list, catalog: DomainCatalog) -> np.ndarray:
    """Return per domain the share of the distinct values its regex fully matches."""
    distinct = sorted({str(v).strip() for v in values if v is not None and str(v).strip()})
    distinct = distinct[:MAX_VALUES]
    out = np.zeros(len(catalog.domains))
    if not distinct:
        return out
    for i, d in enumerate(catalog.domains):
        if d.pattern is not None:
            out[i] = sum(1 for v in distinct if d.pattern.fullmatch(v)) / len(distinct)
    return out


def score_columns(cols: list[ColumnEvidence], catalog: DomainCatalog, profile: dict, *,
                  use_values: bool = True) -> list[dict]:
    """Return per column its best domain (or None), score, band and evidence."""
    if not cols:
        return []
    w = profile["domaining"]["weights"]
    alpha, beta, gamma, eps = (float(w[k]) for k in ("alpha", "beta", "gamma", "epsilon"))
    names, aliases = name_scores(cols, catalog)
    has_regex = np.array([d.pattern is not None for d in catalog.domains])
    spec = catalog.regex_specificity
    dom_types = [d.type for d in catalog.domains]
    dom_units = [set(d.units) for d in catalog.domains]
    results = []
    for i, col in enumerate(cols):
        rvalues = col.regex_values if col.regex_values is not None else col.values
        rates = regex_rates(rvalues, catalog)
        regex = rates * spec
        informative = names[i].max() >= INFORMATIVE
        have_values = any(v is not None and str(v).strip() for v in rvalues)
        if use_values and col.values:
            vsim = np.clip(catalog.value_vectors @ value_vector(col.values), 0.0, 1.0)
        else:
            vsim = None
        cue = unit_cue(col)
        num = np.zeros(len(catalog.domains))
        den = np.zeros(len(catalog.domains))
        if informative:
            num += alpha * names[i]
            den += alpha
        if have_values:  # a weak regex (low specificity) counts less, either way
            num += np.where(has_regex, beta * spec * rates, 0.0)
            den += np.where(has_regex, beta * spec, 0.0)
        if vsim is not None:
            num += gamma * vsim
            den += gamma
        units = np.array([1.0 if cue and cue in u else 0.0 for u in dom_units])
        if cue:
            num += eps * units
            den += eps
        score = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
        fit = np.array([_type_fit(t, col.dtype, col.hints) for t in dom_types])
        score = score * fit
        order = np.argsort(-score, kind="stable")
        best = int(order[0])
        s = float(round(score[best], 4))
        b = band(s, profile)
        alts = [{"domain": catalog.domains[int(j)].id, "score": round(float(score[j]), 4)}
                for j in order[:3]]
        evidence = {
            "header_words": header_words(col.name, col.table),
            "best_alias": aliases[i][best] if informative else "",
            "components": {"name": round(float(names[i][best]), 4) if informative else None,
                           "regex": round(float(regex[best]), 4)
                           if have_values and has_regex[best] else None,
                           "regex_hit_rate": round(float(rates[best]), 4)
                           if have_values and has_regex[best] else None,
                           "value": round(float(vsim[best]), 4) if vsim is not None else None,
                           "unit": float(units[best]) if cue else None,
                           "type_fit": round(float(fit[best]), 4)},
            "unit_cue": cue, "dtype": col.dtype, "alternatives": alts,
        }
        results.append({"table": col.table, "column": col.name,
                        "domain": catalog.domains[best].id if b != "low" else None,
                        "candidate": catalog.domains[best].id, "score": s, "band": b,
                        "evidence": evidence})
    return results
