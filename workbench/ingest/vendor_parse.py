"""Streaming vendor log parser: blocks of lines -> canonical event frames + quarantine frames.

Blank-separated (``kind: tokens``) and comma-separated (``kind: csv``) formats are split by
the compiled scanners in ``tokens.py``; JSON lines are read by DuckDB, one parse per line for
all paths; ELFF and regex mappings are Polars expressions over a block's lines. Either way
there is no per-line Python, so throughput is set by compiled kernels and memory by the
block size. Lines that cannot be read become quarantine rows with a reason and a shape-only
preview; comment and blank lines are skipped.
"""
from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import polars as pl

from .lines import BLOCK_BYTES, iter_byte_blocks, recycle, split_lines
from .url_shape import shape_keys
from .vendor_mapping import INT_COLUMNS, VendorMapping, load_mapping

EVENT_SCHEMA: dict[str, pl.DataType] = {
    "ts": pl.Datetime("us"), "vendor": pl.String, "user": pl.String, "department": pl.String,
    "client_ip": pl.String, "method": pl.String, "url": pl.String, "shape_key": pl.String,
    "status": pl.Int32,
    "bytes_out": pl.Int64, "bytes_in": pl.Int64, "action": pl.String, "user_agent": pl.String,
    "source_file": pl.String, "line_number": pl.Int64,
}
QUARANTINE_SCHEMA = {"source": pl.String, "locator": pl.String, "reason": pl.String,
                     "masked_preview": pl.String}
_ELFF_TOKEN = r'"[^"]*"|\S+'
_HAS_SCHEME = r"^[A-Za-z][A-Za-z0-9+.\-]*://"
_NAMED_GROUP = re.compile(r"(?<!\\)\(\?P<(\w+)>")
T = TypeVar("T")


@dataclass
class Batch:
    """One parsed block: canonical events, quarantined lines, and skipped comment/blank lines."""

    events: pl.DataFrame
    quarantine: pl.DataFrame
    lines: int
    skipped: int
    block: int = 0


def preview_expr(col: str = "line") -> pl.Expr:
    """Return a shape-only preview of a line: letters -> a, digits -> 9, cut at 120 chars.

    The structure (quotes, braces, separators) stays visible for a reviewer; no value survives.
    """
    return (pl.col(col).str.slice(0, 120).str.replace_all(r"\p{L}", "a")
            .str.replace_all(r"\p{N}", "9"))


def parse_file(path: Path, vendor: str | VendorMapping, *, timezone: str | None = None,
               block_bytes: int = BLOCK_BYTES, workers: int = 2,
               map_batch: Callable[[Batch], T] | None = None) -> Iterator[Batch] | Iterator[T]:
    """Yield parsed batches of ``path``, in file order, read with the mapping of ``vendor``.

    Blocks are split into lines and parsed on ``workers`` threads (Polars releases the GIL)
    with at most ``workers + 1`` blocks in flight, so memory stays bounded whatever the file
    size. With ``map_batch``, each batch is passed through it on the thread that parsed it
    (for example to write it out) and its results are yielded instead of the batches.
    """
    mapping = vendor if isinstance(vendor, VendorMapping) else load_mapping(vendor)
    source = Path(path).name
    # with map_batch a block is done with once its result is in: its buffer can be reused
    free: list | None = [] if map_batch else None
    blocks = iter_byte_blocks(Path(path), block_bytes, free)
    if workers <= 1:
        state: dict = {"header": None}
        for n, (first, data, count) in enumerate(blocks):
            result = _work(n, first, data, count, mapping, source, timezone, map_batch, state)
            if free is not None:
                recycle(data, free)
            yield result
        return
    header = None  # ELFF: the #Fields header in force where the next block starts
    with ThreadPoolExecutor(workers) as pool:
        pending: deque = deque()

        def done():
            data, future = pending.popleft()
            result = future.result()
            if free is not None:
                recycle(data, free)
            return result

        for n, (first, data, count) in enumerate(blocks):
            state = {"header": header}
            if mapping.kind == "elff":  # found here, so blocks need not wait for each other
                header = _last_fields_header(data) or header
            pending.append((data, pool.submit(_work, n, first, data, count, mapping, source,
                                              timezone, map_batch, state)))
            del data  # only the pending entry may hold the block (see lines.recycle)
            if len(pending) > workers:
                yield done()
        while pending:
            yield done()


