"""Alert features: alert, network, temporal, statistical, account and cluster groups (Polars).

Names carry their group as a prefix (``alert_``, ``net_``, ``tmp_``, ``stat_``, ``acct_``,
``clu_``) and every one is documented in ``FEATURES`` with the phrase an analyst reads when it
drives a score. Money is converted to integer US cents before any sum, so totals are exact and
no result depends on row order or on how the work is split across threads; floating values are
only derived per row from exact integers.

The builder works on integer codes in numpy rather than on string group-bys and self-joins:
account, alert and cluster ids become dense codes once (a 64-bit hash, checked against a second
independent hash, with an exact string fallback should two ids ever collide); every money flow
becomes two "legs" (one per side) sorted once by (account, time, direction); per-account counts,
sums, maxima, gaps, days and the receipt each payment follows are then segment reductions over
that one order (``np.*.reduceat``, ``np.bincount``), and the alert-time look-ups are binary
searches into it. Every aggregate depends only on the set of rows, never on their order.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl

from .batch import CURRENCIES_USD, Batch
from .samples import RULES

THRESHOLD_CENTS = 1_000_000  # the 10,000 reporting threshold
NEAR_CENTS = 900_000  # "just below": 9,000 to 9,999.99
CYCLE_MIN_CENTS = 100_000  # transfers below 1,000 USD are ignored when looking for cycles
SEVERITY_CODE = {"low": 0, "medium": 1, "high": 2}
KYC_CODE = {"low": 0, "medium": 1, "high": 2}
SEGMENT_CODE = {"retail": 0, "business": 1, "merchant": 2}

# name -> (group, description, reason phrase with {v} = the feature value)
FEATURES: dict[str, tuple[str, str, str]] = {
    "alert_amount_log": ("alert", "log(1 + alert amount in USD)", "large alert amount"),
    "alert_near_threshold": ("alert", "alert amount within 10% below the 10,000 threshold",
                             "alert amount just below the 10,000 reporting threshold"),
    "alert_round_amount": ("alert", "alert amount is a multiple of 1,000", "round alert amount"),
    "alert_severity": ("alert", "rule severity 0 low, 1 medium, 2 high", "rule severity {v:.0f}/2"),
    "alert_foreign_currency": ("alert", "alert not in USD", "alert in a foreign currency"),
    "alert_account_alerts": ("alert", "alerts on the same account in this batch",
                             "{v:.0f} alerts on the same account in this batch"),
    "alert_account_rules": ("alert", "distinct rules fired on the same account",
                            "{v:.0f} different rules fired on the account"),
    **{f"alert_rule_{r.lower()}": ("alert", f"raised by rule {r}", f"raised by rule {r}")
       for r in RULES},
    "net_in_degree": ("network", "distinct senders to the account",
                      "money arrived from {v:.0f} distinct senders"),
    "net_out_degree": ("network", "distinct receivers from the account",
                       "money went out to {v:.0f} distinct receivers"),
    "net_in_count": ("network", "incoming transfers", "{v:.0f} incoming transfers"),
    "net_out_count": ("network", "outgoing transfers", "{v:.0f} outgoing transfers"),
    "net_in_total_log": ("network", "log(1 + USD received)", "large total received"),
    "net_out_total_log": ("network", "log(1 + USD sent)", "large total sent"),
    "net_flow_ratio": ("network", "USD sent / USD received",
                       "sent {v:.2f}× what it received"),
    "net_fan_in_ratio": ("network", "senders / (receivers + 1)",
                         "fan-in: many senders for few receivers ({v:.1f})"),
    "net_fan_out_ratio": ("network", "receivers / (senders + 1)",
                          "fan-out: many receivers for few senders ({v:.1f})"),
    "net_pass_through": ("network", "min(in, out) / max(in, out) of USD totals",
                         "money in and out nearly balance (pass-through {v:.2f})"),
    "net_cycle2": ("network", "account sends to and receives from the same account",
                   "money goes back and forth with a counterparty"),
    "net_cycle3": ("network", "account is on a 3-account cycle of transfers",
                   "account is part of a circular flow of funds"),
    "net_cp_alerted_share": ("network", "share of counterparties with alerts in this batch",
                             "{v:.0%} of counterparties also have alerts"),
    "net_cp_high_risk_share": ("network", "share of counterparties with high KYC risk",
                               "{v:.0%} of counterparties are high-risk"),
    "tmp_active_days": ("temporal", "days with at least one transfer", "active on {v:.0f} days"),
    "tmp_max_daily_flows": ("temporal", "most transfers in one day",
                            "burst of {v:.0f} transfers in one day"),
    "tmp_burst_ratio": ("temporal", "busiest day / average active day",
                        "activity burst {v:.1f}× its usual daily level"),
    "tmp_max_gap_days": ("temporal", "longest quiet period between transfers (days)",
                         "was quiet for {v:.0f} days"),
    "tmp_days_since_reactivation": ("temporal", ("days from the end of the longest quiet period "
                                    "to the alert"), "reactivated {v:.1f} days before the alert"),
    "tmp_hours_since_last_flow": ("temporal", "hours from the last transfer to the alert",
                                  "last transfer {v:.1f} hours before the alert"),
    "tmp_min_in_out_hours": ("temporal", "shortest time from a receipt to the next payment (h)",
                             "money left {v:.1f} hours after it arrived"),
    "tmp_fast_pass_count": ("temporal", "payments of 90-100% of a receipt within 24 hours",
                            "{v:.0f} rapid pass-through payments"),
    "tmp_span_days": ("temporal", "days between first and last transfer",
                      "activity spread over {v:.1f} days"),
    "stat_mean_amount_log": ("statistical", "log(1 + mean transfer in USD)",
                             "large average transfer"),
    "stat_max_amount_log": ("statistical", "log(1 + largest transfer in USD)",
                            "very large single transfer"),
    "stat_amount_cv": ("statistical", "coefficient of variation of transfer amounts",
                       "uniform transfer amounts (variation {v:.2f})"),
    "stat_near_threshold_share": ("statistical", "share of transfers just below 10,000",
                                  "{v:.0%} of transfers just below the 10,000 threshold"),
    "stat_round_share": ("statistical", "share of transfers that are multiples of 1,000",
                         "{v:.0%} of transfers in round amounts"),
    "stat_alert_amount_z": ("statistical", ("alert amount in standard deviations from the "
                            "account's mean transfer"), "alert amount {v:.1f} SD above usual"),
    "acct_age_days": ("account", "account age (days)", "account opened {v:.0f} days ago"),
    "acct_kyc_risk": ("account", "KYC risk 0 low, 1 medium, 2 high", "KYC risk level {v:.0f}/2"),
    "acct_country_risk": ("account", "country risk 0..1", "country risk {v:.2f}"),
    "acct_segment": ("account", "segment 0 retail, 1 business, 2 merchant",
                     "customer segment {v:.0f}"),
    "clu_alerts": ("cluster", "alerts in the alert's cluster", "{v:.0f} alerts in its cluster"),
    "clu_accounts": ("cluster", "accounts in the alert's cluster",
                     "{v:.0f} accounts in its cluster"),
    "clu_total_amount_log": ("cluster", "log(1 + USD of the cluster's alerts)",
                             "large total amount across its cluster"),
    "clu_rules": ("cluster", "distinct rules in the cluster", "{v:.0f} different rules in cluster"),
    "clu_internal_flow_share": ("cluster", "share of the cluster's transfers that stay inside it",
                                "{v:.0%} of the cluster's transfers stay inside the cluster"),
}
ALERT_FEATURES: tuple[str, ...] = tuple(FEATURES)

CLUSTER_MEMBER_MAX = ("net_cycle2", "net_cycle3", "net_pass_through", "net_in_degree",
                      "net_out_degree", "stat_near_threshold_share", "tmp_fast_pass_count",
                      "acct_kyc_risk", "alert_severity", "tmp_max_gap_days")
CLUSTER_FEATURES: dict[str, tuple[str, str, str]] = {
    "clu_alerts": FEATURES["clu_alerts"], "clu_accounts": FEATURES["clu_accounts"],
    "clu_total_amount_log": FEATURES["clu_total_amount_log"], "clu_rules": FEATURES["clu_rules"],
    "clu_internal_flow_share": FEATURES["clu_internal_flow_share"],
    **{f"max_{n}": ("cluster", f"highest {n} among the cluster's alerts",
                    "member: " + FEATURES[n][2]) for n in CLUSTER_MEMBER_MAX},
    "clu_score_max": ("cluster", "highest alert score in the cluster",
                      "an alert in the cluster scores {v:.2f}"),
    "clu_score_mean": ("cluster", "mean alert score in the cluster",
                       "alerts in the cluster score {v:.2f} on average"),
}


US_PER_DAY = 86_400_000_000
US_PER_HOUR = 3_600_000_000
_MISSING = np.iinfo(np.int64).max
_EPOCH = datetime(1970, 1, 1)
_KEY_LIMIT = 2 ** 62  # (account, time offset, direction) must pack into one int64 sort key


def _rates(currency: pl.Series) -> np.ndarray:
    """Return the USD rate of each currency (validated: always known)."""
    return currency.replace_strict(CURRENCIES_USD, default=None, return_dtype=pl.Float64) \
        .to_numpy()


def _to_cents(amount: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Return amounts in integer US cents (rounded half to even)."""
    return np.round(amount * rate * 100).astype(np.int64)


