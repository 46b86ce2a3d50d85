"""Streaming line reader: a file (plain or .gz) as blocks of lines with their line numbers.

Blocks are cut at newlines and split by Polars, so memory is bounded by the block size, not the
file size, and no Python object is made per line.
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


def iter_line_blocks(path: Path, block_bytes: int = BLOCK_BYTES) -> Iterator[tuple[int, object]]:
    """Yield (first line number, Polars String Series of lines) for each block of the file."""
    import polars as pl

    line_no = 1
    rest = b""
    with open_binary(path) as fh:
        while True:
            chunk = fh.read(block_bytes)
            if not chunk:
                break
            data = rest + chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                rest = data
                continue
            rest = data[cut + 1:]
            lines = _split(pl, data[:cut])
            yield line_no, lines
            line_no += lines.len()
        if rest:
            yield line_no, _split(pl, rest)


def _split(pl, data: bytes):
    # Polars' multi-threaded CSV reader with a separator that never occurs and no quoting reads
    # one column of lines; blank lines come back as null, so line positions are kept
    df = pl.read_csv(data + b"\n", separator="\x1f", quote_char=None, has_header=False,
                     new_columns=["line"], schema={"line": pl.String}, encoding="utf8-lossy",
                     truncate_ragged_lines=True, comment_prefix=None)
    return df.get_column("line").fill_null("").str.strip_suffix("\r")
