"""Compiled tokenizer for logs whose fields are separated by blanks (``kind: tokens`` mappings).

A mapping describes its line as a layout such as
``{time:decimal} {elapsed:integer} {client} {result:upper}/{status:digits:3} {url}``:
fields in braces with an optional shape and width, a blank standing for one or more blanks
(spaces or tabs), any other single character standing for itself. Shapes: ``any`` (default: a
run of non-blank bytes), ``digits``, ``decimal`` (digits with at most one inner dot),
``integer`` (an optional minus, digits) and ``upper`` (A-Z and underscore). Blanks before the
first field and after the last are allowed; a line with more or fewer fields does not match.

The scan is one pass over a block's bytes in C (``_tokens.c``, built at install) with the GIL
released, so the parse threads run in parallel. The fields a mapping reads come out of it as
Arrow string views into the block (no text is copied before Polars reads it) or as numbers;
the URL field's shape key (``url_shape.py``) is made in the same pass. Lines that are not
valid UTF-8 are reported apart from lines that do not match; blank lines and comment lines
(the mapping's prefix at the line start) are skipped.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np

from . import _tokens  # the C half (_tokens.c), built when the package is installed

SHAPES = {"any": 0, "digits": 1, "decimal": 2, "integer": 3, "upper": 4}
NUMERIC = (1, 2, 3)
BLANK = 32  # a blank in a layout: one or more spaces or tabs
OK, SKIP, NO_MATCH, BAD_UTF8 = 0, 1, 2, 3  # per-line states (as in _tokens.c)

_FIELD = re.compile(r"\{(\w+)(?::(\w+))?(?::(\d+))?\}")


@dataclass(frozen=True)
class Layout:
    """A parsed layout: field names, shape codes, widths (0: any) and the byte after each."""

    names: tuple[str, ...]
    shapes: np.ndarray  # int8 per field (the codes of _tokens.c)
    widths: np.ndarray  # int32 per field
    seps: np.ndarray  # uint8 per field: BLANK, a literal byte, or 0 after the last field


@dataclass
class Scan:
    """One scanned block: each line's state and byte range, and the fields kept per match."""

    state: np.ndarray  # uint8 per line: OK, SKIP, NO_MATCH or BAD_UTF8
    line_start: np.ndarray  # int64 byte offsets in the block
    line_end: np.ndarray  # int64, a trailing CR excluded
    rows: np.ndarray  # int64 index (in the block) of each line that matched, in order
    fields: dict  # name -> Arrow string-view array or float64 numpy array, one value per row


@functools.cache
def parse_layout(layout: str) -> Layout:
    """Return the fields of a layout string; ValueError says what is wrong with it."""
    names, shapes, widths, seps = [], [], [], []
    pos = 0
    for m in _FIELD.finditer(layout):
        between = layout[pos:m.start()]
        if names:
            sep = " " if between and not between.strip(" \t") else between
            if len(sep) != 1 or ord(sep) >= 128 or sep in "{}":
                raise ValueError(f"layout: {between!r} between fields; a separator is blanks "
                                 f"or one ASCII character")
            seps.append(BLANK if sep in " \t" else ord(sep))
        elif between.strip(" \t"):
            raise ValueError(f"layout: text {between!r} before the first field")
        name, shape, width = m.group(1), m.group(2) or "any", int(m.group(3) or 0)
        if shape not in SHAPES:
            raise ValueError(f"layout: field {name!r} has unknown shape {shape!r}; "
                             f"known: {', '.join(SHAPES)}")
        if name in names:
            raise ValueError(f"layout: field {name!r} appears twice")
        names.append(name)
        shapes.append(SHAPES[shape])
        widths.append(width)
        pos = m.end()
    if not names:
        raise ValueError("layout: no {field} in it")
    if layout[pos:].strip(" \t"):
        raise ValueError(f"layout: text {layout[pos:]!r} after the last field")
    seps.append(0)
    return Layout(tuple(names), np.array(shapes, np.int8), np.array(widths, np.int32),
                  np.array(seps, np.uint8))


