"""Source tables of a migration: files (CSV/TSV sniffed, Parquet, JSON lines) and SQL, read-only.

A file's table name is its stem; a database's tables keep their names. CSV and TSV are read with
every column as text (legacy exports lie about types; the catalog infers them), after sniffing
the encoding (UTF-8, UTF-8 with BOM, else cp1252/latin-1) and the dialect (delimiter, quote).
SQL sources go through SQLAlchemy on a read-only connection (SQLite ``mode=ro``; PostgreSQL
``default_transaction_read_only``); the sampling query is written with SQLGlot for the source's
dialect.

Examples
--------
>>> standard_url("postgresql://u@h/db")
'postgresql+psycopg://u@h/db'
>>> redact_url("postgresql://me:secret@db.example.com/crm")
'postgresql://me:***@db.example.com/crm'
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ...errors import BadInput

FILE_KINDS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet",
              ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}
NOT_SOURCES = {"target.yml", "target.yaml", "decisions.json"}
SNIFF_BYTES = 1 << 20


@dataclass
class SourceTable:
    """One source table and how it is read."""

    name: str
    kind: str                      # csv | parquet | jsonl | sql
    location: str                  # path, or the URL with its password hidden
    encoding: str = "utf-8"
    delimiter: str = ","
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[dict] = field(default_factory=list)
    physical_types: dict[str, str] = field(default_factory=dict)
    _url: str = ""                 # the real URL (sql), never written anywhere

    def describe(self) -> dict:
        """Return the table's source descriptor for the catalog and the run contract."""
        out = {"name": self.name, "type": "sql" if self.kind == "sql" else "file",
               "format": self.kind, "location": self.location}
        if self.kind == "csv":
            out |= {"encoding": self.encoding, "delimiter": self.delimiter}
        return out

    def read(self) -> pl.DataFrame:
        """Return every row of the table (files: all columns as read; CSV: text)."""
        if self.kind == "sql":
            return read_sql(self._url, f"SELECT * FROM {quote(self._url, self.name)}")
        return _read_file(self)

    def row_count(self) -> int:
        """Return the number of rows."""
        if self.kind == "sql":
            q = f"SELECT COUNT(*) AS n FROM {quote(self._url, self.name)}"
            return int(read_sql(self._url, q)["n"][0])
        return self.read().height


def discover(inputs: list[Path], source_url: str = "", source_tables: list[str] | None = None
             ) -> list[SourceTable]:
    """Return the source tables of the inputs (files, folders) and of ``source_url``."""
    tables: list[SourceTable] = []
    for path in inputs:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            kind = FILE_KINDS.get(f.suffix.lower())
            if kind is None or f.name.lower() in NOT_SOURCES:
                continue
            t = SourceTable(f.stem, kind, str(f))
            if kind == "csv":
                t.encoding, t.delimiter = sniff_csv(f)
            tables.append(t)
    if source_url:
        tables.extend(sql_tables(source_url, source_tables or []))
    names = [t.name for t in tables]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise BadInput(f"two source tables are called {dup[0]!r}; rename one file (the table "
                       f"name is the file stem)")
    if not tables:
        raise BadInput("migration needs a source: --input FILE.csv|.tsv|.parquet|.jsonl (or a "
                       "folder), or --param source_url=sqlite:///PATH|postgresql://...")
    return tables


# files -------------------------------------------------------------------------------------------
def sniff_csv(path: Path) -> tuple[str, str]:
    """Return (encoding, delimiter) of a delimited text file."""
    head = path.read_bytes()[:SNIFF_BYTES] if path.stat().st_size <= 64 * SNIFF_BYTES else \
        _head(path)
    encoding = sniff_encoding(head)
    text = head.decode(encoding if encoding != "utf-8-sig" else "utf-8-sig", errors="replace")
    if path.suffix.lower() == ".tsv":
        return encoding, "\t"
    lines = "\n".join(text.splitlines()[:50])
    try:
        delimiter = csv.Sniffer().sniff(lines, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: lines.count(d) for d in ",;\t|"}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    return encoding, delimiter


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(SNIFF_BYTES)