def _last_fields_header(data) -> list[str] | None:
    """Return the fields of a block's last ``#Fields:`` line (None when it has none)."""
    raw = bytes(data)  # a copy: the block's buffer may be reused once parsed (lines.recycle)
    i = raw.rfind(b"\n#Fields:") + 1
    if i == 0 and not raw.startswith(b"#Fields:"):
        return None
    end = raw.find(b"\n", i)
    line = raw[i:end if end >= 0 else len(raw)].decode("utf-8", errors="replace")
    return line.split(":", 1)[1].split()


def _work(n: int, first: int, data: bytes, count: int, mapping: VendorMapping, source: str,
          timezone: str | None, map_batch, state: dict):
    if mapping.kind in ("tokens", "csv"):
        batch = _parse_scanned(first, data, count, mapping, source, timezone)
    else:
        batch = _parse_block(first, split_lines(data, count), mapping, source, timezone, state)
    batch.block = n
    return map_batch(batch) if map_batch else batch


def _parse_block(first: int, lines: pl.Series, mapping: VendorMapping, source: str,
                 timezone: str | None, state: dict) -> Batch:
    frame = pl.DataFrame({"line": lines}).with_row_index("line_number", offset=first)
    frame = frame.with_columns(pl.col("line_number").cast(pl.Int64))
    if mapping.kind == "elff":
        fields_parts, bad_parts, state["header"] = _elff_fields(frame, mapping, state["header"])
    elif mapping.kind == "regex":
        fields, bad = _extract_regex(frame, mapping)
        fields_parts, bad_parts = [fields], [bad]
    else:
        fields, bad = _extract(_data_lines(frame, mapping), mapping)
        fields_parts, bad_parts = [fields], [bad]
    events = [_canonical(f, mapping, source, timezone) for f in fields_parts]
    good, bad_rows = [], []
    for e in events:
        ok, rejected = _partition(e, pl.col("_reason").is_null())
        good.append(ok.select(list(EVENT_SCHEMA)))
        if rejected.height:
            bad_rows.append(rejected.select("line_number", "_reason").join(
                frame.select("line_number", "line"), on="line_number", how="left")
                .select("line_number", "line", "_reason"))
    ev = pl.concat(good) if len(good) > 1 else good[0] if good else _empty_events()
    q = _quarantine_rows([*bad_parts, *bad_rows], source)
    return Batch(ev, q, frame.height, frame.height - ev.height - q.height)


def _parse_scanned(first: int, data: bytes, count: int, m: VendorMapping, source: str,
                   timezone: str | None) -> Batch:
    """Parse one block of a ``tokens`` or ``csv`` mapping with the compiled scanners."""
    from . import tokens

    nulls = tuple(m.null_values)
    if m.kind == "csv":
        # a URL read from one cell gets its shape key in the scan (else _canonical makes it)
        columns = {f: m.positions[f] for f in m.source_fields()}
        scan = tokens.scan_csv_block(data, count, columns, m.min_fields, m.comment_prefix,
                                     nulls, m.url.field if m.url.field in columns else None)
        no_match = f"too few CSV fields (need {m.min_fields})"
    else:
        layout = tokens.parse_layout(m.layout)
        # fields of a numeric shape that are read as numbers are parsed while scanning
        as_number = {m.columns[c] for c in INT_COLUMNS if c in m.columns}
        if m.time.format in ("epoch", "epoch_ms") and len(m.time.fields) == 1:
            as_number.add(m.time.fields[0])
        numbers = tuple(f for f in m.source_fields() if f in as_number
                        and layout.shapes[layout.names.index(f)] in tokens.NUMERIC)
        strings = tuple(f for f in m.source_fields() if f not in numbers)
        scan = tokens.scan_block(data, count, layout, m.comment_prefix, strings, numbers,
                                 m.url.field if m.url.field in strings else None, nulls)
        no_match = f"line does not match the {m.vendor} format"
    fields = pl.from_arrow(_arrow_table({"line_number": scan.rows + first, **scan.fields}))
    ok, rejected = _partition(_canonical(fields, m, source, timezone, nulls_applied=True),
                              pl.col("_reason").is_null())
    unread = np.flatnonzero((scan.state == tokens.NO_MATCH) | (scan.state == tokens.BAD_UTF8))
    bad = pl.DataFrame({
        "line_number": np.concatenate([unread + first, rejected["line_number"].to_numpy()]),
        "line": tokens.line_texts(data, scan, unread)
        + tokens.line_texts(data, scan, rejected["line_number"].to_numpy() - first),
        "_reason": [no_match if scan.state[r] == tokens.NO_MATCH else "line is not valid UTF-8"
                    for r in unread] + rejected["_reason"].to_list()},
        schema={"line_number": pl.Int64, "line": pl.String, "_reason": pl.String})
    q = _quarantine_rows([bad.sort("line_number")], source)
    ev = ok.select(list(EVENT_SCHEMA))
    return Batch(ev, q, count, count - ev.height - q.height)


