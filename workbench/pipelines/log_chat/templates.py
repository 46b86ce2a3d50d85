"""Log template mining: one template per line, ``<*>`` for the variable parts.

:func:`mine_templates` gives every line its template; two lines are in one group exactly when
their templates are equal strings. :class:`TemplateMiner` is the streaming miner behind it: feed
it lines one at a time (or in batches), ask for templates at any point, and get the *final*
template of every line seen once the input is done (templates generalise as lines arrive).

How it works (details in ``_masking.py`` and ``_merging.py``):

1. a line's *shape* (its bytes without digits and ``a-f``) is looked up in a bounded cache; lines
   that differ only in numbers and hex ids share it, so most lines cost a few C-level operations;
2. a new shape is masked into a signature: pieces with digits, dates, MAC/IPv6 addresses become
   ``<*>``, runs of variables fold into one (lists of any length, multi-token timestamps);
3. signatures of equal length that differ at one position are merged when that position is
   evidently a variable (one value is already ``<*>``, or there are many distinct values).

The result depends only on the lines, never on global state: the same input gives the same
output, and a stream that has seen the same lines gives the same templates as a batch.
"""
from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable
from itertools import compress, repeat
from operator import and_, contains, eq, itemgetter

from ._headers import HEADER
from ._masking import _DIGITS, _EMPTY, _ZERO, WILDCARD, fold, hex_key, mask_token
from ._merging import Sig, generalise

__all__ = ["TemplateMiner", "mine_templates"]

_HEX_SHAPE = bytes.maketrans(b"0123456789abcdef", b"0" * 16)
_DIGIT_TOKEN = re.compile(rb"\S*[0-9]\S*")
_HEX_RUN = bytes.maketrans(b"abcdefABCDEF" + bytes(c for c in range(256) if chr(c) not in "abcdefABCDEF"),
                           b"x" * 12 + b"." * 244)


