"""Evaluation: tier results and alert rules give alerts, batched by rule, group and time window."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from ....errors import BadInput
from .alert import Alert, alert_id, fingerprint
from .excerpts import excerpts_for, response_lookup
from .rules import Rule, RuleSet, load_rules
from .severity import SEVERITIES, rank

RESULT_COLUMNS = ("run_id", "trace_id", "tier", "module", "passed", "severity", "score", "reason")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` as an aware UTC datetime (naive values are taken as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _rows(results: pl.DataFrame, traces: pl.DataFrame | None, now: datetime) -> pl.DataFrame:
    missing = [c for c in RESULT_COLUMNS if c not in results.columns]
    if missing:
        raise BadInput(f"tier results lack column(s) {missing}; expected {list(RESULT_COLUMNS)}")
    frame = results.select(*RESULT_COLUMNS)
    if traces is not None and not traces.is_empty():
        cols = [c for c in ("trace_id", "model", "started_at") if c in traces.columns]
        meta = traces.select(cols).unique("trace_id", keep="first")
        dtype = meta.schema.get("started_at")
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
            meta = meta.with_columns(pl.col("started_at").dt.convert_time_zone("UTC")
                                     .dt.replace_time_zone(None))
        frame = frame.join(meta, on="trace_id", how="left")
    for col, dtype in (("model", pl.Utf8), ("started_at", pl.Datetime("us"))):
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=dtype).alias(col))
    naive_now = as_utc(now).replace(tzinfo=None)
    return frame.with_columns(
        pl.col("started_at").cast(pl.Datetime("us")).fill_null(naive_now),
        pl.col("severity").str.to_lowercase().replace_strict(_RANK, default=0,
                                                             return_dtype=pl.Int8).alias("_rank"),
    )


def _scope(rows: pl.DataFrame, rule: Rule) -> pl.DataFrame:
    cond = pl.lit(True)
    if (mods := rule.when.modules) is not None:
        cond &= pl.col("module").is_in(mods)
    if rule.when.tier is not None:
        cond &= pl.col("tier") == rule.when.tier
    return rows.filter(cond)


def _flags(rows: pl.DataFrame, rule: Rule, batch_minutes: int) -> pl.DataFrame:
    w = rule.when
    cond = (pl.col("score") >= w.min_score) if w.min_score is not None else pl.col("passed").not_()
    if w.min_severity is not None:
        cond &= pl.col("_rank") >= rank(w.min_severity)
    keys = list(dict.fromkeys(rule.group_by))
    return (_scope(rows, rule).filter(cond.fill_null(False))
            .with_columns(pl.col("started_at").dt.truncate(f"{batch_minutes}m").alias("_window"))
            .group_by([*keys, "_window"])
            .agg(pl.col("trace_id").unique().sort().alias("trace_ids"),
                 pl.col("reason").drop_nulls().unique().sort().head(5).alias("reasons"),
                 pl.col("module").unique().sort().alias("modules"))
            .with_columns(pl.lit(None, dtype=pl.Float64).alias("_rate"))
            .sort([*keys, "_window"], nulls_last=True))


def _rates(rows: pl.DataFrame, rule: Rule) -> pl.DataFrame:
    rate = rule.when.rate
    assert rate is not None
    keys = list(dict.fromkeys(["module", *rule.group_by]))
    flagged = pl.col("passed").not_()
    return (_scope(rows, rule).filter(pl.col("passed").is_not_null())
            .with_columns(pl.col("started_at").dt.truncate(f"{rate.window_minutes}m")
                          .alias("_window"))
            .group_by([*keys, "_window"])
            .agg(pl.col("trace_id").filter(flagged).unique().sort().alias("trace_ids"),
                 pl.col("trace_id").n_unique().alias("_evaluated"),
                 pl.col("reason").filter(flagged).drop_nulls().unique().sort().head(4)
                 .alias("reasons"),
                 pl.col("module").unique().sort().alias("modules"))
            .with_columns((pl.col("trace_ids").list.len() / pl.col("_evaluated")).alias("_rate"))
            .filter((pl.col("_evaluated") >= rate.min_traces) & (pl.col("_rate") > rate.threshold))
            .sort([*keys, "_window"], nulls_last=True))


def _alerts(groups: pl.DataFrame, rule: Rule, width: timedelta, ruleset: RuleSet,
            traces: pl.DataFrame | None) -> list[Alert]:
    policy = ruleset.policy
    keys = [c for c in groups.columns if c in ("module", "model", "tier")]
    records = groups.to_dicts()
    responses = response_lookup(traces, [t for r in records for t in r["trace_ids"][:5]])
    out = []
    for rec in records:
        group = {k: rec[k] for k in keys}
        mods = rec["modules"]
        module = rec["module"] if "module" in group else (
            ",".join(rule.when.modules) if rule.when.modules else ",".join(mods) or None)
        fp = fingerprint(rule.name, module, group)
        start = rec["_window"].replace(tzinfo=UTC)
        tids = tuple(rec["trace_ids"])
        reasons = list(rec["reasons"])
        detail: dict[str, object] = {}
        if rec["_rate"] is not None and rule.when.rate is not None:
            r = rule.when.rate
            detail = {"rate": round(rec["_rate"], 4), "flagged": len(tids),
                      "evaluated": rec["_evaluated"], "threshold": r.threshold,
                      "window_minutes": r.window_minutes}
            reasons.insert(0, f"{module} flagged {len(tids)} of {rec['_evaluated']} traces "
                              f"({rec['_rate']:.0%}) in {r.window_minutes} min, "
                              f"threshold {r.threshold:.0%}")
        out.append(Alert(
            alert_id=alert_id(fp, start, tids), rule=rule.name, severity=rule.severity,
            module=module, fingerprint=fp, trace_ids=tids, count=len(tids),
            window_start=start, window_end=start + width, group=group,
            reasons=tuple(reasons[:5]),
            excerpts=excerpts_for(tids, responses, limit=policy.max_excerpts,
                                  chars=policy.excerpt_chars),
            channels=tuple(rule.channels) if rule.channels is not None else None, detail=detail))
    return out


def evaluate_alerts(results: pl.DataFrame, traces: pl.DataFrame | None,
                    rules: RuleSet | str | Path | None = None,
                    now: datetime | None = None) -> list[Alert]:
    """Return the alerts the rules raise on tier results, most severe first."""
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    now = as_utc(now or datetime.now(UTC))
    rows = _rows(results, traces, now)
    alerts: list[Alert] = []
    for rule in ruleset.rules:
        if rule.when.rate is not None:
            groups = _rates(rows, rule)
            width = timedelta(minutes=rule.when.rate.window_minutes)
        else:
            groups = _flags(rows, rule, ruleset.policy.batch_minutes)
            width = timedelta(minutes=ruleset.policy.batch_minutes)
        alerts.extend(_alerts(groups, rule, width, ruleset, traces))
    return sorted(alerts, key=lambda a: (-rank(a.severity), a.window_start, a.rule, a.alert_id))
