"""mask_frame over distinct values with audit rows that reach pii_audit; the egress guard."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb
import polars as pl
import pytest

from workbench import store
from workbench.config import load
from workbench.errors import PolicyBlock
from workbench.pii import guard, mask, mask_frame


@pytest.fixture
def settings(tmp_path):
    return load(tmp_path)


def _frame() -> pl.DataFrame:
    return pl.DataFrame({
        "customer_name": ["Jane Doe", "Bob Stone", None, "Jane Doe", "n/a"],
        "note": ["paid", "mail bob@corp.io", "ok", "call +1 415 555 0123", "paid"],
        "path": ["/a", "/b?token=abcdef0123456789", "/c", "/a", "/a"],
        "amount": [1, 2, 3, 4, 5],
    })


def test_mask_frame_masks_columns_and_returns_counts_only(settings):
    df = _frame()
    out, audit = mask_frame(df, ["customer_name", "note", "path", "amount"],
                            settings=settings, source="orders.csv")
    assert out.shape == df.shape and out["amount"].to_list() == [1, 2, 3, 4, 5]
    names = out["customer_name"].to_list()
    assert names[0] == names[3] and names[0].startswith("<PERSON_") and names[2] is None
    assert names[4] == "n/a"
    assert out["note"][0] == "paid" and out["note"][1].startswith("mail <EMAIL_ADDRESS_")
    assert out["path"][1].startswith("/b?token=<AUTH_TOKEN_")
    assert sorted((r["source"], r["entity_type"], r["count"]) for r in audit) == [
        ("orders.csv.customer_name", "PERSON", 3),
        ("orders.csv.note", "EMAIL_ADDRESS", 1),
        ("orders.csv.note", "PHONE_NUMBER", 1),
        ("orders.csv.path", "AUTH_TOKEN", 1),
    ]
    assert {r["action"] for r in audit} == {"pseudonymize"}
    flat = repr(audit)
    assert "Jane" not in flat and "bob@" not in flat
    # same tokens as mask() on the same value with the same key
    assert out["note"][1] == mask("mail bob@corp.io", "pseudonymize", settings=settings).text


def test_audit_rows_insert_into_pii_audit(settings):
    _, audit = mask_frame(_frame(), ["note"], "redact", settings=settings, source="s")
    # core migrations only: the pii_audit table must not depend on which pipelines are installed
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    core = Path(str(resources.files("workbench") / "sql"))
    with duckdb.connect(str(settings.db_path)) as con:
        store.migrate(con, [("core", core)])
        con.executemany("INSERT INTO pii_audit (run_id, stage, source, entity_type, count, action)"
                        " VALUES ('r1', 'mask', ?, ?, ?, ?)",
                        [[r["source"], r["entity_type"], r["count"], r["action"]] for r in audit])
        rows = con.execute("SELECT source, entity_type, count, action FROM pii_audit "
                           "ORDER BY entity_type").fetchall()
    assert rows == [("s.note", "EMAIL_ADDRESS", 1, "redact"), ("s.note", "PHONE_NUMBER", 1, "redact")]


def test_guard_passes_clean_nested_payload():
    payload = {"messages": [{"role": "user", "content": "why did job 88412 fail at 10:15?"}],
               "meta": {"ids": ("123e4567-e89b-12d3-a456-426614174000",), "n": 3}}
    assert guard(payload) is payload


@pytest.mark.parametrize("payload", [
    {"messages": [{"role": "user", "content": "mail alice@example.com"}]},
    ["ok", ("x", {"deep": ["key AKIAIOSFODNN7EXAMPLE"]})],
    {"applicant": "Rosa Okafor"},
    {"alice@example.com": 1},
    "Bearer 8a7b6c5d4e3f2a1b0c9d8e7f",
])
def test_guard_blocks_pii_anywhere(payload):
    with pytest.raises(PolicyBlock) as err:
        guard(payload)
    assert err.value.code == "POLICY_BLOCK"
    assert "alice@" not in str(err.value) and "AKIA" not in str(err.value)


def test_guard_accepts_masked_payload(settings):
    text = "user=jdoe from 10.1.2.3 with password=hunter22 and card 4111111111111111"
    masked = mask(text, "pseudonymize", settings=settings).text
    assert guard({"content": masked})
