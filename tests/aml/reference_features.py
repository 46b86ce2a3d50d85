"""Reference (Polars group-by and join) feature builder: the oracle the numpy builder must match."""
from __future__ import annotations

import polars as pl

from workbench.pipelines.aml.batch import CURRENCIES_USD, Batch
from workbench.pipelines.aml.features import (
    ALERT_FEATURES,
    CYCLE_MIN_CENTS,
    KYC_CODE,
    NEAR_CENTS,
    SEGMENT_CODE,
    SEVERITY_CODE,
    THRESHOLD_CENTS,
)
from workbench.pipelines.aml.samples import RULES


def _cents(amount: str, currency: str) -> pl.Expr:
    rate = pl.col(currency).replace_strict(CURRENCIES_USD, default=None, return_dtype=pl.Float64)
    return (pl.col(amount) * rate * 100).round(0).cast(pl.Int64)


def _share(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    return pl.when(den > 0).then(num.cast(pl.Float64) / den.cast(pl.Float64)).otherwise(None)


def _log(expr_cents: pl.Expr) -> pl.Expr:
    return (expr_cents.cast(pl.Float64) / 100.0).log1p()


def account_codes(batch: Batch) -> pl.DataFrame:
    """Return account_id → acc, an integer code (rank of the sorted id) for fast joins."""
    f = batch.money_flows
    parts = [batch.alerts["account_id"], f["from_account"], f["to_account"]]
    if batch.clusters.height:
        parts.append(batch.clusters["account_id"].drop_nulls())
    ids = pl.concat([p.unique() for p in parts]).unique().sort()
    return ids.to_frame("account_id").with_row_index("acc")


def _coded_flows(flows: pl.DataFrame, codes: pl.DataFrame) -> pl.DataFrame:
    """Return flows as (src, dst, ts, cents) with integer account codes."""
    return flows.select("from_account", "to_account", "ts",
                        _cents("amount", "currency").alias("cents")) \
        .join(codes.rename({"account_id": "from_account", "acc": "src"}), on="from_account") \
        .join(codes.rename({"account_id": "to_account", "acc": "dst"}), on="to_account") \
        .select("src", "dst", "ts", "cents")


def _legs(f: pl.DataFrame) -> pl.DataFrame:
    """Return each coded flow twice, once per side: account, counterparty, direction, ts, cents."""
    out = f.select(pl.col("src").alias("account"), pl.col("dst").alias("cp"),
                   pl.lit(1, pl.Int8).alias("out"), "ts", "cents")
    inc = f.select(pl.col("dst").alias("account"), pl.col("src").alias("cp"),
                   pl.lit(0, pl.Int8).alias("out"), "ts", "cents")
    return pl.concat([out, inc]).with_columns(
        (pl.col("cents") // 100).clip(0, 10_000_000).alias("units"),
        ((pl.col("cents") >= NEAR_CENTS) & (pl.col("cents") < THRESHOLD_CENTS)).alias("near"),
        ((pl.col("cents") > 0) & (pl.col("cents") % 100_000 == 0)).alias("round"))


def build_network_features(legs: pl.DataFrame, alerted: pl.Series,
                           accounts: pl.DataFrame | None) -> pl.DataFrame:
    # ``accounts``: coded account features (acc, kyc_risk) or None; ``alerted``: acc codes
    """Return per-account network features: degrees, totals, ratios, cycles, counterparty risk."""
    is_out = pl.col("out") == 1
    io = legs.group_by("account").agg(
        (~is_out).sum().alias("net_in_count"), is_out.sum().alias("net_out_count"),
        pl.when(~is_out).then(pl.col("cents")).otherwise(0).sum().alias("in_total"),
        pl.when(is_out).then(pl.col("cents")).otherwise(0).sum().alias("out_total"))
    deg = legs.select("account", "cp", "out").unique().group_by("account").agg(
        (~is_out).sum().alias("in_deg"), is_out.sum().alias("out_deg"))
    io = io.join(deg, on="account")
    net = io.select(
        "account",
        pl.col("in_deg").alias("net_in_degree"), pl.col("out_deg").alias("net_out_degree"),
        "net_in_count", "net_out_count",
        _log(pl.col("in_total")).alias("net_in_total_log"),
        _log(pl.col("out_total")).alias("net_out_total_log"),
        _share(pl.col("out_total"), pl.col("in_total")).alias("net_flow_ratio"),
        (pl.col("in_deg") / (pl.col("out_deg") + 1)).alias("net_fan_in_ratio"),
        (pl.col("out_deg") / (pl.col("in_deg") + 1)).alias("net_fan_out_ratio"),
        _share(pl.min_horizontal("in_total", "out_total"),
               pl.max_horizontal("in_total", "out_total")).alias("net_pass_through"),
    )
    # cycles: only transfers of at least CYCLE_MIN_CENTS, where layering happens
    edges = legs.filter((pl.col("out") == 1) & (pl.col("account") != pl.col("cp"))
                        & (pl.col("cents") >= CYCLE_MIN_CENTS)).select(
        pl.col("account").alias("a"), pl.col("cp").alias("b")).unique()
    back = edges.select(pl.col("b").alias("a"), pl.col("a").alias("b"))
    cyc2 = edges.join(back, on=["a", "b"], how="semi").select(pl.col("a").alias("account"))
    path = edges.join(edges.rename({"a": "b", "b": "c"}), on="b").filter(pl.col("c") != pl.col("a"))
    cyc3 = path.join(edges.rename({"a": "c", "b": "a"}), on=["c", "a"], how="semi").select(
        pl.col("a").alias("account"))
    cps = legs.select("account", "cp").unique()
    cp_flags = cps.with_columns(pl.col("cp").is_in(alerted.implode()).alias("cp_alerted"))
    aggs = [(pl.col("cp_alerted").cast(pl.Int64).sum() / pl.len()).alias("net_cp_alerted_share")]
    if accounts is not None and "kyc_risk" in accounts.columns:
        risk = accounts.select(pl.col("acc").alias("cp"),
                               (pl.col("kyc_risk") == "high").alias("cp_high"))
        cp_flags = cp_flags.join(risk, on="cp", how="left")
        aggs.append((pl.col("cp_high").fill_null(False).cast(pl.Int64).sum() / pl.len())
                    .alias("net_cp_high_risk_share"))
    cp = cp_flags.group_by("account").agg(aggs)
    net = net.join(cp, on="account", how="left").with_columns(
        pl.col("account").is_in(cyc2["account"].implode()).cast(pl.Int8).alias("net_cycle2"),
        pl.col("account").is_in(cyc3["account"].unique().implode()).cast(pl.Int8)
        .alias("net_cycle3"))
    return net


def build_statistical_features(legs: pl.DataFrame) -> pl.DataFrame:
    """Return per-account amount statistics from exact integer sums."""
    s = legs.group_by("account").agg(
        pl.len().alias("n"), pl.col("cents").sum().alias("sum_c"),
        pl.col("units").sum().alias("sum_u"), (pl.col("units") ** 2).sum().alias("sum_u2"),
        pl.col("cents").max().alias("max_c"), pl.col("near").sum().alias("n_near"),
        pl.col("round").sum().alias("n_round"))
    n = pl.col("n").cast(pl.Float64)
    mean_u = pl.col("sum_u").cast(pl.Float64) / n
    var_u = (pl.col("sum_u2").cast(pl.Float64) / n - mean_u ** 2).clip(0.0, None)
    return s.select(
        "account",
        (pl.col("sum_c").cast(pl.Float64) / n / 100.0).log1p().alias("stat_mean_amount_log"),
        _log(pl.col("max_c")).alias("stat_max_amount_log"),
        pl.when(mean_u > 0).then(var_u.sqrt() / mean_u).otherwise(None).alias("stat_amount_cv"),
        (pl.col("n_near").cast(pl.Float64) / n).alias("stat_near_threshold_share"),
        (pl.col("n_round").cast(pl.Float64) / n).alias("stat_round_share"),
        mean_u.alias("_mean_units"), var_u.sqrt().alias("_sd_units"),
    )


def build_temporal_features(legs: pl.DataFrame) -> pl.DataFrame:
    """Return per-account temporal features: activity, bursts, dormancy, pass-through speed."""
    day = pl.col("ts").dt.epoch("d")
    daily = legs.group_by("account", day.alias("d")).len()
    burst = daily.group_by("account").agg(pl.len().alias("tmp_active_days"),
                                          pl.col("len").max().alias("tmp_max_daily_flows"),
                                          pl.col("len").sum().alias("_n"))
    ordered = legs.select("account", "ts").sort(["account", "ts"])
    same = pl.col("account") == pl.col("account").shift(1)
    gaps = ordered.with_columns(pl.when(same).then(pl.col("ts") - pl.col("ts").shift(1))
                                .otherwise(None).alias("gap"))
    span = gaps.group_by("account").agg(
        pl.col("gap").max().alias("max_gap"),
        # reactivation: the earliest transfer that ends a longest quiet period
        pl.col("ts").filter(pl.col("gap") == pl.col("gap").max()).min().alias("_react_ts"),
        pl.col("ts").min().alias("first_ts"), pl.col("ts").max().alias("last_ts"))
    outs = legs.filter(pl.col("out") == 1).select("account", "ts", "cents").sort("ts")
    # receipts at the same instant are ordered by amount so the match never depends on row order
    ins = legs.filter(pl.col("out") == 0).select(
        "account", pl.col("ts").alias("in_ts"), pl.col("cents").alias("in_cents")) \
        .sort(["in_ts", "in_cents"])
    matched = outs.join_asof(ins, left_on="ts", right_on="in_ts", by="account",
                             strategy="backward", check_sortedness=False)
    hours = (pl.col("ts") - pl.col("in_ts")).dt.total_microseconds().cast(pl.Float64) / 3.6e9
    fast = (hours <= 24.0) & (pl.col("cents") * 10 >= pl.col("in_cents") * 9) & (
        pl.col("cents") <= pl.col("in_cents"))
    pas = matched.group_by("account").agg(hours.min().alias("tmp_min_in_out_hours"),
                                          fast.fill_null(False).sum().alias("tmp_fast_pass_count"))
    days = pl.col("max_gap").dt.total_microseconds().cast(pl.Float64) / 8.64e10
    return burst.join(span, on="account").join(pas, on="account", how="left").select(
        "account", "tmp_active_days", "tmp_max_daily_flows",
        (pl.col("tmp_max_daily_flows").cast(pl.Float64)
         / (pl.col("_n").cast(pl.Float64) / pl.col("tmp_active_days"))).alias("tmp_burst_ratio"),
        days.fill_null(0.0).alias("tmp_max_gap_days"), "_react_ts",
        "tmp_min_in_out_hours", pl.col("tmp_fast_pass_count").fill_null(0),
        ((pl.col("last_ts") - pl.col("first_ts")).dt.total_microseconds().cast(pl.Float64)
         / 8.64e10).alias("tmp_span_days"))


def _cluster_of(alerts: pl.DataFrame, clusters: pl.DataFrame) -> pl.DataFrame:
    """Return alert_id → cluster_id (the smallest if several; the alert alone if none)."""
    first = clusters.group_by("alert_id").agg(pl.col("cluster_id").min())
    return alerts.select("alert_id").join(first, on="alert_id", how="left").with_columns(
        pl.coalesce("cluster_id", pl.format("ALERT-{}", "alert_id")).alias("cluster_id"))


def build_cluster_base(alerts: pl.DataFrame, clusters: pl.DataFrame, flows: pl.DataFrame
                       ) -> pl.DataFrame:
    """Return per-cluster features: size, accounts, amount, rules, share of internal flows.

    ``alerts`` carry cluster_id, acc and cents; ``clusters`` carry cluster_id and acc (coded);
    ``flows`` are coded (src, dst).
    """
    accounts = pl.concat([
        alerts.select("cluster_id", "acc"),
        clusters.filter(pl.col("acc").is_not_null()).select("cluster_id", "acc"),
    ]).unique()
    base = alerts.group_by("cluster_id").agg(
        pl.len().alias("clu_alerts"), _log(pl.col("cents").sum()).alias("clu_total_amount_log"),
        pl.col("rule").n_unique().alias("clu_rules"))
    n_acc = accounts.group_by("cluster_id").len("clu_accounts")
    f = flows.select("src", "dst").with_row_index("flow")
    out = f.join(accounts.rename({"acc": "src"}), on="src")
    inc = f.join(accounts.rename({"acc": "dst"}), on="dst")
    inside = out.join(inc.select("flow", "cluster_id"), on=["flow", "cluster_id"], how="semi")
    touched = pl.concat([out.select("cluster_id", "flow"), inc.select("cluster_id", "flow")]) \
        .unique()
    total = touched.group_by("cluster_id").len("n_all")
    internal = inside.group_by("cluster_id").len("n_in")
    return base.join(n_acc, on="cluster_id", how="left").join(total, on="cluster_id", how="left") \
        .join(internal, on="cluster_id", how="left").select(
            "cluster_id", "clu_alerts", "clu_accounts", "clu_total_amount_log", "clu_rules",
            _share(pl.col("n_in").fill_null(0), pl.col("n_all")).alias("clu_internal_flow_share"))


def build_alert_features(alerts: pl.DataFrame) -> pl.DataFrame:
    """Return alert-level features (amount, threshold, rule one-hot, severity, repeats)."""
    a = alerts.with_columns(_cents("amount", "currency").alias("cents"))
    rules = [(pl.col("rule").str.to_uppercase() == r).cast(pl.Int8).alias(f"alert_rule_{r.lower()}")
             for r in RULES]
    per_account = a.group_by("account_id").agg(pl.len().alias("alert_account_alerts"),
                                               pl.col("rule").n_unique().alias("alert_account_rules"))
    return a.join(per_account, on="account_id", how="left").with_columns(
        _log(pl.col("cents")).alias("alert_amount_log"),
        ((pl.col("cents") >= NEAR_CENTS) & (pl.col("cents") < THRESHOLD_CENTS)).cast(pl.Int8)
        .alias("alert_near_threshold"),
        ((pl.col("amount") % 1000 == 0) & (pl.col("amount") > 0)).cast(pl.Int8)
        .alias("alert_round_amount"),
        pl.col("severity").replace_strict(SEVERITY_CODE, default=1, return_dtype=pl.Int8)
        .alias("alert_severity"),
        (pl.col("currency") != "USD").cast(pl.Int8).alias("alert_foreign_currency"),
        *rules)


def build_account_features(accounts: pl.DataFrame | None) -> pl.DataFrame | None:
    """Return the precomputed account features recoded to numbers (None if absent)."""
    if accounts is None:
        return None
    return accounts.select(
        pl.col("account_id"),
        pl.col("account_age_days").cast(pl.Float64).alias("acct_age_days"),
        pl.col("kyc_risk").replace_strict(KYC_CODE, default=None, return_dtype=pl.Float64)
        .alias("acct_kyc_risk"),
        pl.col("country_risk").cast(pl.Float64).alias("acct_country_risk"),
        pl.col("segment").replace_strict(SEGMENT_CODE, default=None, return_dtype=pl.Float64)
        .alias("acct_segment"))


def build_features(batch: Batch) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (alert features, cluster base features), both sorted by their id.

    The alert frame has alert_id, account_id, cluster_id, day, created_at and every name in
    ``ALERT_FEATURES`` as Float64 (null where a value does not exist, e.g. no transfers).
    """
    codes = account_codes(batch)
    flows = _coded_flows(batch.money_flows, codes)
    legs = _legs(flows)
    alerts = build_alert_features(batch.alerts).join(codes, on="account_id", how="left") \
        .join(_cluster_of(batch.alerts, batch.clusters), on="alert_id", how="left")
    acct = build_account_features(batch.features)
    if acct is not None:
        acct = acct.join(codes, on="account_id").drop("account_id")
    risk = None if batch.features is None else batch.features.select(
        "account_id", "kyc_risk").join(codes, on="account_id")
    net = build_network_features(legs, alerts["acc"].unique(), risk)
    stat = build_statistical_features(legs)
    tmp = build_temporal_features(legs)
    members = batch.clusters.join(codes, on="account_id", how="left")
    clusters = build_cluster_base(alerts, members, flows)
    df = alerts
    for part in (net, stat, tmp):
        df = df.join(part, left_on="acc", right_on="account", how="left")
    if acct is not None:
        df = df.join(acct, on="acc", how="left")
    df = df.join(clusters, on="cluster_id", how="left")
    last = legs.select(pl.col("account").alias("acc"), pl.col("ts").alias("last_ts")).sort("last_ts")
    df = df.sort("created_at").join_asof(last, left_on="created_at", right_on="last_ts",
                                         by="acc", strategy="backward", check_sortedness=False)
    hours = (pl.col("created_at") - pl.col("last_ts")).dt.total_microseconds().cast(pl.Float64)
    react = (pl.col("created_at") - pl.col("_react_ts")).dt.total_microseconds().cast(pl.Float64)
    df = df.with_columns(
        (hours / 3.6e9).alias("tmp_hours_since_last_flow"),
        pl.when(pl.col("tmp_max_gap_days") > 0).then(react / 8.64e10).otherwise(None)
        .alias("tmp_days_since_reactivation"),
        pl.when(pl.col("_sd_units") > 0).then(
            (pl.col("cents").cast(pl.Float64) / 100.0 - pl.col("_mean_units"))
            / pl.col("_sd_units")).otherwise(None).alias("stat_alert_amount_z"),
    )
    for name in ALERT_FEATURES:  # a batch without account features still has every column
        if name not in df.columns:
            df = df.with_columns(pl.lit(None, dtype=pl.Float64).alias(name))
    out = df.select("alert_id", "account_id", "cluster_id", "created_at",
                    pl.col("created_at").dt.date().alias("day"),
                    *[pl.col(n).cast(pl.Float64) for n in ALERT_FEATURES]).sort("alert_id")
    return out, clusters.sort("cluster_id")