def _arrow_table(columns: dict):
    """Return an Arrow table of numpy arrays and Arrow arrays (Polars reads it without a copy)."""
    import pyarrow as pa

    return pa.table({k: pa.array(v) if isinstance(v, np.ndarray) else v
                     for k, v in columns.items()})


def _partition(df: pl.DataFrame, ok: pl.Expr) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (rows where ``ok``, the other rows); no copy when every row is ok (the usual)."""
    mask = df.select(ok.fill_null(False)).to_series()
    if mask.all():
        return df, df.clear()
    return df.filter(mask), df.filter(~mask)


def _empty_events() -> pl.DataFrame:
    return pl.DataFrame(schema=EVENT_SCHEMA)


def _data_lines(frame: pl.DataFrame, m: VendorMapping) -> pl.DataFrame:
    return frame.filter(~_skip_expr(m))


def _skip_expr(m: VendorMapping) -> pl.Expr:
    """Return True for lines that are not data: blank lines and comment lines."""
    skip = pl.col("line").str.strip_chars() == ""
    if m.comment_prefix:
        skip = skip | pl.col("line").str.starts_with(m.comment_prefix)
    return skip


def _capturing_pattern(m: VendorMapping) -> str:
    """Return the mapping's pattern with the named groups it does not read made non-capturing.

    Fewer captures make the regex engine's extraction cheaper; what matches is unchanged.
    """
    used = set(m.source_fields())
    return _NAMED_GROUP.sub(lambda g: g.group(0) if g.group(1) in used else "(?:", m.pattern)


def _extract_regex(frame: pl.DataFrame, m: VendorMapping) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the fields of the lines the mapping's pattern matches, and the rejected lines.

    Every line goes through the pattern once (no filtered copy first); blank and comment lines
    are told apart afterwards, so they are skipped, not rejected.
    """
    names = m.source_fields()
    out = frame.with_columns(pl.col("line").str.extract_groups(_capturing_pattern(m))
                             .alias("_g"), _skip_expr(m).alias("_skip")).unnest("_g")
    ok, rest = _partition(out, pl.col(names[0]).is_not_null() & ~pl.col("_skip"))
    bad = rest.filter(~pl.col("_skip")).select(
        "line_number", "line", pl.lit(f"line does not match the {m.vendor} format")
        .alias("_reason"))
    return ok.select("line_number", "line", *names), bad


