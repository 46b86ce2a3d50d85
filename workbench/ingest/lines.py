"""Streaming line reader: a file (plain or .gz) as blocks of lines with their line numbers.

Blocks are cut at newlines; the reader only counts newlines (a C loop), and the split into
lines (or fields) happens wherever the block is parsed (a worker thread), so reading never
holds the parse back. Memory is bounded by the block size, not the file size, and no
Python object is made per line.
"""
from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import numpy as np

BLOCK_BYTES = 16 << 20


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


def iter_byte_blocks(path: Path, block_bytes: int = BLOCK_BYTES
                     ) -> Iterator[tuple[int, memoryview, int]]:
    """Yield (first line number, whole lines without the last newline, line count) per block.

    Each block is a view of its own buffer, filled in place and never copied, so the caller
    may hand blocks to other threads. Only the partial line at a block's end is carried over.
    """
    line_no = 1
    rest = b""
    with open_binary(path) as fh:
        while True:
            buf = bytearray(len(rest) + block_bytes)
            buf[:len(rest)] = rest
            view = memoryview(buf)
            size = len(rest)
            while size < len(buf):  # gzip may return short reads
                got = fh.readinto(view[size:])
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
            # numpy's vectorised compare counts newlines ~8x faster than bytearray.count
            n = int(np.count_nonzero(np.frombuffer(buf, np.uint8, cut) == 10)) + 1
            yield line_no, view[:cut], n
            line_no += n
        if rest:
            yield line_no, memoryview(rest), rest.count(b"\n") + 1


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
