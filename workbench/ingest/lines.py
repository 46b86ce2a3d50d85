"""Streaming line reader: a file (plain or .gz) as blocks of lines with their line numbers.

Blocks are cut at newlines; the reader only counts newlines (a C loop), and the split into
lines (or fields) happens wherever the block is parsed (a worker thread), so reading never
holds the parse back. Memory is bounded by the block size, not the file size, and no
Python object is made per line.
"""
from __future__ import annotations

import ctypes
import functools
import gzip
from collections.abc import Iterator
from pathlib import Path

from ._tokens import count_newlines as _count  # C, see _tokens.c

BLOCK_BYTES = 16 << 20


@functools.cache
def keep_freed_memory() -> None:
    """Let glibc reuse freed blocks instead of unmapping them (once per process; no-op elsewhere).

    Every parsed block allocates and frees tens of MB of arrays; by default glibc hands large
    freed blocks back to the kernel, which maps and zeroes fresh pages for the next block:
    ~200,000 page faults and ~0.5 s of system time per 5 M lines. Keeping them costs no more
    than the peak, which the block size already bounds.
    """
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    mallopt(-3, 1 << 30)  # M_MMAP_THRESHOLD: allocations under 1 GiB come from the heap
    mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD: keep up to 1 GiB of freed heap


def open_binary(path: Path):
    """Return a binary file handle, decompressing ``.gz`` transparently."""
    return gzip.open(path, "rb") if str(path).endswith(".gz") else open(path, "rb")


def read_head(path: Path, max_bytes: int = 64 << 10) -> list[str]:
    """Return the first lines of a file (up to ``max_bytes``), decoded leniently."""
    with open_binary(path) as fh:
        data = fh.read(max_bytes)
    text = data.decode("utf-8", errors="replace")
    lines = text.split("\n")
    return lines[:-1] if len(data) == max_bytes and len(lines) > 1 else lines


def iter_byte_blocks(path: Path, block_bytes: int = BLOCK_BYTES,
                     free: list[bytearray] | None = None) -> Iterator[tuple[int, memoryview, int]]:
    """Yield (first line number, whole lines without the last newline, line count) per block.

    Each block is a view of its own buffer, filled in place and never copied, so the caller
    may hand blocks to other threads. Only the partial line at a block's end is carried over.
    Buffers the caller is done with may be put back in ``free`` (see ``recycle``): reusing
    them saves the kernel mapping and zeroing fresh pages for every block.
    """
    keep_freed_memory()
    line_no = 1
    rest = b""
    with open_binary(path) as fh:
        while True:
            need = len(rest) + block_bytes
            buf = free.pop() if free else None
            if buf is None or len(buf) < need:  # room for a long carried-over line: reusable
                buf = bytearray(need + (64 << 10))
            buf[:len(rest)] = rest
            view = memoryview(buf)
            size = len(rest)
            while size < need:  # gzip may return short reads
                got = fh.readinto(view[size:need])
                if not got:
                    break
                size += got
            if size == len(rest):
                break
            cut = buf.rfind(b"\n", 0, size)
            if cut < 0:  # no newline yet: a line longer than the block, read on
                rest = bytes(view[:size])
                continue
            rest = bytes(view[cut + 1:size])
            block = view[:cut]
            n = _count(block) + 1  # memchr: ~8x bytearray.count
            yield line_no, block, n
            line_no += n
        if rest:
            yield line_no, memoryview(rest), rest.count(b"\n") + 1


def recycle(block: memoryview, free: list[bytearray]) -> None:
    """Put a block's buffer back in ``free`` unless something still holds a view of it."""
    buf = block.obj
    try:
        block.release()  # fails while an export (an Arrow or numpy view) is alive
    except BufferError:
        return
    free.append(buf)


def split_lines(data: bytes | memoryview, count: int | None = None):
    """Return the lines of ``data`` (one block, no trailing newline) as a Polars String Series.

    Always exactly ``count`` = ``data.count(b"\\n") + 1`` lines, so line numbers never drift.
    """
    import polars as pl

    data = bytes(data)  # a block arrives as a memoryview; Polars' reader takes bytes
    count = data.count(b"\n") + 1 if count is None else count
    lines = None
    if data and b"\x1f" not in data:
        # Polars' CSV reader with a separator that never occurs and no quoting reads one column
        # of lines (multi-threaded, zero-copy over the bytes, no Python object per line); blank
        # lines come back as null, a blank last line not at all
        lines = pl.read_csv(data, separator="\x1f", quote_char=None, has_header=False,
                            new_columns=["line"], schema={"line": pl.String},
                            encoding="utf8-lossy", truncate_ragged_lines=True,
                            comment_prefix=None).get_column("line")
        if lines.len() == count - 1 and data.endswith(b"\n"):
            lines = lines.extend_constant("", 1)
    if lines is None or lines.len() != count:
        # a unit separator or a lone CR inside a line: the exact (slower) split
        lines = pl.Series("line", data.decode("utf-8", errors="replace").split("\n"),
                          dtype=pl.String)
    if lines.null_count():
        lines = lines.fill_null("")
    return lines.str.strip_suffix("\r") if b"\r" in data else lines
