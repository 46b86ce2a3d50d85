"""Streaming line reader: a file (plain or .gz) as blocks of lines with their line numbers.

Blocks are cut at newlines; the reader only counts newlines (a C loop), and the split into a
Polars Series of lines happens wherever the block is parsed (a worker thread), so reading
never holds the parse back. Memory is bounded by the block size, not the file size, and no
Python object is made per line.
"""
from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

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
                     ) -> Iterator[tuple[int, bytes, int]]:
    """Yield (first line number, bytes of whole lines without the last newline, line count)."""
    line_no = 1
    rest = b""
    with open_binary(path) as fh:
        while True:
            chunk = fh.read(block_bytes)
            if not chunk:
                break
            data = rest + chunk if rest else chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                rest = data
                continue
            rest = data[cut + 1:]
            block = data[:cut]
            n = block.count(b"\n") + 1
            yield line_no, block, n
            line_no += n
        if rest:
            yield line_no, rest, rest.count(b"\n") + 1


def iter_line_blocks(path: Path, block_bytes: int = BLOCK_BYTES) -> Iterator[tuple[int, object]]:
    """Yield (first line number, Polars String Series of lines) for each block of the file."""
    for first, block, n in iter_byte_blocks(path, block_bytes):
        yield first, split_lines(block, n)


def split_lines(data: bytes, count: int | None = None):
    """Return the lines of ``data`` (one block, no trailing newline) as a Polars String Series.

    Always exactly ``count`` = ``data.count(b"\\n") + 1`` lines, so line numbers never drift.
    """
    import polars as pl

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
