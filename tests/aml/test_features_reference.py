"""The numpy feature builder against the Polars group-by/join reference it replaced."""
from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from workbench.pipelines.aml.batch import validate_tables
from workbench.pipelines.aml.features import ALERT_FEATURES, _codes, build_features
from workbench.pipelines.aml.samples import generate

from . import reference_features as ref


def _same(new: pl.DataFrame, old: pl.DataFrame, key: str) -> None:
    assert new[key].to_list() == old[key].to_list()
    for name in old.columns:
        a, b = new[name], old[name]
        if a.dtype.is_float() or b.dtype.is_float():
            x, y = a.cast(pl.Float64).to_numpy(), b.cast(pl.Float64).to_numpy()
            assert np.array_equal(np.isnan(x), np.isnan(y)), name
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=0, equal_nan=True, err_msg=name)
        else:
            assert a.to_list() == b.to_list(), name


def _tables(seed: int, alerts: int = 400) -> dict:
    t = generate(alerts=alerts, seed=seed)
    # extra memberships: some accounts and alerts in several clusters, some rows without account
    c = t["clusters"]
    extra = c.head(40).with_columns(pl.format("ZZ{}", pl.col("cluster_id")).alias("cluster_id"))
    orphan = c.slice(40, 10).with_columns(pl.lit(None, pl.Utf8).alias("account_id"),
                                          pl.format("Y{}", pl.col("cluster_id")).alias("cluster_id"))
    t["clusters"] = pl.concat([c, extra, orphan])
    return t


@pytest.mark.parametrize("seed", [3, 11])
def test_matches_reference_builder(seed):
    raw = _tables(seed)
    batch = validate_tables({k: v for k, v in raw.items() if k != "labels"})
    new_f, new_c = build_features(batch)
    old_f, old_c = ref.build_features(batch)
    assert new_f.columns == old_f.columns
    _same(new_f, old_f, "alert_id")
    _same(new_c, old_c, "cluster_id")


def test_matches_reference_without_flows_or_account_features():
    raw = generate(alerts=60, seed=4)
    batch = validate_tables({"alerts": raw["alerts"], "clusters": raw["clusters"]})
    _same(build_features(batch)[0], ref.build_features(batch)[0], "alert_id")
    batch = validate_tables({"alerts": raw["alerts"], "money_flows": raw["money_flows"]})
    _same(build_features(batch)[0], ref.build_features(batch)[0], "alert_id")


def test_hashed_codes_partition_like_exact_codes():
    s = pl.Series(["b", "a", "c", "a", "b", "d"])
    (fast, other), n, values = _codes([s, pl.Series(["d", "e"])])
    (exact, other_x), n_x, values_x = _codes([s, pl.Series(["d", "e"])], exact=True)
    assert n == n_x == 5
    assert values.gather(np.concatenate([fast, other])).to_list() == \
        values_x.gather(np.concatenate([exact, other_x])).to_list() == s.to_list() + ["d", "e"]
    assert sorted(values_x.to_list()) == values_x.to_list()  # exact codes are in id order


def test_every_alert_feature_is_a_float_column():
    raw = generate(alerts=50, seed=2)
    feats, _ = build_features(validate_tables(raw))
    assert all(feats.schema[n] == pl.Float64 for n in ALERT_FEATURES)


def test_long_batches_order_by_time_rank(monkeypatch):
    from workbench.pipelines.aml import features

    batch = validate_tables({k: v for k, v in _tables(5, 200).items() if k != "labels"})
    packed = build_features(batch)
    monkeypatch.setattr(features, "_KEY_LIMIT", 1)  # as if the batch spanned centuries
    ranked = build_features(batch)
    _same(ranked[0], packed[0], "alert_id")
    _same(ranked[1], packed[1], "cluster_id")


def test_receipts_at_the_same_instant_match_the_reference():
    from datetime import datetime, timedelta

    t0 = datetime(2025, 2, 1)
    rows = [("S1", "P", 0, 5000.0), ("S2", "P", 0, 9000.0), ("S3", "P", 0, 7000.0),
            ("P", "Z", 3, 8500.0),  # 94% of the largest receipt at that instant: fast
            ("S4", "Q", 0, 100.0), ("Q", "S4", 0, 95.0),  # a payment at the receipt's instant
            ("Q", "Y", 0, 95.0), ("S5", "Q", 0, 96.0)]
    flows = pl.DataFrame({"from_account": [r[0] for r in rows], "to_account": [r[1] for r in rows],
                          "ts": [t0 + timedelta(hours=r[2]) for r in rows],
                          "amount": [r[3] for r in rows], "currency": ["USD"] * len(rows)})
    alerts = pl.DataFrame({"alert_id": ["A1", "A2"], "account_id": ["P", "Q"],
                           "created_at": [t0 + timedelta(hours=5)] * 2,
                           "rule": ["PASS_THROUGH"] * 2, "amount": [8500.0, 95.0],
                           "currency": ["USD"] * 2})
    batch = validate_tables({"alerts": alerts, "money_flows": flows})
    new, old = build_features(batch)[0], ref.build_features(batch)[0]
    _same(new, old, "alert_id")
    assert new.filter(pl.col("alert_id") == "A1")["tmp_fast_pass_count"].item() == 1


def test_small_and_large_input_helpers_agree(monkeypatch):
    """numpy (small inputs) and Polars (large inputs) sorting/unique give the same features."""
    from workbench.pipelines.aml import features

    batch = validate_tables({k: v for k, v in _tables(7, 300).items() if k != "labels"})
    small = build_features(batch)
    monkeypatch.setattr(features, "SMALL", 0)
    large = build_features(batch)
    assert small[0].equals(large[0]) and small[1].equals(large[1])
