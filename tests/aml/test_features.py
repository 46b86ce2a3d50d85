"""Feature builders on a hand-made graph whose answers are known."""
from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
import pytest

from workbench.pipelines.aml.batch import validate_tables
from workbench.pipelines.aml.features import ALERT_FEATURES, FEATURES, build_features

T0 = datetime(2025, 3, 1, 0, 0)


def flows(rows):
    return pl.DataFrame(
        [{"from_account": a, "to_account": b, "ts": T0 + timedelta(hours=h), "amount": amt,
          "currency": cur} for a, b, h, amt, cur in rows],
        schema={"from_account": pl.Utf8, "to_account": pl.Utf8, "ts": pl.Datetime("us"),
                "amount": pl.Float64, "currency": pl.Utf8})


@pytest.fixture(scope="module")
def feats():
    f = flows([
        # A → B → C → A: a cycle of large transfers
        ("A", "B", 0, 5000, "USD"), ("B", "C", 1, 4900, "USD"), ("C", "A", 2, 4800, "USD"),
        # fan-in to H from four senders, then H pays it out 2 hours later (pass-through)
        ("S1", "H", 10, 9500, "USD"), ("S2", "H", 11, 9600, "USD"), ("S3", "H", 12, 9700, "USD"),
        ("S4", "H", 13, 100, "EUR"),
        ("H", "Z", 15, 9600, "USD"),
        # D and E trade back and forth (2-cycle); D was quiet for 20 days before
        ("D", "E", 0, 2000, "USD"), ("E", "D", 24 * 20, 1500, "USD"),
    ])
    alerts = pl.DataFrame({
        "alert_id": ["X1", "X2", "X3", "X4"], "account_id": ["A", "H", "D", "H"],
        "created_at": [T0 + timedelta(hours=5), T0 + timedelta(hours=16),
                       T0 + timedelta(days=21), T0 + timedelta(hours=20)],
        "rule": ["CYCLE", "FAN_IN", "DORMANT_ACTIVE", "STRUCTURING"],
        "amount": [5000.0, 9500.0, 1500.0, 9000.0], "currency": ["USD"] * 4,
        "severity": ["high", "medium", "low", None]})
    clusters = pl.DataFrame({"cluster_id": ["K1", "K2", "K2", "K1"],
                             "alert_id": ["X1", "X2", "X4", "X3"],
                             "account_id": ["A", "H", "H", "D"]})
    batch = validate_tables({"alerts": alerts, "money_flows": f, "clusters": clusters})
    out, cl = build_features(batch)
    return {r["alert_id"]: r for r in out.iter_rows(named=True)}, cl


def test_every_feature_is_documented_and_built(feats):
    rows, _ = feats
    assert set(ALERT_FEATURES) == set(FEATURES)
    assert all(name in rows["X1"] for name in ALERT_FEATURES)


def test_degrees_totals_and_fan_in(feats):
    h = feats[0]["X2"]
    assert h["net_in_degree"] == 4 and h["net_out_degree"] == 1
    assert h["net_in_count"] == 4 and h["net_out_count"] == 1
    assert h["net_fan_in_ratio"] == pytest.approx(4 / 2)
    received = 9500 + 9600 + 9700 + 108  # 100 EUR at 1.08
    assert h["net_flow_ratio"] == pytest.approx(9600 / received)
    assert h["net_pass_through"] == pytest.approx(9600 / received)
    assert h["stat_near_threshold_share"] == pytest.approx(4 / 5)  # 3 in + 1 out near 10k


def test_cycles(feats):
    rows, _ = feats
    assert rows["X1"]["net_cycle3"] == 1 and rows["X1"]["net_cycle2"] == 0
    assert rows["X3"]["net_cycle2"] == 1 and rows["X3"]["net_cycle3"] == 0
    assert rows["X2"]["net_cycle3"] == 0


def test_temporal(feats):
    rows, _ = feats
    h = rows["X2"]
    assert h["tmp_min_in_out_hours"] == pytest.approx(2.0)  # 13h receipt (EUR) → 15h payment
    assert h["tmp_fast_pass_count"] == 0  # 9,600 out is not 90-100% of the 100 EUR receipt
    assert h["tmp_hours_since_last_flow"] == pytest.approx(1.0)
    assert h["tmp_max_daily_flows"] == 5
    d = rows["X3"]
    assert d["tmp_max_gap_days"] == pytest.approx(20.0)
    assert d["tmp_days_since_reactivation"] == pytest.approx(1.0)


def test_alert_and_cluster_features(feats):
    rows, clusters = feats
    assert rows["X2"]["alert_account_alerts"] == 2 and rows["X2"]["alert_account_rules"] == 2
    assert rows["X2"]["alert_near_threshold"] == 1 and rows["X1"]["alert_near_threshold"] == 0
    assert rows["X4"]["alert_severity"] == 1  # missing severity counts as medium
    assert rows["X1"]["alert_rule_cycle"] == 1 and rows["X1"]["alert_rule_fan_in"] == 0
    k1 = clusters.filter(pl.col("cluster_id") == "K1").row(0, named=True)
    assert k1["clu_alerts"] == 2 and k1["clu_accounts"] == 2
    # K1 = {A, D}: flows touching it A→B, C→A, D→E, E→D; none stays inside
    assert k1["clu_internal_flow_share"] == 0.0
    assert rows["X1"]["clu_rules"] == 2


def test_no_flows_gives_nulls_not_errors():
    alerts = pl.DataFrame({"alert_id": ["Q"], "account_id": ["N"], "created_at": [T0],
                           "rule": ["LARGE_AMOUNT"], "amount": [1.0], "currency": ["USD"]})
    out, _ = build_features(validate_tables({"alerts": alerts}))
    row = out.row(0, named=True)
    assert row["net_in_degree"] is None and row["alert_amount_log"] == pytest.approx(0.6931, 1e-3)
