"""Stage 1 logic: JSON-lines trace files -> batches of unified traces + quarantine, and masking.

Files are read in blocks (``workbench.ingest.lines``, ``.gz`` transparently); each line is
parsed with orjson and normalised by ``shapes``; a batch is yielded every ``batch_size``
traces, so memory is bounded by the batch, not the file. A bad line (invalid JSON, an
unknown shape, a missing field, a wrong type) or a bad span becomes a quarantine row with a
reason and a masked preview; the file goes on. Blank lines are counted, not quarantined.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ...errors import BadInput
from ...ingest.lines import iter_byte_blocks, open_binary, read_head, recycle
from ...pii import mask_frame
from ._fields import ShapeError, dumps, loads
from .shapes import TRACE_SCHEMA, normalize, parse_line, to_frame

SUFFIXES = (".jsonl", ".json", ".ndjson", ".gz")
QUARANTINE_SCHEMA = {"source": pl.Utf8, "locator": pl.Utf8, "reason": pl.Utf8,
                     "masked_preview": pl.Utf8}
TEXT_COLUMNS = ("system", "prompt", "messages", "response", "metadata")
PREVIEW_CHARS = 200
_MASK_CHARS = 1000  # masked before it is cut, so no value is cut in half unmasked
DOCUMENT_BYTES = 256 << 20  # a whole-document .json file is read at once: up to this size


@dataclass
class TraceBatch:
    """One batch: unified traces (raw text), quarantined lines and spans, and counters."""

    traces: pl.DataFrame
    quarantine: pl.DataFrame
    lines: int = 0
    blank_lines: int = 0
    skipped_spans: int = 0
    by_format: dict[str, int] = field(default_factory=dict)


def trace_files(paths: Iterable[Path | str]) -> list[Path]:
    """Return the input files: files as given, folders walked for *.jsonl/json/ndjson/gz.

    Hidden files and folders are skipped; each folder's files are sorted, so the order (and
    every batch) is the same on every run.
    """
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.name.endswith(SUFFIXES)
                          and not any(s.startswith(".") for s in f.relative_to(p).parts))
        elif p.is_file():
            out.append(p)
        else:
            raise BadInput(f"input path not found: {p} (give a JSON-lines file or a folder)")
    return out


class _Batcher:
    """Collects records and quarantine rows until a batch is full."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Start an empty batch."""
        self.records: list[dict] = []
        self.bad: list[tuple[str, str, str, str]] = []
        self.lines = self.blank = self.skipped = 0
        self.formats: Counter = Counter()

    def size(self) -> int:
        """Return the rows held: traces plus quarantined lines."""
        return len(self.records) + len(self.bad)

    def flush(self) -> TraceBatch:
        """Return the batch held (previews masked) and start a new one."""
        traces = to_frame(self.records)
        q = pl.DataFrame(self.bad, schema=QUARANTINE_SCHEMA, orient="row")
        if q.height:  # masked over distinct previews; only candidates reach the detector
            q = mask_frame(q, "masked_preview", "redact")[0].with_columns(
                pl.col("masked_preview").str.slice(0, PREVIEW_CHARS))
        out = TraceBatch(traces, q, self.lines, self.blank, self.skipped, dict(self.formats))
        self.reset()
        return out


def _take(b: _Batcher, item, source: str, n: int, where: str) -> None:
    """Add the traces of one line (bytes) or one document item (parsed) to the batch."""
    try:
        norm = parse_line(item) if isinstance(item, bytes) else normalize(item)
    except ShapeError as exc:
        b.bad.append((source, f"{where} {n}", str(exc), _preview(item)))
        return
    except Exception as exc:  # noqa: BLE001 - a record we cannot read must not stop the file
        reason = f"unexpected record structure ({type(exc).__name__})"
        b.bad.append((source, f"{where} {n}", reason, _preview(item)))
        return
    for rec in norm.records:
        rec["source_file"], rec["line_no"] = source, n
    b.records += norm.records
    b.formats[norm.source_format] += len(norm.records)
    b.skipped += norm.skipped_spans
    for part, reason in norm.errors:
        b.bad.append((source, f"{where} {n} {part}", reason, _preview(item)))


