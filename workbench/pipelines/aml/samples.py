"""Deterministic synthetic alert batches: normal activity, laundering typologies, rule alerts.

Accounts are retail, business (some pay payroll: a legitimate fan-out) or merchants (a
legitimate fan-in); a few percent launder money through one typology each: fan-in, fan-out,
cycles, scatter-gather, structuring below the 10,000 reporting threshold, rapid pass-through,
dormant-then-active. Rules raise alerts on both, so most alerts are false positives (about 88%)
the way real rule engines produce them, and labels say which alerts were confirmed suspicious.
Everything is vectorized numpy driven by one seeded generator, so the same (alerts, seed) always
gives the same files.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np

START = datetime(2025, 1, 1)
DAY = 86_400
WINDOW_DAYS = 30
TYPOLOGIES = ("fan_in", "fan_out", "cycle", "scatter_gather", "structuring", "pass_through",
              "dormant_active")
RULES = ("FAN_IN", "FAN_OUT", "CYCLE", "SCATTER_GATHER", "STRUCTURING", "PASS_THROUGH",
         "DORMANT_ACTIVE", "LARGE_AMOUNT", "HIGH_VELOCITY")
SEVERITY = {"FAN_IN": 1, "FAN_OUT": 1, "CYCLE": 2, "SCATTER_GATHER": 2, "STRUCTURING": 2,
            "PASS_THROUGH": 1, "DORMANT_ACTIVE": 1, "LARGE_AMOUNT": 0, "HIGH_VELOCITY": 0}
SEVERITY_NAMES = ("low", "medium", "high")
POSITIVE_SHARE = 0.12  # share of alerts raised on laundering accounts


def _ids(prefix: str, idx: np.ndarray, width: int):
    import polars as pl

    digits = pl.Series("id", np.asarray(idx, dtype=np.int64)).cast(pl.Utf8).str.zfill(width)
    return digits.to_frame().select(pl.lit(prefix) + pl.col("id"))["literal"].alias("id")


class _Flows:
    """Accumulates flow arrays (from, to, seconds, amount, currency code)."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []

    def add(self, src, dst, t, amount, currency=None) -> None:
        src = np.asarray(src, dtype=np.int64)
        n = len(src)
        if n == 0:
            return
        cur = np.zeros(n, dtype=np.int8) if currency is None else np.asarray(currency, np.int8)
        self.parts.append((src, np.asarray(dst, np.int64), np.asarray(t, np.float64),
                           np.round(np.asarray(amount, np.float64), 2), cur))

    def arrays(self) -> tuple[np.ndarray, ...]:
        return tuple(np.concatenate([p[i] for p in self.parts]) for i in range(5))


def _others(rng, n_acc: int, src: np.ndarray) -> np.ndarray:
    """Random counterparties, never the account itself."""
    dst = rng.integers(0, n_acc, size=len(src))
    return np.where(dst == src, (dst + 1) % n_acc, dst)


