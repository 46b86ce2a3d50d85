"""The target schema: a YAML file (the format of ``docs/pipelines/migration.md``) or a database.

Examples
--------
>>> schema = parse_target({"tables": [{"name": "customers", "columns": [
...     {"name": "customer_id", "type": "integer", "key": True},
...     {"name": "balance_usd", "type": "float", "unit": "USD"}]}]})
>>> [(c.table, c.name, c.type, c.key) for c in schema.columns]
[('customers', 'customer_id', 'integer', True), ('customers', 'balance_usd', 'float', False)]
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from ...errors import BadInput

TYPES = ("string", "integer", "float", "boolean", "date", "timestamp")
COLUMN_KEYS = {"name", "type", "description", "unit", "enum", "nullable", "key", "references"}
TARGET_FILES = ("target.yml", "target.yaml")


@dataclass(frozen=True)
class TargetColumn:
    """One column of the target schema."""

    table: str
    name: str
    type: str = "string"
    description: str = ""
    unit: str = ""
    enum: tuple = ()
    nullable: bool = True
    key: bool = False
    references: str = ""        # "table.column" of a foreign key


@dataclass
class TargetSchema:
    """The tables of the target and where they were read from."""

    tables: list[dict]
    columns: list[TargetColumn]
    location: str = ""
    sha256: str = ""
    by_table: dict[str, list[TargetColumn]] = field(default_factory=dict)

    def __post_init__(self):
        for c in self.columns:
            self.by_table.setdefault(c.table, []).append(c)

    def column(self, table: str, name: str) -> TargetColumn:
        """Return the target column ``table.name``."""
        for c in self.by_table.get(table, []):
            if c.name == name:
                return c
        raise KeyError(f"{table}.{name}")

    def as_dict(self) -> dict:
        """Return the schema in the YAML format."""
        return {"tables": [{"name": t["name"], "description": t.get("description", ""),
                            "columns": [_col_dict(c) for c in self.by_table[t["name"]]]}
                           for t in self.tables]}


def _col_dict(c: TargetColumn) -> dict:
    d = {k: v for k, v in asdict(c).items() if k != "table"}
    d["enum"] = list(c.enum)
    return d


def parse_target(data: dict, location: str = "") -> TargetSchema:
    """Return the schema of a parsed target YAML document; BadInput names what is wrong."""
    where = location or "target"
    if not isinstance(data, dict) or not isinstance(data.get("tables"), list) or \
            not data["tables"]:
        raise BadInput(f"{where}: expected a mapping with a non-empty list 'tables'")
    tables, columns = [], []
    for i, t in enumerate(data["tables"]):
        if not isinstance(t, dict) or not t.get("name") or not isinstance(t.get("columns"), list):
            raise BadInput(f"{where}: tables[{i}] needs 'name' and a list 'columns'")
        tables.append({"name": str(t["name"]), "description": str(t.get("description") or "")})
        for j, c in enumerate(t["columns"]):
            at = f"{where}: {t['name']}.columns[{j}]"
            if not isinstance(c, dict) or not c.get("name"):
                raise BadInput(f"{at} needs a 'name'")
            extra = set(c) - COLUMN_KEYS
            if extra:
                raise BadInput(f"{at} ({c['name']}): unknown key {min(extra)!r}; "
                               f"allowed: {', '.join(sorted(COLUMN_KEYS))}")
            ctype = str(c.get("type") or "string")
            if ctype not in TYPES:
                raise BadInput(f"{at} ({c['name']}): type {ctype!r} is not one of "
                               f"{', '.join(TYPES)}")
            enum = c.get("enum") or ()
            if not isinstance(enum, list | tuple):
                raise BadInput(f"{at} ({c['name']}): enum must be a list")
            columns.append(TargetColumn(
                table=str(t["name"]), name=str(c["name"]), type=ctype,
                description=str(c.get("description") or ""), unit=str(c.get("unit") or ""),
                enum=tuple(enum), nullable=bool(c.get("nullable", True)),
                key=bool(c.get("key", False)), references=str(c.get("references") or "")))
    names = [(c.table, c.name) for c in columns]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup:
        raise BadInput(f"{where}: column {dup[0]}.{dup[1]} appears twice")
    for c in columns:
        if c.references and tuple(c.references.split(".", 1)) not in set(names):
            raise BadInput(f"{where}: {c.table}.{c.name} references {c.references}, which is "
                           f"not a column of the target")
    return TargetSchema(tables, columns, location)


def load_target(path: str | Path) -> TargetSchema:
    """Return the target schema of a YAML file."""
    import hashlib

    import yaml

    p = Path(path).expanduser()
    if not p.is_file():
        raise BadInput(f"target {p}: no such file (give --param target=TARGET.yml)")
    raw = p.read_bytes()
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise BadInput(f"target {p}: not valid YAML: {exc}") from None
    schema = parse_target(data, str(p))
    schema.sha256 = hashlib.sha256(raw).hexdigest()
    return schema


def introspect_target(url: str) -> TargetSchema:
    """Return the target schema of a database's tables (types mapped to the six DSL types)."""
    import hashlib
    import json

    import sqlalchemy as sa

    from .sources import engine, redact_url

    if url.startswith("duckdb:///"):
        return _duckdb_target(url)
    try:
        insp = sa.inspect(engine(url))
        names = insp.get_table_names()
    except sa.exc.SQLAlchemyError as exc:
        raise BadInput(f"target_url {redact_url(url)}: {str(exc).splitlines()[0]}") from None
    tables = []
    for name in names:
        pk = set(insp.get_pk_constraint(name).get("constrained_columns") or [])
        refs = {fk["constrained_columns"][0]: f"{fk['referred_table']}.{fk['referred_columns'][0]}"
                for fk in insp.get_foreign_keys(name) if fk["constrained_columns"]}
        cols = [{"name": c["name"], "type": sql_type(str(c["type"])),
                 "nullable": bool(c.get("nullable", True)) and c["name"] not in pk,
                 "key": c["name"] in pk, "description": c.get("comment") or "",
                 "references": refs.get(c["name"], "")} for c in insp.get_columns(name)]
        tables.append({"name": name, "columns": cols})
    if not tables:
        raise BadInput(f"target_url {redact_url(url)} has no tables")
    schema = parse_target({"tables": tables}, redact_url(url))
    schema.sha256 = hashlib.sha256(json.dumps(schema.as_dict(), sort_keys=True).encode()).hexdigest()
    return schema


