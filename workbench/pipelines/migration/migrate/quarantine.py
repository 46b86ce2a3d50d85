"""Quarantine records (§37): failed rows with reason codes, masked previews and a diff.

A record is ``{run_id, chunk_id, key, reason_codes, masked_preview_before, masked_preview_after,
diff, created_at, rbac_required_role}``: *before* holds the row's source values, *after* its
transformed values, both masked with :func:`workbench.pii.mask_frame` (redact) before they are
written anywhere, and the diff lists each failing target column with its reason, the masked
inputs it came from and what it became. The unmasked source values stay in the target database
only (``raw``), so a released row can be re-run there; the workspace gets masked records.
The locator of a row is ``<table>:<source row ordinal>``.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

from ....errors import BadInput
from .checkpoints import QUARANTINE_COLUMNS, STAGE, now
from .compile import CHUNK, IN
from .inputs import ROW
from .plans import TablePlan
from .validate import REASONS

ROLE = "operator"     # the lowest role the RBAC matrix lets release quarantined rows (§32)
EMPTY = {c: pl.Int64 if c == "row_id" else pl.String for c in QUARANTINE_COLUMNS}


def locator(table: str, row: int) -> str:
    """Return the locator of a source row of a table.

    >>> locator("orders", 17)
    'orders:17'
    """
    return f"{table}:{int(row)}"


def _affects(code: pl.Expr, column: str, tp: TablePlan) -> pl.Expr:
    hit = code.str.ends_with(":" + column)
    return hit | (code == "unique_key") if column in tp.key else hit


def _whole(df: pl.DataFrame, personal: dict, tag: str, counts: dict) -> pl.DataFrame:
    """Return ``df`` with the values of personal columns replaced by their entity tag."""
    out = []
    for c in df.columns:
        ent = personal.get(f"{tag}:{c}")
        if ent is None:
            out.append(pl.col(c))
            continue
        counts[ent] = counts.get(ent, 0) + int(df.get_column(c).is_not_null().sum())
        out.append(pl.when(pl.col(c).is_not_null()).then(pl.lit(f"<{ent}>")).alias(c))
    return df.select(out)


def records(rejected: pl.DataFrame, tp: TablePlan, run_id: str, settings=None
            ) -> tuple[pl.DataFrame, dict]:
    """Return the quarantine records of rejected rows and the masked entity counts."""
    out, masked, _ = _records(rejected, tp, run_id, settings)
    return out, masked


def records_by_chunk(rejected: pl.DataFrame, tp: TablePlan, run_id: str, settings=None
                     ) -> tuple[pl.DataFrame, dict[int, dict]]:
    """Return the quarantine records of the rejected rows of several chunks (one masking pass)
    and the masked entity counts of each chunk (``_wb_chunk``).

    A chunk's counts are its rows' share of the pass's: a column masked whole counts the
    chunk's non-null values, and a value :func:`~workbench.pii.mask_frame` masked counts one
    per ``<ENTITY>`` tag its redaction added. The shares must add up to the pass's counts;
    when they do not (a source value holding such a tag itself), every chunk is masked on its
    own instead, so the counts are always exactly those of masking chunk by chunk.
    """
    out, masked, parts = _records(rejected, tp, run_id, settings)
    if not rejected.height:
        return out, {}
    chunk = rejected.get_column(CHUNK)
    per: dict[int, dict] = {}

    def add(counts: pl.DataFrame, ent: str, zeros: bool = False) -> None:
        for c, n in counts.iter_rows():
            if n or zeros:          # as per chunk: a column masked whole counts even nothing
                per.setdefault(int(c), {})[ent] = per.get(int(c), {}).get(ent, 0) + int(n)

    for tag, raw in (("in", parts["before_raw"]), ("out", parts["after_raw"])):
        for col in raw.columns:
            ent = tp.personal.get(f"{tag}:{col}")
            if ent is not None:
                add(pl.DataFrame({"c": chunk, "n": raw.get_column(col).is_not_null()})
                    .group_by("c").agg(pl.col("n").sum()), ent, zeros=True)
    for plain, done, audit, source in ((parts["before"], parts["mb"], parts["a1"], tp.source),
                                       (parts["after"], parts["ma"], parts["a2"], tp.table)):
        for a in audit:
            col, ent = a["source"][len(source) + 1:], a["entity_type"]
            tag = f"<{ent}>"
            n = (done.get_column(col).str.count_matches(tag, literal=True).fill_null(0)
                 - plain.get_column(col).str.count_matches(tag, literal=True).fill_null(0))
            counts = pl.DataFrame({"c": chunk, "n": n}).group_by("c").agg(pl.col("n").sum())
            if int(counts.get_column("n").sum()) != int(a["count"]):
                return out, _chunk_by_chunk(rejected, tp, run_id, settings)
            add(counts, ent)
    total: dict[str, int] = {}
    for counts in per.values():
        for ent, n in counts.items():
            total[ent] = total.get(ent, 0) + n
    if total != masked:
        return out, _chunk_by_chunk(rejected, tp, run_id, settings)
    return out, per


def _chunk_by_chunk(rejected: pl.DataFrame, tp: TablePlan, run_id: str, settings) -> dict:
    return {int(k[0]): records(part, tp, run_id, settings)[1]
            for k, part in rejected.partition_by(CHUNK, as_dict=True).items()}


def _records(rejected: pl.DataFrame, tp: TablePlan, run_id: str, settings=None
             ) -> tuple[pl.DataFrame, dict, dict]:
    from ....pii import mask_frame

    if not rejected.height:
        return pl.DataFrame(schema=EMPTY), {}, {}
    masked: dict[str, int] = {}
    before_raw = rejected.select(pl.col(IN + n).cast(pl.String).alias(n) for n in tp.inputs)
    after_raw = rejected.select(pl.col(c).cast(pl.String) for c in tp.outputs)
    before = _whole(before_raw, tp.personal, "in", masked)
    after = _whole(after_raw, tp.personal, "out", masked)
    mb, a1 = mask_frame(before, before.columns, "redact", settings=settings, source=tp.source)
    ma, a2 = mask_frame(after, after.columns, "redact", settings=settings, source=tp.table)
    for a in a1 + a2:
        masked[a["entity_type"]] = masked.get(a["entity_type"], 0) + int(a["count"])
    parts = {"before_raw": before_raw, "after_raw": after_raw, "before": before,
             "after": after, "mb": mb, "ma": ma, "a1": a1, "a2": a2}
    work = mb.rename({c: f"_b_{c}" for c in mb.columns}).hstack(
        ma.rename({c: f"_a_{c}" for c in ma.columns})).hstack(rejected.select(REASONS, ROW,
                                                                              CHUNK))
    diff = []
    for c in tp.columns:
        hits = pl.col(REASONS).list.eval(pl.element().filter(
            _affects(pl.element(), c.name, tp)))
        source = pl.concat_list([pl.struct(input=pl.lit(n), value=pl.col(f"_b_{n}"))
                                 for n in c.inputs]) if c.inputs else \
            pl.lit([], dtype=pl.List(pl.Struct({"input": pl.String, "value": pl.String})))
        diff.append(pl.when(hits.list.len() > 0).then(pl.struct(
            column=pl.lit(c.name), reason=hits.list.join(","), source=source,
            result=pl.col(f"_a_{c.name}"))))
    diff_json = pl.struct(d=pl.concat_list(diff).list.drop_nulls()).struct.json_encode() \
        .str.strip_prefix('{"d":').str.strip_suffix("}")
    out = work.select(
        pl.lit(run_id).alias("run_id"), pl.lit(tp.table).alias("target_table"),
        pl.format("{}:{}", pl.lit(tp.table), pl.col(CHUNK).cast(pl.String).str.zfill(5))
        .alias("chunk_id"), pl.col(ROW).alias("row_id"),
        pl.format("{}:{}", pl.lit(tp.table), pl.col(ROW)).alias("locator"),
        pl.concat_str([pl.col(f"_a_{k}") for k in tp.key], separator="|", ignore_nulls=True)
        .alias("key_masked"),
        pl.col(REASONS).list.join(",").alias("reason_codes"),
        pl.struct([pl.col(f"_b_{n}").alias(n) for n in tp.inputs]).struct.json_encode()
        .alias("preview_before"),
        pl.struct([pl.col(f"_a_{c}").alias(c) for c in tp.outputs]).struct.json_encode()
        .alias("preview_after"),
        diff_json.alias("diff"),
        pl.lit(None, dtype=pl.String).alias("raw"), pl.lit("quarantined").alias("status"),
        pl.lit(None, dtype=pl.String).alias("released_by"),
        pl.lit(None, dtype=pl.String).alias("released_at"), pl.lit(now()).alias("created_at"),
        pl.lit(ROLE).alias("rbac_required_role"))
    raw = rejected.select(pl.struct([pl.col(IN + n).alias(n) for n in tp.inputs])
                          .struct.json_encode().alias("raw"))
    return out.with_columns(raw.get_column("raw")), masked, parts


def quarantine_rows(settings, run_id: str, export: str | Path | None = None) -> pl.DataFrame:
    """Return this run's quarantined rows (masked), written to ``export`` (csv, json, parquet)."""
    from .... import store

    with store.connect(settings, read_only=True) as con:
        df = con.execute("SELECT run_id, source AS target_table, locator, reason, "
                         "masked_preview, \"at\" FROM quarantine WHERE run_id = ? AND stage = ? "
                         "ORDER BY source, locator", [run_id, STAGE]).pl()
    if export:
        path = Path(export).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        kind = path.suffix.lower()
        if kind == ".csv":
            df.write_csv(path)
        elif kind in (".json", ".jsonl", ".ndjson"):
            df.write_ndjson(path) if kind != ".json" else df.write_json(path)
        elif kind == ".parquet":
            df.write_parquet(path)
        else:
            raise BadInput(f"export {path.name}: give a .csv, .json, .jsonl or .parquet file")
    return df
