"""Source tables: sniffed CSV (encoding, delimiter), Parquet, JSON lines, SQLite read-only."""
from __future__ import annotations

import sqlite3

import polars as pl
import pytest

from workbench.errors import BadInput
from workbench.pipelines.migration import sources


def test_cp1252_comma_and_utf8_bom_semicolon_are_sniffed(tmp_path):
    a = tmp_path / "people.csv"
    a.write_bytes("id,name\n1,José Müller\n2,Zoë\n".encode("cp1252"))
    b = tmp_path / "orders.csv"
    b.write_bytes("\ufeffOrderNo;total_amt\n7;\"1,234.50\"\n".encode())
    tables = {t.name: t for t in sources.discover([tmp_path])}
    assert (tables["people"].encoding, tables["people"].delimiter) == ("cp1252", ",")
    assert (tables["orders"].encoding, tables["orders"].delimiter) == ("utf-8-sig", ";")
    assert tables["people"].read()["name"].to_list() == ["José Müller", "Zoë"]
    orders = tables["orders"].read()
    assert orders.columns == ["OrderNo", "total_amt"] and orders["total_amt"][0] == "1,234.50"


def test_parquet_jsonl_and_not_sources(tmp_path):
    pl.DataFrame({"x": [1, 2]}).write_parquet(tmp_path / "nums.parquet")
    (tmp_path / "events.jsonl").write_text('{"a": 1}\n{"a": 2}\n')
    (tmp_path / "target.yml").write_text("tables: []\n")
    names = sorted(t.name for t in sources.discover([tmp_path]))
    assert names == ["events", "nums"]


def test_no_source_and_duplicate_names_are_named(tmp_path):
    with pytest.raises(BadInput, match="needs a source"):
        sources.discover([])
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "t.csv").write_text("x\n1\n")
    (tmp_path / "b" / "t.csv").write_text("x\n2\n")
    with pytest.raises(BadInput, match="two source tables are called 't'"):
        sources.discover([tmp_path])


@pytest.fixture
def crm_db(tmp_path):
    path = tmp_path / "crm.sqlite"
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE customers (cust_id INTEGER PRIMARY KEY, name TEXT, balance_cents INTEGER);
        CREATE TABLE orders (order_no INTEGER PRIMARY KEY, cust_id INTEGER REFERENCES customers(cust_id),
                             amount TEXT);
    """)
    con.executemany("INSERT INTO customers VALUES (?, ?, ?)",
                    [(i, f"Person {i}", i * 100) for i in range(1, 51)])
    con.executemany("INSERT INTO orders VALUES (?, ?, ?)", [(i, i % 50 + 1, "1.5") for i in range(120)])
    con.commit()
    con.close()
    return path


def test_sqlite_introspection_keys_and_sampling_sql(crm_db):
    url = f"sqlite:///{crm_db}"
    tables = {t.name: t for t in sources.discover([], url)}
    assert set(tables) == {"customers", "orders"}
    assert tables["customers"].primary_key == ["cust_id"]
    assert tables["orders"].foreign_keys[0]["references"] == "customers"
    assert tables["orders"].row_count() == 120
    q = sources.sample_query(url, "orders", ["order_no"], step=10, offset=3, limit=5)
    rows = sources.read_sql(url, q)
    assert rows["order_no"].to_list() == [3, 13, 23, 33, 43]


def test_sql_sources_are_read_only(crm_db):
    import sqlalchemy as sa

    eng = sources.engine(f"sqlite:///{crm_db}")
    with eng.connect() as con, pytest.raises(sa.exc.OperationalError, match="readonly"):
        con.execute(sa.text("DELETE FROM customers"))


def test_unknown_source_table_lists_what_exists(crm_db):
    with pytest.raises(BadInput, match="'clients' is not a table.*customers, orders"):
        sources.discover([], f"sqlite:///{crm_db}", ["clients"])


def test_postgresql_source_read_only(postgres_url):
    import psycopg
    import sqlalchemy as sa

    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute("DROP TABLE IF EXISTS legacy_people")
        con.execute("CREATE TABLE legacy_people (person_id integer PRIMARY KEY, full_name text, "
                    "joined text)")
        con.execute("INSERT INTO legacy_people SELECT g, 'Person ' || g, '2023-01-0' || (g % 9 + 1) "
                    "FROM generate_series(1, 40) g")
    tables = {t.name: t for t in sources.discover([], postgres_url, ["legacy_people"])}
    t = tables["legacy_people"]
    assert t.primary_key == ["person_id"] and t.row_count() == 40
    assert "***" not in t.location or ":" in t.location
    q = sources.sample_query(postgres_url, "legacy_people", ["person_id"], 4, 1, 3)
    assert sources.read_sql(postgres_url, q)["person_id"].to_list() == [2, 6, 10]
    with sources.engine(postgres_url).connect() as con, pytest.raises(
            sa.exc.InternalError, match="read-only"):
        con.execute(sa.text("DELETE FROM legacy_people"))