def _duckdb_target(url: str) -> TargetSchema:
    """Return the schema of a DuckDB file's tables, from its information schema."""
    import hashlib
    import json

    import duckdb

    path = Path(url[len("duckdb:///"):]).expanduser()
    if not path.is_file():
        raise BadInput(f"target_url {url}: no such DuckDB file")
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position").fetchall()
        keys = {(t, c) for t, cols in con.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE constraint_type = 'PRIMARY KEY'").fetchall() for c in cols}
    tables: dict[str, list] = {}
    for t, c, dtype, nullable in rows:
        tables.setdefault(t, []).append({"name": c, "type": sql_type(dtype),
                                         "nullable": nullable == "YES", "key": (t, c) in keys})
    if not tables:
        raise BadInput(f"target_url {url} has no tables")
    schema = parse_target({"tables": [{"name": t, "columns": cs} for t, cs in tables.items()]}, url)
    schema.sha256 = hashlib.sha256(json.dumps(schema.as_dict(), sort_keys=True).encode()).hexdigest()
    return schema


def sql_type(name: str) -> str:
    """Return the DSL type of a SQL column type name."""
    t = name.upper()
    if "TIMESTAMP" in t or "DATETIME" in t:
        return "timestamp"
    if t.startswith("DATE"):
        return "date"
    if "BOOL" in t:
        return "boolean"
    if "INT" in t or t.startswith("SERIAL"):
        return "integer"
    if any(k in t for k in ("REAL", "FLOA", "DOUB", "NUMERIC", "DECIMAL", "MONEY")):
        return "float"
    return "string"


def find_target(inputs: list[Path], target: str, target_url: str) -> TargetSchema:
    """Return the run's target schema: ``target`` YAML, a target.yml among the inputs, or the
    tables of ``target_url`` (which is also where the migrate stage writes)."""
    if target:
        return load_target(target)
    for path in inputs:
        candidates = [path] if path.is_file() else [path / n for n in TARGET_FILES]
        for c in candidates:
            if c.name in TARGET_FILES and c.is_file():
                return load_target(c)
    if target_url:
        return introspect_target(target_url)
    raise BadInput("migration needs a target schema: --param target=TARGET.yml, "
                   "--param target_url=DATABASE_URL, or a target.yml among the --input paths")
