"""CloudWatch Logs filter patterns, compiled once, matched on plain-text and JSON log events.

The same pattern selects the same events from a local file as CloudWatch's FilterLogEvents
would, so a question works alike on either source. Matching is case-sensitive, as in CloudWatch.

- ``""`` (or blank): every event.
- terms ``ERROR timeout``: every term appears (as a substring: ``ERROR`` matches ``ERRORCODE``);
  ``"Failed to process"``: the exact phrase; ``-term`` / ``-"a phrase"``: must not appear;
  ``?ERROR ?WARN``: at least one of the ``?`` terms appears (with plain terms too, all of those
  as well); ``%regex%``: a regular expression (CloudWatch's subset; ``-%re%`` and ``?%re%`` work).
- JSON ``{ $.level = "ERROR" && ($.latency > 100 || $.retry IS TRUE) }``: the event is a JSON
  object and the condition holds. Selectors ``$.a.b``, ``$.a[0]``, ``$.a[0][1].c``. Operators
  ``=`` and ``!=`` on strings (``*`` is a wildcard: ``"ERR*"``, ``123.123.*``; ``%regex%`` searches)
  and numbers; ``<`` ``<=`` ``>`` ``>=`` on numbers (a numeric string counts as its number);
  ``IS TRUE``, ``IS FALSE``, ``IS NULL`` (present and null), ``NOT EXISTS``, ``EXISTS``; ``&&``
  binds tighter than ``||``; parentheses group. A comparison on a missing field is false,
  ``!=`` included (use ``NOT EXISTS`` for absence).
- space-delimited ``[ip, user, ..., status=5*, bytes>1000]``: the event split on blanks
  (text in ``"..."`` or ``[...]`` is one field, without its quotes or brackets) has exactly one
  field per name, ``...`` standing for any number of fields; a name may carry conditions on
  itself (``status=4* || status=5*``).

``compile_filter(pattern)`` returns a ``LogFilter``; ``.matches(message)`` tests one event and
``.mask(series)`` a Polars Series: term patterns are pure Polars string expressions (``.expr``),
JSON and delimited patterns decode only the rows that pass a cheap vectorized prefilter.
A malformed pattern raises ``BadInput`` naming the pattern and the problem.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from workbench.errors import BadInput

__all__ = ["ACCEPTED", "LogFilter", "compile_filter"]

ACCEPTED = ("terms (ERROR timeout: all must appear), \"quoted phrase\", -term (must not appear), "
            "?a ?b (any of), %regex%, JSON { $.level = \"ERROR\" && $.latency > 100 } and "
            "space-delimited [ip, user, ..., status=5*, bytes>1000]")

_TERM = re.compile(r'(?P<sign>[-?]?)(?:"(?P<q>(?:[^"\\]|\\.)*)"|%(?P<re>[^%]+)%|(?P<w>[^\s"%][^\s"]*))')
_TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|%(?P<re>[^%]+)%|(?P<op>!=|<=|>=|=|<|>)'
                    r'|(?P<lp>\()|(?P<rp>\))|(?P<and>&&)|(?P<or>\|\|)|(?P<word>[^\s()&|=!<>"%]+))')
_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_JSON_SAFE = re.compile(r"[ -~]+")  # printable ASCII: what every JSON encoder writes unescaped
_ESCAPED = set('"\\/<>&\'')  # characters some JSON encoders escape (Go: <, >, &)
_MISSING = object()

Node = tuple  # ("and"|"or", [nodes]) or ("cond", path, test, needs)


def _bad(pattern: str, problem: str) -> BadInput:
    """Return the error for a malformed pattern: the pattern, the problem, what is accepted."""
    return BadInput(f"filter pattern {pattern!r}: {problem}; accepted: {ACCEPTED}")


def _regex(pattern: str, source: str) -> re.Pattern:
    """Return ``source`` compiled, checked to work in Python and in Polars (Rust) alike."""
    try:
        pl.Series([""]).str.contains(source)
        return re.compile(source)
    except (re.error, pl.exceptions.ComputeError) as exc:
        detail = " ".join(str(exc).split())
        raise _bad(pattern, f"bad regular expression %{source}%: {detail}") from None


@dataclass(frozen=True)
class LogFilter:
    """A compiled filter pattern: ``matches`` one message, ``mask`` a Series of them."""

    pattern: str
    kind: str  # "all" | "terms" | "json" | "delimited"
    _pre: Callable[[pl.Expr], pl.Expr | None]
    _row: Callable[[str], bool]
    exact: bool  # the prefilter is the whole test (no per-row step)

    def matches(self, message: str) -> bool:
        """Return True when ``message`` matches the pattern.

        >>> compile_filter('ERROR -timeout').matches("ERROR disk full")
        True
        >>> compile_filter('{ $.latency > 100 }').matches('{"latency": 250}')
        True
        """
        return message is not None and self._row(message)

    def expr(self, column: str = "message") -> pl.Expr | None:
        """Return a Polars expression equal to the test (term patterns), else None."""
        if not self.exact:
            return None
        e = self._pre(pl.col(column))
        return pl.lit(True) if e is None else e.fill_null(False)

    def prefilter(self, column: str = "message") -> pl.Expr:
        """Return a cheap Polars expression true for every match (and maybe a few others)."""
        e = self._pre(pl.col(column))
        return pl.lit(True) if e is None else e.fill_null(False)

    def mask(self, messages: pl.Series) -> pl.Series:
        """Return a Boolean Series: True where the message matches (null messages never do).

        >>> import polars as pl
        >>> compile_filter('?WARN ?ERROR').mask(pl.Series(["WARN a", "INFO b", "ERROR c"])).to_list()
        [True, False, True]
        """
        frame = messages.rename("m").to_frame()
        if self.kind == "all":
            return frame.select(pl.col("m").is_not_null()).to_series().rename(messages.name)
        pre = frame.select(self.prefilter("m") & pl.col("m").is_not_null()).to_series()
        pre = pre.rename(messages.name)
        if self.exact or not pre.any():
            return pre
        rows = pre.arg_true()
        hits = [self._row(m) for m in messages.gather(rows).to_list()]  # candidates only
        return pre.scatter(rows, pl.Series(hits, dtype=pl.Boolean))


def compile_filter(pattern: str | None) -> LogFilter:
    """Return the ``LogFilter`` for a CloudWatch filter pattern (raises BadInput if malformed).

    >>> f = compile_filter('{ $.level = "ERROR" }')
    >>> f.kind, f.matches('{"level": "ERROR", "msg": "boom"}'), f.matches("ERROR plain text")
    ('json', True, False)
    """
    text = (pattern or "").strip()
    if text in ("", '""'):
        return LogFilter(pattern or "", "all", lambda c: None, lambda m: True, True)
    if text.startswith("{"):
        if not text.endswith("}"):
            raise _bad(pattern, "a JSON pattern starts with '{' and must end with '}'")
        return _compile_json(pattern, text[1:-1])
    if text.startswith("["):
        if not text.endswith("]"):
            raise _bad(pattern, "a space-delimited pattern starts with '[' and must end with ']'")
        return _compile_delimited(pattern, text[1:-1])
    return _compile_terms(pattern, text)


# -- terms -------------------------------------------------------------------------------------

def _compile_terms(pattern: str, text: str) -> LogFilter:
    """Return the filter for a term pattern: required, optional (?) and excluded (-) terms."""
    groups: dict[str, list[tuple[str, re.Pattern | None]]] = {"": [], "?": [], "-": []}
    pos = 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        m = _TERM.match(text, pos)
        if not m or m.end() == pos:
            problem = "unterminated quote" if text[pos] == '"' else f"cannot read {text[pos:]!r}"
            raise _bad(pattern, problem + (" (% starts a %regex%)" if text[pos] == "%" else ""))
        sign, pos = m["sign"], m.end()
        if m["re"] is not None:
            groups[sign].append((m["re"], _regex(pattern, m["re"])))
        elif m["q"] is not None:
            if m["q"]:
                groups[sign].append((re.sub(r'\\(.)', r"\1", m["q"]), None))
        elif m["w"] in ("-", "?") or (sign and not m["w"]):
            raise _bad(pattern, f"'{sign or m['w']}' must be followed by a term")
        else:
            groups[sign].append((m["w"], None))
    if not any(groups.values()):
        return compile_filter("")

    def hit(term: str, rx: re.Pattern | None, c: pl.Expr) -> pl.Expr:
        return c.str.contains(term) if rx else c.str.contains(term, literal=True)

    def pre(c: pl.Expr) -> pl.Expr:
        parts = [hit(t, rx, c) for t, rx in groups[""]]
        if groups["?"]:
            parts.append(pl.any_horizontal([hit(t, rx, c) for t, rx in groups["?"]]))
        parts += [~hit(t, rx, c) for t, rx in groups["-"]]
        return pl.all_horizontal(parts)

    def one(message: str, term: str, rx: re.Pattern | None) -> bool:
        return bool(rx.search(message)) if rx else term in message

    def row(m: str) -> bool:
        return (all(one(m, t, rx) for t, rx in groups[""])
                and (not groups["?"] or any(one(m, t, rx) for t, rx in groups["?"]))
                and not any(one(m, t, rx) for t, rx in groups["-"]))

    return LogFilter(pattern, "terms", pre, row, True)


# -- conditions shared by JSON and space-delimited patterns ------------------------------------

def _tokens(pattern: str, text: str) -> list[tuple[str, str]]:
    """Return the (kind, text) tokens of a condition expression."""
    out, pos = [], 0
    while text[pos:].strip():
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise _bad(pattern, f"cannot read {text[pos:].strip()!r}")
        out.append((m.lastgroup, m[m.lastgroup]))
        pos = m.end()
    return out


def _scalar_text(v: Any) -> str | None:
    """Return a JSON scalar as the text a string comparison sees (None for null/objects)."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    return json.dumps(v) if isinstance(v, int | float) else None


