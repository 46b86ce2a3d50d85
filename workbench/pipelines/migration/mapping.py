"""The Mapping Plan (§12): one Transform DSL pipeline per target column, with a decision.

Each target table is fed by the source table that matches it best; within it each target column
gets a strategy — *compose* (a composite target whose parts are separate source columns),
*decompose* (a part of a composite the source holds whole), else *atomic* with type alignment,
unit normalization and enum mapping — as a validated, hashed plan compiled to DuckDB SQL and
Polars. In data_mode the plan runs on the Sample Pack: success (a valid target value wherever
the source had one) and near-match (any value) rates decide accept / hold / fix against the
threshold profile; in metadata_only the confidence bands decide, and plans stay symbolic.
"""
from __future__ import annotations

import re
from collections import Counter

import polars as pl

from ... import transform
from .contract import band
from .strategies import align, compose, decompose_name, decompose_split
from .vectors import shape

MAX_FAILURE_SHAPES = 3


def relation(catalog):
    """Return the domain relation of a catalog: 1 same, 0.75 composite/part, 0.35 same group."""
    parts = {d.id: set(d.parts) for d in catalog.domains}

    def rel(a: str, b: str) -> float:
        if a == b:
            return 1.0
        if b in parts.get(a, ()) or a in parts.get(b, ()):
            return 0.75
        return 0.35 if a.split(".")[0] == b.split(".")[0] else 0.0
    return rel


def table_pairs(pairs: list[list[dict]], sources: list[dict], targets: list[dict]) -> dict:
    """Return {target table: source table} by the best summed column matches."""
    totals: Counter = Counter()
    for s, row in zip(sources, pairs, strict=True):
        best: dict[str, float] = {}
        for m in row:
            best[m["target_table"]] = max(best.get(m["target_table"], 0.0), m["score"])
        for t_table, score in best.items():
            totals[(t_table, s["table"])] += score
    out = {}
    for t_table in dict.fromkeys(t["table"] for t in targets):
        cands = [(v, s) for (t, s), v in totals.items() if t == t_table]
        if cands:
            out[t_table] = max(cands)[1]
    return out


def _composite_of(catalog, domain: str) -> list:
    return [d for d in catalog.domains if domain in d.parts]


def plan_target(tgt: dict, candidates: list[tuple[float, dict]], catalog, profile: dict
                ) -> dict:
    """Return the strategy, plan, confidence and notes for one target column."""
    tau_low = profile["domaining"]["tau_low"]
    t_dom = tgt.get("candidate") if tgt.get("band") != "low" else None
    ranked = sorted(candidates, key=lambda c: -c[0])
    if t_dom:
        d = catalog.get(t_dom)
        if d.kind == "composite" and d.parts:
            best_whole = next((s for sc, s in ranked if s.get("candidate") == t_dom
                               and sc >= tau_low), None)
            found = [next((s for _, s in ranked if s.get("candidate") == p
                           and s.get("band") != "low"), None) for p in d.parts]
            if best_whole is None and all(found):
                plan, notes = compose(found, tgt["column"])
                conf = min(s["score"] for s in found) * 0.95
                return {"strategy": "compose", "plan": plan, "notes": notes,
                        "sources": found, "confidence": conf, "needs_values": False}
        for comp in _composite_of(catalog, t_dom):
            whole = next((s for sc, s in ranked[:3] if s.get("candidate") == comp.id
                          and s.get("band") != "low"), None)
            own = next((s for sc, s in ranked if s.get("candidate") == t_dom and sc >= tau_low
                        and s.get("band") != "low"), None)
            if whole is not None and own is None:
                idx = comp.parts.index(t_dom)
                if comp.id == "person.full_name" or comp.id.endswith("full_name"):
                    plan, notes = decompose_name(whole["column"],
                                                 "first" if idx == 0 else "last", tgt["column"])
                else:
                    plan, notes = decompose_split(whole["column"],
                                                  idx if idx < len(comp.parts) - 1 else -1,
                                                  tgt["column"])
                return {"strategy": "decompose", "plan": plan, "notes": notes,
                        "sources": [whole], "confidence": whole["score"] * 0.9,
                        "needs_values": False}
    if not ranked or ranked[0][0] < tau_low:
        return {"strategy": "unmapped", "plan": None, "sources": [], "needs_values": False,
                "confidence": ranked[0][0] if ranked else 0.0,
                "notes": ["no source column scores above τ_low"]}
    score, src = ranked[0]
    plan, notes, needs_values = align(src, tgt, formats=src.get("formats"),
                                      values=src.get("values"))
    kinds = {s["op"] for s in plan["steps"]}
    strategy = "unit" if "unit_convert" in kinds else "type" if kinds & {
        "date_parse", "type_cast"} else "atomic"
    return {"strategy": strategy, "plan": plan, "notes": notes, "sources": [src],
            "confidence": score, "needs_values": needs_values}