def generate(alerts: int = 2000, seed: int = 7) -> dict:
    """Return the batch tables (Polars frames): alerts, money_flows, clusters, features, labels."""
    import polars as pl

    rng = np.random.default_rng(seed)
    n_alerts = max(10, int(alerts))
    n_acc = max(80, int(n_alerts * 0.6))
    span = WINDOW_DAYS * DAY

    segment = rng.choice(3, size=n_acc, p=[0.80, 0.12, 0.08])  # retail, business, merchant
    bad = rng.random(n_acc) < 0.06
    bad[:7] = True  # every typology appears even in tiny batches
    typ = np.where(bad, rng.integers(0, len(TYPOLOGIES), size=n_acc), -1)
    typ[:7] = np.arange(7)
    segment[bad] = 0
    near_threshold_retail = (~bad) & (segment == 0) & (rng.random(n_acc) < 0.04)
    payroll = (~bad) & (segment == 1) & (rng.random(n_acc) < 0.5)
    t0 = rng.uniform(0, span - 8 * DAY, size=n_acc)  # start of each account's notable activity
    acc = np.arange(n_acc)
    fl = _Flows()

    # normal activity
    k = rng.poisson(np.where(segment == 1, 6, 3))
    src = np.repeat(acc, k)
    fl.add(src, _others(rng, n_acc, src), rng.uniform(0, span, len(src)),
           rng.lognormal(5.0, 1.1, len(src)), rng.choice(3, len(src), p=[0.85, 0.10, 0.05]))
    merchants = acc[(segment == 2) & ~bad]
    k = rng.poisson(15, len(merchants))
    dst = np.repeat(merchants, k)
    fl.add(_others(rng, n_acc, dst), dst, rng.uniform(0, span, len(dst)),
           rng.lognormal(3.8, 0.7, len(dst)))
    pay = acc[payroll]
    k = rng.integers(10, 26, len(pay))
    src = np.repeat(pay, k)
    fl.add(src, _others(rng, n_acc, src), np.repeat(t0[pay], k) + rng.uniform(0, 3600, len(src)),
           np.round(rng.lognormal(7.6, 0.3, len(src)), -1))
    nt = acc[near_threshold_retail]
    k = rng.integers(1, 3, len(nt))
    src = np.repeat(nt, k)
    fl.add(src, _others(rng, n_acc, src), np.repeat(t0[nt], k) + rng.uniform(0, 5 * DAY, len(src)),
           rng.uniform(9000, 9990, len(src)))

    ring = acc.copy()  # cluster ring of each account (itself unless part of a ring)
    sel = {name: acc[typ == i] for i, name in enumerate(TYPOLOGIES)}

    a = sel["fan_in"]
    k = rng.integers(8, 26, len(a))
    dst = np.repeat(a, k)
    amt = rng.uniform(800, 4000, len(dst))
    fl.add(_others(rng, n_acc, dst), dst, np.repeat(t0[a], k) + rng.uniform(0, 3 * DAY, len(dst)),
           amt)
    totals = np.bincount(np.repeat(np.arange(len(a)), k), weights=amt, minlength=len(a))
    fl.add(a, _others(rng, n_acc, a), t0[a] + 3.5 * DAY, totals * 0.95)

    a = sel["fan_out"]
    big = rng.uniform(20_000, 80_000, len(a))
    fl.add(_others(rng, n_acc, a), a, t0[a], big)
    k = rng.integers(8, 26, len(a))
    src = np.repeat(a, k)
    fl.add(src, _others(rng, n_acc, src), np.repeat(t0[a], k) + rng.uniform(0.1, 2, len(src)) * DAY,
           np.repeat(big / k, k) * rng.uniform(0.9, 1.0, len(src)))

    a = sel["cycle"]
    size = 3
    n_rings = max(1, len(a) // size)
    ring_of = np.minimum(np.arange(len(a)) // size, n_rings - 1)
    starts = np.searchsorted(ring_of, np.arange(n_rings))
    sizes = np.bincount(ring_of, minlength=n_rings)
    pos = np.arange(len(a)) - starts[ring_of]
    nxt = a[starts[ring_of] + (pos + 1) % sizes[ring_of]]
    ring[a] = a[starts[ring_of]]
    base = rng.uniform(15_000, 60_000, n_rings)[ring_of]
    tr = t0[a[starts[ring_of]]]
    for rep in range(3):
        valid = nxt != a
        fl.add(a[valid], nxt[valid], (tr + rep * 2 * DAY + pos * 7200)[valid],
               (base * 0.97 ** pos * 0.99 ** rep)[valid])

    a = sel["scatter_gather"]
    sink = _others(rng, n_acc, a)
    k = rng.integers(4, 11, len(a))
    src = np.repeat(a, k)
    mid = _others(rng, n_acc, src)
    amt = rng.uniform(3000, 9000, len(src))
    t = np.repeat(t0[a], k) + rng.uniform(0, DAY, len(src))
    fl.add(src, mid, t, amt)
    fl.add(mid, np.repeat(sink, k), t + rng.uniform(0.2, 2, len(src)) * DAY, amt * 0.96)

    a = sel["structuring"]
    k = rng.integers(5, 15, len(a))
    dst = np.repeat(a, k)
    fl.add(_others(rng, n_acc, dst), dst, np.repeat(t0[a], k) + rng.uniform(0, 6 * DAY, len(dst)),
           rng.uniform(9000, 9990, len(dst)))

    a = sel["pass_through"]
    k = rng.integers(3, 9, len(a))
    acct = np.repeat(a, k)
    amt = rng.uniform(5000, 40_000, len(acct))
    t = np.repeat(t0[a], k) + rng.uniform(0, 7 * DAY, len(acct))
    fl.add(_others(rng, n_acc, acct), acct, t, amt)
    fl.add(acct, _others(rng, n_acc, acct), t + rng.uniform(0.5, 12, len(acct)) * 3600,
           amt * rng.uniform(0.95, 0.99, len(acct)))

    a = sel["dormant_active"]
    late = span - 5 * DAY
    t0[a] = late
    k = rng.integers(5, 13, len(a))
    acct = np.repeat(a, k)
    direction = rng.random(len(acct)) < 0.5
    other = _others(rng, n_acc, acct)
    fl.add(np.where(direction, acct, other), np.where(direction, other, acct),
           late + rng.uniform(0, 5 * DAY, len(acct)) - 1, rng.lognormal(8.6, 0.5, len(acct)))

    f_src, f_dst, f_t, f_amt, f_cur = fl.arrays()
    dormant = np.zeros(n_acc, dtype=bool)
    dormant[a] = True
    quiet = (dormant[f_src] | dormant[f_dst]) & (f_t < late - 1)  # dormant: nothing before
    keep = ~quiet
    f_src, f_dst, f_t, f_amt, f_cur = f_src[keep], f_dst[keep], f_t[keep], f_amt[keep], f_cur[keep]
    f_t = np.clip(f_t, 0, span - 1)

    # alerts: rules fire on laundering accounts and on look-alike normal accounts
    is_pos = rng.random(n_alerts) < POSITIVE_SHARE
    bad_idx = acc[bad]
    weight = np.where(bad, 0.0, np.where((segment > 0) | near_threshold_retail, 4.0, 1.0))
    normal_pick = rng.choice(n_acc, size=n_alerts, p=weight / weight.sum())
    alert_acc = np.where(is_pos, bad_idx[rng.integers(0, len(bad_idx), n_alerts)], normal_pick)
    lookalike = np.select([segment[alert_acc] == 2, segment[alert_acc] == 1,
                           near_threshold_retail[alert_acc]], [0, 1, 4], -1)
    rule_idx = np.where(is_pos, typ[alert_acc], lookalike)
    noisy = (rule_idx < 0) | (rng.random(n_alerts) < 0.25)
    rule_idx = np.where(noisy, rng.integers(0, len(RULES), n_alerts), rule_idx)
    created = np.where(is_pos, t0[alert_acc] + rng.uniform(3, 5, n_alerts) * DAY,
                       rng.uniform(5 * DAY, span, n_alerts))
    created = np.clip(created, 0, span + DAY - 1)
    rule_names = np.array(RULES)[rule_idx]
    amount = np.where(rule_names == "STRUCTURING", rng.uniform(9000, 9990, n_alerts),
                      np.where(is_pos, rng.lognormal(8.3, 0.9, n_alerts),
                               rng.lognormal(7.9, 1.1, n_alerts)))
    sev = np.clip(np.array([SEVERITY[r] for r in RULES])[rule_idx]
                  + rng.integers(-1, 2, n_alerts), 0, 2)
    currency = rng.choice(3, n_alerts, p=[0.9, 0.07, 0.03])
    order = rng.permutation(n_alerts)  # alert ids do not reveal anything
    alert_id = _ids("AL", order, 8)
    acc_id = _ids("AC", acc, 7)
    cur_names = np.array(["USD", "EUR", "GBP"])

    base_ts = pl.lit(START)
    alerts_df = pl.DataFrame({
        "alert_id": alert_id,
        "account_id": acc_id.gather(alert_acc),
        "created_at": pl.Series(np.floor(created * 1_000_000)).cast(pl.Int64).cast(pl.Duration("us")),
        "rule": rule_names,
        "amount": np.round(amount, 2),
        "currency": cur_names[currency],
        "severity": np.array(SEVERITY_NAMES)[sev],
    }).with_columns((base_ts + pl.col("created_at")).alias("created_at"))
    flows_df = pl.DataFrame({
        "from_account": acc_id.gather(f_src),
        "to_account": acc_id.gather(f_dst),
        "ts": pl.Series(np.floor(f_t * 1_000_000)).cast(pl.Int64).cast(pl.Duration("us")),
        "amount": f_amt,
        "currency": cur_names[f_cur],
    }).with_columns((base_ts + pl.col("ts")).alias("ts")).sort(["ts", "from_account"])
    clusters_df = pl.DataFrame({
        "cluster_id": _ids("CL", ring[alert_acc], 7),
        "alert_id": alert_id,
        "account_id": acc_id.gather(alert_acc),
    }).sort(["cluster_id", "alert_id"])
    flip = rng.random(n_alerts)
    label = np.where(is_pos, flip > 0.04, flip < 0.01)
    labels_df = pl.DataFrame({"alert_id": alert_id, "is_suspicious": label})
    kyc = np.where(bad, rng.choice(3, n_acc, p=[0.4, 0.35, 0.25]),
                   rng.choice(3, n_acc, p=[0.7, 0.22, 0.08]))
    features_df = pl.DataFrame({
        "account_id": acc_id,
        "segment": np.array(["retail", "business", "merchant"])[segment],
        "account_age_days": np.where(bad, rng.integers(20, 900, n_acc),
                                     rng.integers(60, 5000, n_acc)).astype(np.int64),
        "kyc_risk": np.array(["low", "medium", "high"])[kyc],
        "country_risk": np.round(np.where(bad, rng.beta(2, 4, n_acc), rng.beta(1.5, 6, n_acc)), 2),
    })
    order_alerts = np.argsort(alert_id.to_numpy(), kind="stable")
    return {
        "alerts": alerts_df[order_alerts],
        "money_flows": flows_df,
        "clusters": clusters_df,
        "features": features_df,
        "labels": labels_df[order_alerts],
    }


def write_batch(tables: dict, batch_dir: Path) -> Path:
    """Write each table as ``<name>.parquet`` in ``batch_dir``; return the folder."""
    batch_dir = Path(batch_dir)
    batch_dir.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.write_parquet(batch_dir / f"{name}.parquet", statistics=False)
    return batch_dir


def samples(out_dir: Path, alerts: int = 2000, seed: int = 7) -> list[Path]:
    """Write one sample batch folder under ``out_dir``; return ``[batch_dir]``."""
    batch_dir = Path(out_dir) / f"batch_{int(alerts)}_seed{int(seed)}"
    write_batch(generate(alerts=alerts, seed=seed), batch_dir)
    return [batch_dir]
