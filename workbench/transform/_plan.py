"""Plan validation, normalization, static typing and hashing (no backend code here)."""
from __future__ import annotations

import copy
import hashlib
import json
import math
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from workbench.errors import DslReject
from workbench.transform import _dates, _regex

DSL_VERSION = "1.0.0"
OPS = ("trim", "case", "collapse_whitespace", "regex_extract", "regex_split", "concat",
       "map_dict", "unit_convert", "date_parse", "date_format", "type_cast", "safe_math")
TYPES = ("string", "integer", "float", "boolean", "date", "timestamp")
CURRENT = "$"

# unit -> (dimension, factor, offset): value_in_base = x * factor + offset
UNITS: dict[str, tuple[str, float, float]] = {
    "mm": ("length", 0.001, 0.0), "cm": ("length", 0.01, 0.0), "m": ("length", 1.0, 0.0),
    "km": ("length", 1000.0, 0.0), "in": ("length", 0.0254, 0.0), "ft": ("length", 0.3048, 0.0),
    "yd": ("length", 0.9144, 0.0), "mi": ("length", 1609.344, 0.0),
    "mg": ("mass", 1e-6, 0.0), "g": ("mass", 0.001, 0.0), "kg": ("mass", 1.0, 0.0),
    "t": ("mass", 1000.0, 0.0), "oz": ("mass", 0.028349523125, 0.0),
    "lb": ("mass", 0.45359237, 0.0),
    "k": ("temperature", 1.0, 0.0), "c": ("temperature", 1.0, 273.15),
    "f": ("temperature", 5.0 / 9.0, 459.67 * 5.0 / 9.0),
    "ms": ("duration", 0.001, 0.0), "s": ("duration", 1.0, 0.0), "min": ("duration", 60.0, 0.0),
    "h": ("duration", 3600.0, 0.0), "d": ("duration", 86400.0, 0.0),
    "minor": ("money", 0.01, 0.0), "major": ("money", 1.0, 0.0),
}

# (from type, to type) pairs type_cast accepts; identity casts are always allowed
CASTS = {("string", "integer"), ("string", "float"), ("string", "boolean"), ("string", "date"),
         ("integer", "string"), ("integer", "float"), ("integer", "boolean"),
         ("float", "integer"), ("boolean", "string"), ("boolean", "integer"),
         ("date", "string"), ("timestamp", "date"), ("timestamp", "string")}

_IN_TYPES = {"trim": {"string"}, "case": {"string"}, "collapse_whitespace": {"string"},
             "regex_extract": {"string"}, "regex_split": {"string"}, "map_dict": {"string"},
             "unit_convert": {"integer", "float"}, "date_parse": {"string"},
             "date_format": {"date", "timestamp"}}


@cache
def schema() -> dict:
    """The published JSON schema of a plan (``workbench/transform/plan.schema.json``).

    Examples
    --------
    >>> schema()["properties"]["dsl_version"]["const"]
    '1.0.0'
    """
    text = resources.files("workbench.transform").joinpath("plan.schema.json").read_text("utf-8")
    return json.loads(text)


def _reject(message: str, **detail: Any) -> DslReject:
    return DslReject(message, detail={k: v for k, v in detail.items() if v is not None})


def _args_error(err: jsonschema.ValidationError) -> tuple[str | None, str]:
    if err.validator == "additionalProperties" and not err.path:
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        return (extra[0] if extra else None), f"unexpected argument(s) {extra}"
    if err.validator == "required" and not err.path:
        missing = [r for r in err.validator_value if r not in err.instance]
        return (missing[0] if missing else None), f"missing argument(s) {missing}"
    arg = str(err.path[0]) if err.path else None
    return arg, err.message


def _check_args(i: int, op: str, args: Any) -> dict:
    defs = schema()["$defs"]
    validator = jsonschema.Draft202012Validator({"$ref": f"#/$defs/{op}_args", "$defs": defs})
    errors = sorted(validator.iter_errors(args), key=lambda e: (len(e.path), str(e.path)))
    if errors:
        arg, why = _args_error(errors[0])
        where = f"step {i} ({op})" + (f", argument {arg!r}" if arg else "")
        raise _reject(f"{where}: {why}", step=i, op=op, argument=arg)
    out = copy.deepcopy(args)
    for name, prop in defs[f"{op}_args"]["properties"].items():
        if name not in out and "default" in prop:
            out[name] = copy.deepcopy(prop["default"])
    return out


