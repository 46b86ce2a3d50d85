"""Masking of log lines into signatures: whitespace tokens with the variable parts as ``<*>``.

The work is split so that the common case costs a few C-level string operations per line:

- :func:`line_key`: the line's UTF-8 bytes without ASCII digits. Lines that differ only in
  numbers share it; the miner caches a signature id per key.
- :func:`digit_tokens`: on a key miss, the line with every digit turned into ``0``, split on
  whitespace. Each such token is masked once (:func:`mask_token`, cached by the miner), since its
  mask depends only on where the digits and delimiters are.
- :func:`fold`: the masked tokens of a line become its signature: day and month names that start
  a date become ``<*>`` and runs of ``<*>`` collapse into one (lists of any length, multi-token
  timestamps).

Token rules (:func:`mask_token`): MAC and IPv6 addresses and long hex strings are ``<*>``; in
the *pieces* of a token (runs between the delimiters ``= , : ; ( ) [ ] { } | " ' < > @ #``)
a piece with a digit becomes ``<*>``, except that letters followed only by digits keep their
letters (``eth0`` → ``eth<*>``, ``SOCKS5`` → ``SOCKS<*>``: such words often name a kind, not a
value); a token that is only ``<*>`` and punctuation (``/10.1.2.3:50010``, ``(<*>)``) is ``<*>``, and so is
an empty value (``()``, ``[]``, ``""``: ``connection from 1.2.3.4 () at …``, the host unknown).
"""
from __future__ import annotations

import re

from ._headers import header_end

WILDCARD = "<*>"

_DIGITS = b"0123456789"
_ZERO = bytes.maketrans(_DIGITS, b"0" * 10)
_DELIMS = r"=,:;()\[\]{}|\"'<>@#"
_DATE_WORDS = frozenset(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
_MONTHS = frozenset(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
_DATE_STARTS = _DATE_WORDS | {b + w for w in _DATE_WORDS for b in "[("}

_HEX = bytes.maketrans(b"abcdef", b"000000")
_WHOLE = re.compile(r"[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{0,4}){3,7}|[0-9a-fA-F]{8,}")
_WORD_NUM = re.compile(rf"(?<![^{_DELIMS}])([A-Za-z]{{2,}})0+(?![^{_DELIMS}])")
_PIECE = re.compile(rf"(?<![^{_DELIMS}])[^{_DELIMS}]*0[^{_DELIMS}]*")
_HEXPIECE = re.compile(rf"(?<![^{_DELIMS}])[a-fA-F]{{8,}}(?![^{_DELIMS}])")
_MARK = "\x00"
_EMPTY = frozenset(["()", "[]", "{}", "<>", '""', "''", "(),", "[],", "():", "[]:"])
_LETTER = re.compile(r"[^\W\d_]")


def line_key(data: bytes) -> bytes:
    """Return the first-level cache key of a line's UTF-8 bytes: the bytes without digits.

    >>> line_key(b"took 12 ms") == line_key(b"took 3456 ms")
    True
    """
    return data.translate(None, _DIGITS)


def digit_tokens(data: bytes) -> list[bytes]:
    """Return the whitespace tokens of a line's UTF-8 bytes with every digit turned into ``0``.

    >>> digit_tokens(b"port 8080 up")
    [b'port', b'0000', b'up']
    """
    return data.translate(_ZERO).split()


def hex_key(tok: bytes) -> bytes:
    """Return the second cache key of a token with digits: its hex letters turned into ``0``.

    >>> hex_key(b"0000a0b0-00ef") == hex_key(b"00000c00-0000")
    True
    """
    return tok.translate(_HEX)


def mask_token(tok: str) -> str:
    """Return the masked form of one digit-normalised token (digits already turned into ``0``).

    >>> [mask_token(t) for t in ("blk_-000", "(uid=0)", "/00.0.0.0:000", "eth0", "root")]
    ['<*>', '(uid=<*>)', '<*>', 'eth<*>', 'root']
    """
    if _WHOLE.fullmatch(tok) or tok in _EMPTY:
        return WILDCARD
    if "0" not in tok:
        tok = _HEXPIECE.sub(WILDCARD, tok)
    else:
        tok = _PIECE.sub(WILDCARD, _WORD_NUM.sub(rf"\1{_MARK}", tok)).replace(_MARK, WILDCARD)
    if WILDCARD in tok and not _LETTER.search(tok.replace(WILDCARD, "")):
        return WILDCARD
    return tok


def fold(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Return the signature of a line's masked tokens: date words masked, ``<*>`` runs folded.

    >>> fold(("Jun", "<*>", "<*>", "combo", "sshd[<*>]:", "check", "pass"))
    ('<*>', 'combo', 'sshd[<*>]:', 'check', 'pass')
    >>> fold(("[Sun", "Dec", "<*>", "<*>", "[notice]", "ok"))
    ('<*>', '[notice]', 'ok')
    """
    if tokens.count(WILDCARD) < 2 and _DATE_STARTS.isdisjoint(tokens):
        return tokens
    out: list[str] = []
    last = len(tokens) - 1
    for i, tok in enumerate(tokens):
        if i < last and tok in _DATE_STARTS and (
                tokens[i + 1] == WILDCARD or tokens[i + 1] in _MONTHS):
            tok = WILDCARD
        if tok == WILDCARD and out and out[-1] == WILDCARD:
            continue
        out.append(tok)
    return tuple(out)


def signature(line: str) -> tuple[str, ...]:
    """Return the signature of one line (the uncached path of the miner, same result).

    >>> signature("Received block blk_-1608 of size 91178 from /10.250.10.6")
    ('Received', 'block', '<*>', 'of', 'size', '<*>', 'from', '<*>')
    >>> signature("session opened for user root by (uid=0)")
    ('session', 'opened', 'for', 'user', 'root', 'by', '(uid=<*>)')
    """
    data = line.encode("utf-8", "surrogatepass")
    start = header_end(data)
    head = (WILDCARD,) if start else ()
    return fold(head + tuple(mask_token(t.decode("utf-8", "surrogatepass"))
                             for t in digit_tokens(data[start:])))