def evaluate(plan: dict, frame: pl.DataFrame, tgt: dict, pattern: re.Pattern | None
             ) -> dict:
    """Return success and near-match rates of a plan on sample rows, and failure shapes."""
    names = [i if isinstance(i, str) else i["name"] for i in plan["inputs"]]
    present = pl.all_horizontal([pl.col(n).is_not_null() for n in names])
    for n in names:
        if frame.schema[n] == pl.Utf8:
            present = present & (pl.col(n).str.strip_chars() != "")
    rows = frame.filter(present)
    if rows.height == 0:
        return {"rows": 0, "success_rate": None, "near_rate": None, "failure_shapes": []}
    out = transform.apply(rows, plan)
    ok = out.is_not_null()
    near = ok.sum() / rows.height
    if tgt.get("enum"):
        ok = ok & out.cast(pl.Utf8).is_in([str(e) for e in tgt["enum"]])
    if pattern is not None and out.dtype == pl.Utf8:
        ok = ok & out.map_elements(lambda v: bool(pattern.fullmatch(v)) if v else False,
                                   return_dtype=pl.Boolean).fill_null(False)
    failed = rows.filter(~ok).get_column(names[0]).cast(pl.Utf8).to_list()
    shapes = Counter(shape(str(v))[:24] for v in failed).most_common(MAX_FAILURE_SHAPES)
    return {"rows": rows.height, "success_rate": round(float(ok.sum() / rows.height), 4),
            "near_rate": round(float(near), 4),
            "failure_shapes": [{"shape": s, "count": c} for s, c in shapes]}


def decide(result: dict, quality: dict | None, profile: dict, mode: str) -> tuple[str, str]:
    """Return (decision, rationale) from confidence, sample success and the profile."""
    conf = result["confidence"]
    notes = "; ".join(result["notes"])
    if result["strategy"] == "unmapped":
        return "fix", notes
    m = profile["mapping"]
    b = band(conf, profile)
    if mode != "data_mode" or quality is None or quality["success_rate"] is None:
        if result["needs_values"]:
            return "hold", f"{notes}; needs the values to confirm (metadata_only: symbolic)"
        decision = {"high": "accept", "borderline": "hold", "low": "fix"}[b]
        return decision, f"confidence {conf:.2f} ({b}); {notes}; symbolic (no rows executed)"
    rate = quality["success_rate"]
    why = f"confidence {conf:.2f} ({b}); success {rate:.1%} on {quality['rows']} sample rows"
    if quality["failure_shapes"]:
        why += "; failing shapes " + ", ".join(f"{f['shape']!r}×{f['count']}"
                                                 for f in quality["failure_shapes"])
    why += f"; {notes}"
    if rate >= m["accept_rate_min"] and b != "low":
        return ("accept" if b == "high" or rate >= 0.999 else "hold"), why
    if rate >= m["accept_rate_min"] - m["near_match_window"]:
        return "hold", why
    return "fix", why


def compiled(plan: dict) -> dict:
    """Return the plan validated with its hash, DuckDB SQL and Polars expression."""
    plan = transform.validate(plan)
    return {"dsl": plan, "dsl_hash": transform.plan_hash(plan),
            "sql": transform.to_sql(plan, "duckdb"), "polars": str(transform.to_polars(plan))}