def _log_cents(cents: np.ndarray) -> np.ndarray:
    return np.log1p(cents.astype(np.float64) / 100.0)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Return num / den as float where den > 0, NaN (missing) elsewhere."""
    out = np.full(len(num), np.nan)
    ok = den > 0
    out[ok] = num[ok].astype(np.float64) / den[ok].astype(np.float64)
    return out


def _codes(parts: list[pl.Series], *, exact: bool = False, values: bool = True
           ) -> tuple[list[np.ndarray], int, pl.Series | None]:
    """Return dense int64 codes of string columns (equal value, equal code), the code count and
    (with ``values``) one value per code.

    Codes come from a 64-bit hash; a second, independent hash must be constant within every
    code, else two values collided and the exact (slower) string join is used instead. Results
    never depend on which code a value gets, only on which values share one.
    """
    sizes = [len(p) for p in parts]
    codes, n = None, 0
    if not exact and sum(sizes):
        h = pl.Series(np.concatenate([p.hash(11, 23, 37, 51).to_numpy() for p in parts]))
        uniq = h.unique().sort()
        codes = h.to_frame("k").join(uniq.to_frame("k").with_row_index("c"), on="k",
                                     how="left", maintain_order="left")["c"].to_numpy()
        codes = codes.astype(np.int64)
        n = len(uniq)
        check = np.concatenate([p.hash(61, 73, 89, 97).to_numpy() for p in parts])
        seen = np.zeros(n, dtype=np.uint64)
        seen[codes] = check  # any one value's second hash per code...
        if not np.array_equal(seen[codes], check):  # ...must be every value's
            codes = None
    s = None
    if codes is None:
        s = pl.concat([p.cast(pl.Utf8) for p in parts], rechunk=True) if parts else \
            pl.Series([], dtype=pl.Utf8)
        uniq_s = s.unique().sort()
        codes = s.to_frame("k").join(uniq_s.to_frame("k").with_row_index("c"), on="k",
                                     how="left", maintain_order="left")["c"].to_numpy()
        codes = codes.astype(np.int64)
        n = len(uniq_s)
    out = None
    if values:
        if s is None:
            s = pl.concat([p.cast(pl.Utf8) for p in parts], rechunk=True)
        first = np.zeros(n, dtype=np.int64)
        first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
        out = s.gather(first)
    return np.split(codes, np.cumsum(sizes)[:-1]), n, out


SMALL = 50_000  # below this many values numpy beats Polars' per-call overhead


def _unique(values: np.ndarray) -> np.ndarray:
    """Return the sorted distinct values."""
    if len(values) < SMALL:
        return np.unique(values)
    return pl.Series(values).unique().sort().to_numpy()


def _sorted(values: np.ndarray) -> np.ndarray:
    """Return ``values`` sorted ascending."""
    if len(values) < SMALL:
        return np.sort(values)
    return pl.Series(values).sort().to_numpy()


def _argsort(values: np.ndarray) -> np.ndarray:
    """Return an order that sorts ``values`` (ties in any order: callers reduce over them)."""
    if len(values) < SMALL:
        return np.argsort(values)
    return pl.Series(values).arg_sort().to_numpy()


def _segments(n_per: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (present, start offsets of present segments) for segment sizes ``n_per``."""
    present = n_per > 0
    starts = np.concatenate([[0], np.cumsum(n_per)[:-1]])[present]
    return present, starts


