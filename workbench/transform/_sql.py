"""Compile a validated plan to one SQL expression with SQLGlot (duckdb, postgres, sqlite)."""
from __future__ import annotations

from sqlglot import exp

from workbench.errors import DslReject
from workbench.transform import _common as c
from workbench.transform import _dates
from workbench.transform._plan import CURRENT, step_types

DIALECTS = ("duckdb", "postgres", "sqlite")
# ops (or op variants) SQLite cannot express without extensions (no regex, no strptime/dates)
SQLITE_UNSUPPORTED = ("collapse_whitespace", "regex_extract", "regex_split", "date_parse",
                      "date_format")
_SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "float": "DOUBLE", "boolean": "BOOLEAN",
              "date": "DATE", "timestamp": "TIMESTAMP"}
_PG_FMT = {"Y": "YYYY", "m": "MM", "d": "DD", "H": "HH24", "M": "MI", "S": "SS", "%": "%"}


def _s(v: str) -> exp.Expression:
    return exp.Literal.string(v)


def _n(v: int) -> exp.Expression:
    return exp.Literal.number(v)


def _dbl(v: float) -> exp.Expression:
    return exp.cast(_s(repr(float(v))), "DOUBLE")


def _fn(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))


def _case(cond: exp.Expression, then: exp.Expression,
          otherwise: exp.Expression | None = None) -> exp.Expression:
    case = exp.Case().when(cond, then)
    return case.else_(otherwise) if otherwise is not None else case


def _copy(e: exp.Expression) -> exp.Expression:
    return e.copy()