def sniff_encoding(data: bytes) -> str:
    """Return ``utf-8-sig``, ``utf-8``, ``cp1252`` or ``latin-1`` for the bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and len(data) >= SNIFF_BYTES:  # a character cut at the end
            return "utf-8"
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _read_file(t: SourceTable) -> pl.DataFrame:
    path = Path(t.location)
    try:
        if t.kind == "parquet":
            return pl.read_parquet(path)
        if t.kind == "jsonl":
            return pl.read_ndjson(path, infer_schema_length=10_000)
        source: Path | io.BytesIO = path
        if t.encoding not in ("utf-8", "utf-8-sig"):
            source = io.BytesIO(path.read_bytes().decode(t.encoding).encode("utf-8"))
        df = pl.read_csv(source, separator=t.delimiter, infer_schema=False,
                         truncate_ragged_lines=True, encoding="utf8")
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read source {path.name} as {t.kind}: {exc}") from None
    if df.columns and df.columns[0].startswith("\ufeff"):
        df = df.rename({df.columns[0]: df.columns[0].lstrip("\ufeff")})
    return df


# SQL ---------------------------------------------------------------------------------------------
def standard_url(url: str) -> str:
    """Return the SQLAlchemy URL with the psycopg 3 driver for plain ``postgresql://``."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def redact_url(url: str) -> str:
    """Return the URL with any password replaced by ``***``."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def dialect_of(url: str) -> str:
    """Return the SQLGlot dialect of a database URL."""
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    return {"postgresql": "postgres", "postgres": "postgres", "sqlite": "sqlite",
            "duckdb": "duckdb", "mysql": "mysql", "mssql": "tsql"}.get(scheme, scheme)


def engine(url: str):
    """Return a read-only SQLAlchemy engine for ``url``."""
    import sqlalchemy as sa

    url = standard_url(url)
    if url.startswith("sqlite:///"):
        import sqlite3

        path = Path(url[len("sqlite:///"):]).expanduser()
        if not path.is_file():
            raise BadInput(f"source_url {url}: no such SQLite file")
        return sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, check_same_thread=False))
    if url.startswith("postgresql"):
        return sa.create_engine(url, connect_args={
            "options": "-c default_transaction_read_only=on"})
    return sa.create_engine(url)


def quote(url: str, name: str) -> str:
    """Return a table or column name quoted for the URL's dialect."""
    import sqlglot

    return sqlglot.exp.to_identifier(name, quoted=True).sql(dialect_of(url))


def read_sql(url: str, query: str) -> pl.DataFrame:
    """Return the rows of a read-only query."""
    import sqlalchemy as sa

    try:
        with engine(url).connect() as con:
            result = con.execute(sa.text(query))
            cols = list(result.keys())
            rows = result.fetchall()
    except sa.exc.SQLAlchemyError as exc:
        raise BadInput(f"source {redact_url(url)}: {type(exc).__name__}: "
                       f"{str(exc).splitlines()[0]}") from None
    data = {c: [_plain(r[i]) for r in rows] for i, c in enumerate(cols)}
    return pl.DataFrame(data, strict=False, infer_schema_length=None)


def _plain(v):
    from decimal import Decimal

    return float(v) if isinstance(v, Decimal) else v


def sql_tables(url: str, wanted: list[str]) -> list[SourceTable]:
    """Return the tables of a database, introspected (columns, primary and foreign keys)."""
    import sqlalchemy as sa

    try:
        insp = sa.inspect(engine(url))
        names = insp.get_table_names()
    except sa.exc.SQLAlchemyError as exc:
        raise BadInput(f"source_url {redact_url(url)}: cannot connect: "
                       f"{str(exc).splitlines()[0]}") from None
    missing = [w for w in wanted if w not in names]
    if missing:
        raise BadInput(f"source_tables: {missing[0]!r} is not a table of {redact_url(url)}; "
                       f"it has {', '.join(names) or 'no tables'}")
    out = []
    for name in wanted or names:
        pk = insp.get_pk_constraint(name).get("constrained_columns") or []
        fks = [{"columns": fk["constrained_columns"], "references": fk["referred_table"],
                "referred_columns": fk["referred_columns"]} for fk in insp.get_foreign_keys(name)]
        types = {c["name"]: str(c["type"]) for c in insp.get_columns(name)}
        out.append(SourceTable(name, "sql", redact_url(url), primary_key=pk, foreign_keys=fks,
                               physical_types=types, _url=url))
    return out


def sample_query(url: str, table: str, order_by: list[str], step: int, offset: int,
                 limit: int) -> str:
    """Return a portable systematic-sample query (every ``step``-th row in key order)."""
    import sqlglot
    from sqlglot import exp

    order = ", ".join(f'"{c}"' for c in order_by) or "1"
    inner = (f'SELECT t.*, ROW_NUMBER() OVER (ORDER BY {order}) AS "_wb_rn" '
             f'FROM "{table}" AS t')
    q = (f'SELECT * FROM ({inner}) AS s WHERE ("_wb_rn" - 1) % {int(step)} = {int(offset)} '
         f'ORDER BY "_wb_rn" LIMIT {int(limit)}')
    tree = sqlglot.parse_one(q, read="postgres")
    assert isinstance(tree, exp.Select)
    return tree.sql(dialect=dialect_of(url))
