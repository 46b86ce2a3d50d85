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


def _relaxed(s: Sig, freq: list[Counter], positions: list[int]) -> Sig:
    """Return s with its rare identifier-like tokens (in at most two signatures) as holes.

    Where other signatures already have ``<*>`` at that position the hole is ``<*>`` itself, so
    a rare identifier without digits meets the masked values of the same variable
    (``org.acme.Job`` / ``org.acme.v2.Task`` → ``<*>``) even where a second position differs.
    """
    out = list(s)
    for p in positions:
        t = s[p]
        if t != WILDCARD and freq[p][t] <= 2 and _IDENT.search(t):
            out[p] = WILDCARD if WILDCARD in freq[p] else _HOLE
    return tuple(out)


_NAME = re.compile(r"[^\W\d_][\w.-]*")


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
        for s in bucket:
            for p, t in enumerate(s):
                if _NAME.fullmatch(t):
                    slots[(width, p, s[:p] + s[p + 1:])].add(t)
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
    """Return old → new for one set of equal-length signatures, merged to a fixed point."""
    parent: dict[Sig, Sig] = {}
    current = set(sigs)
    positions = [p for p in range(width) if len({s[p] for s in current}) > 1]
    changed = bool(positions)
    while changed:
        changed = False
        freq = [Counter() for _ in range(width)]
        for s in current:
            for p in positions:
                freq[p][s[p]] += 1
        memo: dict[Sig, Sig] = {}
        for p in positions:
            families: dict[Sig, list[Sig]] = defaultdict(list)
            for s in current:
                r = memo.get(s)
                if r is None:
                    r = memo[s] = _relaxed(s, freq, positions)
                families[r[:p] + r[p + 1:]].append(s)
            moves: dict[Sig, Sig] = {}
            for key, members in families.items():
                if len(members) < 2 or not any(t not in (WILDCARD, _HOLE) for t in key):
                    continue
                vals = sorted({s[p] for s in members})
                if len(vals) < 2 or not _is_variable(vals, key, p, min_distinct, entities):
                    continue
                if _HOLE in key and not all(_IDENT.search(v) for v in vals):
                    continue
                tok = _merged_token(vals)
                for s in members:
                    if s[p] != tok:
                        moves[s] = s[:p] + (tok,) + s[p + 1:]
            if moves:
                changed = True
                parent.update(moves)
                current = {moves.get(s, s) for s in current}
    return parent


def _generalises(vals: list[str]) -> bool:
    """Return whether one value is an already merged token that matches all the others."""
    for v in vals:
        if WILDCARD in v:
            pattern = re.compile(".*".join(map(re.escape, v.split(WILDCARD))), re.DOTALL)
            if all(pattern.fullmatch(o) for o in vals):
                return True
    return False


def _is_variable(vals: list[str], key: Sig, p: int, min_distinct: int,
                 entities: frozenset[str]) -> bool:
    """Return whether the distinct values at position p of one family make it a variable.

    It is when ``<*>`` is among them or one of them is an already merged token that matches the
    others (``<*>(<*>)`` and ``koala(<*>)``); when three are file paths or three are
    dotted identifiers (``system.time.show``, class and package names); when at least
    ``_MIN_SHARED`` are names that also fill a variable of another template
    (:func:`_entity_values`); or when there are ``min_distinct`` of them. The first word of a
    message is usually its verb or event name (``boot (command 12)`` / ``halt (command
    13)``): plain words there need three times as many distinct values.
    """
    if WILDCARD in vals or _generalises(vals):
        return True
    if len(vals) >= min(3, min_distinct) and (all(_PATH.search(v) for v in vals)
                                              or all(_DOTTED.fullmatch(v) for v in vals)):
        return True
    named = sum(v in entities for v in vals)
    if named >= _MIN_SHARED and 2 * named >= len(vals):
        return True
    need = min_distinct
    if all(t == WILDCARD for t in key[:p]) and all(v.isalpha() for v in vals):
        need *= 3
    return len(vals) >= need


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
