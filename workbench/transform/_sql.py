"""Compile a validated plan to one SQL expression with SQLGlot (duckdb, postgres, sqlite).

PostgreSQL raises where DuckDB and Polars return a value (float overflow and underflow, text out
of float range, impossible dates), its regex engine picks the longest match (POSIX) where RE2
and Rust pick the first, and ``.`` matches a newline there. The ``_pg_*`` helpers below emit SQL
that never raises and gives the same values; patterns whose matches could differ are refused.
"""
from __future__ import annotations

from decimal import Decimal, localcontext
from re import _constants as _rc
from re import _parser as _rp

from sqlglot import exp

from workbench.errors import DslReject
from workbench.transform import _common as c
from workbench.transform import _dates
from workbench.transform._plan import CURRENT, step_types

DIALECTS = ("duckdb", "postgres", "sqlite")
# ops (or op variants) SQLite cannot express without extensions (no regex, no strptime/dates)
SQLITE_UNSUPPORTED = ("collapse_whitespace", "regex_extract", "regex_split", "date_parse",
                      "date_format")
# regex features PostgreSQL cannot read like RE2/Rust: to_sql(..., "postgres") refuses them
POSTGRES_UNSUPPORTED = ("lazy quantifiers", "overlapping alternatives", "repetition above 255")
_SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "float": "DOUBLE", "boolean": "BOOLEAN",
              "date": "DATE", "timestamp": "TIMESTAMP"}
_PG_FMT = {"Y": "YYYY", "m": "MM", "d": "DD", "H": "HH24", "M": "MI", "S": "SS"}
_WIDTH = {"Y": 4, "m": 2, "d": 2, "H": 2, "M": 2, "S": 2}
_MAX = c.DBL_MAX
_TINY = 2.0 ** -537           # x, y >= _TINY  =>  x*y cannot round to zero
with localcontext() as _ctx:
    _ctx.prec = 800
    _ROUNDS_TO_ZERO = str(Decimal(2) ** -1075)  # |x| <= this rounds to 0.0 (ties to even)
_ROUNDS_TO_INF = str(2 ** 1024 - 2 ** 970)       # |x| >= this rounds to infinity


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


def _cases(*whens: tuple[exp.Expression, exp.Expression],
           otherwise: exp.Expression | None = None) -> exp.Expression:
    case = exp.Case()
    for cond, then in whens:
        case = case.when(cond, then)
    return case.else_(otherwise) if otherwise is not None else case


def _copy(e: exp.Expression) -> exp.Expression:
    return e.copy()


def _abs(e: exp.Expression) -> exp.Expression:
    return exp.Abs(this=_copy(e))


