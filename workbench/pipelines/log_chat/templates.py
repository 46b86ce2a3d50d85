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

from array import array
from collections import Counter
from collections.abc import Iterable

from ._headers import header_end
from ._masking import _DIGITS, WILDCARD, digit_tokens, fold, hex_key, mask_token
from ._merging import Sig, generalise

__all__ = ["TemplateMiner", "mine_templates"]


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
        self._sig_ids: dict[Sig, int] = {}
        self._sigs: list[Sig] = []
        self._lines: array | None = array("I") if record_lines else None
        self._counts: list[int] | None = None if record_lines else []
        self._final: list[str] | None = None

    def _miss(self, data: bytes, key: bytes) -> int:
        start = header_end(data)
        toks = digit_tokens(data[start:] if start else data)
        cache = self._tokens
        masked = tuple(map(cache.get, toks))
        if None in masked:
            if len(cache) >= self.max_cache:
                cache.clear()
            hexed = self._hexed
            out = list(masked)
            for i in [i for i, m in enumerate(out) if m is None]:
                t = toks[i]
                if 48 in t:  # b"0": a token with digits, keyed by its hex-normalised form
                    h = hex_key(t)
                    m = hexed.get(h)
                    if m is None:
                        if len(hexed) >= self.max_cache:
                            hexed.clear()
                        m = hexed[h] = mask_token(t.decode("utf-8", "surrogatepass"))
                else:
                    m = mask_token(t.decode("utf-8", "surrogatepass"))
                out[i] = cache[t] = m
            masked = tuple(out)
        if start:
            masked = (WILDCARD, *masked)
        sid = self._masked.get(masked)
        if sid is None:
            sig = fold(masked)
            sid = self._sig_ids.get(sig)
            if sid is None:
                sid = self._sig_ids[sig] = len(self._sigs)
                self._sigs.append(sig)
                if self._counts is not None:
                    self._counts.append(0)
                self._final = None
            if len(self._masked) >= self.max_cache:
                self._masked.clear()
            self._masked[masked] = sid
        if len(self._keys) >= self.max_cache:
            self._keys.clear()
        self._keys[key] = sid
        return sid

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
        keys, miss = self._keys, self._miss
        out = array("I")
        push = out.append
        for line in lines:
            try:
                data = line.encode()
            except UnicodeEncodeError:
                data = line.encode("utf-8", "surrogatepass")
            key = data.translate(None, _DIGITS)
            sid = keys.get(key)
            if sid is None:
                sid = miss(data, key)
            push(sid)
        return out

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