def _scalar_type(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "float"
    return "string"


def _step_type(i: int, step: dict, cur: str, inputs: dict[str, str]) -> str:
    op, a = step["op"], step["args"]

    def bad(arg: str | None, why: str) -> DslReject:
        where = f"step {i} ({op})" + (f", argument {arg!r}" if arg else "")
        return _reject(f"{where}: {why}", step=i, op=op, argument=arg)

    def ref_type(arg: str, operand: dict) -> str:
        name = operand["ref"]
        if name == CURRENT:
            return cur
        if name not in inputs:
            raise bad(arg, f"ref {name!r} is not one of the plan inputs {sorted(inputs)}")
        return inputs[name]

    if op in _IN_TYPES and cur not in _IN_TYPES[op]:
        raise bad(None, f"needs a {' or '.join(sorted(_IN_TYPES[op]))} value, got {cur}")
    if op in ("regex_extract", "regex_split"):
        why = _regex.check_pattern(a["pattern"])
        if why:
            raise bad("pattern", why)
        if op == "regex_extract" and a["group"] > _regex.group_count(a["pattern"]):
            raise bad("group", f"pattern has {_regex.group_count(a['pattern'])} group(s)")
        if op == "regex_split" and _regex.matches_empty(a["pattern"]):
            raise bad("pattern", "a split pattern must not match the empty string")
        return "string"
    if op == "concat":
        for operand in a["parts"]:
            if "ref" in operand and ref_type("parts", operand) != "string":
                raise bad("parts", f"ref {operand['ref']!r} is not a string (type_cast it first)")
        return "string"
    if op == "map_dict":
        kinds = {_scalar_type(v) for v in [*a["mapping"].values(), a["default"]]} - {None}
        if kinds <= {"integer", "float"} and kinds:
            kind = "float" if "float" in kinds else "integer"
        elif len(kinds) == 1:
            kind = kinds.pop()
        elif not kinds:
            kind = "string"
        else:
            raise bad("mapping", f"values and default must share one type, got {sorted(kinds)}")
        for v in [*a["mapping"].values(), a["default"]]:
            if isinstance(v, float) and not math.isfinite(v):
                raise bad("mapping", "values must be finite numbers")
            if isinstance(v, int) and not isinstance(v, bool) and not -2**63 <= v < 2**63:
                raise bad("mapping", "integer values must fit in 64 bits")
        if a["keep_unmatched"] and (kind != "string" or a["default"] is not None):
            raise bad("keep_unmatched", "needs string values and no default")
        return kind
    if op == "unit_convert":
        for arg in ("from", "to"):
            if a[arg] not in UNITS:
                raise bad(arg, f"unknown unit {a[arg]!r}; known: {sorted(UNITS)}")
        if UNITS[a["from"]][0] != UNITS[a["to"]][0]:
            raise bad("to", f"{a['from']} ({UNITS[a['from']][0]}) cannot become "
                            f"{a['to']} ({UNITS[a['to']][0]})")
        return "float"
    if op in ("date_parse", "date_format"):
        found, why = _dates.parse_format(a["format"])
        if why:
            raise bad("format", why)
        if op == "date_format" and cur == "date" and set(found) & _dates.TIME_DIRECTIVES:
            raise bad("format", "a date has no time of day (%H %M %S)")
        return a.get("to", "string") if op == "date_parse" else "string"
    if op == "type_cast":
        if cur != a["to"] and (cur, a["to"]) not in CASTS:
            raise bad("to", f"cannot cast {cur} to {a['to']} in DSL v1")
        return a["to"]
    if op == "safe_math":
        for arg in ("left", "right"):
            operand = a[arg]
            if "ref" in operand and ref_type(arg, operand) not in ("integer", "float"):
                raise bad(arg, f"ref {operand['ref']!r} is not numeric")
            if "lit" in operand and not math.isfinite(operand["lit"]):
                raise bad(arg, "literal must be finite")
        return "float"
    return "string"  # trim, case, collapse_whitespace


def _typed(plan: dict) -> tuple[dict, list[str]]:
    if not isinstance(plan, dict):
        raise _reject(f"a plan must be a JSON object, got {type(plan).__name__}")
    plan = copy.deepcopy(plan)
    extra = sorted(set(plan) - {"dsl_version", "inputs", "steps", "output"})
    if extra:
        raise _reject(f"plan: unexpected key(s) {extra}", argument=extra[0])
    if plan.get("dsl_version", DSL_VERSION) != DSL_VERSION:
        raise _reject(f"plan: dsl_version {plan.get('dsl_version')!r} is not {DSL_VERSION!r}",
                      argument="dsl_version")
    steps = plan.get("steps")
    if not isinstance(steps, list):
        raise _reject("plan: 'steps' must be a list", argument="steps")
    norm_steps = []
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or "op" not in step:
            raise _reject(f"step {i}: must be an object with an 'op'", step=i)
        op = step["op"]
        if op not in OPS:
            raise _reject(f"step {i}: op {op!r} is not in the DSL v{DSL_VERSION} whitelist "
                          f"{list(OPS)}", step=i, op=str(op))
        extra = sorted(set(step) - {"op", "args"})
        if extra:
            raise _reject(f"step {i} ({op}): unexpected key(s) {extra}", step=i, op=op,
                          argument=extra[0])
        norm_steps.append({"op": op, "args": _check_args(i, op, step.get("args", {}))})
    plan["steps"] = norm_steps
    if isinstance(plan.get("inputs"), list):
        plan["inputs"] = [{"name": x, "type": "string"} if isinstance(x, str) else
                          ({"type": "string", **x} if isinstance(x, dict) else x)
                          for x in plan["inputs"]]
    plan["dsl_version"] = DSL_VERSION
    errors = sorted(jsonschema.Draft202012Validator(schema()).iter_errors(plan),
                    key=lambda e: len(e.path))
    if errors:
        where = ".".join(str(p) for p in errors[0].path) or "plan"
        raise _reject(f"{where}: {errors[0].message}", argument=where)
    inputs = {x["name"]: x["type"] for x in plan["inputs"]}
    if len(inputs) != len(plan["inputs"]):
        raise _reject("inputs: names must be unique", argument="inputs")
    types = [plan["inputs"][0]["type"]]
    for i, step in enumerate(plan["steps"]):
        types.append(_step_type(i, step, types[-1], inputs))
    return plan, types


def validate(plan: dict) -> dict:
    """Validate a plan and return its normalized form (defaults filled, inputs as objects).

    Raises :class:`workbench.errors.DslReject` (taxonomy code ``DSL_REJECT``) naming the step,
    op and argument at fault.

    Examples
    --------
    >>> p = validate({"inputs": ["name"], "steps": [{"op": "trim"}], "output": "name"})
    >>> p["inputs"], p["steps"][0]["args"]["side"]
    ([{'name': 'name', 'type': 'string'}], 'both')
    >>> validate({"inputs": ["x"], "steps": [{"op": "eval"}], "output": "y"})
    Traceback (most recent call last):
    ...
    workbench.errors.DslReject: step 0: op 'eval' is not in the DSL v1.0.0 whitelist ...
    """
    return _typed(plan)[0]


def output_type(plan: dict) -> str:
    """The DSL type of a plan's result (``string``, ``integer``, ``float``, ``boolean``, ...).

    Examples
    --------
    >>> output_type({"inputs": [{"name": "c", "type": "integer"}],
    ...              "steps": [{"op": "unit_convert", "args": {"from": "minor", "to": "major"}}],
    ...              "output": "usd"})
    'float'
    """
    return _typed(plan)[1][-1]


def step_types(plan: dict) -> tuple[dict, list[str]]:
    """The normalized plan and the type of the value before and after every step."""
    return _typed(plan)


def plan_hash(plan: dict) -> str:
    """SHA-256 (hex) of the normalized plan as canonical JSON: key order never matters.

    Examples
    --------
    >>> a = {"inputs": ["n"], "steps": [{"op": "case", "args": {"to": "upper"}}], "output": "n"}
    >>> b = {"output": "n", "steps": [{"args": {"to": "upper"}, "op": "case"}], "inputs": ["n"]}
    >>> plan_hash(a) == plan_hash(b), len(plan_hash(a))
    (True, 64)
    """
    canon = json.dumps(validate(plan), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                       allow_nan=False)
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()