class _Compiler:
    def __init__(self, dialect: str):
        self.d = dialect

    def unsupported(self, what: str) -> DslReject:
        return DslReject(f"{what} cannot be expressed in {self.d} SQL (see docs/transform.md)",
                         detail={"dialect": self.d, "op": what})

    # building blocks -------------------------------------------------------------------
    def finite(self, v: exp.Expression) -> exp.Expression:
        ok = exp.and_(exp.GTE(this=_copy(v), expression=_dbl(-c.DBL_MAX)),
                      exp.LTE(this=_copy(v), expression=_dbl(c.DBL_MAX)))
        return _case(ok, _copy(v))

    def empty_null(self, v: exp.Expression) -> exp.Expression:
        return exp.Nullif(this=v, expression=_s(""))

    def matches(self, v: exp.Expression, pattern: str) -> exp.Expression:
        if self.d == "sqlite":
            raise self.unsupported("regular expressions")
        return exp.RegexpLike(this=_copy(v), expression=_s(pattern))

    def replace_all(self, v: exp.Expression, pattern: str, repl: str) -> exp.Expression:
        if self.d == "sqlite":
            raise self.unsupported("regular expressions")
        return _fn("REGEXP_REPLACE", _copy(v), _s(pattern), _s(repl), _s("g"))

    def year_ok(self, v: exp.Expression) -> exp.Expression:
        return exp.Between(this=exp.Year(this=_copy(v)), low=_n(1000), high=_n(9999))

    def parse(self, v: exp.Expression, fmt: str, to: str) -> exp.Expression:
        if self.d == "sqlite":
            raise self.unsupported("date_parse")
        if self.d == "duckdb":
            parsed = _fn("TRY_STRPTIME", _copy(v), _s(fmt))
        else:
            pg = "".join(_PG_FMT[fmt[i + 1]] if ch == "%" and (i == 0 or fmt[i - 1] != "%")
                         else "" if ch == "%" else f'"{ch}"' for i, ch in enumerate(fmt))
            parsed = exp.AtTimeZone(this=_fn("TO_TIMESTAMP", _copy(v), _s(pg)), zone=_s("UTC"))
        return _case(self.matches(v, _dates.guard_regex(fmt)),
                     exp.cast(parsed, _SQL_TYPES[to]))

    def format(self, v: exp.Expression, fmt: str) -> exp.Expression:
        if self.d == "sqlite":
            raise self.unsupported("date_format")
        if self.d == "duckdb":
            out = _fn("STRFTIME", _copy(v), _s(fmt))
        else:
            pg = "".join(_PG_FMT[fmt[i + 1]] if ch == "%" and (i == 0 or fmt[i - 1] != "%")
                         else "" if ch == "%" else f'"{ch}"' for i, ch in enumerate(fmt))
            out = _fn("TO_CHAR", _copy(v), _s(pg))
        return _case(self.year_ok(v), out)

    def operand(self, o: dict, cur: exp.Expression, as_float: bool = False) -> exp.Expression:
        if "lit" in o:
            return _dbl(o["lit"]) if as_float else _s(o["lit"])
        e = _copy(cur) if o["ref"] == CURRENT else exp.column(o["ref"], quoted=True)
        return exp.cast(e, "DOUBLE") if as_float else e

    def lit(self, v) -> exp.Expression:
        if v is None:
            return exp.Null()
        if isinstance(v, bool):
            return exp.true() if v else exp.false()
        if isinstance(v, int):
            return exp.cast(_n(v), "BIGINT")
        if isinstance(v, float):
            return _dbl(v)
        return _s(v)

    # type_cast ---------------------------------------------------------------------------
    def cast(self, e: exp.Expression, src: str, dst: str) -> exp.Expression:
        d = self.d
        if src == dst:
            return e
        if (src, dst) == ("string", "integer"):
            if d == "sqlite":
                raise self.unsupported("type_cast string -> integer")
            if d == "duckdb":
                conv = exp.TryCast(this=_copy(e), to=exp.DataType.build("BIGINT"))
            else:
                num = exp.cast(_copy(e), "DECIMAL")
                conv = _case(exp.Between(this=num, low=_n(-2**63), high=_n(2**63 - 1)),
                             exp.cast(_copy(e), "BIGINT"))
            return _case(self.matches(e, c.INT_RE), conv)
        if (src, dst) == ("string", "float"):
            if d == "sqlite":
                raise self.unsupported("type_cast string -> float")
            conv = (exp.TryCast(this=_copy(e), to=exp.DataType.build("DOUBLE")) if d == "duckdb"
                    else exp.cast(_copy(e), "DOUBLE"))
            return self.finite(_case(self.matches(e, c.FLOAT_RE), conv))
        if (src, dst) == ("string", "boolean"):
            case = exp.Case()
            for word, val in c.BOOL_WORDS.items():
                case = case.when(exp.EQ(this=_copy(e), expression=_s(word)), self.lit(val))
            return case
        if (src, dst) == ("string", "date"):
            return self.parse(e, c.ISO_DATE, "date")
        if dst == "string" and src in ("date", "timestamp"):
            return self.format(e, c.ISO_DATE if src == "date" else c.ISO_TIMESTAMP)
        if (src, dst) == ("timestamp", "date"):
            if d == "sqlite":
                raise self.unsupported("type_cast timestamp -> date")
            return exp.cast(e, "DATE")
        if (src, dst) == ("integer", "boolean"):
            return exp.NEQ(this=e, expression=_n(0))
        if src == "boolean":
            t, f = (_s("true"), _s("false")) if dst == "string" else (_n(1), _n(0))
            return exp.Case().when(_copy(e), t).when(exp.Not(this=_copy(e)), f)
        if (src, dst) == ("float", "integer"):
            ok = exp.and_(exp.GTE(this=_copy(e), expression=_dbl(c.I64_MIN)),
                          exp.LT(this=_copy(e), expression=_dbl(c.I64_LIM)))
            inner = _copy(e) if d == "sqlite" else _fn("TRUNC", _copy(e))
            return _case(ok, exp.cast(inner, "BIGINT"))
        return exp.cast(e, _SQL_TYPES[dst])

    # ops ---------------------------------------------------------------------------------
    def step(self, op: str, a: dict, e: exp.Expression, src: str) -> exp.Expression:
        d = self.d
        if d == "sqlite" and op in SQLITE_UNSUPPORTED:
            raise self.unsupported(op)
        if op == "trim":
            name = {"both": "BTRIM" if d == "postgres" else "TRIM", "left": "LTRIM",
                    "right": "RTRIM"}[a["side"]]
            return _fn(name, e, _s(a["chars"]))
        if op == "case":
            if d == "sqlite":  # SQLite's upper()/lower() map ASCII letters only
                return _fn("UPPER" if a["to"] == "upper" else "LOWER", e)
            src_l, dst_l = (c.LOWER, c.UPPER) if a["to"] == "upper" else (c.UPPER, c.LOWER)
            return _fn("TRANSLATE", e, _s(src_l), _s(dst_l))
        if op == "collapse_whitespace":
            return _fn("BTRIM" if d == "postgres" else "TRIM",
                       self.replace_all(e, c.WS_RUN, " "), _s(" "))
        if op == "regex_extract":
            if d == "duckdb":
                got = _fn("REGEXP_EXTRACT", e, _s(a["pattern"]), _n(a["group"]))
            else:
                got = _fn("REGEXP_SUBSTR", e, _s(a["pattern"]), _n(1), _n(1), _s(""),
                          _n(a["group"]))
            return self.empty_null(got)
        if op == "regex_split":
            idx = a["index"] + 1 if a["index"] >= 0 else a["index"]
            marked = self.replace_all(e, a["pattern"], c.SPLIT_SENTINEL)
            if d == "duckdb":
                piece = _fn("LIST_EXTRACT", _fn("STRING_SPLIT", marked, _s(c.SPLIT_SENTINEL)),
                            _n(idx))
            else:
                piece = _fn("SPLIT_PART", marked, _s(c.SPLIT_SENTINEL), _n(idx))
            has = exp.GT(this=exp.StrPosition(this=_copy(e), substr=_s(c.SPLIT_SENTINEL)),
                         expression=_n(0))
            return _case(exp.Not(this=exp.Paren(this=has)), self.empty_null(piece))
        if op == "concat":
            parts = [self.operand(o, e) for o in a["parts"]]
            sep = a["separator"]
            if a["nulls"] == "propagate":
                out = parts[0]
                for p in parts[1:]:
                    out = exp.DPipe(this=exp.DPipe(this=out, expression=_s(sep)), expression=p) \
                        if sep else exp.DPipe(this=out, expression=p)
                return out
            if d == "sqlite":
                out = None
                for p in parts:
                    piece = exp.Coalesce(this=exp.DPipe(this=_s(sep), expression=p),
                                         expressions=[_s("")])
                    out = piece if out is None else exp.DPipe(this=out, expression=piece)
                joined = exp.Substring(this=out, start=_n(len(sep) + 1))
            else:
                joined = _fn("CONCAT_WS", _s(sep), *parts)
            refs = [p for p, o in zip(parts, a["parts"], strict=True) if "ref" in o]
            if not refs:
                return joined
            all_null = exp.and_(*[exp.Is(this=_copy(r), expression=exp.Null()) for r in refs])
            return _case(all_null, exp.Null(), joined)
        if op == "map_dict":
            case = exp.Case().when(exp.Is(this=_copy(e), expression=exp.Null()), exp.Null())
            for k, v in a["mapping"].items():
                case = case.when(exp.EQ(this=_copy(e), expression=_s(k)), self.lit(v))
            return case.else_(_copy(e) if a["keep_unmatched"] else self.lit(a["default"]))
        if op == "unit_convert":
            ka, kb = c.affine(a["from"], a["to"])
            v = exp.cast(e, "DOUBLE")
            v = exp.Mul(this=v, expression=_dbl(ka)) if ka != 1.0 else v
            v = exp.Add(this=v, expression=_dbl(kb)) if kb != 0.0 else v
            return self.finite(v)
        if op == "date_parse":
            return self.parse(e, a["format"], a["to"])
        if op == "date_format":
            return self.format(e, a["format"])
        if op == "type_cast":
            return self.cast(e, src, a["to"])
        if op == "safe_math":
            left, right = self.operand(a["left"], e, True), self.operand(a["right"], e, True)
            if a["operator"] == "div":
                zero = exp.EQ(this=_copy(right), expression=_dbl(0.0))
                out = _case(zero, exp.Null(), exp.Div(this=left, expression=right,
                                                      typed=False, safe=False))
            else:
                cls = {"add": exp.Add, "sub": exp.Sub, "mul": exp.Mul}[a["operator"]]
                out = cls(this=left, expression=right)
            return self.finite(exp.Paren(this=out))
        raise AssertionError(op)  # pragma: no cover


