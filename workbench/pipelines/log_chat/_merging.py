"""Generalisation of masked signatures into templates, by the values seen at each token position.

Masking (``_masking.py``) already turns everything with a digit into ``<*>``; what is left are
variables without digits (user names, host names, file and class names) and constant words.
Signatures of the same length are compared position by position: the signatures that agree
everywhere except at one position form a *family*, and the position is made a variable when

- one of the family's values there is already ``<*>`` (a variable that sometimes has digits), or
  an already merged token that matches the others;
- the values are names that also fill a variable of *another* template (``session opened for
  user X by …`` and ``session closed for user X`` with the same three users): few suffice;
- three of them are file paths or dotted identifiers (``system.time.show``);
- the family has at least ``min_distinct`` different values there (a name, not a keyword: messages
  that differ in one constant word, such as ``VM Started`` / ``VM Stopped``, have few), three
  times as many for plain words that start the message (its verb: ``boot (command 3)``).

A merge never leaves a template without a constant token. Merging repeats until nothing changes.
The result depends only on the set of signatures, not on their order, so it is deterministic and
the same for a batch and for a stream that has seen the same lines. A position's merged token
keeps the values' common prefix and suffix up to a delimiter (``user=root``, ``user=admin`` →
``user=<*>``).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import chain, compress
from operator import itemgetter

from ._masking import WILDCARD

Sig = tuple[str, ...]
_CUT = set("=:,;([{<|@#/\"'")


def _has_constant(key: Sig) -> bool:
    return any(t != WILDCARD for t in key)


def _common_prefix(vals: list[str]) -> str:
    first, last = min(vals), max(vals)
    n = 0
    for a, b in zip(first, last):
        if a != b:
            break
        n += 1
    pre = first[:n]
    while pre and pre[-1] not in _CUT:
        pre = pre[:-1]
    return pre


def _merged_token(vals: list[str]) -> str:
    if WILDCARD in vals:
        return WILDCARD
    pre = _common_prefix(vals)
    rest = [v[len(pre):] for v in vals]
    suf = _common_prefix([v[::-1] for v in rest])[::-1]
    if any(len(v) <= len(suf) for v in rest):
        suf = ""
    return pre + WILDCARD + suf


_IDENT = re.compile(r"[./_:=@\\\"']|[a-z][A-Z]|<\*>")
_PUNCT = re.compile(r"[^\w<>*]+|<\*>")
_UNITS = frozenset(["b", "k", "kb", "mb", "gb", "tb", "kib", "mib", "gib", "m", "ms", "us", "ns", "s", "sec", "secs", "min", "mins", "h", "hr", "hrs", "%"])
_HOLE = "\x00"
_MIN_SHARED = 3
_PATH = re.compile(r"(?:^|[\s=:(\[\"'])(?:/|[A-Za-z]:\\)[^/\\\s]+[/\\]|[^/\s]/[^/\s]+/")
_DOTTED = re.compile(r"[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*){2,}[:,;]?")


def _relaxed(s: Sig, freq: list[Counter], positions: list[int],
             ident: dict[str, bool] | None = None) -> Sig:
    """Return s with its rare identifier-like tokens (in at most two signatures) as holes.

    Where other signatures already have ``<*>`` at that position the hole is ``<*>`` itself, so
    a rare identifier without digits meets the masked values of the same variable
    (``org.acme.Job`` / ``org.acme.v2.Task`` → ``<*>``) even where a second position differs.
    ``ident`` memoises which tokens look like identifiers.
    """
    out = None
    for p in positions:
        t = s[p]
        if t != WILDCARD and freq[p][t] <= 2:
            if ident is None:
                hit = _IDENT.search(t) is not None
            else:
                hit = ident.get(t)
                if hit is None:
                    hit = ident[t] = _IDENT.search(t) is not None
            if hit:
                if out is None:
                    out = list(s)
                out[p] = WILDCARD if WILDCARD in freq[p] else _HOLE
    return s if out is None else tuple(out)


_NAME = re.compile(r"[^\W\d_][\w.-]*")


def _names(sigs: Iterable[Sig]) -> set[str]:
    """Return the distinct tokens of the signatures that are names (each token matched once)."""
    match = _NAME.fullmatch
    return {t for t in set(chain.from_iterable(sigs)) if match(t)}


def _entity_values(buckets: dict[int, set[Sig]], min_shared: int) -> frozenset[str]:
    """Return digit-free words that fill the same variable in two different templates.

    A *slot* is one position of the signatures that agree everywhere else. When two slots of
    different templates (another length or another position) share at least ``min_shared``
    values, those values are names (``session opened for user cyrus by …`` and ``session
    closed for user cyrus``, with ``news`` and ``test`` in both), not keywords: keywords that
    alternate (``VM Started`` / ``VM Paused``) do so in one template only.
    """
    slots: dict[tuple, set[str]] = defaultdict(set)
    for width, bucket in buckets.items():
        if width < 2 or len(bucket) < 2:
            continue
        names = _names(bucket)
        sigs = list(bucket)
        distinct = [len(set(map(itemgetter(p), sigs))) for p in range(width)]
        for p in range(width):  # a slot keyed by the other varying positions (the rest is fixed)
            if distinct[p] < min_shared:
                continue
            others = [q for q in range(width) if q != p and distinct[q] > 1]
            keys = list(map(itemgetter(*others), sigs)) if others else [()] * len(sigs)
            common = {k for k, n in Counter(keys).items() if n >= min_shared}
            if not common:
                continue
            for k, t in zip(keys, map(itemgetter(p), sigs)):
                if t in names and k in common:
                    slots[(width, p, k)].add(t)
    by_value: dict[str, list[int]] = defaultdict(list)
    keys = []
    for key, vals in slots.items():
        if len(vals) >= min_shared:
            keys.append((key[0], key[1], vals))
            for v in vals:
                by_value[v].append(len(keys) - 1)
    out: set[str] = set()
    for i, (width, pos, vals) in enumerate(keys):
        shared = Counter(j for v in vals for j in by_value[v] if j != i)
        for j, n in shared.items():
            if n >= min_shared and keys[j][:2] != (width, pos):
                out |= vals & keys[j][2]
    return frozenset(out)


def _merge_bucket(sigs: set[Sig], width: int, min_distinct: int,
                  entities: frozenset[str] = frozenset()) -> dict[Sig, Sig]:
    """Return old → new for one set of equal-length signatures, merged to a fixed point.

    Positions where all signatures agree stay constant, so a family (the signatures that agree
    everywhere except at position p) is keyed by the other *varying* positions only, extracted
    with one ``itemgetter`` call per signature; only keys shared by two signatures are grouped.
    """
    parent: dict[Sig, Sig] = {}
    current = list(sigs)
    positions = [p for p in range(width) if len({s[p] for s in current}) > 1]
    fixed = [q for q in range(width) if q not in positions]
    const_ok = any(current[0][q] != WILDCARD for q in fixed) if current else False
    getters = {}
    for p in positions:
        others = [q for q in positions if q != p]
        getters[p] = itemgetter(*others) if others else None
    ident: dict[str, bool] = {}
    changed = bool(positions)
    while changed:
        changed = False
        freq = [Counter() for _ in range(width)]
        for p in positions:
            freq[p] = Counter(map(itemgetter(p), current))
        memo: dict[Sig, Sig] = {}

        def relax(s: Sig, memo=memo, freq=freq) -> Sig:
            r = memo.get(s)
            if r is None:
                r = memo[s] = _relaxed(s, freq, positions, ident)
            return r

        rel = list(map(relax, current))
        for p in positions:
            get = getters[p]
            keys = list(map(get, rel)) if get is not None else [()] * len(rel)
            counts = Counter(keys)
            shared = {k for k, n in counts.items() if n > 1}
            if not shared:
                continue
            families: dict = defaultdict(list)
            for i in compress(range(len(keys)), map(shared.__contains__, keys)):
                families[keys[i]].append(i)
            moves: dict[Sig, Sig] = {}
            for idx in families.values():
                r0 = rel[idx[0]]
                if not const_ok and not any(r0[q] not in (WILDCARD, _HOLE)
                                            for q in positions if q != p):
                    continue
                vals = sorted({current[i][p] for i in idx})
                if len(vals) < 2 or not _is_variable(vals, r0[:p], min_distinct, entities):
                    continue
                if (any(r0[q] == _HOLE for q in positions if q != p)
                        and not all(_IDENT.search(v) for v in vals)):
                    continue
                tok = _merged_token(vals)
                for i in idx:
                    s = current[i]
                    if s[p] != tok:
                        moves[s] = s[:p] + (tok,) + s[p + 1:]
            if moves:
                changed = True
                parent.update(moves)
                current = list(dict.fromkeys(map(moves.get, current, current)))
                rel = list(map(relax, current))
    return parent


def _wild_match(pattern: str, value: str) -> bool:
    """Return whether ``value`` matches a merged token, ``<*>`` standing for any text."""
    parts = pattern.split(WILDCARD)
    first, last = parts[0], parts[-1]
    if len(value) < len(first) + len(last) or not value.startswith(first) \
            or not value.endswith(last):
        return False
    pos, end = len(first), len(value) - len(last)
    for part in parts[1:-1]:
        pos = value.find(part, pos, end)
        if pos < 0:
            return False
        pos += len(part)
    return True


def _generalises(vals: list[str]) -> bool:
    """Return whether one value is an already merged token that matches all the others."""
    for v in vals:
        if WILDCARD in v and all(_wild_match(v, o) for o in vals):
            return True
    return False


def _is_variable(vals: list[str], head: Sig, min_distinct: int,
                 entities: frozenset[str]) -> bool:
    """Return whether the distinct values at position p of one family make it a variable.

    It is when ``<*>`` is among them or one of them is an already merged token that matches the
    others (``<*>(<*>)`` and ``koala(<*>)``); when three are file paths or three are
    dotted identifiers (``system.time.show``, class and package names); when at least
    ``_MIN_SHARED`` are names that also fill a variable of another template
    (:func:`_entity_values`); or when there are ``min_distinct`` of them. The first word of a
    message is usually its verb or event name (``boot (command 12)`` / ``halt (command
    13)``): plain words there need three times as many distinct values (``head`` is the
    family's tokens before p).
    """
    need = min_distinct
    if all(t == WILDCARD for t in head) and all(v.isalpha() for v in vals):
        need *= 3
    if len(vals) >= need or WILDCARD in vals or _generalises(vals):
        return True
    if len(vals) >= min(3, min_distinct) and (all(_PATH.search(v) for v in vals)
                                              or all(_DOTTED.fullmatch(v) for v in vals)):
        return True
    named = sum(v in entities for v in vals)
    return named >= _MIN_SHARED and 2 * named >= len(vals)


def _skeleton(sig: Sig) -> Sig:
    """Return the strong constants of a signature: not variables, not units such as ``KB)``."""
    out = []
    for t in sig:
        if WILDCARD in t and not _LETTERS.search(t.replace(WILDCARD, "")):
            continue
        if _PUNCT.sub("", t).lower() in _UNITS:
            continue
        out.append(t)
    return tuple(out)


_LETTERS = re.compile(r"[^\W\d_]")


def _join_lengths(roots: set[Sig]) -> dict[Sig, Sig]:
    """Return root → representative for roots whose strong constants are the same sequence.

    Such templates differ only in optional variables and units (``3 bytes sent`` /
    ``3 bytes (2.9 KB) sent``); the representative is the shortest, then the smallest.
    """
    groups: dict[Sig, list[Sig]] = defaultdict(list)
    for r in roots:
        groups[_skeleton(r)].append(r)
    out: dict[Sig, Sig] = {}
    for skel, members in groups.items():
        if len(members) < 2 or len(skel) < 2:
            continue
        best = min(members, key=lambda m: (len(m), m))
        for m in members:
            out[m] = best
    return out


def generalise(sigs: Iterable[Sig], min_distinct: int = 5) -> dict[Sig, Sig]:
    """Return the generalised signature of every given signature (unchanged ones map to self).

    >>> users = [("Invalid", "user", u, "from", "<*>") for u in "ann bob cy dee ed".split()]
    >>> sorted(set(generalise(users).values()))
    [('Invalid', 'user', '<*>', 'from', '<*>')]
    >>> vm = [("VM", w) for w in ("Started", "Stopped", "Paused")]
    >>> sorted(generalise(vm).values())
    [('VM', 'Paused'), ('VM', 'Started'), ('VM', 'Stopped')]
    """
    buckets: dict[int, set[Sig]] = defaultdict(set)
    for s in set(sigs):
        buckets[len(s)].add(s)
    entities = _entity_values(buckets, _MIN_SHARED)
    out: dict[Sig, Sig] = {}
    for width, bucket in buckets.items():
        parent = _merge_bucket(bucket, width, min_distinct, entities) \
            if width > 1 and len(bucket) > 1 else {}
        for s in bucket:
            root = s
            while root in parent:
                root = parent[root]
            out[s] = root
    joined = _join_lengths(set(out.values()))
    return {s: joined.get(r, r) for s, r in out.items()}