def _extract(frame: pl.DataFrame, m: VendorMapping) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (line_number, line, one String column per source field) and the rejected lines
    of a ``json`` mapping."""
    names = m.source_fields()
    is_obj = pl.col("line").str.strip_chars().str.starts_with("{")
    out = frame.hstack(_json_paths(frame["line"], names))
    ok = is_obj & pl.any_horizontal([pl.col(p).is_not_null() for p in names])
    bad = out.filter(~ok).select("line_number", "line",
                                 pl.lit("invalid JSON object").alias("_reason"))
    return out.filter(ok).select("line_number", "line", *names), bad


_DUCK = threading.local()


def _json_paths(lines: pl.Series, paths: list[str]) -> pl.DataFrame:
    """Return one String column per JSONPath (``$.a.b``) of each line; null where absent.

    DuckDB's JSON reader parses each line once for all paths (Polars' ``json_path_match``
    parsed it once per path: ~4x the CPU). Values read as Polars' do: strings unescaped,
    numbers, booleans and objects as their JSON text, JSON null and unparseable lines as null;
    of duplicate keys the first counts. One single-threaded connection per parse thread.
    """
    import duckdb

    con = getattr(_DUCK, "con", None)
    if con is None:
        con = _DUCK.con = duckdb.connect(config={"threads": 1})
    listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
    rel = con.from_arrow(pl.DataFrame({"line": lines}).to_arrow(
        compat_level=pl.CompatLevel.oldest()))
    values = rel.select(f"CASE WHEN json_valid(line) THEN json_extract_string(line, [{listed}]) "
                        "END AS v").pl()["v"]
    return pl.DataFrame([values.list.get(i, null_on_oob=True).alias(p)
                         for i, p in enumerate(paths)])


def _elff_fields(frame: pl.DataFrame, m: VendorMapping, header: list[str] | None):
    """Split a block at ``#Fields:`` headers; return field frames, rejects and the last header."""
    is_fields = pl.col("line").str.starts_with("#Fields:")
    marks = frame.filter(is_fields).select("line_number", "line").rows()
    data = _data_lines(frame, m)
    bounds = [(frame["line_number"][0] if frame.height else 0, header)]
    for ln, text in marks:
        bounds.append((ln, text.split(":", 1)[1].split()))
    parts, bads = [], []
    for i, (start, fields) in enumerate(bounds):
        end = bounds[i + 1][0] if i + 1 < len(bounds) else None
        seg = data.filter(pl.col("line_number") >= start)
        if end is not None:
            seg = seg.filter(pl.col("line_number") < end)
        if seg.height == 0:
            continue
        if not fields:
            bads.append(seg.select("line_number", "line",
                                   pl.lit("data line before any #Fields header").alias("_reason")))
            continue
        seg = seg.with_columns(pl.col("line").str.extract_all(_ELFF_TOKEN).alias("_t"))
        ok = pl.col("_t").list.len() == len(fields)
        bads.append(seg.filter(~ok).select(
            "line_number", "line",
            pl.format("{} fields where #Fields declares " + str(len(fields)),
                      pl.col("_t").list.len()).alias("_reason")))
        seg = seg.filter(ok)
        idx = {f: j for j, f in enumerate(fields)}
        cols = []
        for name in m.source_fields():
            if name in idx:
                tok = pl.col("_t").list.get(idx[name])
                cols.append(pl.when(tok.str.starts_with('"')).then(tok.str.strip_chars('"'))
                            .otherwise(tok).alias(name))
            else:
                cols.append(pl.lit(None, pl.String).alias(name))
        parts.append(seg.select("line_number", "line", *cols))
    return parts, bads, bounds[-1][1]


def _nullify(name: str, m: VendorMapping) -> pl.Expr:
    c = pl.col(name).cast(pl.String)
    return pl.when(c.is_in(m.null_values)).then(None).otherwise(c)


def time_expr(fields: list[str], fmt: str, tz: str, numeric: bool = False) -> pl.Expr:
    """Return an expression parsing the joined time fields to a naive UTC Datetime (null if bad).

    ``numeric``: the one epoch field is a number already (read so by the tokens kind).
    """
    raw = (pl.col(fields[0]) if len(fields) == 1 else
           pl.concat_str([pl.col(f) for f in fields], separator=" "))
    if not numeric:
        raw = raw.str.strip_chars()
    if fmt in ("epoch", "epoch_ms"):
        scale = 1_000_000 if fmt == "epoch" else 1_000
        num = raw.cast(pl.Float64, strict=False)
        return (num * scale).round(0).cast(pl.Int64).cast(pl.Datetime("us"))
    if fmt == "iso":
        ts = raw.str.to_datetime(strict=False, time_unit="us", time_zone="UTC")
        return ts.dt.replace_time_zone(None)
    ts = raw.str.to_datetime(fmt, strict=False, time_unit="us")
    if tz != "UTC":
        ts = (ts.dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null")
              .dt.convert_time_zone("UTC").dt.replace_time_zone(None))
    return ts