def to_sql_expression(plan: dict, dialect: str = "duckdb") -> exp.Expression:
    """The plan as a SQLGlot expression (aliased to the plan's ``output``) for *dialect*."""
    if dialect not in DIALECTS:
        raise DslReject(f"dialect {dialect!r} is not one of {DIALECTS}",
                        detail={"dialect": dialect})
    norm, types = step_types(plan)
    comp = _Compiler(dialect)
    e: exp.Expression = exp.column(norm["inputs"][0]["name"], quoted=True)
    for step, src in zip(norm["steps"], types, strict=False):
        e = comp.step(step["op"], step["args"], e, src)
    if not norm["steps"] or types[-1] in ("float", "integer"):
        e = exp.cast(e, _SQL_TYPES[types[-1]])
    return exp.alias_(e, norm["output"], quoted=True)


def to_sql(plan: dict, dialect: str = "duckdb") -> str:
    """Compile a plan to one SQL select-list expression, ``<expr> AS "<output>"``.

    Raises ``DslReject`` when an op cannot be expressed in *dialect* (SQLite has no regular
    expressions or date parsing: see ``SQLITE_UNSUPPORTED``).

    Examples
    --------
    >>> plan = {"inputs": ["name"], "steps": [{"op": "trim"}], "output": "name_clean"}
    >>> to_sql(plan, "sqlite")
    'TRIM("name", \\' \\t\\n\\r\\x0c\\x0b\\') AS "name_clean"'
    >>> to_sql(plan, "postgres")[:12]
    'BTRIM("name"'
    """
    return to_sql_expression(plan, dialect).sql(dialect=dialect)