class TemplateMiner:
    """Streaming template miner: ``add`` lines, read templates by id, get every line's template.

    Memory is bounded by the number of distinct signatures (plus, when ``record_lines`` is on,
    4 bytes per line for :meth:`line_templates`); each cache is cleared when it reaches
    ``max_cache`` entries, which costs speed, never correctness.

    >>> m = TemplateMiner()
    >>> ids = [m.add(f"Invalid user {u} from 10.0.0.{i}")
    ...        for i, u in enumerate("ann bob joe kim liz".split())]
    >>> m.template(ids[0])
    'Invalid user <*> from <*>'
    >>> m.line_templates()[-1]
    'Invalid user <*> from <*>'
    """

    def __init__(self, *, record_lines: bool = True, min_distinct: int = 5,
                 max_cache: int = 500_000) -> None:
        if min_distinct < 2:
            raise ValueError(f"min_distinct must be >= 2, got {min_distinct}")
        self.min_distinct = min_distinct
        self.max_cache = max_cache
        self._keys: dict[bytes, int] = {}        # line without digits -> signature id
        self._tokens: dict[bytes, str] = {}      # token without digits -> masked token
        self._hexed: dict[bytes, str] = {}       # token with digits, hex letters as 0 -> masked
        self._masked: dict[tuple, int] = {}      # masked tokens (unfolded) -> signature id
        self._shapes: dict[bytes, list] = {}     # hex shape -> [id, first line, mask, masked]
        self._sig_ids: dict[Sig, int] = {}
        self._sigs: list[Sig] = []
        self._lines: array | None = array("I") if record_lines else None
        self._counts: list[int] | None = None if record_lines else []
        self._final: list[str] | None = None

    def _full(self, keys: list[bytes], datas: list[bytes]) -> list[int]:
        """Return the signature ids of lines whose key is not cached (header, tokens, fold)."""
        starts = [m.end() if m else 0 for m in map(HEADER.match, datas)]
        bodies = [d[n:] if n else d for d, n in zip(datas, starts, strict=True)]
        toks = list(map(bytes.split, map(bytes.translate, bodies, repeat(_ZERO))))
        cache = self._tokens
        masked = list(map(tuple, map(map, repeat(cache.get), toks)))
        for i in compress(range(len(masked)), map(contains, masked, repeat(None))):
            if len(cache) >= self.max_cache:
                cache.clear()
            out = list(map(cache.get, toks[i]))   # an earlier line of the batch may know some
            for j in [j for j, m in enumerate(out) if m is None]:
                out[j] = cache[toks[i][j]] = self._mask(toks[i][j])
            masked[i] = tuple(out)
        known = self._masked
        sids = []
        for start, m in zip(starts, masked, strict=True):
            if start:
                m = (WILDCARD, *m)
            sid = known.get(m)
            if sid is None:
                sig = fold(m)
                sid = self._sig_ids.get(sig)
                if sid is None:
                    sid = self._sig_ids[sig] = len(self._sigs)
                    self._sigs.append(sig)
                    if self._counts is not None:
                        self._counts.append(0)
                    self._final = None
                if len(known) >= self.max_cache:
                    known.clear()
                known[m] = sid
            sids.append(sid)
        self._remember(keys, sids)
        return sids

    def _mask(self, tok: bytes) -> str:
        """Return the masked form of one digit-normalised token (cached by its hex form)."""
        if 48 not in tok:  # no b"0": a word, masked by itself
            word = tok.decode("utf-8", "surrogatepass")
            if b":" not in tok and b"<*>" not in tok and word not in _EMPTY \
                    and b"xxxxxxxx" not in tok.translate(_HEX_RUN):
                return word  # no hex run or address to mask: the word is its own mask
            return mask_token(word)
        h = hex_key(tok)
        m = self._hexed.get(h)
        if m is None:
            if len(self._hexed) >= self.max_cache:
                self._hexed.clear()
            m = self._hexed[h] = mask_token(tok.decode("utf-8", "surrogatepass"))
        return m

    def _remember(self, keys: list[bytes], sids: list[int]) -> None:
        if len(self._keys) + len(keys) > self.max_cache:
            self._keys.clear()
        self._keys.update(zip(keys, sids))

    def _resolve(self, keys: list[bytes], datas: list[bytes]) -> None:
        """Give signature ids to distinct uncached keys (first-seen order), cheapest way first.

        A line's *hex shape* (digits and ``a-f`` as ``0``, lengths kept) is shared by lines that
        differ only in numbers and hex ids (UUIDs, MAC addresses, hashes). The first line of a
        shape is mined in full; a later line of the same shape takes its id when the two differ
        only inside the first line's tokens that contain digits (one integer mask comparison,
        so words such as ``added`` / ``faced`` never meet); any other line is mined in full.
        """
        shapes = self._shapes
        k2s = list(map(bytes.translate, datas, repeat(_HEX_SHAPE)))
        first = dict(zip(reversed(k2s), range(len(k2s) - 1, -1, -1)))
        new = sorted(i for k2, i in first.items() if k2 not in shapes)
        if new:
            sids = self._full([keys[i] for i in new], [datas[i] for i in new])
            if len(shapes) + len(new) > self.max_cache:
                shapes.clear()
            for i, sid in zip(new, sids, strict=True):
                shapes[k2s[i]] = [sid, datas[i], None, None]
            if len(new) == len(keys):
                return
            done = set(new)
            rest = [i for i in range(len(keys)) if i not in done]
        else:
            rest = range(len(keys))
        ents = [shapes.get(k2s[i]) for i in rest]
        check, fail = [], []
        for i, e in zip(rest, ents, strict=True):
            if e is None:
                fail.append(i)
                continue
            if e[2] is None:  # the first later line of this shape: build the reference mask
                ref = e[1]
                mask = bytearray(b"\xff") * len(ref)
                for m in _DIGIT_TOKEN.finditer(ref):
                    mask[m.start():m.end()] = bytes(m.end() - m.start())
                e[2] = int.from_bytes(mask, "big")
                e[3] = int.from_bytes(ref, "big") & e[2]
            check.append(i)
        if check:
            es = [shapes[k2s[i]] for i in check]
            vals = map(int.from_bytes, [datas[i] for i in check], repeat("big"))
            ok = list(map(eq, map(and_, vals, map(itemgetter(2), es)), map(itemgetter(3), es)))
            good = list(compress(check, ok))
            self._remember([keys[i] for i in good],
                           [e[0] for e, o in zip(es, ok, strict=True) if o])
            fail += [i for i, o in zip(check, ok, strict=True) if not o]
        if fail:
            fail.sort()
            self._full([keys[i] for i in fail], [datas[i] for i in fail])

    def add(self, line: str) -> int:
        """Return the template id of one line (ids are stable; their templates may generalise)."""
        sid = self._assign((line,))[0]
        if self._lines is not None:
            self._lines.append(sid)
        else:
            self._counts[sid] += 1
        return sid

    def add_many(self, lines: Iterable[str]) -> array:
        """Return the template ids of many lines (the fast path of :meth:`add`, one per line)."""
        out = self._assign(lines)
        if self._lines is not None:
            self._lines.extend(out)
        else:
            counts = self._counts
            for sid, n in Counter(out).items():
                counts[sid] += n
        return out

    def _assign(self, lines: Iterable[str]) -> array:
        """Return the ids of lines; uncached keys are resolved in batches (:meth:`_resolve`).

        A batch is flushed when it holds 4,096 keys or when its keys start to repeat (most lines
        then hit the cache once the batch is resolved), and at the end.
        """
        get = self._keys.get
        out = array("I")
        push = out.append
        pend: dict[bytes, list] = {}   # uncached key -> [first line's bytes, positions...]
        repeats = 0
        for line in lines:
            try:
                data = line.encode()
            except UnicodeEncodeError:
                data = line.encode("utf-8", "surrogatepass")
            key = data.translate(None, _DIGITS)
            sid = get(key)
            if sid is None:
                wait = pend.get(key)
                if wait is None:
                    pend[key] = [data, len(out)]
                else:
                    wait.append(len(out))
                    repeats += 1
                push(0)
                if repeats > 64 + len(pend) or len(pend) >= 4096:
                    self._flush(pend, out)
                    pend, repeats, get = {}, 0, self._keys.get
            else:
                push(sid)
        if pend:
            self._flush(pend, out)
        return out

    def _flush(self, pend: dict[bytes, list], out: array) -> None:
        order = list(pend)
        self._resolve(order, [pend[k][0] for k in order])
        for key, wait in pend.items():
            sid = self._keys.get(key)
            if sid is None:  # a cache was cleared on the way: resolve this key again
                self._resolve([key], [wait[0]])
                sid = self._keys[key]
            for i in wait[1:]:
                out[i] = sid

    def _templates(self) -> list[str]:
        if self._final is None:
            root = generalise(self._sigs, self.min_distinct)
            self._final = [" ".join(root[s]) for s in self._sigs]
        return self._final

    def template(self, template_id: int) -> str:
        """Return the current template of an id returned by :meth:`add`."""
        return self._templates()[template_id]

    def templates(self) -> dict[str, int]:
        """Return a snapshot: each distinct current template and its number of lines."""
        final = self._templates()
        counts = (Counter(self._lines) if self._lines is not None
                  else dict(enumerate(self._counts)))
        out: dict[str, int] = {}
        for sid, n in sorted(counts.items()):
            if n:
                out[final[sid]] = out.get(final[sid], 0) + n
        return out

    def line_templates(self) -> list[str]:
        """Return the final template of every line added so far, in order (needs record_lines)."""
        if self._lines is None:
            raise ValueError("line_templates() needs TemplateMiner(record_lines=True)")
        final = self._templates()
        return [final[sid] for sid in self._lines]

    def __len__(self) -> int:
        """Return the number of lines added."""
        return len(self._lines) if self._lines is not None else sum(self._counts)


def mine_templates(lines: list[str]) -> list[str]:
    """Return one template per line (same order), variable parts as ``<*>``.

    Two lines get the same template exactly when they belong to one group; the result depends
    only on ``lines``.

    >>> mine_templates(["Took 12 ms to send 3 rows", "Took 7 ms to send 40 rows", "VM Started"])
    ['Took <*> ms to send <*> rows', 'Took <*> ms to send <*> rows', 'VM Started']
    >>> mine_templates([])
    []
    """
    miner = TemplateMiner(record_lines=False)
    ids = miner._assign(lines)
    final = miner._templates()
    return [final[sid] for sid in ids]
