"""Numba kernels of the blank-separated tokenizer (see ``tokens.py`` for the layout rules).

Kept apart so that importing the ingest package does not import Numba; compiled on first call
and cached next to this file (or in Numba's user cache when that is read-only).
"""
from __future__ import annotations

import numpy as np
from numba import njit

# shape codes and line states: the same numbers as in tokens.py
ANY, DIGITS, DECIMAL, INTEGER, UPPER = 0, 1, 2, 3, 4
OK, SKIP, NO_MATCH, BAD_UTF8 = 0, 1, 2, 3
BLANK = 32
NL, CR, SPACE, TAB = 10, 13, 32, 9


@njit(cache=True, nogil=True)
def has_high_bytes(buf):
    """Return True when any byte is >= 0x80 (then lines need a UTF-8 check)."""
    acc = 0
    for i in range(buf.shape[0]):
        acc |= buf[i]
    return acc >= 0x80


@njit(cache=True, nogil=True)
def valid_utf8(buf, a, b):
    """Return True when buf[a:b] is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF)."""
    i = a
    while i < b:
        c = buf[i]
        if c < 0x80:
            i += 1
            continue
        if 0xC2 <= c <= 0xDF:
            n, lo, hi = 1, 0x80, 0xBF
        elif c == 0xE0:
            n, lo, hi = 2, 0xA0, 0xBF
        elif c == 0xED:
            n, lo, hi = 2, 0x80, 0x9F
        elif 0xE1 <= c <= 0xEF:
            n, lo, hi = 2, 0x80, 0xBF
        elif c == 0xF0:
            n, lo, hi = 3, 0x90, 0xBF
        elif 0xF1 <= c <= 0xF3:
            n, lo, hi = 3, 0x80, 0xBF
        elif c == 0xF4:
            n, lo, hi = 3, 0x80, 0x8F
        else:
            return False
        if i + n >= b:  # truncated sequence
            return False
        if not (lo <= buf[i + 1] <= hi):
            return False
        for k in range(2, n + 1):
            if not (0x80 <= buf[i + k] <= 0xBF):
                return False
        i += n + 1
    return True


@njit(cache=True, nogil=True)
def _field_ok(buf, a, b, shape, width):
    """Return True when buf[a:b] (non-empty) has the shape (and the width, when not 0)."""
    if width and b - a != width:
        return False
    if shape == ANY:
        return True
    if shape == DIGITS:
        for i in range(a, b):
            if not (48 <= buf[i] <= 57):
                return False
        return True
    if shape == UPPER:
        for i in range(a, b):
            c = buf[i]
            if not (65 <= c <= 90 or c == 95):
                return False
        return True
    if shape == INTEGER:
        if buf[a] == 45:  # '-'
            a += 1
        if a == b:
            return False
        for i in range(a, b):
            if not (48 <= buf[i] <= 57):
                return False
        return True
    # DECIMAL: digits with at most one inner '.'
    dot = -1
    for i in range(a, b):
        c = buf[i]
        if c == 46 and dot < 0:
            dot = i
        elif not (48 <= c <= 57):
            return False
    return dot != a and dot != b - 1


@njit(cache=True, nogil=True)
def _number(buf, a, b, shape):
    """Return the value of a DIGITS, INTEGER or DECIMAL field (already checked)."""
    sign = 1.0
    if buf[a] == 45:
        sign = -1.0
        a += 1
    whole = 0.0
    i = a
    while i < b and buf[i] != 46:
        whole = whole * 10.0 + (buf[i] - 48)
        i += 1
    if i == b:
        return sign * whole
    frac = 0.0
    scale = 1.0
    for k in range(i + 1, b):
        frac = frac * 10.0 + (buf[k] - 48)
        scale *= 10.0
    return sign * (whole + frac / scale)


@njit(cache=True, nogil=True)
def scan(buf, count, shapes, widths, seps, prefix, check_utf8, num_slot):
    """Split ``count`` lines of ``buf`` into fields in one pass; see tokens.scan_block.

    Returns state, line_start, line_end (CR excluded), starts/ends (field x line, offsets
    relative to the line start, so int32 always suffices) and the values of the fields with
    a number slot (``num_slot[f] >= 0``).
    """
    nf = shapes.shape[0]
    nums = np.zeros((max(1, num_slot.max() + 1), count), np.float64)
    state = np.empty(count, np.uint8)
    line_start = np.empty(count, np.int64)
    line_end = np.empty(count, np.int64)
    starts = np.empty((nf, count), np.int32)
    ends = np.empty((nf, count), np.int32)
    size = buf.shape[0]
    npre = prefix.shape[0]
    pos = 0
    for ln in range(count):
        line_start[ln] = pos
        st = OK
        is_comment = npre > 0 and pos + npre <= size
        if is_comment:
            for k in range(npre):
                if buf[pos + k] != prefix[k]:
                    is_comment = False
                    break
        p = pos
        while p < size and (buf[p] == SPACE or buf[p] == TAB or buf[p] == CR):
            p += 1
        if is_comment or p == size or buf[p] == NL:
            st = SKIP
        else:
            for f in range(nf):
                sep = seps[f]
                a = p
                while p < size:
                    c = buf[p]
                    if c <= SPACE and (c == SPACE or c == TAB or c == NL or c == CR):
                        break
                    if c == sep:
                        break
                    p += 1
                starts[f, ln] = a - pos
                ends[f, ln] = p - pos
                if p == a or not _field_ok(buf, a, p, shapes[f], widths[f]):
                    st = NO_MATCH
                    break
                if num_slot[f] >= 0:
                    nums[num_slot[f], ln] = _number(buf, a, p, shapes[f])
                if sep == BLANK:
                    if p == size or not (buf[p] == SPACE or buf[p] == TAB):
                        st = NO_MATCH
                        break
                    while p < size and (buf[p] == SPACE or buf[p] == TAB):
                        p += 1
                elif sep != 0:
                    if p == size or buf[p] != sep:
                        st = NO_MATCH
                        break
                    p += 1
        # the rest of the line: only blanks (or a CR before the newline) may follow
        while p < size and buf[p] != NL:
            if st == OK and not (buf[p] == SPACE or buf[p] == TAB or buf[p] == CR):
                st = NO_MATCH
            p += 1
        e = p
        if e > pos and buf[e - 1] == CR:
            e -= 1
        line_end[ln] = e
        if st == OK and check_utf8 and not valid_utf8(buf, pos, e):
            st = BAD_UTF8
        state[ln] = st
        pos = p + 1
    return state, line_start, line_end, starts, ends, nums


@njit(cache=True, nogil=True)
def views(buf, line_start, starts, ends, rows):
    """Return Arrow string views (16 bytes each) of one field of ``rows``, pointing into buf.

    Arrow's view layout: int32 length, then either the bytes inline (length <= 12) or a
    4-byte prefix, the buffer index (0: the block) and the offset into it.
    """
    n = rows.shape[0]
    out = np.zeros(n * 16, np.uint8)
    o32 = out.view(np.int32)
    for i in range(n):
        r = rows[i]
        a = line_start[r] + starts[r]
        length = ends[r] - starts[r]
        o32[i * 4] = length
        b = i * 16 + 4
        if length <= 12:
            for k in range(length):
                out[b + k] = buf[a + k]
        else:
            for k in range(4):
                out[b + k] = buf[a + k]
            o32[i * 4 + 3] = a
    return out
