"""Standard Schema Catalog: header shim, type inference, keys, the deterministic Sample Pack."""
from __future__ import annotations

import polars as pl
import pytest

from workbench import transform
from workbench.errors import BadInput
from workbench.pipelines.migration import catalog, sampling, target


@pytest.mark.parametrize(("raw", "std"), [(" Cust ID ", "cust_id"), ("OrderNo", "order_no"),
                                          ("E-Mail", "e_mail"), ("Balance (cents)", "balance_cents"),
                                          ("Prénom", "prenom"), ("", "column"),
                                          ("HTTPStatus", "http_status")])
def test_standard_names(raw, std):
    assert catalog.standard_name(raw) == std


def test_collisions_get_suffixes():
    assert catalog.standard_names(["Name", "name ", "NAME", ""]) == ["name", "name_2", "name_3",
                                                                      "column_4"]


@pytest.mark.parametrize(("values", "dtype"), [
    (["1", "2", None, "30"], "integer"), (["1.5", "2", "-3e2"], "float"),
    (["yes", "No", "TRUE"], "boolean"), (["00123", "00456"], "string"),
    (["2023-01-05", "2023-02-07", "2023-12-31"], "date"),
    (["2023-01-05 10:00:00", "2023-01-06 11:30:00"], "timestamp"),
    (["Ann", "Bob"], "string"), ([None, None], "string")])
def test_infer_type(values, dtype):
    assert catalog.infer_type(pl.Series(values, dtype=pl.Utf8))["dtype"] == dtype


def test_mixed_dates_report_formats_and_unparsed():
    info = catalog.infer_type(pl.Series(["2023-01-05", "05/01/2023", "2023-03-04", "n/a",
                                         "2024-02-29", "13/12/2023"]))
    assert info["dtype"] == "date"
    assert info["formats"]["%Y-%m-%d"] == 3 and "%d/%m/%Y" in info["formats"]
    assert any(h.startswith("unparsed:") for h in info["hints"])


def test_money_text_hint_and_leading_zeros():
    assert "money_text" in catalog.infer_type(pl.Series(["$1,234.50", "12.00", "$3"]))["hints"]
    assert "leading_zeros" in catalog.infer_type(pl.Series(["007", "042"]))["hints"]


def test_shim_is_a_dsl_plan_and_casts_only_losslessly():
    raw = pl.DataFrame({" Qty ": ["1", " 2", None], "Name": ["  Ann   Lee ", "Bo", None],
                        "Code": ["1", "x", "3"]})
    std, cols = catalog.standardize(raw)
    assert std.columns == ["qty", "name", "code"]
    assert std["qty"].to_list() == [1, 2, None] and std["qty"].dtype == pl.Int64
    assert std["name"].to_list() == ["Ann Lee", "Bo", None]
    assert std["code"].to_list() == ["1", "x", "3"]           # not all integers: stays text
    plans = {c["name"]: c["plan"] for c in cols}
    assert [s["op"] for s in plans["qty"]["steps"]] == ["collapse_whitespace", "type_cast"]
    assert transform.apply(raw, plans["name"]).to_list() == std["name"].to_list()


def test_key_choice_prefers_declared_then_named_unique():
    df = pl.DataFrame({"row": [1, 2, 3, 4], "cust_id": [10, 11, 11, 12], "x": [1, 1, 2, 2]})
    _, cols = catalog.standardize(df)
    for c in cols:
        c["stats"], c["dtype"] = catalog.column_stats(df, c["name"]), c["inferred"]["dtype"]
    assert catalog.choose_key(cols, ["x"]) == ["x"]
    assert catalog.choose_key(cols, []) == ["row"]  # cust_id repeats too much? no: 3 of 4 distinct
    df2 = pl.DataFrame({"cust_id": list(range(20)) + [3], "n": list(range(21))})
    _, cols2 = catalog.standardize(df2)
    for c in cols2:
        c["stats"], c["dtype"] = catalog.column_stats(df2, c["name"]), c["inferred"]["dtype"]
    assert catalog.choose_key(cols2, []) == ["cust_id"]   # a key name, 95 % distinct: the key


def test_sample_is_deterministic_capped_and_stratified_by_month():
    days = [f"2023-{m:02d}-{d:02d}" for m in (1, 2, 3) for d in range(1, 29)] * 10
    df = pl.DataFrame({"id": range(len(days)), "day": days})
    a = sampling.sample_rows(df, seed=3, rows_max=60, bytes_max=1 << 20, key=["id"],
                             date_column="day", date_format="%Y-%m-%d")
    b = sampling.sample_rows(df.reverse(), seed=3, rows_max=60, bytes_max=1 << 20, key=["id"],
                             date_column="day", date_format="%Y-%m-%d")
    assert a.equals(b) and a.height == 60
    months = a["day"].str.slice(0, 7).value_counts().sort("day")["count"].to_list()
    assert months == [20, 20, 20]
    assert not sampling.sample_rows(df, seed=4, rows_max=60, bytes_max=1 << 20,
                                    key=["id"]).equals(a)
    small = sampling.sample_rows(df, seed=3, rows_max=60, bytes_max=600, key=["id"])
    assert 0 < small.height < 60 and small.estimated_size() <= 700


def test_target_yaml_errors_name_the_column(tmp_path):
    f = tmp_path / "t.yml"
    f.write_text("tables:\n  - name: c\n    columns:\n      - {name: a, type: money}\n")
    with pytest.raises(BadInput, match=r"c.columns\[0\] \(a\): type 'money'"):
        target.load_target(f)
    f.write_text("tables:\n  - name: c\n    columns:\n      - {name: a, colour: red}\n")
    with pytest.raises(BadInput, match="unknown key 'colour'"):
        target.load_target(f)
    f.write_text("tables:\n  - name: o\n    columns:\n      - {name: c, references: x.y}\n")
    with pytest.raises(BadInput, match="references x.y"):
        target.load_target(f)


def test_target_from_a_database(tmp_path):
    import sqlite3

    import duckdb

    db = tmp_path / "t.sqlite"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE customers (customer_id INTEGER PRIMARY KEY, born DATE, "
                "balance REAL NOT NULL, active BOOLEAN, name VARCHAR(40))")
    con.close()
    s = target.find_target([], "", f"sqlite:///{db}")
    assert [(c.name, c.type, c.key) for c in s.columns] == [
        ("customer_id", "integer", True), ("born", "date", False), ("balance", "float", False),
        ("active", "boolean", False), ("name", "string", False)]
    dd = tmp_path / "t.duckdb"
    with duckdb.connect(str(dd)) as c:
        c.execute("CREATE TABLE orders (order_id BIGINT PRIMARY KEY, placed TIMESTAMP, amount DOUBLE)")
    s2 = target.find_target([], "", f"duckdb:///{dd}")
    assert [(c.name, c.type, c.key) for c in s2.columns] == [
        ("order_id", "integer", True), ("placed", "timestamp", False), ("amount", "float", False)]