def scan_block(data: bytes | memoryview, count: int, layout: Layout, comment: str | None,
               strings: tuple[str, ...], numbers: tuple[str, ...] = (),
               shape_of: str | None = None, nulls: tuple[str, ...] = ()) -> Scan:
    """Scan the ``count`` lines of ``data`` (a block of whole lines, no final newline).

    ``strings`` names the fields to keep as text (Arrow string views into ``data``, nothing
    copied), ``numbers`` those (of a numeric shape) to read as float64 while scanning.
    ``shape_of`` names a field of ``strings`` holding URLs: their shape keys come out as the
    field ``shape_key``. A string field whose whole value is one of ``nulls`` is null.
    """
    import pyarrow as pa

    if len(data) >= 1 << 31:
        raise ValueError("a block must be smaller than 2 GiB")  # views hold int32 offsets
    kinds = np.zeros(len(layout.names), np.int8)
    slots = np.full(len(layout.names), -1, np.int64)
    for kind, names in ((1, strings), (2, numbers)):
        for i, name in enumerate(names):
            f = layout.names.index(name)
            if kind == 2 and layout.shapes[f] not in NUMERIC:
                raise ValueError(f"layout: field {name!r} is not digits, integer or decimal")
            kinds[f], slots[f] = kind, i
    if shape_of is not None and shape_of not in strings:
        raise ValueError(f"shape_of: {shape_of!r} is not one of the string fields")
    url_field = layout.names.index(shape_of) if shape_of else -1
    state = np.empty(count, np.uint8)
    line_start, line_end, rows = (np.empty(count, np.int64) for _ in range(3))
    views = np.empty((max(1, len(strings) + bool(shape_of)), count * 16), np.uint8)
    nums = np.empty((max(1, len(numbers)), count), np.float64)
    arena = np.empty(len(data) if shape_of else 0, np.uint8)
    valid = np.zeros((max(1, len(strings)), (count + 7) // 8), np.uint8)
    null_text = "".join(v + "\n" for v in nulls).encode()
    kept = _tokens.scan(data, count, layout.shapes, layout.widths, layout.seps,
                        (comment or "").encode(), kinds, slots, state, line_start, line_end,
                        rows, views, nums, url_field, len(strings), arena, null_text, valid)
    block = pa.py_buffer(data)
    fields = {name: pa.Array.from_buffers(
        pa.string_view(), kept,
        [pa.py_buffer(valid[i]) if nulls else None, pa.py_buffer(views[i]), block],
        null_count=-1 if nulls else 0)
        for i, name in enumerate(strings)}
    if shape_of:
        fields["shape_key"] = pa.Array.from_buffers(
            pa.string_view(), kept,
            [None, pa.py_buffer(views[len(strings)]), block, pa.py_buffer(arena)])
    fields |= {name: nums[i, :kept] for i, name in enumerate(numbers)}
    return Scan(state, line_start, line_end, rows[:kept], fields)


def scan_csv_block(data: bytes | memoryview, count: int, columns: dict[str, int],
                   min_fields: int, comment: str | None, nulls: tuple[str, ...] = (),
                   shape_of: str | None = None) -> Scan:
    """Scan the ``count`` comma-separated lines of ``data`` (whole lines, no final newline).

    ``columns`` maps a field name to its 0-based column; a cell is read as the pattern
    ``(?:^|,)("(?:[^"]|"")*"|[^,]*)`` reads it (quotes removed, ``""`` unescaped), null when
    the line is shorter or the value is one of ``nulls``. Lines with fewer than
    ``min_fields`` cells do not match. ``shape_of``: as in ``scan_block``.
    """
    import pyarrow as pa

    if len(data) >= 1 << 31:
        raise ValueError("a block must be smaller than 2 GiB")
    names = list(dict.fromkeys(columns))
    if shape_of is not None and shape_of not in columns:
        raise ValueError(f"shape_of: {shape_of!r} is not one of the columns")
    cols = np.array([columns[n] for n in names], np.int64)
    state = np.empty(count, np.uint8)
    line_start, line_end, rows = (np.empty(count, np.int64) for _ in range(3))
    views = np.empty((len(names) + bool(shape_of), count * 16), np.uint8)
    valid = np.zeros((max(1, len(names)), (count + 7) // 8), np.uint8)
    arena = np.empty(len(data), np.uint8)
    kept = _tokens.scan_csv(data, count, (comment or "").encode(), cols, min_fields,
                            "".join(v + "\n" for v in nulls).encode(),
                            names.index(shape_of) if shape_of else -1, state, line_start,
                            line_end, rows, views, valid, arena)
    buffers = [pa.py_buffer(data), pa.py_buffer(arena)]
    fields = {name: pa.Array.from_buffers(
        pa.string_view(), kept, [pa.py_buffer(valid[i]), pa.py_buffer(views[i]), *buffers],
        null_count=-1) for i, name in enumerate(names)}
    if shape_of:
        fields["shape_key"] = pa.Array.from_buffers(
            pa.string_view(), kept, [None, pa.py_buffer(views[len(names)]), *buffers])
    return Scan(state, line_start, line_end, rows[:kept], fields)


def line_texts(data: bytes | memoryview, scan: Scan, rows) -> list[str]:
    """Return the text of a few lines (for quarantine), decoded leniently."""
    return [bytes(data[scan.line_start[r]:scan.line_end[r]]).decode("utf-8", errors="replace")
            for r in rows]
