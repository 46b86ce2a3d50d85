"""JSON request bodies for the scoring API built from batch tables (samples, validation, bench)."""
from __future__ import annotations

from pathlib import Path

import polars as pl

TABLES = ("alerts", "money_flows", "clusters", "features")


def _rows(df: pl.DataFrame) -> list[dict]:
    out = df.with_columns(pl.col(c).dt.strftime("%Y-%m-%dT%H:%M:%S%.6f")
                          for c, t in df.schema.items() if isinstance(t, pl.Datetime))
    return out.to_dicts()


def payload_from_tables(tables: dict[str, pl.DataFrame]) -> dict:
    """Return the JSON body (alerts, money_flows, clusters, features) of batch tables."""
    return {name: _rows(tables[name]) for name in TABLES if tables.get(name) is not None}


def payload_from_batch(batch_dir: str | Path) -> dict:
    """Return the JSON body of a batch folder's Parquet files."""
    batch_dir = Path(batch_dir)
    return payload_from_tables({name: pl.read_parquet(batch_dir / f"{name}.parquet")
                                for name in TABLES if (batch_dir / f"{name}.parquet").exists()})


def single_alert_payloads(body: dict, n: int) -> list[dict]:
    """Return ``n`` one-alert bodies: each alert with its account's flows and cluster rows."""
    out = []
    for alert in body["alerts"][:n]:
        acc = alert["account_id"]
        out.append({
            "alerts": [alert],
            "money_flows": [f for f in body.get("money_flows", [])
                            if f["from_account"] == acc or f["to_account"] == acc],
            "clusters": [c for c in body.get("clusters", []) if c["alert_id"] == alert["alert_id"]],
            "features": [f for f in body.get("features") or [] if f["account_id"] == acc],
        })
    return out