def _url_expr(m: VendorMapping, field: str | None = None) -> pl.Expr:
    """Return the canonical URL (of column ``field`` instead of the mapping's URL field)."""
    u = m.url
    if u.field:
        raw = pl.col(field or u.field)
        scheme = pl.lit(u.default_scheme)
        if u.scheme_field:
            scheme = pl.coalesce(pl.col(u.scheme_field).str.to_lowercase(), scheme)
        if u.port_field:
            port = pl.col(u.port_field)
            scheme = (pl.when(port == "80").then(pl.lit("http"))
                      .when(port == "443").then(pl.lit("https")).otherwise(scheme))
        has_scheme = raw.str.contains(_HAS_SCHEME)
        return pl.when(raw.is_null()).then(None).when(has_scheme).then(raw) \
            .otherwise(pl.concat_str([scheme, pl.lit("://"), raw]))
    scheme = pl.coalesce(pl.col(u.scheme).str.to_lowercase(), pl.lit(u.default_scheme)) \
        if u.scheme else pl.lit(u.default_scheme)
    port = pl.concat_str([pl.lit(":"), pl.col(u.port)]).fill_null("") if u.port else pl.lit("")
    path = pl.col(u.path).fill_null("/") if u.path else pl.lit("/")
    query = pl.col(u.query).fill_null("") if u.query else pl.lit("")
    query = pl.when((query == "") | query.str.starts_with("?")).then(query) \
        .otherwise(pl.concat_str([pl.lit("?"), query]))
    return pl.when(pl.col(u.host).is_null()).then(None).otherwise(
        pl.concat_str([scheme, pl.lit("://"), pl.col(u.host), port, path, query]))


def _canonical(fields: pl.DataFrame, m: VendorMapping, source: str, tz: str | None,
               nulls_applied: bool = False) -> pl.DataFrame:
    """Return canonical event columns (and ``_reason``) of a frame of source fields.

    ``nulls_applied``: the mapping's null values are nulls already (the tokens scan does it).
    """
    names = m.source_fields()
    f = fields if nulls_applied else fields.with_columns(
        [_nullify(n, m).alias(n) for n in names if fields.schema[n] == pl.String])
    numeric_time = fields.schema[m.time.fields[0]].is_numeric()
    cols = [time_expr(m.time.fields, m.time.format, tz or m.time.timezone, numeric_time)
            .alias("ts")]
    u = m.url
    if u.field and not (u.scheme_field or u.port_field) \
            and f[u.field].str.contains(_HAS_SCHEME).fill_null(True).all():
        # every URL of the block carries its scheme (the usual): nothing to assemble
        cols.append(pl.col(u.field).alias("url"))
        if "shape_key" in fields.columns:
            cols.append(pl.col("shape_key"))
    else:
        cols.append(_url_expr(m).alias("url"))
        if "shape_key" in fields.columns:  # the scanned URL's shape: its prefix is the URL's
            cols.append(_url_expr(m, "shape_key").alias("shape_key"))
    for canon, dtype in EVENT_SCHEMA.items():
        if canon in ("ts", "url", "shape_key", "vendor", "source_file", "line_number"):
            continue
        src = m.columns.get(canon)
        e = pl.col(src) if src else pl.lit(None, pl.String)
        if canon in INT_COLUMNS:
            e = e.cast(pl.Float64, strict=False)
        e = e.cast(dtype, strict=False)
        cols.append((e.str.to_uppercase() if canon == "method" else e).alias(canon))
    out = f.select("line_number", *cols).with_columns(
        pl.lit(m.vendor).alias("vendor"), pl.lit(source).alias("source_file"),
        pl.when(pl.col("ts").is_null()).then(pl.lit("unparseable time"))
        .when(pl.col("url").is_null()).then(pl.lit("missing URL")).otherwise(None)
        .alias("_reason"))
    if "shape_key" not in out.columns:
        out = out.with_columns(shape_keys(out["url"]).alias("shape_key"))
    return out


def _quarantine_rows(parts: list[pl.DataFrame], source: str) -> pl.DataFrame:
    parts = [p for p in parts if p.height]
    if not parts:
        return pl.DataFrame(schema=QUARANTINE_SCHEMA)
    df = pl.concat(parts)
    return df.select(pl.lit(source).alias("source"),
                     pl.format("line {}", pl.col("line_number")).alias("locator"),
                     pl.col("_reason").alias("reason"), preview_expr().alias("masked_preview"))