def _le(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return exp.LTE(this=_copy(a), expression=_copy(b))


def _mul(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return exp.Mul(this=_copy(a), expression=_copy(b))


def _div(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return exp.Div(this=_copy(a), expression=_copy(b), typed=False, safe=False)


def _add(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return exp.Add(this=_copy(a), expression=_copy(b))


def _date_fields(fmt: str) -> dict[str, int]:
    """1-based position of each directive in text matching the format's guard regex."""
    pos, out, i = 1, {}, 0
    while i < len(fmt):
        if fmt[i] == "%":
            d = fmt[i + 1]
            if d != "%":
                out[d] = pos
            pos += _WIDTH.get(d, 1)
            i += 2
        else:
            pos += 1
            i += 1
    return out


def _pg_template(fmt: str) -> str:
    """A TO_CHAR template for a DSL date format: directives mapped, all else double-quoted."""
    out, lit, i = [], [], 0

    def flush() -> None:
        if lit:
            out.append('"' + "".join("\\" + ch if ch in '"\\' else ch for ch in lit) + '"')
            lit.clear()

    while i < len(fmt):
        if fmt[i] == "%" and fmt[i + 1] != "%":
            flush()
            out.append(_PG_FMT[fmt[i + 1]])
            i += 2
        else:
            lit.append(fmt[i])
            i += 2 if fmt[i] == "%" else 1
    flush()
    return "".join(out)


# PostgreSQL regular expressions ------------------------------------------------------------
_UNICODE = (0, 0x10FFFF)


def _norm(ivs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ivs):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out


def _complement(ivs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, nxt = [], _UNICODE[0]
    for lo, hi in _norm(ivs):
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    return out + ([(nxt, _UNICODE[1])] if nxt <= _UNICODE[1] else [])


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(lo1 <= hi2 and lo2 <= hi1 for lo1, hi1 in a for lo2, hi2 in b)


def _atom_set(op, av) -> list[tuple[int, int]]:
    if op is _rc.LITERAL:
        return [(av, av)]
    if op is _rc.NOT_LITERAL:
        return _complement([(av, av)])
    if op is _rc.ANY:
        return _complement([(10, 10)])
    ivs, negate = [], False
    for o, a in av:  # IN
        if o is _rc.NEGATE:
            negate = True
        elif o is _rc.LITERAL:
            ivs.append((a, a))
        elif o is _rc.RANGE:
            ivs.append(a)
        else:
            return [_UNICODE]
    return _complement(ivs) if negate else _norm(ivs)


def _first(items) -> tuple[list[tuple[int, int]], bool]:
    """(characters a match of the sequence can start with, whether it can match empty)."""
    acc: list[tuple[int, int]] = []
    for op, av in items:
        if op in (_rc.LITERAL, _rc.NOT_LITERAL, _rc.ANY, _rc.IN):
            return acc + _atom_set(op, av), False
        if op is _rc.SUBPATTERN:
            got, empty = _first(av[-1])
        elif op in (_rc.MAX_REPEAT, _rc.MIN_REPEAT):
            got, empty = _first(av[2])
            empty = empty or av[0] == 0
        elif op is _rc.BRANCH:
            parts = [_first(alt) for alt in av[1]]
            got, empty = [iv for p in parts for iv in p[0]], any(p[1] for p in parts)
        else:  # AT (anchors) and anything zero-width
            got, empty = [], True
        acc += got
        if not empty:
            return acc, False
    return acc, True


_ATOMS = (_rc.LITERAL, _rc.NOT_LITERAL, _rc.ANY, _rc.IN)


def _exclusive(x, y) -> bool:
    """True when no text matched by alternative x is a prefix of one matched by y, or the
    other way round (so at most one alternative can match at any position). Conservative:
    compares the leading single-character atoms, then the first characters of the rest."""
    def lead(items):
        items = list(items)
        n = next((i for i, (op, _) in enumerate(items) if op not in _ATOMS), len(items))
        return [_atom_set(op, av) for op, av in items[:n]], items[n:]
    (lx, rx), (ly, ry) = lead(x), lead(y)
    for sx, sy in zip(lx, ly, strict=False):
        if not _overlap(sx, sy):
            return True
    k = min(len(lx), len(ly))
    fx, ex = (lx[k], False) if len(lx) > k else _first(rx)
    fy, ey = (ly[k], False) if len(ly) > k else _first(ry)
    return not (ex or ey or _overlap(fx, fy))


def _pg_regex_issue(items) -> str | None:
    """Why PostgreSQL's POSIX (leftmost-longest) engine could match the pattern differently."""
    for op, av in items:
        if op is _rc.MIN_REPEAT:
            return ("lazy quantifiers (*? +? ?? {m,n}?) are not supported in PostgreSQL "
                    "(a lazy quantifier makes its whole pattern prefer the shortest match)")
        if op is _rc.MAX_REPEAT:
            if av[0] > 255 or (av[1] != _rc.MAXREPEAT and av[1] > 255):
                return "repetition counts above 255 are not supported in PostgreSQL"
            inner = [av[2]]
        elif op is _rc.SUBPATTERN:
            inner = [av[-1]]
        elif op is _rc.BRANCH:
            alts = av[1]
            if not all(_exclusive(a, b) for i, a in enumerate(alts) for b in alts[i + 1:]):
                return ("overlapping alternatives are not supported in PostgreSQL: no "
                        "alternative of | may match a prefix of what another one matches "
                        "(PostgreSQL takes the longest alternative, RE2 and Rust the first): "
                        "write 'Mr|Mrs' as 'Mrs?'")
            inner = alts
        else:
            continue
        for sub in inner:
            why = _pg_regex_issue(sub)
            if why:
                return why
    return None


def _pg_pattern(pattern: str) -> str:
    """The pattern with ``.`` outside classes written ``[^\\n]`` (PostgreSQL's ``.`` matches
    a newline, RE2's and Rust's do not)."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
                continue
        elif ch == ".":
            ch = "[^\n]"
        out.append(ch)
        i += 1
    return "".join(out)


class _Compiler:
    def __init__(self, dialect: str):
        self.d = dialect
        self.names = 0

    def unsupported(self, what: str) -> DslReject:
        return DslReject(f"{what} cannot be expressed in {self.d} SQL (see docs/transform.md)",
                         detail={"dialect": self.d, "op": what})

    # building blocks -------------------------------------------------------------------
    def let(self, values: list[exp.Expression], body) -> exp.Expression:
        """``body(*refs)`` with each value computed once. PostgreSQL: values that are not
        plain columns or literals go through a scalar subquery, ``(SELECT body FROM (SELECT
        value AS "$wbN" OFFSET 0) AS "$wbtN")``, so guarded expressions do not repeat their
        input (input names cannot start with ``$``). Other dialects: the values themselves."""
        if self.d != "postgres":
            return body(*values)
        refs, cols = [], []
        for v in values:
            inner = v.this if isinstance(v, exp.Cast) else v
            if isinstance(inner, exp.Column | exp.Literal | exp.Null):
                refs.append(v)
                continue
            self.names += 1
            name = f"$wb{self.names}"
            cols.append(exp.alias_(v, name, quoted=True))
            refs.append(exp.column(name, quoted=True))
        out = body(*refs)
        if not cols:
            return out
        table = exp.TableAlias(this=exp.to_identifier(f"$wbt{self.names}", quoted=True))
        # OFFSET 0 keeps the planner from inlining the values back into the body
        return exp.Subquery(this=exp.select(out).from_(exp.Subquery(
            this=exp.select(*cols).offset(0), alias=table)))

    def finite(self, v: exp.Expression) -> exp.Expression:
        def body(v):
            ok = exp.and_(exp.GTE(this=_copy(v), expression=_dbl(-c.DBL_MAX)),
                          exp.LTE(this=_copy(v), expression=_dbl(c.DBL_MAX)))
            return _case(ok, _copy(v))
        return self.let([v], body)

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

    def user_pattern(self, op: str, pattern: str) -> str:
        """A DSL pattern as this dialect must spell it (PostgreSQL: refused if ambiguous)."""
        if self.d != "postgres":
            return pattern
        why = _pg_regex_issue(_rp.parse(pattern))
        if why:
            raise DslReject(f"{op}: pattern {pattern!r}: {why} (see docs/transform.md)",
                            detail={"dialect": self.d, "op": op, "argument": "pattern"})
        return _pg_pattern(pattern)

    def year_ok(self, v: exp.Expression) -> exp.Expression:
        year = (exp.Extract(this=exp.var("YEAR"), expression=_copy(v)) if self.d == "postgres"
                else exp.Year(this=_copy(v)))
        return exp.Between(this=year, low=_n(1000), high=_n(9999))

    def parse(self, v: exp.Expression, fmt: str, to: str) -> exp.Expression:
        if self.d == "sqlite":
            raise self.unsupported("date_parse")
        if self.d == "postgres":
            return self.let([v], lambda v: self.pg_parse(v, fmt, to))
        parsed = _fn("TRY_STRPTIME", _copy(v), _s(fmt))
        return _case(self.matches(v, _dates.guard_regex(fmt)),
                     exp.cast(parsed, _SQL_TYPES[to]))

    def pg_parse(self, v: exp.Expression, fmt: str, to: str) -> exp.Expression:
        """Fixed-width fields cut out by position once the guard regex matched, the date built
        from the 1st of the month plus (day - 1) days: an impossible day moves into the next
        month and is refused, nothing raises. Absent fields default like Polars (year 1)."""
        pos = _date_fields(fmt)

        def field(d: str, default: int) -> exp.Expression:
            if d not in pos:
                return _n(default)
            return exp.cast(exp.Substring(this=_copy(v), start=_n(pos[d]), length=_n(_WIDTH[d])),
                            "INT")
        day = field("d", 1)
        date = exp.Add(this=_fn("MAKE_DATE", field("Y", 1), field("m", 1), _n(1)),
                       expression=exp.Paren(this=exp.Sub(this=day, expression=_n(1))))
        value = date
        if to == "timestamp":
            value = exp.Add(this=date.copy(), expression=_fn(
                "MAKE_TIME", field("H", 0), field("M", 0), field("S", 0)))
        if "d" in pos:
            same_day = exp.EQ(this=exp.Extract(this=exp.var("DAY"), expression=date.copy()),
                              expression=_copy(day))
            value = _case(same_day, value)
        return _case(self.matches(v, _dates.guard_regex(fmt)), exp.cast(value, _SQL_TYPES[to]))

    def format(self, v: exp.Expression, fmt: str) -> exp.Expression:
        if self.d == "sqlite":
            raise self.unsupported("date_format")
        if self.d == "duckdb":
            out = _fn("STRFTIME", _copy(v), _s(fmt))
        else:
            out = _fn("TO_CHAR", _copy(v), _s(_pg_template(fmt)))
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

    # PostgreSQL float arithmetic that never raises -------------------------------------
    # PostgreSQL raises when a product, quotient or sum of finite doubles overflows or when a
    # product or quotient of non-zero doubles underflows to zero. These give the IEEE result
    # instead (null for overflow, a signed zero for underflow): exact power-of-two scaling
    # decides the cases near the limits. Non-finite inputs never raise and go straight on.
    @staticmethod
    def _finite_inputs(a: exp.Expression, b: exp.Expression) -> exp.Expression:
        return exp.and_(_le(_abs(a), _dbl(_MAX)), _le(_abs(b), _dbl(_MAX)))

    @staticmethod
    def _signed_zero(a: exp.Expression, b: exp.Expression) -> exp.Expression:
        same = exp.EQ(this=exp.Paren(this=exp.LT(this=_copy(a), expression=_n(0))),
                      expression=exp.Paren(this=exp.LT(this=_copy(b), expression=_n(0))))
        return _case(same, _dbl(0.0), _dbl(-0.0))

    def _scaled(self, e: exp.Expression, factor: float) -> exp.Expression:
        """``e`` (an exact ``fl(x)/factor``) times ``factor`` if that stays finite, else null."""
        return _case(_le(_abs(e), _dbl(_MAX / factor)), _mul(e, _dbl(factor)))

    def pg_add(self, a: exp.Expression, b: exp.Expression) -> exp.Expression:
        half = exp.Add(this=_mul(a, _dbl(0.5)), expression=_mul(b, _dbl(0.5)))
        return _cases(
            (exp.Not(this=exp.Paren(this=self._finite_inputs(a, b))), _add(a, b)),
            (exp.and_(_le(_abs(a), _dbl(_MAX / 2)), _le(_abs(b), _dbl(_MAX / 2))), _add(a, b)),
            (exp.or_(exp.LT(this=_abs(a), expression=_dbl(1.0)),
                     exp.LT(this=_abs(b), expression=_dbl(1.0))), _add(a, b)),
            otherwise=self._scaled(exp.Paren(this=half), 2.0))

    def pg_mul(self, a: exp.Expression, b: exp.Expression) -> exp.Expression:
        big = exp.Greatest(this=_abs(a), expressions=[_abs(b)])
        small = exp.Least(this=_abs(a), expressions=[_abs(b)])

        def to_zero(x, y):  # x = big, y = small * 2**1074: a*b rounds to zero iff x*y <= 1/2
            p, half = _mul(x, y), _dbl(0.5)
            return _cases((exp.LT(this=p, expression=half), self._signed_zero(a, b)),
                          (exp.GT(this=p.copy(), expression=half.copy()), _mul(a, b)),
                          otherwise=_case(self._above_half(x, y), _mul(a, b),
                                          self._signed_zero(a, b)))
        up = _mul(_mul(small, _dbl(2.0 ** 537)), _dbl(2.0 ** 537))
        under = _case(exp.GTE(this=small.copy(), expression=_dbl(_TINY)), _mul(a, b),
                      self.let([big.copy(), up], to_zero))
        # both above 1: q = MAX / big tells the clear cases, a/8 * b decides the rest exactly
        q = _div(_dbl(_MAX), big)
        over = _cases((_le(small, _mul(q, _dbl(0.5))), _mul(a, b)),
                      (exp.GT(this=_mul(small, _dbl(0.25)), expression=q.copy()), exp.Null()),
                      otherwise=self._scaled(_mul(exp.Paren(this=_mul(a, _dbl(0.125))), b), 8.0))
        one = _dbl(1.0)
        return _cases(
            (exp.Not(this=exp.Paren(this=self._finite_inputs(a, b))), _mul(a, b)),
            (exp.or_(exp.EQ(this=_copy(a), expression=_n(0)),
                     exp.EQ(this=_copy(b), expression=_n(0))), _mul(a, b)),
            (exp.and_(_le(_abs(a), one), _le(_abs(b), one)), under),
            (exp.or_(_le(_abs(a), one), _le(_abs(b), one)), _mul(a, b)),
            otherwise=over)

    def _above_half(self, x: exp.Expression, y: exp.Expression) -> exp.Expression:
        """Whether the exact product x*y exceeds 1/2, given that it rounds to 1/2: Dekker's
        error-free product (Veltkamp splitting), with magnitudes far from the limits here."""
        split = _dbl(134217729.0)  # 2**27 + 1

        def sub(u, v):
            return exp.Sub(this=_copy(u), expression=_copy(v))

        def err(xh, yh):
            xl, yl = exp.Paren(this=sub(x, xh)), exp.Paren(this=sub(y, yh))
            e = exp.Add(this=exp.Add(this=exp.Paren(this=sub(_mul(xh, yh), _dbl(0.5))),
                                     expression=_mul(xh, yl)), expression=_mul(xl, yh))
            e = exp.Add(this=exp.Paren(this=e), expression=_mul(xl.copy(), yl.copy()))
            return exp.GT(this=e, expression=_dbl(0.0))

        def high(cx, cy):
            return self.let([sub(cx, exp.Paren(this=sub(cx, x))),
                             sub(cy, exp.Paren(this=sub(cy, y)))], err)
        return self.let([_mul(split, x), _mul(split.copy(), y)], high)

    def pg_div(self, a: exp.Expression, b: exp.Expression) -> exp.Expression:
        """``a / b`` for ``b <> 0``."""
        big_a, big_b = _abs(a), _abs(b)
        room = _mul(big_b, _dbl(_MAX))
        over = _cases((_le(big_a, _mul(room, _dbl(0.5))), _div(a, b)),
                      (exp.GT(this=_mul(big_a, _dbl(0.25)), expression=room.copy()), exp.Null()),
                      otherwise=self._scaled(_div(exp.Paren(this=_mul(a, _dbl(0.125))), b), 8.0))
        # |a/b| rounds to zero iff |a| * 2**1000 <= |b| * 2**-75 (both sides exact here)
        under = _cases(
            (exp.GTE(this=big_a.copy(), expression=_mul(big_b, _dbl(2.0 ** -1070))), _div(a, b)),
            (_le(_mul(big_a, _dbl(2.0 ** 1000)), _mul(big_b, _dbl(2.0 ** -75))),
             self._signed_zero(a, b)),
            otherwise=_div(a, b))
        return _cases(
            (exp.Not(this=exp.Paren(this=self._finite_inputs(a, b))), _div(a, b)),
            (exp.EQ(this=_copy(a), expression=_n(0)), _div(a, b)),
            (exp.LT(this=big_b.copy(), expression=_dbl(1.0)), over),
            otherwise=under)

    def pg_text_float(self, s: exp.Expression) -> exp.Expression:
        """Text already matching ``FLOAT_RE`` as a double; out of range -> null or ±0."""
        # value = 0.<digits without leading zeros> * 10**p, p = len(digits) - len(fraction) + e
        mant = _fn("REGEXP_REPLACE", _copy(s), _s("^[+-]|[eE].*$"), _s(""), _s("g"))
        expo = _fn("REGEXP_SUBSTR", _copy(s), _s("[eE]([+-]?[0-9]+)$"), _n(1), _n(1), _s(""),
                   _n(1))

        def parts(mant, expo):
            digits = _fn("LTRIM", _fn("REPLACE", _copy(mant), _s("."), _s("")), _s("0"))
            frac = _fn("SPLIT_PART", _copy(mant), _s("."), _n(2))
            huge = exp.GT(this=exp.Length(this=_fn("LTRIM", _fn(
                "REGEXP_REPLACE", _copy(expo), _s("^[+-]"), _s("")), _s("0"))),
                expression=_n(15))
            sign = _case(exp.EQ(this=_fn("LEFT", _copy(expo), _n(1)), expression=_s("-")),
                         _n(-10 ** 15), _n(10 ** 15))
            e = _cases((exp.Is(this=_copy(expo), expression=exp.Null()), _n(0)), (huge, sign),
                       otherwise=exp.cast(_copy(expo), "BIGINT"))
            p = exp.Add(this=exp.Sub(this=exp.Length(this=digits.copy()),
                                     expression=exp.Length(this=frac)), expression=e)
            return self.let([digits, p], decide)

        def decide(digits, p):
            zero = _case(exp.EQ(this=_fn("LEFT", _copy(s), _n(1)), expression=_s("-")),
                         _dbl(-0.0), _dbl(0.0))
            as_float = exp.cast(_copy(s), "DOUBLE")

            def exact(keep: int) -> exp.Expression:  # the value as NUMERIC, sticky last digit
                sticky = _case(exp.NEQ(this=_fn("RTRIM", exp.Substring(
                    this=_copy(digits), start=_n(keep + 1)), _s("0")), expression=_s("")),
                    _s("1"), _s(""))
                text = exp.DPipe(this=exp.DPipe(this=exp.DPipe(this=exp.DPipe(
                    this=_s("0."), expression=_fn("LEFT", _copy(digits), _n(keep))),
                    expression=sticky), expression=_s("e")),
                    expression=exp.cast(_copy(p), "VARCHAR"))
                return exp.cast(text, "DECIMAL")
            return _cases(
                (exp.EQ(this=_copy(digits), expression=_s("")), as_float),
                (exp.GT(this=_copy(p), expression=_n(309)), exp.Null()),
                (exp.LT(this=_copy(p), expression=_n(-323)), zero),
                (exp.EQ(this=_copy(p), expression=_n(309)),
                 _case(exp.GTE(this=exact(400), expression=exp.cast(_s(_ROUNDS_TO_INF),
                                                                   "DECIMAL")),
                       exp.Null(), as_float.copy())),
                (exp.EQ(this=_copy(p), expression=_n(-323)),
                 _case(_le(exact(800), exp.cast(_s(_ROUNDS_TO_ZERO), "DECIMAL")), zero.copy(),
                       as_float.copy())),
                otherwise=as_float.copy())
        return self.let([mant, expo], parts)

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
                return _case(self.matches(e, c.INT_RE), conv)

            def pg_int(e):  # more than 19 significant digits never fits: skip the NUMERIC cast
                digits = exp.Length(this=_fn("REGEXP_REPLACE", _copy(e), _s("^[+-]?0*"),
                                             _s("")))
                num = exp.cast(_copy(e), "DECIMAL")
                fits = _cases((exp.GT(this=digits, expression=_n(19)), exp.Null()),
                              (exp.Between(this=num, low=_n(-2**63), high=_n(2**63 - 1)),
                               exp.cast(_copy(e), "BIGINT")))
                return _case(self.matches(e, c.INT_RE), fits)
            return self.let([e], pg_int)
        if (src, dst) == ("string", "float"):
            if d == "sqlite":
                raise self.unsupported("type_cast string -> float")
            if d == "duckdb":
                conv = exp.TryCast(this=_copy(e), to=exp.DataType.build("DOUBLE"))
                return self.finite(_case(self.matches(e, c.FLOAT_RE), conv))
            return self.let([e], lambda e: _case(self.matches(e, c.FLOAT_RE),
                                                 self.pg_text_float(e)))
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
            pattern = self.user_pattern(op, a["pattern"])
            if d == "duckdb":
                got = _fn("REGEXP_EXTRACT", e, _s(pattern), _n(a["group"]))
            else:
                got = _fn("REGEXP_SUBSTR", e, _s(pattern), _n(1), _n(1), _s(""),
                          _n(a["group"]))
            return self.empty_null(got)
        if op == "regex_split":
            pattern = self.user_pattern(op, a["pattern"])
            idx = a["index"] + 1 if a["index"] >= 0 else a["index"]

            def split(e):
                marked = self.replace_all(e, pattern, c.SPLIT_SENTINEL)
                if d == "duckdb":
                    piece = _fn("LIST_EXTRACT", _fn("STRING_SPLIT", marked,
                                                    _s(c.SPLIT_SENTINEL)), _n(idx))
                else:
                    piece = _fn("SPLIT_PART", marked, _s(c.SPLIT_SENTINEL), _n(idx))
                has = exp.GT(this=exp.StrPosition(this=_copy(e), substr=_s(c.SPLIT_SENTINEL)),
                             expression=_n(0))
                return _case(exp.Not(this=exp.Paren(this=has)), self.empty_null(piece))
            return self.let([e], split)
        if op == "concat":
            uses_cur = any(o.get("ref") == CURRENT for o in a["parts"])
            return self.let([e], lambda cur: self.concat(a, cur)) if uses_cur \
                else self.concat(a, e)
        if op == "map_dict":
            def lookup(e):
                case = exp.Case().when(exp.Is(this=_copy(e), expression=exp.Null()), exp.Null())
                for k, v in a["mapping"].items():
                    case = case.when(exp.EQ(this=_copy(e), expression=_s(k)), self.lit(v))
                return case.else_(_copy(e) if a["keep_unmatched"] else self.lit(a["default"]))
            return self.let([e], lookup)
        if op == "unit_convert":
            km, kd, kb = c.affine(a["from"], a["to"])
            v = exp.cast(e, "DOUBLE")
            if d == "postgres":
                v = self.let([v], lambda v: self.pg_mul(v, _dbl(km))) if km != 1.0 else v
                v = self.let([v], lambda v: self.pg_div(v, _dbl(kd))) if kd != 1.0 else v
                v = self.let([v], lambda v: self.pg_add(v, _dbl(kb))) if kb != 0.0 else v
                return self.finite(v)
            v = exp.Mul(this=v, expression=_dbl(km)) if km != 1.0 else v
            v = _div(v, _dbl(kd)) if kd != 1.0 else v
            v = exp.Add(this=v, expression=_dbl(kb)) if kb != 0.0 else v
            return self.finite(v)
        if op == "date_parse":
            return self.parse(e, a["format"], a["to"])
        if op == "date_format":
            return self.format(e, a["format"])
        if op == "type_cast":
            return self.cast(e, src, a["to"])
        if op == "safe_math":
            if d == "postgres":
                return self.pg_math(a, e)
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

    def concat(self, a: dict, e: exp.Expression) -> exp.Expression:
        parts = [self.operand(o, e) for o in a["parts"]]
        sep = a["separator"]
        if a["nulls"] == "propagate":
            out = parts[0]
            for p in parts[1:]:
                out = exp.DPipe(this=exp.DPipe(this=out, expression=_s(sep)), expression=p) \
                    if sep else exp.DPipe(this=out, expression=p)
            return out
        if self.d == "sqlite":
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

    def pg_math(self, a: dict, cur: exp.Expression, bound: bool = False) -> exp.Expression:
        if not bound and any(o.get("ref") == CURRENT for o in (a["left"], a["right"])):
            return self.let([cur], lambda ref: self.pg_math(a, ref, bound=True))
        left, right = self.operand(a["left"], cur, True), self.operand(a["right"], cur, True)

        def body(x, y):
            if a["operator"] == "div":
                return _case(exp.EQ(this=_copy(y), expression=_dbl(0.0)), exp.Null(),
                             self.pg_div(x, y))
            if a["operator"] == "mul":
                return self.pg_mul(x, y)
            return self.pg_add(x, y if a["operator"] == "add" else exp.Neg(this=_copy(y)))
        return self.finite(self.let([left, right], body))


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
    expressions or date parsing: see ``SQLITE_UNSUPPORTED``; PostgreSQL refuses the regex
    features of ``POSTGRES_UNSUPPORTED``).

    Examples
    --------
    >>> plan = {"inputs": ["name"], "steps": [{"op": "trim"}], "output": "name_clean"}
    >>> to_sql(plan, "sqlite")
    'TRIM("name", \\' \\t\\n\\r\\x0c\\x0b\\') AS "name_clean"'
    >>> to_sql(plan, "postgres")[:12]
    'BTRIM("name"'
    """
    return to_sql_expression(plan, dialect).sql(dialect=dialect)
