"""Schema validation on load: clear errors for missing columns, bad rows to quarantine."""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from workbench.errors import BadInput
from workbench.pipelines.aml.batch import read_batch
from workbench.pipelines.aml.samples import samples


def test_samples_are_deterministic_and_realistic(tmp_path):
    a = samples(tmp_path / "a", alerts=500, seed=3)[0]
    b = samples(tmp_path / "b", alerts=500, seed=3)[0]
    for f in sorted(p.name for p in a.iterdir()):
        assert (a / f).read_bytes() == (b / f).read_bytes(), f
    batch = read_batch(a)
    rate = batch.labels["is_suspicious"].mean()
    assert 0.05 < rate < 0.25  # most rule alerts are false positives
    assert set(batch.alerts["rule"].unique()) >= {"FAN_IN", "STRUCTURING", "CYCLE"}
    assert batch.quarantine.height == 0


def test_missing_file_and_column_are_named(tmp_path):
    with pytest.raises(BadInput, match="alerts.parquet"):
        read_batch(tmp_path)
    pl.DataFrame({"alert_id": ["a"], "amount": [1.0]}).write_parquet(tmp_path / "alerts.parquet")
    with pytest.raises(BadInput, match=r"account_id \(String\)"):
        read_batch(tmp_path)


def test_bad_rows_go_to_quarantine_with_reasons(tmp_path, small_tables):
    alerts = small_tables["alerts"].head(6).with_columns(pl.col("created_at").cast(pl.Utf8))
    alerts = pl.concat([alerts, alerts.head(1)])  # a duplicate of the first alert
    alerts = alerts.with_columns(
        pl.when(pl.int_range(pl.len()) == 1).then(pl.lit(-3.0)).otherwise(pl.col("amount"))
        .alias("amount"),
        pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("XYZ")).otherwise(pl.col("currency"))
        .alias("currency"),
        pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("yesterday"))
        .otherwise(pl.col("created_at")).alias("created_at"),
        pl.when(pl.int_range(pl.len()) == 4).then(None).otherwise(pl.col("account_id"))
        .alias("account_id"))
    alerts.write_parquet(tmp_path / "alerts.parquet")
    batch = read_batch(tmp_path)
    reasons = set(batch.quarantine["reason"])
    assert reasons == {"amount: must be a finite number >= 0",
                       "currency: not one of USD, EUR, GBP, CHF, JPY, CAD, AUD",
                       "created_at: not a valid timestamp", "account_id: missing",
                       "duplicate alert_id"}
    assert batch.alerts.height == 2
    assert batch.alerts["created_at"].dtype == pl.Datetime("us")  # strings were parsed
    assert all("AC" not in p for p in batch.quarantine["masked_preview"])
    assert batch.checks()[0] == {"table": "alerts", "rows_in": 7, "rows_kept": 2,
                                 "quarantined": 5}


def test_quarantine_reaches_the_run(tmp_path, small_tables):
    import workbench as wb
    from workbench import store
    from workbench.pipelines.aml import stages

    batch = Path(tmp_path / "batch")
    batch.mkdir()
    small_tables["alerts"].with_columns(
        pl.when(pl.col("alert_id") == pl.col("alert_id").min()).then(-1.0)
        .otherwise(pl.col("amount")).alias("amount")).write_parquet(batch / "alerts.parquet")
    small_tables["money_flows"].write_parquet(batch / "money_flows.parquet")
    ctx = wb.open_stage("aml", "features", workspace=str(tmp_path / "ws"), inputs=[str(batch)])
    result = stages.features(ctx)
    stages.features(ctx)  # idempotent: a re-run writes nothing twice
    assert result.features.height == small_tables["alerts"].height - 1
    with store.connect(ctx.settings) as con:
        n = con.execute("SELECT count(*) FROM quarantine WHERE run_id = ?", [ctx.run_id]).fetchone()
    assert n[0] == 1
