"""Domain assignment (§10): score = α·name + β·regex + γ·value + ε·unit, banded by the profile.

* **name**: how well the header stands for an alias of a domain (any language). The header is
  read in several variants (``headers.header_variants``: abbreviations spelled out or as
  written, table prefix dropped or kept, run-together words split). Each header word is
  compared with each alias word by ``headers.token_similarity`` (equal, typo, beginning,
  consonant skeleton, compound), and an alias scores the F₁.₅ of its *coverage* (the share of
  its words the header has) and its *precision* (the share of the header's words it explains),
  both weighted by IDF over the catalog's domains (``birth`` weighs more than ``name``); or the
  similarity of the two written as one word (``geburtsdat`` ~ ``geburtsdatum``) if higher.
  A domain's representation terms (ISO 11179 class words: ``dt``/``ts`` for dates and
  timestamps, ``no``/``key``/``cd`` for identifiers, ``amt`` for money) are explained by the
  domain without an alias and weigh little inside its aliases, so ``crtd_ts`` is a created-at
  timestamp and ``cust_key`` a customer id; a date, time or flag word that an alias leaves
  unexplained counts against a domain of another kind (``ord_dt`` is no order id). A domain's
  negative that is the whole header, or longer than every alias of it in the header, lowers
  its name score (``phone model``; ``zip code`` is no negative ``code``). A column description
  counts like a header (discounted). A placeholder header (``col7``, ``F003``) carries no
  evidence and its weight goes to the other parts; a real header that matches nothing counts
  as weak evidence, so unknown columns are not decided by their values alone.
* **regex**: share of the column's distinct values the domain's regex fully matches, all
  regexes run in one Polars pass (a regex Polars cannot run or reads differently from ``re`` on
  the catalog's examples runs in ``re``); a value in one case is also tried capitalized
  (``MÜLLER``), a short lower-case code in capitals (``eur``), a bare number with the unit the
  header gives it (``0.2`` of ``dur_min`` as ``0.2 min``). Date and timestamp domains share
  the best date evidence of a column (one catalog regex lists ``20-Apr-1988``, another does
  not), and Unix epoch integers count for timestamps. The rate is weighted by the regex's
  specificity (how rarely it matches other domains' examples); the weight a loose or missing
  regex leaves goes to value similarity (a neutral 0.5 without values), so every domain is
  scored on the same evidence.
* **value** (data_mode only): cosine of the column's value shapes and characters to the
  domain's examples, features weighted by how few domains share them (``vectors``), half as is
  and half relative to the column's most similar domain.
* **unit**: a unit cue of the header (``cents``, ``_lb``, ``usd``) that the domain's units
  list, compared by unit (``cents`` ~ ``minor units``).

The weighted mean over the evidence a column has (the same parts for every domain) is
multiplied by the type fit; a regex the values match vouches for values stored as text or
numbers (text dates, integer postal codes). The winner's score is then calibrated
(``domaining.calibration`` in the profile): a logistic function of its evidence (raw score,
margin over the best unrelated runner-up and whether it is a clear lead, name, regex, value,
agreement of name and values, missing evidence), rescaled to the bands and fitted on a golden
seed by ``evaluation.fit_calibration``, never above 0.99; the alternatives are put on the
winner's scale. High ≥ τ_high assigns the domain, low < τ_low leaves the column unknown, the
rest is borderline (to a person or a model). A catalog keeps each header's and each value
set's scores, so scoring the same columns again (metadata-only after data_mode) is cheap.

Examples
--------
>>> from workbench.pipelines.migration.contract import load_profile
>>> from workbench.pipelines.migration.domain_catalog import load_catalog
>>> col = ColumnEvidence("customers", "E-Mail", "string",
...                      values=["ann@example.com", "bo@example.org", None])
>>> r = score_columns([col], load_catalog(), load_profile())[0]
>>> r["domain"], r["band"]
('contact.email', 'high')
>>> r = score_columns([ColumnEvidence("crm", "CUST_CRTD_TS", "timestamp")], load_catalog(),
...                   load_profile(), use_values=False)[0]
>>> r["candidate"], r["evidence"]["best_alias"]
('datetime.created_at', 'created')
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field

import numpy as np

from .contract import band
from .domain_catalog import DomainCatalog
from .headers import FILLER, fold, header_variants, header_words, split_words, token_similarity
from .vectors import similarity, value_vectors

INFORMATIVE = 0.5       # a header whose best alias similarity is below carries no evidence
MAX_VALUES = 200
CACHE_SIZE = 20000      # headers / value sets whose scores a catalog keeps (cleared beyond)
DESCRIPTION = 0.85      # a description counts at most this much of a header
NEGATIVE = 0.2          # factor on the name score of a domain whose negative is the header
UNKNOWN_WORD = 3.0      # IDF weight of a header word the vocabulary does not have
FILLER_WORD = 0.15      # weight of "of", "at", "y" in an alias
UNIT_KEYS = {"cents": "minor", "cent": "minor", "pence": "minor", "minor": "minor",
             "usd": "major", "eur": "major", "gbp": "major", "chf": "major", "jpy": "major",
             "dollars": "major", "dollar": "major", "euro": "major", "euros": "major",
             "kg": "kg", "kgs": "kg", "kilograms": "kg", "kilogram": "kg", "g": "g",
             "grams": "g", "lb": "lb", "lbs": "lb", "pounds": "lb", "oz": "oz", "ounces": "oz",
             "km": "km", "mi": "mi", "miles": "mi", "m": "m", "meters": "m", "cm": "cm",
             "mm": "mm", "in": "in", "inches": "in", "ft": "ft", "feet": "ft", "ms": "ms",
             "sec": "s", "seconds": "s", "s": "s", "min": "min", "minutes": "min", "hours": "h",
             "hrs": "h", "h": "h", "days": "d", "d": "d", "celsius": "c", "fahrenheit": "f"}
UNIT_WORDS = set(UNIT_KEYS) | {"pct", "percent", "ct", "cts", "centimes", "centavos",
                               "centimos", "centesimi", "centen", "degrees", "deg", "yrs",
                               "years", "pcs", "stk", "kilogramm", "gramm", "prozent"}
AMBIGUOUS_UNITS = {"g", "m", "s", "h", "d", "in", "mi", "min", "ms", "ft", "ct", "deg", "cent"}
# Representation terms (ISO 11179 "class words"): a header word of the domain's kind that needs no
# alias ("crtd_ts" is a created-at timestamp, "cust_key" a customer id). Chosen by the domain's
# type, group and the last word of its id.
CLASS_WORDS = {
    "date": "date day dt dte datum dat fecha fec data",
    "timestamp": "timestamp ts tstamp stamp datetime dttm dtm date dt time tm datum dat zeit "
                 "fecha fec hora data heure tijd ora",
    "boolean": "flag flg indicator ind yn kz kennzeichen is",
    "identifier": "id identifier ident key number no nr nbr num code cd ref reference nummer "
                  "numero codigo cod kennung",
    "code": "code cd cod codigo codice iso",
    "money": "amount amt value val total sum",
}
CONTRADICTING = ("date", "timestamp", "boolean")   # class words that say what a column is not
CONTRADICTION = 0.7     # factor on an alias leaving such a word of another kind unexplained
NAME_BETA = 1.5         # F-beta of alias coverage and header precision: coverage counts more
OPAQUE_WORDS = {"col", "column", "field", "fld", "attr", "attribute", "udf", "unnamed", "var",
                "x", "c", "f", "t", "v", "value", "data", "tmp", "misc", "extra", "dummy"}
TYPE_FIT = {  # (domain type, column type) -> factor; missing pairs -> 0.55
    ("integer", "float"): 0.9, ("float", "integer"): 0.95, ("string", "integer"): 0.85,
    ("string", "float"): 0.7, ("string", "date"): 0.6, ("string", "boolean"): 0.6,
    ("date", "timestamp"): 0.9, ("timestamp", "date"): 0.9, ("integer", "string"): 0.75,
    ("float", "string"): 0.75, ("date", "string"): 0.75, ("timestamp", "string"): 0.75,
    ("boolean", "integer"): 0.8, ("boolean", "string"): 0.8, ("string", "timestamp"): 0.6,
    ("timestamp", "integer"): 0.7, ("date", "integer"): 0.6,
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


def unit_key(word: str) -> str:
    """Return the Transform DSL unit of a unit word (``cents`` → ``minor``), or ''."""
    return UNIT_KEYS.get(fold(word or "").strip(), "")


def unit_cue(col: ColumnEvidence) -> str:
    """Return the unit word in a column's header or declared unit, or ''.

    A short unit that is also a word or an initial (``m``, ``in``, ``mi``) counts only after
    another header word (``length_m``, not ``m_f`` or ``mi``).
    """
    if col.unit:
        return fold(col.unit)
    words = split_words(col.name)
    for i, w in enumerate(words):
        if w in UNIT_WORDS and (w not in AMBIGUOUS_UNITS or i > 0 and len(words) > 1):
            return w
    return ""


def _class_words(d) -> frozenset[str]:
    words: set[str] = set()
    for key in (d.type, d.group, d.id.rsplit("_", 1)[-1] if "_" in d.id else ""):
        if key in CLASS_WORDS:
            words.update(CLASS_WORDS[key].split())
    if d.group == "identifier" or d.id.endswith(("_id", "_number")):
        words.update(CLASS_WORDS["identifier"].split())
    return frozenset(words)


def opaque(name: str) -> bool:
    """Return whether a header is a placeholder (``col7``, ``F003``, ``unnamed_2``, ``ZZ10``)."""
    words = [w for w in split_words(name) if not w.isdigit()]
    return all(w in OPAQUE_WORDS or len(w) >= 2 and len(set(w)) == 1 for w in words)


def _translit(text: str) -> str:
    """Return German umlauts and ß spelled the ASCII way (``änderung`` → ``aenderung``)."""
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"),
                 ("ß", "ss")):
        text = text.replace(a, b)
    return text


def _type_fit(domain_type: str, col_type: str, hints: list) -> float:
    if domain_type == col_type:
        return 1.0
    if col_type == "string" and "money_text" in hints and domain_type in ("float", "integer"):
        return 0.9
    if col_type == "string" and domain_type in ("date", "timestamp") and \
            any(str(h).startswith("formats:") for h in hints or ()):
        return 0.9
    return TYPE_FIT.get((domain_type, col_type), 0.55)


# ---------------------------------------------------------------------------------------- names
class _NameIndex:
    """The catalog's aliases as word-index arrays, with IDF weights, for vectorized scoring."""

    def __init__(self, catalog: DomainCatalog):
        self.vocab = catalog.vocabulary
        texts, owners = [], []
        for i, d in enumerate(catalog.domains):
            extra = [fold(_translit(str(a))) for names in d.aliases.values() for a in names
                     if _translit(str(a)) != str(a)]
            for w in dict.fromkeys([*d.words, *extra]):
                texts.append(w)
                owners.append(i)
        self.texts, self.owners = texts, np.asarray(owners)
        self.n_dom = len(catalog.domains)
        self.starts = np.searchsorted(self.owners, np.arange(self.n_dom))
        tokens = [tuple(t for t in split_words(a) if not t.isdigit()) or (fold(a),)
                  for a in texts]
        words = sorted({t for ts in tokens for t in ts})
        self.words, self.word_id = words, {w: k for k, w in enumerate(words)}
        df = np.zeros(len(words))
        for d in range(self.n_dom):
            for k in {self.word_id[t] for a, ts in zip(owners, tokens) if a == d for t in ts}:
                df[k] += 1
        idf = np.log1p(self.n_dom / np.maximum(df, 1))
        idf[[self.word_id[w] for w in words if w in FILLER]] = FILLER_WORD
        self.idf = np.append(idf, 0.0)                        # last: padding
        width = max(len(t) for t in tokens)
        pad = len(words)
        self.alias_words = np.full((len(texts), width), pad)
        for j, ts in enumerate(tokens):
            self.alias_words[j, :len(ts)] = [self.word_id[t] for t in ts]
        self.alias_weight = self.idf[self.alias_words].copy()
        classes = [_class_words(d) for d in catalog.domains]
        self.class_sets = sorted(set(classes), key=sorted)
        self.class_of = np.array([self.class_sets.index(c) for c in classes])
        for j, ts in enumerate(tokens):                  # a class word weighs little in an alias
            for k, t in enumerate(ts):
                if t in classes[owners[j]]:
                    self.alias_weight[j, k] *= 0.3
        self._class_rows: dict[str, np.ndarray] = {}
        contra = frozenset(w for k in CONTRADICTING for w in CLASS_WORDS[k].split())
        self.contra_words = contra
        self._contra: dict[str, bool] = {}
        self.contra_of = np.array([1.0 if not (c & contra) else 0.0 for c in classes])
        self.alias_total = self.alias_weight.sum(axis=1)
        self.alias_len = np.array([len(t) for t in tokens])
        self.compact = ["".join(t) for t in tokens]
        holders: list[list[int]] = [[] for _ in words]
        for j, ts in enumerate(tokens):
            for t in set(ts):
                holders[self.word_id[t]].append(j)
        self.holders = [np.asarray(h, dtype=np.int64) for h in holders]
        self._compact: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.by_initial: dict[str, list[int]] = {}
        for k, w in enumerate(words):
            self.by_initial.setdefault(w[0], []).append(k)
        self.compact_by_initial: dict[str, list[int]] = {}
        for j, c in enumerate(self.compact):
            self.compact_by_initial.setdefault(c[:1], []).append(j)
        self.negatives: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for d, negs in catalog.negative_index.items():
            for n in negs:
                ts = tuple(split_words(n))
                if ts:
                    self.negatives.setdefault(ts[0], []).append((d, ts))
        self.units = []
        for d in catalog.domains:
            keys = set()
            for u in d.units:
                words = [fold(u), *fold(u).split()]
                keys.update(words)
                keys.update(unit_key(x) for x in words if unit_key(x))
            self.units.append(keys)
        self._rows: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.header_cache: dict[tuple, tuple[np.ndarray, dict]] = {}   # per header: scores
        self.regex_cache: dict[tuple, np.ndarray] = {}                 # per value set: rates

    def is_contra(self, token: str) -> bool:
        """Return whether a header word is a date, time or flag class word."""
        hit = self._contra.get(token)
        if hit is None:
            hit = self._contra[token] = max(
                (token_similarity(token, c, False) for c in self.contra_words), default=0.0) >= 0.9
        return hit

    def class_row(self, token: str) -> np.ndarray:
        """Return per class-word set how well a header word is one of its words."""
        hit = self._class_rows.get(token)
        if hit is None:
            near = {c: token_similarity(token, c, False) for cs in self.class_sets for c in cs
                    if c[0] == token[:1]}        # a class word shares the header word's initial
            hit = self._class_rows[token] = np.array(
                [max((near[c] for c in cs if c in near), default=0.0) for cs in self.class_sets])
        return hit

    def row(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (vocabulary indices, similarities) of the words a header word stands for."""
        hit = self._rows.get(token)
        if hit is None:
            idx, sims = [], []
            cands = self.by_initial.get(token[:1], []) if len(token) >= 2 else \
                [self.word_id[token]] if token in self.word_id else []
            loose = token not in self.vocab.known      # "cat" is not a sloppy "cant"
            for k in cands:
                w = self.words[k]
                if len(w) > 1 and len(token) > 1 and token[1] not in w and w[1] not in token:
                    continue                           # cannot be related (see compact_scores)
                s = token_similarity(token, w, loose)
                if s > 0:
                    idx.append(k)
                    sims.append(s)
            hit = self._rows[token] = (np.asarray(idx, dtype=np.int64),
                                       np.asarray(sims, dtype=np.float64))
        return hit

    def compact_scores(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (alias indices, similarity) of aliases close to ``text`` written as one word."""
        hit = self._compact.get(text)
        if hit is not None:
            return hit
        idx, sims = [], []
        if len(text) >= 3:
            for j in self.compact_by_initial.get(text[0], []):
                c = self.compact[j]
                if len(text) < len(c) and len(text) / len(c) < 0.35 or \
                        len(c) > 1 and text[1] not in c and c[1] not in text:
                    continue        # no abbreviation, typo or compound can relate the two
                s = token_similarity(text, c)
                if s > 0:
                    idx.append(j)
                    sims.append(s)
        hit = self._compact[text] = (np.asarray(idx, dtype=np.int64), np.asarray(sims))
        return hit

    def alias_scores(self, variants, beta: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Return per alias the best F-beta / one-word similarity over the header's variants,
        and per alias its best exact coverage (1.0 when every alias word is in the header)."""
        beta = NAME_BETA if beta is None else beta
        tokens = sorted({t for v in variants for t in v})
        pos = {t: i for i, t in enumerate(tokens)}
        weight = np.full(len(tokens), UNKNOWN_WORD)
        rows_of = [self.row(t) for t in tokens]
        compacts = [self.compact_scores("".join(v)) for v in variants]
        cand = [self.holders[k] for idx, _ in rows_of for k in idx]
        cand += [idx for idx, _ in compacts]
        best = np.zeros(len(self.texts))
        exact = np.zeros(len(self.texts))
        if not any(len(c) for c in cand):
            return best, exact
        cand = np.unique(np.concatenate(cand))           # aliases sharing a word with the header
        words = np.unique(self.alias_words[cand])
        local = np.full(len(self.words) + 1, len(words))  # vocabulary → local column
        local[words] = np.arange(len(words))
        dense = np.zeros((len(tokens), len(words) + 1))
        for i, (t, (idx, sims)) in enumerate(zip(tokens, rows_of, strict=True)):
            if len(idx):
                keep = local[idx] < len(words)
                dense[i, local[idx[keep]]] = sims[keep]
                b = int(np.argmax(sims))
                if sims[b] >= 0.5:
                    weight[i] = self.idf[idx[b]]
            if t in FILLER:
                weight[i] = FILLER_WORD
        aw = local[self.alias_words[cand]]
        aw[self.alias_words[cand] == len(self.words)] = len(words)
        a_weight, a_total = self.alias_weight[cand], self.alias_total[cand]
        classes = np.stack([self.class_row(t) for t in tokens])[
            :, self.class_of[self.owners[cand]]]
        where = {int(j): k for k, j in enumerate(cand)}
        contra = np.array([self.is_contra(t) for t in tokens])
        open_to = self.contra_of[self.owners[cand]]      # domains no temporal word describes
        for v, (c_idx, c_sims) in zip(variants, compacts, strict=True):
            rows = [pos[t] for t in v]
            x = dense[rows][:, aw]                                     # words × aliases × L
            col_best = x.max(axis=0)
            cover = (col_best * a_weight).sum(axis=1) / a_total
            hits = ((col_best >= 1.0) * a_weight).sum(axis=1) / a_total
            w = weight[rows]
            explained = np.maximum(x.max(axis=2), 0.9 * classes[rows])
            prec = (w @ explained) / w.sum()
            f = (1 + beta ** 2) * prec * cover / np.maximum(beta ** 2 * prec + cover, 1e-9)
            stray = contra[rows][:, None] & (explained < 0.5)            # "order date" ≠ order id
            f *= np.where(stray.any(axis=0) & (open_to > 0), CONTRADICTION, 1.0)
            if len(c_idx):
                k = np.array([where[int(j)] for j in c_idx])
                f[k] = np.maximum(f[k], c_sims)
            np.maximum(best[cand], f, out=f)
            best[cand] = f
            exact[cand] = np.maximum(exact[cand], hits)
        return best, exact

    def negative_hits(self, variants) -> dict[int, tuple[int, bool]]:
        """Return {domain: (words of its longest negative that is a run of words of a header
        variant, whether a negative is a whole variant)}."""
        out: dict[int, tuple[int, bool]] = {}
        for v in variants:
            for i, t in enumerate(v):
                for d, neg in self.negatives.get(t, ()):
                    if tuple(v[i:i + len(neg)]) == neg:
                        n, whole = out.get(d, (0, False))
                        out[d] = (max(n, len(neg)), whole or len(neg) == len(v))
        return out


_INDEX: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _index(catalog: DomainCatalog) -> _NameIndex:
    idx = _INDEX.get(catalog)
    if idx is None:
        idx = _INDEX[catalog] = _NameIndex(catalog)
    return idx


def _description_variants(text: str) -> tuple[tuple[str, ...], ...]:
    words = tuple(w for w in split_words(fold(text)) if not w.isdigit())
    return (words,) if words else ()


def _header_scores(ix: _NameIndex, c: ColumnEvidence) -> tuple[np.ndarray, dict]:
    """Return one column's per-alias name scores and its negative factors per domain."""
    n_alias = len(ix.texts)
    if opaque(c.name):          # a placeholder says nothing; a description still may
        row, exact, variants = np.zeros(n_alias), np.zeros(n_alias), ()
    else:
        variants = header_variants(c.name, c.table, ix.vocab)
        row, exact = ix.alias_scores(variants)
    negatives = {}
    for d, (neg_len, whole) in ix.negative_hits(variants).items():
        seg = slice(ix.starts[d], ix.starts[d + 1] if d + 1 < ix.n_dom else n_alias)
        longer = ix.alias_len[seg] >= neg_len   # "zip code" is not the negative "code"
        if whole or neg_len >= 2 and not np.any(exact[seg][longer] >= 0.999):
            negatives[d] = NEGATIVE
    if c.description.strip():
        desc = _description_variants(c.description)
        if desc:
            drow, _ = ix.alias_scores(desc, beta=3.0)
            row = np.maximum(row, DESCRIPTION * drow)
    return row, negatives


def name_scores(cols: list[ColumnEvidence], catalog: DomainCatalog) -> tuple[np.ndarray, list]:
    """Return (columns × domains name similarity, best alias per cell)."""
    ix = _index(catalog)
    n_alias = len(ix.texts)
    sims = np.zeros((len(cols), n_alias))
    penal = np.ones((len(cols), ix.n_dom))
    for i, c in enumerate(cols):
        key = (c.name, c.table, c.description)
        hit = ix.header_cache.get(key)
        if hit is None:
            hit = ix.header_cache[key] = _header_scores(ix, c)
            if len(ix.header_cache) > CACHE_SIZE:
                ix.header_cache.clear()
        sims[i], negatives = hit
        for d, factor in negatives.items():
            penal[i, d] = factor
    out = np.maximum.reduceat(sims, ix.starts, axis=1)
    is_max = sims >= out[:, ix.owners] - 1e-12
    first = np.where(is_max, np.arange(n_alias)[None, :], n_alias)
    arg = np.minimum.reduceat(first, ix.starts, axis=1)
    best_alias = [[ix.texts[int(k)] for k in r] for r in arg]
    return np.clip(out * penal, 0.0, 1.0), best_alias


# ---------------------------------------------------------------------------------------- regex
def _distinct(values) -> list[str]:
    return sorted({t for t in (str(v).strip() for v in values if v is not None) if t}
                  )[:MAX_VALUES]


def _case_forms(v: str) -> tuple[str, ...]:
    """Return the value and its capitalized form when it is written in one case (``MÜLLER``),
    and a short lower-case code in capitals (``eur``): a case-sensitive regex keeps its sense
    (upper-case names do not become lower-case user names)."""
    if v.isupper():
        return (v, v.title())
    if v.islower():
        return (v, v.title(), v.upper()) if len(v) <= 3 else (v, v.title())
    return (v,)


_EPOCH = re.compile(r"^1[0-9]{9}(?:[0-9]{3})?$")     # Unix seconds/milliseconds, 2001–2033


def _date_family(rates: np.ndarray, value_lists: list, cols, catalog: DomainCatalog) -> None:
    """Let every date and timestamp domain share the best date-shape evidence of a column.

    A date format one domain's regex lists and another's does not (``20-Apr-1988``) is still a
    date; a column the type inference parsed as dates is one; so are Unix epoch integers for
    timestamps. Rates are raised in place, never lowered.
    """
    dates = np.array([d.type in ("date", "timestamp") for d in catalog.domains])
    stamps = np.array([d.type == "timestamp" for d in catalog.domains])
    if not dates.any():
        return
    shared = 0.95 * rates[:, dates].max(axis=1)
    for i, c in enumerate(cols):
        if c.dtype in ("date", "timestamp"):
            shared[i] = max(shared[i], 0.95)
    rates[:, dates] = np.maximum(rates[:, dates], shared[:, None])
    for i, values in enumerate(value_lists):
        distinct = _distinct(values)
        if distinct and all(v.isdigit() for v in distinct):
            share = sum(1 for v in distinct if _EPOCH.match(v)) / len(distinct)
            if share:
                rates[i, stamps] = np.maximum(rates[i, stamps], 0.9 * share)


_NUMBER = re.compile(r"^[-+]?[0-9]+(?:[.,][0-9]+)?$")


def _regex_matrix(value_lists: list, catalog: DomainCatalog, cues: list | None = None
                  ) -> np.ndarray:
    """Return columns × domains: the share of each column's distinct values each regex matches.

    With a unit cue for a column (``cues``), a bare number is also tried with the unit the
    header gives it (``0.2`` of ``dur_min`` as ``0.2 min``).
    """
    import polars as pl

    cache = _index(catalog).regex_cache
    out = np.zeros((len(value_lists), len(catalog.domains)))
    todo: dict[tuple, list[int]] = {}
    for i, values in enumerate(value_lists):
        key = (tuple(_distinct(values)), (cues[i] if cues else "") or "")
        if key in cache:
            out[i] = cache[key]
        elif key[0]:
            todo.setdefault(key, []).append(i)
    if not todo:
        return out
    batch = list(todo)
    cid, forms, form_of = [], [], []
    n_distinct = np.array([len(d) for d, _ in batch], dtype=float)
    for i, (distinct, cue) in enumerate(batch):
        for k, v in enumerate(distinct):
            extra = (f"{v} {cue}", f"{v}{cue}") if cue and _NUMBER.match(v) else ()
            for f in (*_case_forms(v), *extra):
                cid.append(i)
                form_of.append(k)
                forms.append(f)
    series = pl.Series("v", forms, dtype=pl.Utf8)
    key = np.asarray(cid, dtype=np.int64) * (MAX_VALUES + 1) + np.asarray(form_of)
    uniq, inverse = np.unique(key, return_inverse=True)
    owner = uniq // (MAX_VALUES + 1)
    rates = np.zeros((len(batch), len(catalog.domains)))
    patterns = {d.regex: j for j, d in enumerate(catalog.domains) if d.pattern is not None}
    rust = {r: catalog.rust_regex(j) for r, j in patterns.items()}
    frame = pl.DataFrame({"v": series}).select(
        [pl.col("v").str.contains(p).alias(f"r{k}") for k, (r, p) in enumerate(rust.items())
         if p is not None])                        # one pass of Polars for every regex
    done: dict[str, np.ndarray] = {}
    for k, (r, p) in enumerate(rust.items()):
        if p is not None:
            hit = frame[f"r{k}"].to_numpy()
        else:
            pattern = catalog.domains[patterns[r]].pattern
            hit = np.fromiter((pattern.fullmatch(f) is not None for f in forms), bool,
                              len(forms))
        per_value = np.zeros(len(uniq), dtype=bool)
        np.logical_or.at(per_value, inverse, hit)
        done[r] = np.bincount(owner, weights=per_value, minlength=len(batch))
    for j, d in enumerate(catalog.domains):
        if d.pattern is not None:
            rates[:, j] = done[d.regex]
    rates /= n_distinct[:, None]
    if len(cache) + len(batch) > CACHE_SIZE:
        cache.clear()
    for k, key in enumerate(batch):
        cache[key] = rates[k]
        out[todo[key]] = rates[k]
    return out


def regex_rates(values: list, catalog: DomainCatalog) -> np.ndarray:
    """Return per domain the share of the distinct values its regex fully matches."""
    return _regex_matrix([values], catalog)[0]


# ---------------------------------------------------------------------------------------- score
CAL_MAX = 0.99          # no evidence makes an automatic assignment certain
CAL_FEATURES = ("score", "margin", "clear", "name", "regex", "regex_miss", "value", "name_top",
                "value_top", "no_name", "no_values")
CLEAR_MARGIN = 0.1      # a lead this large over the unrelated runner-up is a clear win


def _calibrate(features: dict, cal: dict) -> float:
    """Return the banded score of a column's winning domain.

    Without a calibration in the profile this is the raw score. With one, it is a logistic
    function of the winner's evidence: its raw score, its margin over the best unrelated
    runner-up (and whether that is a clear lead), its name, regex strength (and how clearly a specific regex rejects the values),
    value similarity, whether it is also the best by
    name alone and by values alone, and which evidence the column lacked (``cal`` holds one weight per feature and a bias; see ``evaluation.fit_calibration``).
    """
    if not cal:
        return float(min(max(features["score"], 0.0), 1.0))
    z = float(cal.get("bias", 0.0)) + sum(float(cal.get(k, 0.0)) * float(features[k])
                                          for k in CAL_FEATURES)
    return float(min(CAL_MAX, 1.0 / (1.0 + np.exp(-z))))


def score_columns(cols: list[ColumnEvidence], catalog: DomainCatalog, profile: dict, *,
                  use_values: bool = True, extra_name: np.ndarray | None = None) -> list[dict]:
    """Return per column its best domain (or None), score, band and evidence.

    ``extra_name`` (columns × domains, optional) is another name similarity, e.g. from an
    embedding model (``embeddings.name_similarity``); per cell the larger of it and the offline
    name score counts.
    """
    return _score(cols, catalog, profile, use_values, extra_name)[0]


def _score(cols: list[ColumnEvidence], catalog: DomainCatalog, profile: dict,
           use_values: bool, extra_name: np.ndarray | None = None
           ) -> tuple[list[dict], list[dict]]:
    """Return ``score_columns``'s results and each column's calibration features."""
    if not cols:
        return [], []
    conf = profile["domaining"]
    w = conf["weights"]
    alpha, beta, gamma, eps = (float(w[k]) for k in ("alpha", "beta", "gamma", "epsilon"))
    cal = conf.get("calibration") or {}
    n, n_dom = len(cols), len(catalog.domains)
    names, aliases = name_scores(cols, catalog)
    if extra_name is not None:
        names = np.maximum(names, np.clip(np.asarray(extra_name, dtype=float), 0.0, 1.0))
    has_regex = np.array([d.pattern is not None for d in catalog.domains])
    spec = catalog.regex_specificity
    rvalues = [c.regex_values if c.regex_values is not None else c.values for c in cols]
    cues = [unit_cue(c) for c in cols]
    rates = _regex_matrix(rvalues, catalog, cues)
    _date_family(rates, rvalues, cols, catalog)
    regex = rates * spec
    with_values = np.array([bool(use_values and c.values) for c in cols])
    vsims = np.zeros((n, n_dom))
    if with_values.any():
        sims = np.clip(similarity(catalog.weighted_values(value_vectors(
            [c.values for c, v in zip(cols, with_values) if v])), catalog.value_vectors),
            0.0, 1.0)
        # half absolute, half relative to the column's most similar domain: examples are few,
        # so even the right domain's cosine is modest; being the closest is evidence too
        vsims[with_values] = 0.5 * sims + 0.5 * sims / np.maximum(
            sims.max(axis=1, keepdims=True), 1e-9)
    informative = np.array([not opaque(c.name) for c in cols]) | (names.max(axis=1) >= INFORMATIVE)
    have_values = np.array([any(v is not None and str(v).strip() for v in rv) for rv in rvalues])
    units = _unit_matrix(cues, _index(catalog).units)
    has_cue = np.array([bool(c) for c in cues])
    # the weighted mean over the evidence each column has, the same parts for every domain
    fallback = np.where(with_values[:, None], vsims, 0.5)  # a loose regex: weight to shapes
    num = (alpha * informative[:, None] * names
           + beta * have_values[:, None] * (regex + (1.0 - spec) * fallback)
           + gamma * with_values[:, None] * vsims + eps * has_cue[:, None] * units)
    den = alpha * informative + beta * have_values + gamma * with_values + eps * has_cue
    raw = num / np.where(den > 0, den, 1.0)[:, None]
    base_fit = _fit_matrix(cols, [d.type for d in catalog.domains])
    boost = have_values & np.array([c.dtype in ("string", "integer", "float") for c in cols])
    fit = np.where(boost[:, None], base_fit + (1.0 - base_fit) * regex, base_fit)
    score = raw * fit
    order = np.argsort(-score, axis=1, kind="stable")
    best = order[:, 0]
    rows = np.arange(n)
    top = score[rows, best]
    runner = np.where(catalog.related[best], -np.inf, score).max(axis=1)
    runner = np.maximum(runner, 0.0)
    evidence_v = np.where(with_values[:, None], regex + (1.0 - spec) * vsims, regex)
    margin = top - runner
    feats = {"score": top, "margin": margin,
             "clear": np.minimum(1.0, np.maximum(margin, 0.0) / CLEAR_MARGIN),
             "name_top": informative & (names[rows, best] >= names.max(axis=1) - 0.02),
             "value_top": have_values & (evidence_v[rows, best] >= evidence_v.max(axis=1) - 0.02),
             "name": np.where(informative, names[rows, best], 0.0),
             "regex": np.where(have_values, regex[rows, best], 0.0),
             "regex_miss": np.where(have_values, spec[best] * (1.0 - rates[rows, best]), 0.0),
             "value": np.where(with_values, vsims[rows, best], 0.0),
             "no_name": ~informative, "no_values": ~have_values}
    results, trace = [], []
    for i, col in enumerate(cols):
        features = {k: float(v[i]) for k, v in feats.items()}
        b_i = int(best[i])
        s = float(round(_calibrate(features, cal), 4))
        trace.append(features)
        b = band(s, profile)
        ratio = s / max(float(top[i]), 1e-9)     # alternatives on the winner's scale
        alts = [{"domain": catalog.domains[int(j)].id,
                 "score": s if int(j) == b_i else round(float(min(score[i, j] * ratio, s)), 4)}
                for j in order[i, :3]]
        vals = with_values[i]
        rx = bool(have_values[i] and has_regex[b_i])
        evidence = {
            "header_words": header_words(col.name, col.table),
            "best_alias": aliases[i][b_i] if informative[i] else "",
            "components": {"name": round(float(names[i, b_i]), 4) if informative[i] else None,
                           "regex": round(float(regex[i, b_i]), 4) if rx else None,
                           "regex_hit_rate": round(float(rates[i, b_i]), 4) if rx else None,
                           "value": round(float(vsims[i, b_i]), 4) if vals else None,
                           "unit": float(units[i, b_i]) if cues[i] else None,
                           "type_fit": round(float(fit[i, b_i]), 4)},
            "unit_cue": cues[i], "dtype": col.dtype, "alternatives": alts,
        }
        results.append({"table": col.table, "column": col.name,
                        "domain": catalog.domains[b_i].id if b != "low" else None,
                        "candidate": catalog.domains[b_i].id, "score": s, "band": b,
                        "evidence": evidence})
    return results, trace


def _unit_matrix(cues: list[str], dom_units: list[set]) -> np.ndarray:
    """Return columns × domains: 1 where the column's unit cue is one of the domain's units."""
    out = np.zeros((len(cues), len(dom_units)))
    for i, cue in enumerate(cues):
        if cue:
            key = unit_key(cue) or cue
            out[i] = [1.0 if key in u or cue in u else 0.0 for u in dom_units]
    return out


def _fit_matrix(cols: list[ColumnEvidence], dom_types: list[str]) -> np.ndarray:
    """Return columns × domains: the type fit of each column's type to each domain's."""
    fits: dict[tuple, np.ndarray] = {}
    out = np.zeros((len(cols), len(dom_types)))
    for i, c in enumerate(cols):
        key = (c.dtype, "money_text" in (c.hints or ()),
               any(str(h).startswith("formats:") for h in c.hints or ()))
        if key not in fits:
            fits[key] = np.array([_type_fit(t, c.dtype, c.hints) for t in dom_types])
        out[i] = fits[key]
    return out
