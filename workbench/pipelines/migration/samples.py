"""Deterministic sample data for the ``migration`` pipeline: a messy legacy CRM and its target.

``write_samples`` writes ``customers.csv`` (cp1252, comma, messy headers), ``orders.csv``
(UTF-8 with BOM, semicolon), ``crm.sqlite`` (the same rows in a legacy database: dates as TEXT,
cents as INTEGER) and ``target.yml`` (the new schema). The mess is on purpose: names in one
column ("First Last", "LAST, First", stray spaces, lower case), mixed date, phone and money
formats, status and country codes spelled several ways, cents vs dollars, pounds vs kilograms,
PII inside free-text notes, ~3 % exact duplicate rows, a few customer ids reused with different
data, orders of customers that do not exist and 2-10 % nulls in every optional column.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as tmp:
...     names = [p.name for p in write_samples(Path(tmp), customers=40)]
...     has_db = (Path(tmp) / "crm.sqlite").is_file()
>>> names, has_db
(['customers.csv', 'orders.csv', 'target.yml'], True)
>>> EXPECTED_MAPPINGS[("orders", "weight_kg")]
(('orders', 'weight_lb'),)
"""
from __future__ import annotations

import csv
import random
import sqlite3
from datetime import date
from pathlib import Path

from . import _sample_values as v

# (header as the export writes it, key in the generated record, SQLite type)
CUSTOMER_COLUMNS = ((" Cust ID ", "id", "INTEGER"), ("Customer Name", "name", "TEXT"),
                    ("E-Mail", "email", "TEXT"), ("Phone# ", "phone", "TEXT"),
                    ("DOB", "dob", "TEXT"), (" Signup Date", "signup", "TEXT"),
                    ("Balance (cents)", "balance", "INTEGER"), ("Status", "status", "TEXT"),
                    ("Country ", "country", "TEXT"), ("Notes", "notes", "TEXT"))
ORDER_COLUMNS = (("OrderNo", "order_no", "INTEGER"), ("cust_id", "cust_id", "INTEGER"),
                 ("order_dt", "date", "TEXT"), ("total_amt", "amount", "TEXT"),
                 ("weight_lb", "weight", "REAL"), ("sku", "sku", "TEXT"),
                 ("qty", "qty", "INTEGER"))
REQUIRED = {"id", "name", "order_no", "cust_id"}  # never null in the export

_C = {key: header.strip() for header, key, _ in CUSTOMER_COLUMNS}
_O = {key: header.strip() for header, key, _ in ORDER_COLUMNS}
# target (table, column) -> the source (table, column)s it is computed from
EXPECTED_MAPPINGS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("customers", "customer_id"): (("customers", _C["id"]),),
    ("customers", "first_name"): (("customers", _C["name"]),),
    ("customers", "last_name"): (("customers", _C["name"]),),
    ("customers", "email"): (("customers", _C["email"]),),
    ("customers", "phone"): (("customers", _C["phone"]),),
    ("customers", "birth_date"): (("customers", _C["dob"]),),
    ("customers", "signup_date"): (("customers", _C["signup"]),),
    ("customers", "balance_usd"): (("customers", _C["balance"]),),
    ("customers", "status"): (("customers", _C["status"]),),
    ("customers", "country_code"): (("customers", _C["country"]),),
    ("orders", "order_id"): (("orders", _O["order_no"]),),
    ("orders", "customer_id"): (("orders", _O["cust_id"]),),
    ("orders", "order_date"): (("orders", _O["date"]),),
    ("orders", "amount_usd"): (("orders", _O["amount"]),),
    ("orders", "weight_kg"): (("orders", _O["weight"]),),
    ("orders", "sku"): (("orders", _O["sku"]),),
    ("orders", "quantity"): (("orders", _O["qty"]),),
}

