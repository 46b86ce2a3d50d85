"""Pre-flight (§14, §34): accepted mappings become one plan per target table, with a checklist.

Only accepted mappings count (with ``human_confirm_required``, only those a person decided:
``decided_by`` starts with ``human:``). Each target table is fed by one source table; its key
strategy is *natural* (one mapped key column), *composite* (several) or *surrogate* (the key is
not mapped, or the table declares none: the source row ordinal, 1-based, fills the key column or
an added ``_wb_id``). Checklist items are ``{check, table, status, detail}`` with status pass,
warn or fail; a fail stops the run before anything is written.

Examples
--------
>>> from workbench.pipelines.migration.target import parse_target
>>> schema = parse_target({"tables": [{"name": "t", "columns": [
...     {"name": "id", "type": "integer", "key": True}, {"name": "name", "type": "string"}]}]})
>>> rows = [{"target_table": "t", "target_column": "id", "decision": "accept",
...          "decided_by": "rules", "source_columns": ["s.id"],
...          "dsl": {"inputs": [{"name": "id", "type": "integer"}], "output": "id", "steps": []}}]
>>> plans, checks = preflight(rows, schema)
>>> plans[0].key_strategy, plans[0].outputs, [c["status"] for c in checks]
('natural', ['id'], ['pass', 'pass'])
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from .... import transform

SURROGATE = "_wb_id"
WIDENS = {("integer", "float"), ("date", "timestamp")}


@dataclass
class ColumnPlan:
    """One mapped target column: its DSL plan (None for a surrogate key) and constraints."""

    name: str
    type: str
    plan: dict | None
    inputs: list[str]
    nullable: bool = True
    enum: list = field(default_factory=list)
    decided_by: str = "rules"
    dsl_hash: str = ""


@dataclass
class TablePlan:
    """Everything the engine needs to migrate one target table."""

    table: str
    source: str
    columns: list[ColumnPlan]
    key: list[str]
    key_strategy: str
    surrogate: str | None
    schema: list[dict]
    fks: list[dict]
    inputs: dict[str, str]
    personal: dict[str, str] = field(default_factory=dict)  # "in:x" / "out:y" -> PII entity

    @property
    def outputs(self) -> list[str]:
        """Return the migrated column names, in target order."""
        return [c.name for c in self.columns]

    def as_dict(self) -> dict:
        """Return the plan as JSON-able data (stored with the run in the target)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> TablePlan:
        """Return the plan stored by :meth:`as_dict`."""
        return cls(**{**d, "columns": [ColumnPlan(**c) for c in d["columns"]]})


def _json(v):
    return json.loads(v) if isinstance(v, str) else v


def accepted(rows: list[dict], human_only: bool = False) -> tuple[list[dict], list[dict]]:
    """Return (mappings that may migrate, the others with why not)."""
    ok, skipped = [], []
    for r in rows:
        who = str(r.get("decided_by") or "")
        if r.get("decision") != "accept" or not r.get("dsl"):
            skipped.append({**r, "why": f"decision {r.get('decision')!r}"})
        elif human_only and not who.startswith("human:"):
            skipped.append({**r, "why": f"human_confirm_required; decided by {who or '?'}"})
        else:
            ok.append(r)
    return ok, skipped


def _item(check: str, status: str, detail: str, table: str | None = None) -> dict:
    return {"check": check, "table": table, "status": status, "detail": detail}


def preflight(rows: list[dict], target, *, human_only: bool = False,
              source_columns: dict[str, set[str]] | None = None, domains: dict | None = None
              ) -> tuple[list[TablePlan], list[dict]]:
    """Return the table plans (parents before children) and the pre-flight checklist.

    ``domains`` maps ``("source"|"target", table, column)`` to a domain id; personal domains
    (and columns whose names say so) are masked whole in quarantine previews.
    """
    ok, skipped = accepted(rows, human_only)
    checks = [_item("mappings", "pass" if ok else "fail",
                    f"{len(ok)} accepted mapping(s) migrate; {len(skipped)} skipped"
                    + "".join(f"; {s['target_table']}.{s['target_column']}: {s['why']}"
                              for s in skipped[:20]))]
    by_table: dict[str, list[dict]] = {}
    for r in ok:
        by_table.setdefault(r["target_table"], []).append(r)
    plans = []
    for t in target.tables:
        name = t["name"]
        if name not in by_table:
            checks.append(_item("table", "warn", "no accepted mapping: not migrated", name))
            continue
        plan = _table_plan(name, target.by_table[name], by_table[name], checks, source_columns)
        if plan is not None:
            plan.personal = personal_columns(plan, domains or {})
            plans.append(plan)
    migrated = {p.table for p in plans}
    for p in plans:
        for fk in p.fks:
            if fk["table"] not in migrated:
                checks.append(_item("references", "warn", f"{fk['column']} → {fk['table']}."
                                    f"{fk['ref']}: checked against the existing target table",
                                    p.table))
    return _parents_first(plans), checks