def _per_account(values: np.ndarray, present: np.ndarray, fill=np.nan) -> np.ndarray:
    out = np.full(len(present), fill, dtype=np.float64)
    out[present] = values
    return out


class _Legs:
    """Money flows as legs (one per side) sorted by (account, time, receipt-before-payment)."""

    def __init__(self, src: np.ndarray, dst: np.ndarray, ts: np.ndarray, cents: np.ndarray,
                 n_acc: int):
        m = len(src)
        self.tmin = int(ts.min()) if m else 0
        self.rank_ts = None
        span = (int(ts.max()) - self.tmin + 1) if m else 1
        if n_acc * span * 2 >= _KEY_LIMIT:  # long batches: order by the rank of the time instead
            self.rank_ts = np.unique(ts)
            span = len(self.rank_ts)
            toff = np.searchsorted(self.rank_ts, ts)
        else:
            toff = ts - self.tmin
        self.span = span
        key = np.empty(2 * m, dtype=np.int64)  # payments first half, receipts second
        for half, side, direction in ((key[:m], src, 1), (key[m:], dst, 0)):
            np.multiply(side, span, out=half)
            half += toff
            half *= 2
            half += direction
        del toff
        order = _argsort(key)
        self.key = key[order]
        del key
        # account, direction and time come back out of the sorted key; only cents are gathered
        self.acc = self.key // (2 * span)
        self.out = (self.key & 1).astype(bool)
        if self.rank_ts is not None:
            self.ts = ts[np.where(order >= m, order - m, order)]
        else:
            self.ts = self.key >> 1
            self.ts -= self.acc * span
            self.ts += self.tmin
        self.cents = np.concatenate([cents, cents])[order]
        del order
        self.n = np.bincount(src, minlength=n_acc) + np.bincount(dst, minlength=n_acc)
        self.present, self.starts = _segments(self.n)

    def reduce(self, ufunc, values: np.ndarray) -> np.ndarray:
        """Return ``ufunc`` reduced over each present account's legs."""
        return ufunc.reduceat(values, self.starts) if len(self.starts) else values[:0]

    def query_keys(self, acc: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (key of the last possible leg at or before t per account, t usable)."""
        if self.rank_ts is None:
            off = t - self.tmin
            ok = off >= 0
            off = np.minimum(off, self.span - 1)
        else:
            off = np.searchsorted(self.rank_ts, t, side="right") - 1
            ok = off >= 0
        return (acc * self.span + np.maximum(off, 0)) * 2 + 1, ok

    def last_at_or_before(self, acc: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Return the index of each (account, t)'s latest leg at or before t, -1 if none."""
        if len(self.key) == 0:
            return np.full(len(acc), -1)
        q, ok = self.query_keys(acc, t)
        order = np.argsort(q)  # sorted queries keep the binary searches cache-friendly
        pos = np.empty(len(q), dtype=np.int64)
        pos[order] = np.searchsorted(self.key, q[order], side="right") - 1
        valid = ok & (pos >= 0)
        valid[valid] = self.acc[pos[valid]] == acc[valid]
        return np.where(valid, pos, -1)


def _network(legs: _Legs, src, dst, cents, n_acc: int, alerted: np.ndarray,
             high_risk: np.ndarray | None) -> dict[str, np.ndarray]:
    """Return per-account network features (NaN for accounts without transfers)."""
    pr = legs.present
    f: dict[str, np.ndarray] = {}
    in_c = np.bincount(dst, minlength=n_acc)
    out_c = np.bincount(src, minlength=n_acc)
    in_tot = legs.reduce(np.add, np.where(legs.out, 0, legs.cents))
    out_tot = legs.reduce(np.add, np.where(legs.out, legs.cents, 0))
    # distinct (sender, receiver) pairs give both degrees; reversed pairs give the mutual ones
    pairs = _unique(src * n_acc + dst)
    a, b = pairs // n_acc, pairs % n_acc
    out_deg = np.bincount(a, minlength=n_acc)
    in_deg = np.bincount(b, minlength=n_acc)
    rev = _sorted(b * n_acc + a)
    found = _member(rev, pairs)
    ra, rb = rev[found] % n_acc, rev[found] // n_acc  # pair (ra, rb) and (rb, ra) both exist
    n_cp = out_deg + in_deg - np.bincount(ra, minlength=n_acc)

    def cp_share(flag: np.ndarray) -> np.ndarray:
        w = flag.astype(np.float64)
        cnt = (np.bincount(a, weights=w[b], minlength=n_acc)
               + np.bincount(b, weights=w[a], minlength=n_acc)
               - np.bincount(ra, weights=w[rb], minlength=n_acc))
        return _ratio(cnt, n_cp)[pr]

    f["net_in_degree"] = in_deg[pr]
    f["net_out_degree"] = out_deg[pr]
    f["net_in_count"] = in_c[pr]
    f["net_out_count"] = out_c[pr]
    f["net_in_total_log"] = _log_cents(in_tot)
    f["net_out_total_log"] = _log_cents(out_tot)
    f["net_flow_ratio"] = _ratio(out_tot, in_tot)
    f["net_fan_in_ratio"] = in_deg[pr] / (out_deg[pr] + 1)
    f["net_fan_out_ratio"] = out_deg[pr] / (in_deg[pr] + 1)
    f["net_pass_through"] = _ratio(np.minimum(in_tot, out_tot), np.maximum(in_tot, out_tot))
    c2, c3 = _cycles(src, dst, cents, n_acc)
    f["net_cycle2"] = c2[pr]
    f["net_cycle3"] = c3[pr]
    f["net_cp_alerted_share"] = cp_share(alerted)
    if high_risk is not None:
        f["net_cp_high_risk_share"] = cp_share(high_risk)
    return {k: _per_account(v, pr) for k, v in f.items()}


def _member(sorted_queries: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Return which of ``sorted_queries`` occur in ``sorted_keys`` (both ascending)."""
    if len(sorted_keys) == 0:
        return np.zeros(len(sorted_queries), dtype=bool)
    pos = np.searchsorted(sorted_keys, sorted_queries)
    return sorted_keys[np.minimum(pos, len(sorted_keys) - 1)] == sorted_queries


def _cycles(src, dst, cents, n_acc: int, chunk: int = 4_000_000
            ) -> tuple[np.ndarray, np.ndarray]:
    """Return per-account flags: on a 2-cycle, on a 3-cycle (transfers of CYCLE_MIN_CENTS+)."""
    keep = (cents >= CYCLE_MIN_CENTS) & (src != dst)
    edges = _unique(src[keep] * n_acc + dst[keep])
    a, b = edges // n_acc, edges % n_acc
    c2 = np.zeros(n_acc, dtype=np.int64)
    rev = _sorted(b * n_acc + a)
    c2[rev[_member(rev, edges)] % n_acc] = 1
    c3 = np.zeros(n_acc, dtype=np.int64)
    # an edge on a 3-cycle joins an account that receives to one that sends: prune the rest
    for _ in range(3):
        keep = (np.bincount(b, minlength=n_acc)[a] > 0) & (np.bincount(a, minlength=n_acc)[b] > 0)
        if keep.all():
            break
        edges, a, b = edges[keep], a[keep], b[keep]
    deg = np.bincount(a, minlength=n_acc)
    first = np.concatenate([[0], np.cumsum(deg)[:-1]])
    # every path a → b → c, then is c → a an edge? Expanded in bounded chunks of paths
    k = deg[b]
    bounds = np.searchsorted(np.cumsum(k), np.arange(chunk, int(k.sum()) + chunk, chunk))
    lo = 0
    for hi in np.unique(np.minimum(bounds + 1, len(edges))):
        ea, eb, ek = a[lo:hi], b[lo:hi], k[lo:hi]
        lo = hi
        if ek.sum() == 0:
            continue
        pa = np.repeat(ea, ek)
        step = np.arange(len(pa)) - np.repeat(np.cumsum(ek) - ek, ek)
        pc = b[np.repeat(first[eb], ek) + step]
        close = (pc != pa)
        q = pc[close] * n_acc + pa[close]
        hit = np.searchsorted(edges, q)
        hit = edges[np.minimum(hit, len(edges) - 1)] == q
        c3[pa[close][hit]] = 1
    return c2, c3


def _statistical(legs: _Legs) -> dict[str, np.ndarray]:
    """Return per-account amount statistics from exact integer sums."""
    c = legs.cents
    units = np.clip(c // 100, 0, 10_000_000)
    n = legs.n[legs.present].astype(np.float64)
    sum_c = legs.reduce(np.add, c)
    sum_u = legs.reduce(np.add, units)
    sum_u2 = legs.reduce(np.add, units ** 2)
    max_c = legs.reduce(np.maximum, c)
    n_near = legs.reduce(np.add, ((c >= NEAR_CENTS) & (c < THRESHOLD_CENTS)).astype(np.int64))
    n_round = legs.reduce(np.add, ((c > 0) & (c % 100_000 == 0)).astype(np.int64))
    mean_u = sum_u.astype(np.float64) / n
    var_u = np.clip(sum_u2.astype(np.float64) / n - mean_u ** 2, 0.0, None)
    sd = np.sqrt(var_u)
    cv = np.full(len(n), np.nan)
    ok = mean_u > 0
    cv[ok] = sd[ok] / mean_u[ok]
    f = {"stat_mean_amount_log": np.log1p(sum_c.astype(np.float64) / n / 100.0),
         "stat_max_amount_log": _log_cents(max_c), "stat_amount_cv": cv,
         "stat_near_threshold_share": n_near.astype(np.float64) / n,
         "stat_round_share": n_round.astype(np.float64) / n,
         "_mean_units": mean_u, "_sd_units": sd}
    return {k: _per_account(v, legs.present) for k, v in f.items()}


def _temporal(legs: _Legs) -> dict[str, np.ndarray]:
    """Return per-account temporal features: activity, bursts, dormancy, pass-through speed.

    Written to keep few leg-sized temporaries alive at once (this is the memory peak).
    """
    acc, ts, m = legs.acc, legs.ts, len(legs.acc)
    if m == 0:
        return {}
    counts = legs.n[legs.present]
    new_acc = np.empty(m, dtype=bool)
    new_acc[0] = True
    np.not_equal(acc[1:], acc[:-1], out=new_acc[1:])
    day = ts // US_PER_DAY
    new_day = new_acc.copy()
    new_day[1:] |= day[1:] != day[:-1]
    del day
    run_start = np.flatnonzero(new_day)
    del new_day
    run_len = np.diff(np.append(run_start, m))
    run_acc_start = np.flatnonzero(new_acc[run_start])  # first run of each account
    active = np.diff(np.append(run_acc_start, len(run_start)))
    max_daily = np.maximum.reduceat(run_len, run_acc_start)
    del run_start, run_len, run_acc_start
    gap = np.empty(m, dtype=np.int64)  # -1: first leg of its account, no gap before it
    gap[0] = -1
    np.subtract(ts[1:], ts[:-1], out=gap[1:])
    gap[new_acc] = -1
    del new_acc
    max_gap = legs.reduce(np.maximum, gap)
    at_max = gap == np.repeat(max_gap, counts)
    at_max &= gap >= 0
    del gap
    react = legs.reduce(np.minimum, np.where(at_max, ts, _MISSING))
    del at_max
    first_ts = ts[legs.starts]
    last_ts = ts[np.append(legs.starts[1:], m) - 1]

    # each payment against the latest receipt at or before it (the largest if several)
    out = legs.out
    last_in = np.where(out, -1, np.arange(m))
    np.maximum.accumulate(last_in, out=last_in)
    j = last_in[out]
    del last_in
    pay_acc = acc[out]
    ok = j >= 0
    ok[ok] = acc[j[ok]] == pay_acc[ok]
    jj = j[ok]
    in_c = legs.cents[jj]
    # receipts at the same instant share j's key and sit just before it: take their maximum
    first = np.searchsorted(legs.key, legs.key[jj])
    dup = np.flatnonzero(first < jj)
    if len(dup):
        bounds = np.empty(2 * len(dup), dtype=np.int64)
        bounds[0::2], bounds[1::2] = first[dup], jj[dup] + 1
        in_c[dup] = np.maximum.reduceat(legs.cents, bounds)[0::2]
    pay_ts = ts[out]
    hours = np.full(len(j), np.inf)
    hours[ok] = (pay_ts[ok] - ts[jj]).astype(np.float64) / 3.6e9
    del pay_ts, jj, first
    pay_c = legs.cents[out]
    fast = np.zeros(len(j), dtype=np.int64)
    pc = pay_c[ok]
    fast[ok] = (hours[ok] <= 24.0) & (pc * 10 >= in_c * 9) & (pc <= in_c)
    del pay_c, pc, in_c, j, ok
    # payments are sorted by account too: reduce them per paying account
    pay_n = np.bincount(pay_acc, minlength=len(legs.n))
    pay_present, pay_starts = _segments(pay_n)
    min_hours = np.full(len(legs.n), np.nan)
    fast_count = np.zeros(len(legs.n))
    if len(pay_starts):
        mh = np.minimum.reduceat(hours, pay_starts)
        min_hours[pay_present] = np.where(np.isinf(mh), np.nan, mh)
        fast_count[pay_present] = np.add.reduceat(fast, pay_starts)
    has_gap = max_gap >= 0
    f = {"tmp_active_days": active.astype(np.float64),
         "tmp_max_daily_flows": max_daily.astype(np.float64),
         "tmp_burst_ratio": max_daily.astype(np.float64)
         / (counts.astype(np.float64) / active.astype(np.float64)),
         "tmp_max_gap_days": np.where(has_gap, max_gap, 0).astype(np.float64) / 8.64e10,
         "tmp_span_days": (last_ts - first_ts).astype(np.float64) / 8.64e10}
    res = {k: _per_account(v, legs.present) for k, v in f.items()}
    res["tmp_min_in_out_hours"] = min_hours
    res["tmp_fast_pass_count"] = np.where(legs.present, fast_count, np.nan)
    res["_react_ts_int"] = np.full(len(legs.present), _MISSING, dtype=np.int64)
    res["_react_ts_int"][legs.present] = np.where(has_gap, react, _MISSING)
    return res


def _distinct_count(group: np.ndarray, value: np.ndarray, n_groups: int, n_values: int
                    ) -> np.ndarray:
    """Return the number of distinct ``value`` per ``group``."""
    pairs = _unique(group.astype(np.int64) * n_values + value)
    return np.bincount(pairs // n_values, minlength=n_groups)


def _cluster_of(alerts: pl.DataFrame, clusters: pl.DataFrame, row_of: np.ndarray,
                ccode: np.ndarray, n_cl: int) -> np.ndarray:
    """Return each alert's cluster code: the smallest cluster id if several, -1 if none."""
    n_al = alerts.height
    ok = row_of >= 0
    lo = np.full(n_al, n_cl, dtype=np.int64)
    hi = np.full(n_al, -1, dtype=np.int64)
    np.minimum.at(lo, row_of[ok], ccode[ok])
    np.maximum.at(hi, row_of[ok], ccode[ok])
    out = np.where(hi >= 0, lo, -1)
    multi = np.flatnonzero((hi >= 0) & (lo != hi))
    if len(multi):  # codes are not in id order: settle the few multi-cluster alerts by id
        rows = np.flatnonzero(ok & np.isin(row_of, multi))
        sub = pl.DataFrame({"row": row_of[rows], "code": ccode[rows],
                            "cid": clusters["cluster_id"].gather(rows)})
        best = sub.sort(["row", "cid"]).unique("row", keep="first", maintain_order=True)
        out[best["row"].to_numpy()] = best["code"].to_numpy()
    return out


def _cluster_flows(mem_cl: np.ndarray, mem_acc: np.ndarray, src, dst, n_acc: int, n_k: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Return per cluster (flows touching it, flows with both ends inside it)."""
    per_acc = np.bincount(mem_acc, minlength=n_acc)
    if len(mem_acc) == 0 or per_acc.max() <= 1:  # each account in at most one cluster
        cl = np.full(n_acc, -1, dtype=np.int64)
        cl[mem_acc] = mem_cl
        oc, ic = cl[src], cl[dst]
        inside = oc[(oc >= 0) & (oc == ic)]
        n_in = np.bincount(inside, minlength=n_k)
        n_all = np.bincount(oc[oc >= 0], minlength=n_k) + np.bincount(
            ic[ic >= 0], minlength=n_k) - n_in
        return n_all, n_in
    order = np.lexsort((mem_cl, mem_acc))
    m_cl = mem_cl[order]
    first = np.concatenate([[0], np.cumsum(per_acc)[:-1]])
    flow = np.arange(len(src), dtype=np.int64)

    def expand(side: np.ndarray) -> np.ndarray:
        k = per_acc[side]
        f = np.repeat(flow, k)
        step = np.arange(len(f)) - np.repeat(np.cumsum(k) - k, k)
        return f * n_k + m_cl[np.repeat(first[side], k) + step]  # ascending

    out_keys, in_keys = expand(src), expand(dst)
    inside = out_keys[_member(out_keys, in_keys)] % n_k
    n_in = np.bincount(inside, minlength=n_k)
    n_all = np.bincount(out_keys % n_k, minlength=n_k) + np.bincount(
        in_keys % n_k, minlength=n_k) - n_in
    return n_all, n_in


@dataclass
class Coded:
    """A batch as integer codes and numbers: everything the feature computation needs.

    Accounts are codes 0..n_acc-1; clusters 0..n_cl-1. ``acl`` is each alert's cluster code
    (the smallest cluster id if several, -1 if none); ``mem_cl``/``mem_acc`` are the cluster
    table's (cluster, account) rows that name an account.
    """

    n_acc: int
    a_acc: np.ndarray
    created: np.ndarray  # µs since the epoch
    a_amount: np.ndarray
    a_rate: np.ndarray
    a_usd: np.ndarray
    a_severity: np.ndarray
    rule_codes: np.ndarray
    rule_names: list[str]
    src: np.ndarray
    dst: np.ndarray
    ts: np.ndarray
    f_cents: np.ndarray
    account: dict[str, np.ndarray] | None
    high_risk: np.ndarray | None
    n_cl: int
    acl: np.ndarray
    mem_cl: np.ndarray
    mem_acc: np.ndarray


def _severity(values: list | pl.Series) -> np.ndarray:
    """Return severity codes; missing or unknown counts as medium (1)."""
    if isinstance(values, pl.Series):
        return values.replace_strict(SEVERITY_CODE, default=1, return_dtype=pl.Float64) \
            .to_numpy()
    return np.array([SEVERITY_CODE.get(v, 1) for v in values], dtype=np.float64)


def _account_arrays(n_acc: int, codes: np.ndarray, age, kyc, country, segment
                    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Return the account features per account code and the high-KYC-risk flags."""
    out = {}
    for name, values in (("acct_age_days", age), ("acct_kyc_risk", kyc),
                         ("acct_country_risk", country), ("acct_segment", segment)):
        arr = np.full(n_acc, np.nan)
        arr[codes] = values
        out[name] = arr
    high = np.zeros(n_acc, dtype=bool)
    high[codes] = out["acct_kyc_risk"][codes] == KYC_CODE["high"]
    return out, high


def coded_from_batch(batch: Batch) -> tuple[Coded, pl.Series, pl.Series]:
    """Return the coded batch, alert ids (sorted) and each cluster code's id (Polars path)."""
    alerts = batch.alerts.sort("alert_id")
    flows, clusters, acct = batch.money_flows, batch.clusters, batch.features
    m_ok = clusters["account_id"].is_not_null().to_numpy()
    members = clusters.filter(pl.Series(m_ok))
    parts = [alerts["account_id"], flows["from_account"], flows["to_account"],
             members["account_id"]] + ([acct["account_id"]] if acct is not None else [])
    acc_parts, n_acc, _ = _codes(parts, values=False)
    n_acc = max(n_acc, 1)
    account = high = None
    if acct is not None:
        num = acct.select(
            pl.col("account_age_days").cast(pl.Float64),
            pl.col("kyc_risk").replace_strict(KYC_CODE, default=None, return_dtype=pl.Float64),
            pl.col("country_risk").cast(pl.Float64),
            pl.col("segment").replace_strict(SEGMENT_CODE, default=None, return_dtype=pl.Float64))
        account, high = _account_arrays(n_acc, acc_parts[4], *[c.to_numpy() for c in num])
    (rule_codes,), _, rule_values = _codes([alerts["rule"]])
    (cl_alert, a_codes), n_ids, _ = _codes([clusters["alert_id"], alerts["alert_id"]],
                                           values=False)
    row_of_code = np.full(max(n_ids, 1), -1, dtype=np.int64)
    row_of_code[a_codes] = np.arange(alerts.height)
    (ccode,), n_cl, cl_values = _codes([clusters["cluster_id"]])
    acl = _cluster_of(alerts, clusters, row_of_code[cl_alert], ccode, n_cl)
    coded = Coded(
        n_acc=n_acc, a_acc=acc_parts[0], created=alerts["created_at"].to_physical().to_numpy(),
        a_amount=alerts["amount"].to_numpy(), a_rate=_rates(alerts["currency"]),
        a_usd=(alerts["currency"] == "USD").to_numpy(),
        a_severity=_severity(alerts["severity"]), rule_codes=rule_codes,
        rule_names=[str(v) for v in rule_values.to_list()],
        src=acc_parts[1], dst=acc_parts[2], ts=flows["ts"].to_physical().to_numpy(),
        f_cents=_to_cents(flows["amount"].to_numpy(), _rates(flows["currency"])),
        account=account, high_risk=high, n_cl=n_cl, acl=acl,
        mem_cl=ccode[m_ok], mem_acc=acc_parts[3])
    return coded, alerts["alert_id"], cl_values


def _dense(values: list[str]) -> tuple[dict[str, int], list[str]]:
    uniq = sorted(set(values))
    return {v: i for i, v in enumerate(uniq)}, uniq


def _us(value: datetime) -> int:
    """Return µs since the epoch of a naive (UTC) or aware datetime, exactly."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return (value - _EPOCH) // timedelta(microseconds=1)


def coded_from_rows(alerts: list, flows: list, clusters: list, accounts: list | None
                    ) -> tuple[Coded, list[str], list[str]]:
    """Return the coded batch, sorted alert ids and cluster ids, from validated row objects.

    The plain-Python path for small API requests (no DataFrames). Rows have the attributes of
    the batch tables; alert ids must be distinct, and so must account ids in ``accounts``.
    """
    alerts = sorted(alerts, key=lambda a: a.alert_id)
    members = [c for c in clusters if c.account_id is not None]
    acc_map, _ = _dense([a.account_id for a in alerts] + [f.from_account for f in flows]
                        + [f.to_account for f in flows] + [c.account_id for c in members]
                        + [r.account_id for r in accounts or []])
    n_acc = max(len(acc_map), 1)

    def codes(values) -> np.ndarray:
        return np.array([acc_map[v] for v in values], dtype=np.int64)

    account = high = None
    if accounts is not None:
        nums = [[np.nan if v is None else float(v) for v in col] for col in (
            [r.account_age_days for r in accounts],
            [KYC_CODE.get(r.kyc_risk) for r in accounts],
            [r.country_risk for r in accounts],
            [SEGMENT_CODE.get(r.segment) for r in accounts])]
        account, high = _account_arrays(n_acc, codes([r.account_id for r in accounts]),
                                        *[np.array(c, dtype=np.float64) for c in nums])
    rule_map, rule_names = _dense([a.rule for a in alerts])
    cl_map, cl_ids = _dense([c.cluster_id for c in clusters])
    row = {a.alert_id: i for i, a in enumerate(alerts)}
    acl = np.full(len(alerts), -1, dtype=np.int64)
    for c in clusters:  # codes follow sorted ids, so the smallest code is the smallest id
        i = row.get(c.alert_id)
        if i is not None and (acl[i] < 0 or cl_map[c.cluster_id] < acl[i]):
            acl[i] = cl_map[c.cluster_id]
    coded = Coded(
        n_acc=n_acc, a_acc=codes([a.account_id for a in alerts]),
        created=np.array([_us(a.created_at) for a in alerts], dtype=np.int64),
        a_amount=np.array([a.amount for a in alerts], dtype=np.float64),
        a_rate=np.array([CURRENCIES_USD[a.currency] for a in alerts], dtype=np.float64),
        a_usd=np.array([a.currency == "USD" for a in alerts], dtype=bool),
        a_severity=_severity([a.severity for a in alerts]),
        rule_codes=np.array([rule_map[a.rule] for a in alerts], dtype=np.int64),
        rule_names=rule_names,
        src=codes([f.from_account for f in flows]), dst=codes([f.to_account for f in flows]),
        ts=np.array([_us(f.ts) for f in flows], dtype=np.int64),
        f_cents=_to_cents(np.array([f.amount for f in flows], dtype=np.float64),
                          np.array([CURRENCIES_USD[f.currency] for f in flows], np.float64)),
        account=account, high_risk=high, n_cl=len(cl_ids), acl=acl,
        mem_cl=np.array([cl_map[c.cluster_id] for c in members], dtype=np.int64),
        mem_acc=codes([c.account_id for c in members]))
    return coded, [a.alert_id for a in alerts], cl_ids


def compute(c: Coded) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Return (alert features by name, one value per alert; cluster base features by name, one
    value per cluster code; each alert's cluster code). Alerts without a cluster get their own
    code ``n_cl + row``. Missing values are NaN.
    """
    n_acc, a_acc, n_al = c.n_acc, c.a_acc, len(c.a_acc)
    cents = c.f_cents
    legs = _Legs(c.src, c.dst, c.ts, cents, n_acc)
    alerted = np.zeros(n_acc, dtype=bool)
    alerted[a_acc] = True
    per_acc = {**_network(legs, c.src, c.dst, cents, n_acc, alerted, c.high_risk),
               **_statistical(legs), **_temporal(legs), **(c.account or {})}

    a_cents = _to_cents(c.a_amount, c.a_rate)
    cols: dict[str, np.ndarray] = {
        "alert_amount_log": _log_cents(a_cents),
        "alert_near_threshold": ((a_cents >= NEAR_CENTS) & (a_cents < THRESHOLD_CENTS))
        .astype(np.float64),
        "alert_round_amount": ((np.remainder(c.a_amount, 1000) == 0) & (c.a_amount > 0))
        .astype(np.float64),
        "alert_severity": c.a_severity,
        "alert_foreign_currency": (~c.a_usd).astype(np.float64)}
    upper = [n.upper() for n in c.rule_names]
    for r in RULES:
        cols[f"alert_rule_{r.lower()}"] = np.array([u == r for u in upper], dtype=np.float64)[
            c.rule_codes] if upper else np.zeros(n_al)
    n_rules = max(len(c.rule_names), 1)
    cols["alert_account_alerts"] = np.bincount(a_acc, minlength=n_acc)[a_acc].astype(np.float64)
    cols["alert_account_rules"] = _distinct_count(a_acc, c.rule_codes, n_acc, n_rules)[
        a_acc].astype(np.float64)
    for name in list(per_acc):
        cols[name] = per_acc.pop(name)[a_acc]

    # alert-time look-ups: last transfer before the alert, reactivation, amount z-score
    created = c.created
    last = legs.last_at_or_before(a_acc, created)
    hours = np.full(n_al, np.nan)
    hit = last >= 0
    hours[hit] = (created[hit] - legs.ts[last[hit]]).astype(np.float64) / 3.6e9
    cols["tmp_hours_since_last_flow"] = hours
    del legs, last
    if "_react_ts_int" in cols:
        react = cols.pop("_react_ts_int")
        days = np.full(n_al, np.nan)
        ok = (cols["tmp_max_gap_days"] > 0) & (react != _MISSING)
        days[ok] = (created[ok] - react[ok]).astype(np.float64) / 8.64e10
        cols["tmp_days_since_reactivation"] = days
    sd, mean = cols["_sd_units"], cols["_mean_units"]
    z = np.full(n_al, np.nan)
    ok = sd > 0
    z[ok] = (a_cents[ok].astype(np.float64) / 100.0 - mean[ok]) / sd[ok]
    cols["stat_alert_amount_z"] = z

    # clusters: an alert without one is its own
    n_cl = c.n_cl
    acl = np.where(c.acl < 0, n_cl + np.arange(n_al), c.acl)
    n_k = n_cl + n_al
    mem = _unique(np.concatenate([acl * n_acc + a_acc, c.mem_cl * n_acc + c.mem_acc]))
    mem_cl, mem_acc = mem // n_acc, mem % n_acc
    n_all, n_in = _cluster_flows(mem_cl, mem_acc, c.src, c.dst, n_acc, n_k)
    clu_alerts = np.bincount(acl, minlength=n_k)
    clu_cents = np.zeros(n_k, dtype=np.int64)
    np.add.at(clu_cents, acl, a_cents)
    base = {"clu_alerts": clu_alerts.astype(np.float64),
            "clu_accounts": np.bincount(mem_cl, minlength=n_k).astype(np.float64),
            "clu_total_amount_log": _log_cents(clu_cents),
            "clu_rules": _distinct_count(acl, c.rule_codes, n_k, n_rules).astype(np.float64),
            "clu_internal_flow_share": _ratio(n_in, n_all)}
    for name, arr in base.items():
        cols[name] = arr[acl]
    for name in ALERT_FEATURES:  # e.g. no transfers or no account features: all missing
        if name not in cols:
            cols[name] = np.full(n_al, np.nan)
    return cols, base, acl


def alert_matrix(cols: dict[str, np.ndarray], names: list[str], pop=None) -> np.ndarray:
    """Return the C-ordered float64 matrix of features ``names`` (NaN = missing); columns for
    which ``pop(name)`` is true are removed from ``cols`` as they are copied."""
    n = len(next(iter(cols.values()))) if cols else 0
    X = np.empty((n, len(names)))
    block = 8192  # fill row blocks that stay in cache rather than whole strided columns
    for lo in range(0, n, block):
        part = X[lo:lo + block]
        for j, name in enumerate(names):
            col = cols.get(name)
            part[:, j] = np.nan if col is None else col[lo:lo + block]
    if pop is not None:
        for name in names:
            if pop(name):
                cols.pop(name, None)
    return X


def alert_cluster_ids(alert_ids: pl.Series, cl_values: pl.Series, acl: np.ndarray, n_cl: int
                      ) -> pl.Series:
    """Return each alert's cluster id (``ALERT-<alert_id>`` for an alert without a cluster)."""
    single = acl >= n_cl
    named = cl_values.gather(np.where(single, 0, acl)) if n_cl else pl.Series(
        [None] * len(acl), dtype=pl.Utf8)
    lone = np.flatnonzero(single)
    if len(lone):  # formatted only where needed: usually few or no alerts lack a cluster
        own = alert_ids.gather(lone).to_frame("a").select(pl.format("ALERT-{}", "a")).to_series()
        named = named.scatter(lone, own)
    return named.alias("cluster_id")


def cluster_names(present: np.ndarray, alert_ids: pl.Series, cl_values: pl.Series, n_cl: int
                  ) -> pl.Series:
    """Return the ids of the cluster codes ``present`` (ascending codes)."""
    is_single = present >= n_cl
    return pl.concat([cl_values.gather(present[~is_single]),
                      alert_ids.gather(present[is_single] - n_cl).to_frame("a").select(
                          pl.format("ALERT-{}", "a")).to_series()]).alias("cluster_id")


def build_features(batch: Batch) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (alert features, cluster base features), both sorted by their id.

    The alert frame has alert_id, account_id, cluster_id, day, created_at and every name in
    ``ALERT_FEATURES`` as Float64 (null where a value does not exist, e.g. no transfers).
    """
    coded, alert_ids, cl_values = coded_from_batch(batch)
    cols, base, acl = compute(coded)
    n_al, n_cl = len(alert_ids), coded.n_cl
    del coded
    cluster_id = alert_cluster_ids(alert_ids, cl_values, acl, n_cl)
    alerts = batch.alerts.sort("alert_id")
    feats = alerts.select("alert_id", "account_id", pl.lit(cluster_id).alias("cluster_id"),
                          "created_at", pl.col("created_at").dt.date().alias("day"))
    series = []
    for name in ALERT_FEATURES:  # converted one by one so two copies never coexist
        values = cols.pop(name, None)
        series.append(pl.Series(name, np.full(n_al, np.nan) if values is None else
                                np.asarray(values, dtype=np.float64), nan_to_null=True))
    del cols
    feats = feats.hstack(series)
    present = np.flatnonzero(base["clu_alerts"] > 0)
    ids = cluster_names(present, alert_ids, cl_values, n_cl)
    counts = ("clu_alerts", "clu_accounts", "clu_rules")
    cluster_base = pl.DataFrame([ids] + [
        pl.Series(n, v[present], nan_to_null=True).cast(pl.UInt32 if n in counts else pl.Float64)
        for n, v in base.items()])
    return feats, cluster_base.sort("cluster_id")


def build_cluster_features(alert_features: pl.DataFrame, cluster_base: pl.DataFrame,
                           scores: pl.DataFrame | None = None) -> pl.DataFrame:
    """Return per-cluster model features: base, member maxima and (with scores) score stats."""
    df = alert_features
    aggs = [pl.col(n).max().alias(f"max_{n}") for n in CLUSTER_MEMBER_MAX]
    if scores is not None:
        df = df.join(scores.select("alert_id", "score"), on="alert_id", how="left")
        # scores are summed as integers so the mean is exact whatever the row order
        aggs += [pl.col("score").max().alias("clu_score_max"),
                 ((pl.col("score") * 1e12).round(0).cast(pl.Int64).sum().cast(pl.Float64)
                  / 1e12 / pl.len()).alias("clu_score_mean")]
    members = df.group_by("cluster_id").agg(aggs)
    out = cluster_base.join(members, on="cluster_id", how="left")
    for name in CLUSTER_FEATURES:
        if name not in out.columns:
            out = out.with_columns(pl.lit(None, dtype=pl.Float64).alias(name))
    return out.select("cluster_id", *[pl.col(n).cast(pl.Float64) for n in CLUSTER_FEATURES]) \
        .sort("cluster_id")
