"""Mapping strategies (§12) as Transform DSL plans: atomic, compose, decompose, unit, type.

Every plan reads the standardized source columns and writes one target column; each step says
why it is there (``notes``), for the rationale. Nothing here runs: plans are compiled and
executed by ``workbench.transform``.

Examples
--------
>>> plan, notes = decompose_name("full_name", "first", "given_name")
>>> plan["steps"][1]["op"], notes[0]
('regex_extract', 'first word of the name, or the word after a comma (LAST, First)')
>>> align({"column": "balance_cents", "dtype": "integer", "unit_cue": "cents"},
...       {"column": "balance_usd", "type": "float", "unit": "USD"})[0]["steps"]
[{'op': 'unit_convert', 'args': {'from': 'minor', 'to': 'major'}}]
"""
from __future__ import annotations

from .headers import fold
from .matching import unit_key

FIRST_RE = "(?:^[^,]*,[ ]*|^)([^ ,]+)"
LAST_RE = "([^ ,]+)(?:[ ]*,|$)"
MONEY_RE = "^[-+]?[$€£¥]?[ ]*([0-9]+(?:[.][0-9]+)?)$"
TRUE_WORDS = ("true", "yes", "y", "t", "1", "on", "ja", "oui", "si", "sim")
FALSE_WORDS = ("false", "no", "n", "f", "0", "off", "nein", "non", "nao")


def _input(col: dict) -> dict | str:
    dtype = col.get("physical") or col.get("dtype", "string")
    dtype = dtype if dtype in ("integer", "float", "boolean") else "string"
    return col["column"] if dtype == "string" else {"name": col["column"], "type": dtype}


def align(src: dict, tgt: dict, *, formats: dict | None = None,
          values: list | None = None) -> tuple[dict, list[str], bool]:
    """Return (plan, notes, needs_values) moving one source column into one target column.

    ``src``: column, dtype (inferred), physical (the standardized frame's type), hints,
    unit_cue; ``tgt``: column, type, unit, enum. ``values`` (data_mode) lets an enum mapping be
    derived from the data; without them the plan maps the enum's own spellings only.
    """
    physical = src.get("physical") or src.get("dtype", "string")
    physical = physical if physical in ("integer", "float", "boolean") else "string"
    want = tgt.get("type", "string")
    steps: list[dict] = []
    notes: list[str] = []
    needs_values = False
    cur = physical
    if want in ("date", "timestamp") and cur == "string":
        fmts = list((formats or {}).keys())
        fmt = fmts[0] if fmts else ("%Y-%m-%d %H:%M:%S" if want == "timestamp" else "%Y-%m-%d")
        to = "timestamp" if "%H" in fmt else "date"
        steps += [{"op": "trim"}, {"op": "date_parse", "args": {"format": fmt, "to": to}}]
        notes.append(f"text dates parsed as {fmt}" + (f" (also seen: {', '.join(fmts[1:])}: "
                                                      "those rows fail)" if len(fmts) > 1 else ""))
        cur = to
        if to != want:
            steps.append({"op": "type_cast", "args": {"to": "date"}})
            cur = "date"
    elif want in ("integer", "float") and cur == "string":
        if "money_text" in (src.get("hints") or []):
            steps.append({"op": "regex_extract", "args": {"pattern": MONEY_RE}})
            notes.append("currency sign stripped; amounts with thousands separators fail")
        steps.append({"op": "type_cast", "args": {"to": "float" if want == "float" or
                                                   "money_text" in (src.get("hints") or [])
                                                   else "integer"}})
        cur = steps[-1]["args"]["to"]
    elif want == "boolean" and cur == "string":
        mapping = {w: True for w in TRUE_WORDS} | {w: False for w in FALSE_WORDS}
        steps += [{"op": "trim"}, {"op": "case", "args": {"to": "lower"}},
                  {"op": "map_dict", "args": {"mapping": mapping}}]
        notes.append("yes/no words mapped to booleans")
        cur = "boolean"
    s_unit, t_unit = unit_key(src.get("unit_cue", "")), unit_key(tgt.get("unit", ""))
    if s_unit == "" and t_unit == "major" and "minor" in fold(src.get("column", "")):
        s_unit = "minor"
    if want in ("integer", "float") and s_unit and t_unit and s_unit != t_unit:
        if cur == "string":
            steps.append({"op": "type_cast", "args": {"to": "float"}})
        steps.append({"op": "unit_convert", "args": {"from": s_unit, "to": t_unit}})
        notes.append(f"unit {s_unit} → {t_unit}")
        cur = "float"
    if want == "float" and cur == "integer":
        steps.append({"op": "type_cast", "args": {"to": "float"}})
        cur = "float"
    elif want == "integer" and cur == "float":
        steps.append({"op": "type_cast", "args": {"to": "integer"}})
        notes.append("float truncated to integer")
        cur = "integer"
    elif want == "string" and cur in ("integer", "boolean"):
        steps.append({"op": "type_cast", "args": {"to": "string"}})
        cur = "string"
    if tgt.get("enum") and cur == "string":
        mapping, derived = enum_mapping(values or [], list(tgt["enum"]))
        needs_values = not derived
        steps += [{"op": "trim"}, {"op": "case", "args": {"to": "lower"}},
                  {"op": "map_dict", "args": {"mapping": mapping}}]
        notes.append("codes mapped onto the target enum" + ("" if derived else
                     " (spellings of the enum only: no values in metadata_only)"))
    plan = {"inputs": [_input(src)], "output": tgt["column"], "steps": steps}
    return plan, notes, needs_values


def enum_mapping(values: list, enum: list) -> tuple[dict, bool]:
    """Return ({lower-cased source code: enum value}, derived from values?)."""
    mapping = {fold(str(e)).strip(): e for e in enum}
    distinct = sorted({fold(str(v)).strip() for v in values if v is not None and str(v).strip()})
    for v in distinct:
        if v in mapping:
            continue
        hits = [e for e in enum if fold(str(e)).startswith(v) or v.startswith(fold(str(e)))]
        if len(hits) == 1:
            mapping[v] = hits[0]
    return mapping, bool(distinct)


def compose(parts: list[dict], output: str, separator: str = " ") -> tuple[dict, list[str]]:
    """Return the plan joining several source columns (first + last → full name)."""
    plan = {"inputs": [_input(p) for p in parts], "output": output,
            "steps": [{"op": "concat", "args": {"parts": [{"ref": p["column"]} for p in parts],
                                                "separator": separator}}]}
    return plan, [f"composed from {' + '.join(p['column'] for p in parts)}"]


def decompose_name(source: str, part: str, output: str) -> tuple[dict, list[str]]:
    """Return the plan taking the first or last word of a full name (either word order)."""
    pattern = FIRST_RE if part == "first" else LAST_RE
    note = ("first word of the name, or the word after a comma (LAST, First)" if part == "first"
            else "last word of the name, or the word before a comma (LAST, First)")
    plan = {"inputs": [source], "output": output,
            "steps": [{"op": "collapse_whitespace"},
                      {"op": "regex_extract", "args": {"pattern": pattern, "group": 1}}]}
    return plan, [note]


def decompose_split(source: str, index: int, output: str, separator: str = "[,;]") -> tuple[
        dict, list[str]]:
    """Return the plan taking piece ``index`` of a composite value split on ``separator``."""
    plan = {"inputs": [source], "output": output,
            "steps": [{"op": "regex_split", "args": {"pattern": f"[ ]*{separator}[ ]*",
                                                     "index": index}},
                      {"op": "trim"}]}
    return plan, [f"piece {index} of {source} split on {separator}"]