def _preview(item) -> str:
    raw = item if isinstance(item, bytes) else dumps(item).encode()
    return raw[:_MASK_CHARS * 4].decode("utf-8", errors="replace")[:_MASK_CHARS]


def _is_document(path: Path) -> bool:
    """Return True for a ``.json`` file holding one pretty-printed document or a JSON array."""
    if not path.name.endswith((".json", ".json.gz")):
        return False
    first = next((line.strip() for line in read_head(path, 4096) if line.strip()), "")
    first = first.lstrip("\ufeff")
    return first == "{" or first.startswith("[")


def _document(b: _Batcher, path: Path, source: str) -> None:
    """Add a whole-document ``.json`` file: an array gives items 1..n, an object item 1."""
    with open_binary(path) as fh:
        data = fh.read(DOCUMENT_BYTES + 1)
    if len(data) > DOCUMENT_BYTES:
        reason = (f"a JSON document over {DOCUMENT_BYTES >> 20} MB; write it as JSON lines "
                  "(one object per line, e.g. jq -c '.[]')")
        b.bad.append((source, "file", reason, ""))
        return
    try:
        doc = loads(data.removeprefix(b"\xef\xbb\xbf"))
    except ShapeError as exc:
        b.bad.append((source, "file", str(exc), _preview(data)))
        return
    b.lines += data.count(b"\n") + (not data.endswith(b"\n"))
    for i, item in enumerate(doc if isinstance(doc, list) else [doc], 1):
        _take(b, item, source, i, "item")


def read_traces(paths: list[Path | str] | Path | str,
                batch_size: int = 50_000) -> Iterator[TraceBatch]:
    """Yield ``TraceBatch`` es of about ``batch_size`` traces over files and folders.

    At least one batch is yielded (empty when there is nothing to read). Text is raw: mask it
    with ``mask_traces`` before it is stored or leaves the machine. A ``.json`` file that is one
    pretty-printed document (or a JSON array) is read whole: its items are numbered from 1 in
    ``line_no`` and quarantine locators (``item 3``).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "t.jsonl").write_text('{"prompt": "Hi", "response": "Hello"}\\n{oops\\n')
    >>> b = next(read_traces([d]))
    >>> b.traces.height, b.quarantine.get_column("locator").to_list(), b.lines
    (1, ['line 2'], 2)
    """
    if not isinstance(batch_size, int) or batch_size < 1:
        raise BadInput(f"batch_size must be a positive integer, got {batch_size!r}")
    files = trace_files([paths] if isinstance(paths, str | Path) else paths)
    b, yielded, free = _Batcher(), False, []
    for path in files:
        source = str(path)
        if _is_document(path):
            _document(b, path, source)
            if b.size() >= batch_size:
                yield b.flush()
                yielded = True
            continue
        for first, block, _ in iter_byte_blocks(path, free=free):
            lines = bytes(block).split(b"\n")
            recycle(block, free)
            if first == 1 and lines[0].startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark
                lines[0] = lines[0][3:]
            for i, raw in enumerate(lines, first):
                b.lines += 1
                text = raw.strip()
                if not text:
                    b.blank += 1
                    continue
                _take(b, text, source, i, "line")
                if b.size() >= batch_size:
                    yield b.flush()
                    yielded = True
    if b.size() or b.lines or not yielded:
        yield b.flush()


def mask_traces(df: pl.DataFrame, mode: str = "pseudonymize", *, settings=None,
                source: str = "trace_eval_traces") -> tuple[pl.DataFrame, list[dict]]:
    """Return (traces with PII masked in their text columns, audit rows without values).

    Audit rows are ``{source, entity_type, count, action}``, ``source`` as
    ``trace_eval_traces.<column>``. Each distinct value is examined once.
    """
    cols = [c for c in TEXT_COLUMNS if c in df.columns]
    return mask_frame(df, cols, mode, settings=settings, source=source)


__all__ = ["QUARANTINE_SCHEMA", "SUFFIXES", "TEXT_COLUMNS", "TRACE_SCHEMA", "TraceBatch",
           "mask_traces", "read_traces", "trace_files"]