def personal_columns(tp: TablePlan, domains: dict) -> dict[str, str]:
    """Return the PII entity of each input and output column whose values identify a person."""
    from ....pii.keys import key_entity
    from ..masking import entity_of, is_personal

    out = {}
    for side, table, names, tag in (("source", tp.source, tp.inputs, "in"),
                                    ("target", tp.table, tp.outputs, "out")):
        for n in names:
            dom = domains.get((side, table, n))
            ent = entity_of(dom) if is_personal(dom) else key_entity(n)
            if ent:
                out[f"{tag}:{n}"] = ent
    return out


def _table_plan(name: str, cols, rows: list[dict], checks: list[dict],
                source_columns: dict | None) -> TablePlan | None:
    fail = len(checks)
    sources = sorted({c.split(".", 1)[0] for r in rows for c in _json(r["source_columns"])})
    if len(sources) != 1:
        checks.append(_item("source", "fail", f"fed by {len(sources)} source tables "
                            f"({', '.join(sources)}); a table is fed by exactly one", name))
        return None
    by_col = {r["target_column"]: r for r in rows}
    mapped, inputs = [], {}
    for c in cols:
        r = by_col.get(c.name)
        if r is None:
            if not c.nullable and not c.key:
                checks.append(_item("not_null", "fail", f"{c.name} is NOT NULL but unmapped",
                                    name))
            continue
        plan = transform.validate(_json(r["dsl"]))
        out = transform.output_type(plan)
        if out != c.type and (out, c.type) not in WIDENS:
            checks.append(_item("types", "fail", f"{c.name}: the plan gives {out}, the target "
                                f"column is {c.type}", name))
        for i in plan["inputs"]:
            if inputs.setdefault(i["name"], i["type"]) != i["type"]:
                checks.append(_item("inputs", "fail", f"input {i['name']} is read as "
                                    f"{inputs[i['name']]} and {i['type']}", name))
        mapped.append(ColumnPlan(c.name, c.type, plan, [i["name"] for i in plan["inputs"]],
                                 c.nullable and not c.key, list(c.enum),
                                 str(r.get("decided_by") or "rules"),
                                 r.get("dsl_hash") or transform.plan_hash(plan)))
    have = source_columns.get(sources[0]) if source_columns is not None else None
    missing = sorted(set(inputs) - set(have)) if have is not None else []
    if source_columns is not None and have is None:
        checks.append(_item("source", "fail", f"source table {sources[0]} was not given", name))
    elif missing:
        checks.append(_item("inputs", "fail", f"source {sources[0]} lacks {', '.join(missing)}",
                            name))
    key, strategy, surrogate = _key(cols, {m.name for m in mapped}, checks, name)
    if surrogate:
        ctype = next((c.type for c in cols if c.name == surrogate), "integer")
        mapped.insert(0, ColumnPlan(surrogate, ctype, None, [], False))
    fks = [{"column": c.name, "table": c.references.split(".", 1)[0],
            "ref": c.references.split(".", 1)[1]} for c in cols
           if c.references and c.name in {m.name for m in mapped}]
    if len(checks) == fail:
        checks.append(_item("table", "pass", f"{len(mapped)} column(s) from {sources[0]}; key "
                            f"{strategy} ({', '.join(key)})", name))
    schema = [{"name": c.name, "type": c.type, "nullable": c.nullable and not c.key,
               "key": c.key} for c in cols]
    if surrogate == SURROGATE:
        schema.insert(0, {"name": SURROGATE, "type": "integer", "nullable": False, "key": True})
    return TablePlan(name, sources[0], mapped, key, strategy, surrogate, schema, fks, inputs)


def _key(cols, mapped: set[str], checks: list[dict], name: str):
    keys = [c for c in cols if c.key]
    done = [c.name for c in keys if c.name in mapped]
    if keys and len(done) == len(keys):
        return done, "natural" if len(done) == 1 else "composite", None
    if not keys:
        return [SURROGATE], "surrogate", SURROGATE
    if not done and len(keys) == 1 and keys[0].type in ("integer", "string"):
        return [keys[0].name], "surrogate", keys[0].name
    checks.append(_item("key", "fail", f"key {', '.join(c.name for c in keys)} is only partly "
                        f"mapped ({', '.join(done) or 'none'}); map it or drop the key", name))
    return [c.name for c in keys], "composite", None


def _parents_first(plans: list[TablePlan]) -> list[TablePlan]:
    """Return the plans ordered so that a referenced table comes before its children."""
    by_name = {p.table: p for p in plans}
    out: list[TablePlan] = []
    seen: set[str] = set()

    def visit(p: TablePlan, path: tuple) -> None:
        if p.table in seen or p.table in path:
            return
        for fk in p.fks:
            if fk["table"] in by_name and fk["table"] != p.table:
                visit(by_name[fk["table"]], (*path, p.table))
        seen.add(p.table)
        out.append(p)
    for p in plans:
        visit(p, ())
    return out
