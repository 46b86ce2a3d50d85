"""An alert batch: its table schemas, loading from a folder of Parquet files, row validation.

A batch folder holds ``alerts.parquet`` (required), ``money_flows``, ``clusters``, ``features``
(precomputed account features) and ``labels`` (each optional, as ``<name>.parquet`` or a
``<name>/`` folder of Parquet parts). A missing required column or file fails at once with the
file, column and expected type named; a row that breaks a rule (missing id, negative amount,
unknown currency, duplicate alert id…) goes to quarantine with its reason and the rest is scored.
Alerts, clusters, account features and labels come back sorted by their stable key; money flows
keep their file order (sorting millions of them by two string columns costs more than all the
features together), which is safe because every flow feature is an order-free aggregate.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ...errors import BadInput

CURRENCIES_USD = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CHF": 1.12, "JPY": 0.0067,
                  "CAD": 0.73, "AUD": 0.66}

# table -> {column: (dtype, required)}
SCHEMAS: dict[str, dict[str, tuple[pl.DataType, bool]]] = {
    "alerts": {"alert_id": (pl.Utf8, True), "account_id": (pl.Utf8, True),
               "created_at": (pl.Datetime("us"), True), "rule": (pl.Utf8, True),
               "amount": (pl.Float64, True), "currency": (pl.Utf8, True),
               "severity": (pl.Utf8, False)},
    "money_flows": {"from_account": (pl.Utf8, True), "to_account": (pl.Utf8, True),
                    "ts": (pl.Datetime("us"), True), "amount": (pl.Float64, True),
                    "currency": (pl.Utf8, True)},
    "clusters": {"cluster_id": (pl.Utf8, True), "alert_id": (pl.Utf8, True),
                 "account_id": (pl.Utf8, False)},
    "features": {"account_id": (pl.Utf8, True), "segment": (pl.Utf8, False),
                 "account_age_days": (pl.Float64, False), "kyc_risk": (pl.Utf8, False),
                 "country_risk": (pl.Float64, False)},
    "labels": {"alert_id": (pl.Utf8, True), "is_suspicious": (pl.Boolean, True)},
}
SORT_KEYS = {"alerts": ["alert_id"], "money_flows": [],
             "clusters": ["cluster_id", "alert_id", "account_id"], "features": ["account_id"],
             "labels": ["alert_id"]}
UNIQUE_KEYS = {"alerts": ["alert_id"], "features": ["account_id"], "labels": ["alert_id"]}
TABLES = tuple(SCHEMAS)
SCORING_TABLES = ("alerts", "money_flows", "clusters", "features")
SEVERITIES = ("low", "medium", "high")


@dataclass
class Batch:
    """The validated tables of one batch (all but money flows sorted by their stable key)."""

    alerts: pl.DataFrame
    money_flows: pl.DataFrame
    clusters: pl.DataFrame
    features: pl.DataFrame | None = None
    labels: pl.DataFrame | None = None
    quarantine: pl.DataFrame = field(default_factory=lambda: empty_quarantine())
    rows_in: dict[str, int] = field(default_factory=dict)
    source: str = ""

    @property
    def has_labels(self) -> bool:
        """Return True when the batch carries labels for at least one alert."""
        return self.labels is not None and self.labels.height > 0

    def checks(self) -> list[dict]:
        """Return the data checks: rows read, kept and quarantined per table."""
        q = self.quarantine.group_by("source").len() if self.quarantine.height else None
        counts = dict(q.iter_rows()) if q is not None else {}
        out = []
        for name in TABLES:
            if name not in self.rows_in:
                continue
            kept = getattr(self, name)
            out.append({"table": name, "rows_in": self.rows_in[name],
                        "rows_kept": 0 if kept is None else kept.height,
                        "quarantined": int(counts.get(name, 0))})
        return out


def empty_quarantine() -> pl.DataFrame:
    """Return an empty frame in the quarantine shape (source, locator, reason, masked_preview)."""
    return pl.DataFrame(schema={"source": pl.Utf8, "locator": pl.Utf8, "reason": pl.Utf8,
                                "masked_preview": pl.Utf8})


def empty_table(name: str) -> pl.DataFrame:
    """Return an empty table with the schema of ``name``."""
    return pl.DataFrame(schema={c: t for c, (t, _) in SCHEMAS[name].items()})


def _find(batch_dir: Path, name: str) -> list[Path]:
    single = batch_dir / f"{name}.parquet"
    if single.is_file():
        return [single]
    folder = batch_dir / name
    if folder.is_dir():
        return sorted(folder.rglob("*.parquet"))
    return []


def read_batch(batch_dir: str | Path, tables: tuple[str, ...] = TABLES) -> Batch:
    """Return the validated batch stored in ``batch_dir``; BadInput when it cannot be read.

    ``tables`` limits what is read (scoring needs no labels); alerts are always read.
    """
    batch_dir = Path(batch_dir)
    if not batch_dir.is_dir():
        raise BadInput(f"batch folder not found: {batch_dir} (give a folder holding alerts.parquet)")
    raw: dict[str, pl.DataFrame] = {}
    for name in TABLES:
        if name not in tables and name != "alerts":
            continue
        files = _find(batch_dir, name)
        if not files:
            if name == "alerts":
                raise BadInput(f"batch {batch_dir} has no alerts.parquet (or alerts/ folder); "
                               "an alert batch needs at least its alerts")
            continue
        try:
            raw[name] = pl.read_parquet(files, hive_partitioning=False)
        except Exception as exc:  # noqa: BLE001 - a corrupt file is the user's to fix, not a crash
            raise BadInput(f"cannot read {name} in {batch_dir}: {exc}") from None
    batch = validate_tables(raw)
    batch.source = str(batch_dir)
    return batch


def validate_tables(raw: dict[str, pl.DataFrame]) -> Batch:
    """Return a Batch from raw tables: columns checked, bad rows quarantined, rows sorted."""
    clean: dict[str, pl.DataFrame] = {}
    quarantined = [empty_quarantine()]
    rows_in = {}
    for name, df in raw.items():
        rows_in[name] = df.height
        good, bad = _validate(name, df)
        clean[name] = good.sort(SORT_KEYS[name]) if SORT_KEYS[name] else good
        quarantined.append(bad)
    q = pl.concat(quarantined, how="vertical")
    return Batch(alerts=clean["alerts"],
                 money_flows=clean.get("money_flows", empty_table("money_flows")),
                 clusters=clean.get("clusters", empty_table("clusters")),
                 features=clean.get("features"), labels=clean.get("labels"),
                 quarantine=q.sort(["source", "reason", "masked_preview", "locator"]),
                 rows_in=rows_in)


def _validate(name: str, df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    schema = SCHEMAS[name]
    missing = [c for c, (_, req) in schema.items() if req and c not in df.columns]
    if missing:
        expected = ", ".join(f"{c} ({schema[c][0]})" for c in missing)
        raise BadInput(f"{name}: missing required column(s) {expected}; "
                       f"found columns: {', '.join(df.columns) or 'none'}")
    casts, checks = [], []  # checks: (condition, reason) in the order reasons are reported
    for col, (dtype, required) in schema.items():
        if col not in df.columns:
            casts.append(pl.lit(None, dtype=dtype).alias(col))
            continue
        src = df.schema[col]
        expr = _cast(pl.col(col), src, dtype)
        casts.append(expr.alias(col))
        if src != dtype:  # values that do not convert are reported, not silently nulled
            checks.append((pl.col(col).is_not_null() & expr.is_null(),
                           f"{col}: not a valid {_type_name(dtype)}"))
        if required:
            checks.append((expr.is_null(), f"{col}: missing"))
    checks += _rules(name, {c: e for c, e in zip(schema, casts)})
    flags = [cond.fill_null(False).alias(f"_b{i}") for i, (cond, _) in enumerate(checks)]
    typed = df.select(*casts, *flags)
    bad_any = pl.any_horizontal([f"_b{i}" for i in range(len(checks))]) if checks else pl.lit(False)
    keys = UNIQUE_KEYS.get(name)
    dup = None
    if keys and typed.select(pl.struct(keys).is_duplicated().any()).item():
        # keep the first of duplicated keys in content order, so row order cannot matter
        ordered = typed.with_row_index("_row").sort([*keys, *[c for c in schema if c not in keys]],
                                                    nulls_last=True)
        dup = ordered.select("_row", pl.struct(keys).is_first_distinct().not_().alias("_dup")) \
            .sort("_row")["_dup"]
    typed = typed.with_columns(_bad=bad_any if dup is None else bad_any | pl.lit(dup))
    if not typed["_bad"].any():  # the usual case: nothing to report, no reason strings built
        return typed.select(list(schema)), empty_quarantine()
    bad = typed.with_row_index("_row").filter(pl.col("_bad"))
    reasons = [pl.when(pl.col(f"_b{i}")).then(pl.lit(msg)) for i, (_, msg) in enumerate(checks)]
    if dup is not None:
        bad = bad.with_columns(pl.lit(dup).gather(bad["_row"]).alias("_dup"))
        reasons.append(pl.when(pl.col("_dup")).then(pl.lit(f"duplicate {'/'.join(keys)}")))
    q = bad.with_columns(pl.coalesce(reasons).alias("reason")).select(
        pl.lit(name).alias("source"), pl.format("row {}", pl.col("_row")).alias("locator"),
        "reason", _preview(name).alias("masked_preview"))
    return typed.filter(~pl.col("_bad")).select(list(schema)), q


def _cast(expr: pl.Expr, src: pl.DataType, dtype: pl.DataType) -> pl.Expr:
    if src == dtype:
        return expr
    if isinstance(dtype, pl.Datetime):
        if src == pl.Utf8:
            return expr.str.to_datetime(strict=False, time_unit="us").dt.replace_time_zone(None)
        if isinstance(src, pl.Datetime) and src.time_zone:
            return expr.dt.convert_time_zone("UTC").dt.replace_time_zone(None).cast(dtype)
        if src == pl.Date:
            return expr.cast(dtype)
    if dtype == pl.Boolean and src != pl.Boolean:
        if src == pl.Utf8:
            low = expr.str.to_lowercase()
            return pl.when(low.is_in(["true", "1", "yes"])).then(True).when(
                low.is_in(["false", "0", "no"])).then(False).otherwise(None)
        return expr.cast(pl.Int64, strict=False).cast(pl.Boolean, strict=False)
    return expr.cast(dtype, strict=False)


def _type_name(dtype: pl.DataType) -> str:
    return {"String": "string", "Float64": "number", "Boolean": "boolean"}.get(
        str(dtype), "timestamp" if isinstance(dtype, pl.Datetime) else str(dtype))


def _rules(name: str, col: dict[str, pl.Expr]) -> list[tuple[pl.Expr, str]]:
    """Return the business rules of a table as (broken when, reason), on typed columns."""
    known = list(CURRENCIES_USD)
    out: list[tuple[pl.Expr, str]] = []
    if name in ("alerts", "money_flows"):
        out += [(~col["amount"].is_finite() | (col["amount"] < 0),
                 "amount: must be a finite number >= 0"),
                (col["currency"].is_not_null() & ~col["currency"].is_in(known),
                 f"currency: not one of {', '.join(known)}")]
        if name == "alerts":
            out += [(col["alert_id"].str.len_chars() == 0, "alert_id: empty"),
                    (col["severity"].is_not_null() & ~col["severity"].is_in(SEVERITIES),
                     "severity: not one of low, medium, high")]
    if name == "features":
        out.append((col["account_age_days"] < 0, "account_age_days: negative"))
    return out


def _preview(name: str) -> pl.Expr:
    """Return a preview that identifies the row without account numbers (they are masked)."""
    if name in ("alerts", "labels"):
        return pl.format("alert_id={}", pl.col("alert_id").cast(pl.Utf8).fill_null("?"))
    if name == "clusters":
        return pl.format("cluster_id={}", pl.col("cluster_id").cast(pl.Utf8).fill_null("?"))
    if name == "money_flows":
        return pl.format("from=<ACCOUNT> to=<ACCOUNT> ts={}", pl.col("ts").cast(pl.Utf8)
                         .fill_null("?"))
    return pl.lit("account_id=<ACCOUNT>")