TARGET_YML = """\
# Target schema of the CRM migration sample (workbench samples migration).
tables:
  - name: customers
    description: one row per customer, deduplicated on customer_id
    columns:
      - {name: customer_id, type: integer, key: true, nullable: false, description: customer number}
      - {name: first_name, type: string, description: given name}
      - {name: last_name, type: string, description: family name}
      - {name: email, type: string, description: e-mail address}
      - {name: phone, type: string, description: phone number}
      - {name: birth_date, type: date, description: date of birth}
      - {name: signup_date, type: date, description: date the customer signed up}
      - {name: balance_usd, type: float, unit: USD, description: account balance in dollars}
      - {name: status, type: string, enum: [active, closed, suspended], description: account status}
      - {name: country_code, type: string, description: ISO 3166-1 alpha-2 country code}
  - name: orders
    description: one row per order
    columns:
      - {name: order_id, type: integer, key: true, nullable: false, description: order number}
      - {name: customer_id, type: integer, references: customers.customer_id, description: ordering customer}
      - {name: order_date, type: date, description: date the order was placed}
      - {name: amount_usd, type: float, unit: USD, description: order total in dollars}
      - {name: weight_kg, type: float, unit: kg, description: shipping weight in kilograms}
      - {name: sku, type: string, description: stock keeping unit}
      - {name: quantity, type: integer, description: number of items}
"""


def _with_nulls(rng: random.Random, rows: list[dict], columns) -> None:
    """Blank 2-10 % of every optional column (its own rate per column)."""
    for _, key, _ in columns:
        if key in REQUIRED:
            continue
        for i in rng.sample(range(len(rows)), round(rng.uniform(0.03, 0.08) * len(rows))):
            rows[i][key] = ""


def _customers(rng: random.Random, n: int) -> list[dict]:
    rows, cust_id = [], 1000
    for _ in range(n):
        cust_id += rng.choice((1, 1, 1, 2, 3))
        rows.append(v.customer(rng, cust_id))
    for _ in range(max(3, n // 100)):  # the same id again with different data
        rows.insert(rng.randrange(len(rows) + 1),
                    v.customer(rng, int(rng.choice(rows[: n // 2 or 1])["id"])))
    _with_nulls(rng, rows, CUSTOMER_COLUMNS)
    return rows


def _orders(rng: random.Random, customers: list[dict], n: int) -> list[dict]:
    rows, last_id, order_no = [], max(int(c["id"]) for c in customers), 500_000
    for _ in range(n):
        owner = rng.choice(customers)
        if rng.random() < 0.02:  # an orphan: its customer is not in the export
            owner = {"id": str(last_id + rng.randrange(1, 500)), "_signup": date(2024, 1, 1)}
        order_no += rng.choice((1, 1, 1, 2))
        rows.append(v.order(rng, order_no, int(owner["id"]), owner["_signup"]))
    _with_nulls(rng, rows, ORDER_COLUMNS)
    return rows


def _with_duplicates(rng: random.Random, rows: list[dict], share: float = 0.03) -> list[dict]:
    out = list(rows)
    for _ in range(max(1, round(len(rows) * share))):
        out.insert(rng.randrange(len(out) + 1), dict(rng.choice(rows)))
    return out


def _write_csv(path: Path, rows: list[dict], columns, encoding: str, delimiter: str,
               newline: str) -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator=newline)
        writer.writerow([header for header, _, _ in columns])
        writer.writerows([row[key] for _, key, _ in columns] for row in rows)


def _typed(value: str, sql_type: str):
    if value == "":
        return None
    return {"INTEGER": int, "REAL": float}.get(sql_type, str)(value)


def _write_sqlite(path: Path, tables: dict[str, tuple[list[dict], tuple]]) -> None:
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    try:
        for name, (rows, columns) in tables.items():
            cols = ", ".join(f'"{h.strip()}" {t}' for h, _, t in columns)
            con.execute(f'CREATE TABLE "{name}" ({cols})')
            con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(columns))})',
                            [[_typed(r[k], t) for _, k, t in columns] for r in rows])
        con.commit()
    finally:
        con.close()


def write_samples(out_dir: Path, seed: int = 1, customers: int = 400) -> list[Path]:
    """Write the messy CRM (CSV, SQLite) and target.yml; return [customers, orders, target]."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    people = _customers(rng, customers)
    orders = _with_duplicates(rng, _orders(rng, people, 3 * customers))
    people = _with_duplicates(rng, people)
    paths = [out_dir / "customers.csv", out_dir / "orders.csv", out_dir / "target.yml"]
    _write_csv(paths[0], people, CUSTOMER_COLUMNS, "cp1252", ",", "\r\n")
    _write_csv(paths[1], orders, ORDER_COLUMNS, "utf-8-sig", ";", "\n")
    paths[2].write_text(TARGET_YML, encoding="utf-8")
    _write_sqlite(out_dir / "crm.sqlite", {"customers": (people, CUSTOMER_COLUMNS),
                                           "orders": (orders, ORDER_COLUMNS)})
    return paths