def _number(v: Any) -> float | None:
    """Return a value as a number (numbers and numeric strings), else None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v)
    return float(v) if isinstance(v, str) and _NUMBER.fullmatch(v.strip()) else None


_CMP = {"=": float.__eq__, "!=": float.__ne__, "<": float.__lt__, "<=": float.__le__,
        ">": float.__gt__, ">=": float.__ge__}


def _comparison(pattern: str, op: str, kind: str, value: str) -> tuple[Callable, list[str]]:
    """Return (test on a field value, literal texts any match must contain)."""
    if kind == "word" and _NUMBER.fullmatch(value):
        num = float(value)
        return (lambda v: (n := _number(v)) is not None and _CMP[op](n, num)), []
    if op not in ("=", "!="):
        raise _bad(pattern, f"'{op}' compares numbers, got {value!r}")
    if kind == "re":
        rx = _regex(pattern, value)
        test = (lambda v: (s := _scalar_text(v)) is not None and bool(rx.search(s)))
        needs = []
    else:
        text = json.loads(value) if kind == "str" else value
        chunks = text.split("*")
        rx = re.compile(".*".join(map(re.escape, chunks)), re.DOTALL)
        test = (lambda v: (s := _scalar_text(v)) is not None and bool(rx.fullmatch(s)))
        needs = [c for c in chunks if c]
    if op == "!=":
        return (lambda v: _scalar_text(v) is not None and not test(v)), []
    return test, needs


class _Parser:
    """Recursive-descent parser of ``a && (b || c)`` over conditions on selectors."""

    def __init__(self, pattern: str, text: str, selector: Callable[[str], tuple]):
        self.pattern, self.toks, self.i, self.selector = pattern, _tokens(pattern, text), 0, selector

    def peek(self) -> tuple[str, str]:
        return self.toks[self.i] if self.i < len(self.toks) else ("end", "")

    def take(self, what: str) -> tuple[str, str]:
        tok = self.peek()
        if tok[0] == "end":
            raise _bad(self.pattern, f"ends early: expected {what}")
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.toks:
            raise _bad(self.pattern, "empty condition")
        node = self.either()
        if self.peek()[0] != "end":
            raise _bad(self.pattern, f"unexpected {self.peek()[1]!r} (join conditions with && or ||)")
        return node

    def either(self) -> Node:
        parts = [self.both()]
        while self.peek()[0] == "or":
            self.i += 1
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def both(self) -> Node:
        parts = [self.unary()]
        while self.peek()[0] == "and":
            self.i += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def unary(self) -> Node:
        if self.peek()[0] == "lp":
            self.i += 1
            node = self.either()
            if self.take("')'")[0] != "rp":
                raise _bad(self.pattern, "missing ')'")
            return node
        kind, word = self.take("a field")
        if kind != "word":
            raise _bad(self.pattern, f"expected a field, got {word!r}")
        path = self.selector(word)
        kind, op = self.take(f"an operator after {word}")
        if kind == "op":
            vkind, value = self.take(f"a value after {word} {op}")
            if vkind not in ("str", "re", "word"):
                raise _bad(self.pattern, f"expected a value after {word} {op}, got {value!r}")
            test, needs = _comparison(self.pattern, op, vkind, value)
        elif kind == "word" and op.upper() in ("IS", "NOT", "EXISTS"):
            test, needs = self.keyword(word, op.upper())
        else:
            raise _bad(self.pattern, f"expected =, !=, <, <=, >, >=, IS or NOT EXISTS after {word}")
        return ("cond", path, test, needs)

    def keyword(self, field: str, first: str) -> tuple[Callable, list[str] | None]:
        if first == "EXISTS":
            return (lambda v: v is not _MISSING), []
        second = self.take(f"a word after {field} {first}")[1].upper()
        if first == "NOT" and second == "EXISTS":
            return (lambda v: v is _MISSING), None
        tests = {"TRUE": (lambda v: v is True), "FALSE": (lambda v: v is False),
                 "NULL": (lambda v: v is None)}
        if first == "IS" and second in tests:
            return tests[second], [second.lower()]
        raise _bad(self.pattern, f"expected IS TRUE, IS FALSE, IS NULL or NOT EXISTS after {field}")


def _evaluate(node: Node, get: Callable[[tuple], Any]) -> bool:
    """Return the truth of a parsed condition tree, fields looked up with ``get``."""
    if node[0] == "cond":
        return node[2](get(node[1]))
    if node[0] == "and":
        return all(_evaluate(n, get) for n in node[1])
    return any(_evaluate(n, get) for n in node[1])


def _needs(node: Node, c: pl.Expr,
           wrap: Callable[[tuple, list[str] | None], list[str]]) -> pl.Expr | None:
    """Return a Polars test every match passes (texts a match must contain), or None."""
    if node[0] == "cond":
        texts = wrap(node[1], node[3])
        return pl.all_horizontal([c.str.contains(t, literal=True) for t in texts]) if texts else None
    parts = [_needs(n, c, wrap) for n in node[1]]
    if node[0] == "and":
        kept = [p for p in parts if p is not None]
        return pl.all_horizontal(kept) if kept else None
    return None if any(p is None for p in parts) else pl.any_horizontal(parts)


# -- JSON --------------------------------------------------------------------------------------

def _compile_json(pattern: str, body: str) -> LogFilter:
    """Return the filter for a JSON pattern ``{ ... }``."""
    def selector(word: str) -> tuple:
        steps = _STEP.findall(word[1:]) if word.startswith("$") else None
        if not steps or "".join(f".{k}" if k else f"[{i}]" for k, i in steps) != word[1:]:
            raise _bad(pattern, f"bad selector {word!r}; write $.field, $.a.b or $.list[0]")
        return tuple(k if k else int(i) for k, i in steps)

    tree = _Parser(pattern, body, selector).parse()

    def get(doc: Any, path: tuple) -> Any:
        for step in path:
            if isinstance(step, int):
                ok = isinstance(doc, list) and step < len(doc)
            else:
                ok = isinstance(doc, dict) and step in doc
            if not ok:
                return _MISSING
            doc = doc[step]
        return doc

    def row(message: str) -> bool:
        if not message.lstrip().startswith("{"):
            return False
        try:
            doc = json.loads(message)
        except ValueError:
            return False
        return isinstance(doc, dict) and _evaluate(tree, lambda p: get(doc, p))

    def wrap(path: tuple, texts: list[str] | None) -> list[str]:
        if texts is None:  # NOT EXISTS: not even the key is needed
            return []
        keys = [k for k in path if isinstance(k, str)][-1:]
        return [f'"{t}"' if t in keys else t for t in keys + texts
                if _JSON_SAFE.fullmatch(t) and not set(t) & _ESCAPED]

    def pre(c: pl.Expr) -> pl.Expr:
        need = _needs(tree, c, wrap)
        start = c.str.contains(r"^\s*\{")
        return start if need is None else start & need

    return LogFilter(pattern, "json", pre, row, False)


# -- space-delimited ---------------------------------------------------------------------------

_FIELD = re.compile(r'"([^"]*)"|\[([^\]]*)\]|(\S+)')
_NAME = re.compile(r"[A-Za-z_][\w-]*")


def _compile_delimited(pattern: str, body: str) -> LogFilter:
    """Return the filter for a space-delimited pattern ``[a, b, ..., c=x]``."""
    items: list[tuple[str, Node | None] | None] = []  # None is "..."
    for part in re.findall(r'(?:"(?:[^"\\]|\\.)*"|[^,])+', body):
        part = part.strip()
        if part == "...":
            items.append(None)
            continue
        name = _NAME.match(part)
        if not name:
            raise _bad(pattern, f"field {part!r} must start with a name (or be ...)")
        if name.end() == len(part):
            items.append((part, None))
            continue

        def selector(word: str, own: str = name[0]) -> tuple:
            if word != own:
                raise _bad(pattern, f"field {own!r} may only test itself, not {word!r}")
            return (word,)

        items.append((name[0], _Parser(pattern, part, selector).parse()))
    if not items:
        raise _bad(pattern, "a space-delimited pattern needs at least one field")

    def fits(fields: list[str], i: int, j: int) -> bool:
        if i == len(items):
            return j == len(fields)
        if items[i] is None:
            return any(fits(fields, i + 1, k) for k in range(j, len(fields) + 1))
        if j >= len(fields):
            return False
        cond = items[i][1]
        if cond is not None and not _evaluate(cond, lambda p: fields[j]):
            return False
        return fits(fields, i + 1, j + 1)

    def row(message: str) -> bool:
        fields = [a if a else b if b else c for a, b, c in _FIELD.findall(message)]
        return fits(fields, 0, 0)

    def pre(c: pl.Expr) -> pl.Expr | None:
        needs = [_needs(it[1], c, lambda p, t: t or []) for it in items if it and it[1] is not None]
        kept = [n for n in needs if n is not None]
        return pl.all_horizontal(kept) if kept else None

    return LogFilter(pattern, "delimited", pre, row, False)
