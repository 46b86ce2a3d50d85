"""CloudWatch filter patterns: terms, phrases, exclusions, any-of, regex, JSON, space-delimited.

Every case checks both ``matches`` (one message) and ``mask`` (a Polars Series) so the
vectorized path and the per-row path can never disagree.
"""
from __future__ import annotations

import json
import random
import time

import polars as pl
import pytest

from workbench.errors import BadInput
from workbench.ingest.log_filter import compile_filter

TEXT = [
    "[ERROR] A fatal exception has occurred",
    "Exiting with ERRORCODE: -1",
    "[ERROR] Caught IllegalArgumentException",
    "[ERROR] Unhandled Exception",
    "[WARN] Failed to process the request",
    "[ERROR] Unable to continue: Failed to process the request",
    "INFO all good",
    "error in lower case",
    "",
]

EVENTS = [
    {"level": "ERROR", "latency": 250, "user": {"id": 1, "email": "a@example.com"},
     "tags": ["prod", "eu"], "ok": True, "retry": None, "path": "/api/v1/orders"},
    {"level": "INFO", "latency": 50, "user": {"id": 2}, "tags": ["dev"], "ok": False},
    {"level": "WARN", "latency": "120", "sourceIPAddress": "123.123.4.5", "code": 200},
    {"level": "ERROR", "latency": 99.5, "sourceIPAddress": "10.0.0.1", "code": "500",
     "coordinates": [[1, 2], [3, 4]], "msg": "bind: address already in use"},
    {"level": "DEBUG", "nested": {"a": {"b": [{"c": "deep"}]}}},
]
JSON_LINES = [json.dumps(e) for e in EVENTS] + ["ERROR not json {", '["a", "list"]', "{broken"]


def check(pattern: str, messages: list[str]) -> list[int]:
    """Return the indexes ``pattern`` matches, asserting matches() and mask() agree."""
    f = compile_filter(pattern)
    by_row = [i for i, m in enumerate(messages) if f.matches(m)]
    mask = f.mask(pl.Series("message", messages, dtype=pl.String))
    assert mask.dtype == pl.Boolean and mask.len() == len(messages)
    assert mask.arg_true().to_list() == by_row, pattern
    return by_row


@pytest.mark.parametrize(("pattern", "expected"), [
    ("", [0, 1, 2, 3, 4, 5, 6, 7, 8]),
    ('""', [0, 1, 2, 3, 4, 5, 6, 7, 8]),
    ("   ", [0, 1, 2, 3, 4, 5, 6, 7, 8]),
    ("ERROR", [0, 1, 2, 3, 5]),  # a substring: ERRORCODE matches too
    ("error", [7]),  # case-sensitive, as in CloudWatch
    ("ERROR Exception", [2, 3]),  # every term must appear
    ("ERROR -Exiting", [0, 2, 3, 5]),
    ('"Failed to process the request"', [4, 5]),
    ('"process the Failed"', []),
    ("Failed to process the request", [4, 5]),
    ("?WARN ?Exception", [2, 3, 4]),  # any of
    ('?"fatal exception" ?"all good"', [0, 6]),
    ("ERROR ?fatal ?Unhandled", [0, 3]),  # plain terms and any of the ? terms
    ('-"Failed to process"', [0, 1, 2, 3, 6, 7, 8]),
    ("%ERROR[A-Z]+%", [1]),
    ("%^\\[(WARN|ERROR)\\]%", [0, 2, 3, 4, 5]),
    ("-%^\\[%", [1, 6, 7, 8]),
    ('"[ERROR]" -"Unable"', [0, 2, 3]),
    ('"say \\"hi\\""', []),
])
def test_term_patterns(pattern, expected):
    assert check(pattern, TEXT) == expected


def test_term_patterns_are_pure_polars_expressions():
    f = compile_filter('ERROR -Exiting ?fatal ?Caught')
    frame = pl.DataFrame({"line": TEXT})
    assert frame.filter(f.expr("line"))["line"].to_list() == [TEXT[0], TEXT[2]]
    assert compile_filter('{ $.a = 1 }').expr() is None
    assert compile_filter("").expr() is not None


def test_quoted_phrase_with_escaped_quote():
    assert check('"say \\"hi\\""', ['he did say "hi" twice', "say hi"]) == [0]


@pytest.mark.parametrize(("pattern", "expected"), [
    ('{ $.level = "ERROR" }', [0, 3]),
    ("{ $.level = ERROR }", [0, 3]),
    ('{$.level="ERROR"}', [0, 3]),
    ('{ $.level != "ERROR" }', [1, 2, 4]),
    ('{ $.level = "ERR*" }', [0, 3]),
    ('{ $.level = "*RR*" }', [0, 3]),
    ('{ $.sourceIPAddress != 123.123.* }', [3]),  # missing fields never match, != included
    ('{ $.sourceIPAddress = 123.123.* }', [2]),
    ("{ $.latency > 100 }", [0, 2]),  # "120" is a numeric string
    ("{ $.latency >= 250 }", [0]),
    ("{ $.latency < 100 }", [1, 3]),
    ("{ $.latency <= 50 }", [1]),
    ("{ $.latency = 99.5 }", [3]),
    ("{ $.latency != 50 }", [0, 2, 3]),
    ("{ $.code = 200 }", [2]),
    ('{ $.code = "500" }', [3]),
    ("{ $.code = 500 }", [3]),  # a numeric string compares as its number
    ("{ $.user.id = 1 }", [0]),
    ('{ $.user.email = "a@example.com" }', [0]),
    ('{ $.tags[0] = "prod" }', [0]),
    ('{ $.tags[1] = "eu" }', [0]),
    ('{ $.tags[5] = "eu" }', []),
    ("{ $.coordinates[1][0] = 3 }", [3]),
    ('{ $.nested.a.b[0].c = "deep" }', [4]),
    ('{ $.path = "/api/v1/*" }', [0]),
    ("{ $.ok IS TRUE }", [0]),
    ("{ $.ok IS FALSE }", [1]),
    ("{ $.retry IS NULL }", [0]),
    ("{ $.user NOT EXISTS }", [2, 3, 4]),
    ("{ $.user EXISTS }", [0, 1]),
    ("{ $.level = ERROR && $.latency > 100 }", [0]),
    ("{ $.level = INFO || $.level = WARN }", [1, 2]),
    ("{ $.level = DEBUG || $.level = ERROR && $.latency < 100 }", [3, 4]),  # && binds tighter
    ("{ ($.level = DEBUG || $.level = ERROR) && $.latency < 100 }", [3]),
    ("{ (($.level = WARN)) }", [2]),
    ('{ $.msg = %bind:.*in use% }', [3]),
    ('{ $.level = %^E% }', [0, 3]),
    ('{ $.level != %^E% }', [1, 2, 4]),
    ("{ $.level is true }", []),  # keywords in any case
])
def test_json_patterns(pattern, expected):
    assert check(pattern, JSON_LINES) == expected


def test_json_patterns_only_match_json_objects():
    assert check('{ $.x NOT EXISTS }', ["plain text", "[1, 2]", '{"y": 1}', "{not json"]) == [2]


def test_json_prefilter_survives_escaping():
    lines = [json.dumps({"path": "a/b", "name": "Jürgen", "html": "<b>&"}),  # ensure_ascii
             '{"path": "a\\/b"}', '{"name": "J\\u00fcrgen"}', '{"html": "\\u003cb\\u003e\\u0026"}',
             '{ "path" : "a/b" }']
    assert check('{ $.path = "a/b" }', lines) == [0, 1, 4]
    assert check('{ $.name = "Jürgen" }', lines) == [0, 2]
    assert check('{ $.html = "<b>&" }', lines) == [0, 3]


APACHE = [
    '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
    '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /index.html HTTP/1.0" 404 3534',
    '10.0.0.2 - - [10/Oct/2000:13:50:35 -0700] "POST /login HTTP/1.1" 503 500',
    "too few fields",
]


@pytest.mark.parametrize(("pattern", "expected"), [
    ("[ip, user, username, timestamp, request, status_code, bytes]", [0, 1, 2]),
    ("[ip, user, username, timestamp, request, status_code=404, bytes]", [1]),
    ("[ip, user, username, timestamp, request, status_code=5*, bytes]", [2]),
    ("[ip, user, username, timestamp, request, status_code!=200, bytes>1000]", [1]),
    ("[ip, ..., status_code=4* || status_code=5*, bytes]", [1, 2]),
    ("[..., bytes<1000]", [2]),
    ("[ip=10.*, ...]", [2]),
    ('[ip, user, username, timestamp, request="GET *", ...]', [0, 1]),
    ("[ip, user, username=frank, ...]", [0, 1]),
    ("[timestamp, request]", []),  # the field count must fit
    ("[w1, w2, w3]", [3]),
    ("[..., w=%html%, ...]", [1]),
])
def test_space_delimited_patterns(pattern, expected):
    assert check(pattern, APACHE) == expected


@pytest.mark.parametrize(("pattern", "problem"), [
    ('"unterminated', "unterminated quote"),
    ("-", "must be followed by a term"),
    ("?", "must be followed by a term"),
    ("%[%", "bad regular expression"),
    ("{ $.a = 1", "must end with '}'"),
    ("{ }", "empty condition"),
    ("{ $.a = }", "expected a value"),
    ("{ $.a }", "ends early"),
    ("{ $.a > \"x\" }", "compares numbers"),
    ("{ $.a >= abc }", "compares numbers"),
    ("{ a = 1 }", "bad selector"),
    ("{ $a = 1 }", "bad selector"),
    ("{ $.a[x] = 1 }", "bad selector"),
    ("{ $.a = 1 $.b = 2 }", "join conditions with && or ||"),
    ("{ ($.a = 1 }", "expected ')'"),
    ("{ $.a = 1) }", "unexpected ')'"),
    ("{ $.a IS MAYBE }", "IS TRUE, IS FALSE, IS NULL"),
    ("{ $.a NOT THERE }", "NOT EXISTS"),
    ("{ $.a && $.b }", "expected =, !=, <"),
    ("{ $.a = 1 && }", "ends early"),
    ("[ip, user", "must end with ']'"),
    ("[]", "at least one field"),
    ("[1abc]", "must start with a name"),
    ("[ip, status=5* || bytes>1]", "may only test itself"),
])
def test_malformed_patterns_raise_bad_input(pattern, problem):
    with pytest.raises(BadInput) as err:
        compile_filter(pattern)
    message = str(err.value)
    assert repr(pattern) in message and problem in message
    assert "accepted:" in message and err.value.exit_code == 2


def test_null_messages_never_match():
    s = pl.Series("message", ["ERROR a", None, '{"a": 1}'], dtype=pl.String)
    assert compile_filter("").mask(s).to_list() == [True, False, True]
    assert compile_filter("ERROR").mask(s).to_list() == [True, False, False]
    assert compile_filter("-ERROR").mask(s).to_list() == [False, False, True]
    assert compile_filter("{ $.a = 1 }").mask(s).to_list() == [False, False, True]
    assert compile_filter("[a, b]").mask(s).to_list() == [True, False, True]  # 2 fields each


def test_mask_agrees_with_matches_on_random_events():
    rng = random.Random(7)
    levels = ["ERROR", "WARN", "INFO", "DEBUG"]
    lines = []
    for i in range(3000):
        event = {"level": rng.choice(levels), "latency": rng.randint(0, 400),
                 "user": {"id": rng.randint(1, 5)}, "i": i}
        if rng.random() < 0.2:
            event["retry"] = rng.choice([True, False, None])
        if rng.random() < 0.3:
            lines.append(f"{event['level']} plain line {i} took {event['latency']}ms")
        else:
            lines.append(json.dumps(event))
    patterns = ["ERROR", "-INFO ?took ?retry", '{ $.level = "ERROR" && $.latency > 200 }',
                "{ $.retry IS TRUE || $.user.id = 3 }", "{ $.retry NOT EXISTS && $.latency < 10 }",
                "[level=ERROR, ..., took, ms=%^3%]", "%took [0-9]{3}ms%"]
    for pattern in patterns:
        hits = check(pattern, lines)
        assert 0 < len(hits) < len(lines), pattern


def test_json_mask_decodes_only_prefiltered_rows():
    n = 200_000
    frame = pl.DataFrame({"i": range(n)}).select(
        pl.format('{{"level": "{}", "latency": {}, "i": {}}}',
                  pl.when(pl.col("i") % 100 == 0).then(pl.lit("ERROR")).otherwise(pl.lit("INFO")),
                  pl.col("i") % 500, pl.col("i")).alias("message"))
    f = compile_filter('{ $.level = "ERROR" && $.latency >= 200 }')
    start = time.perf_counter()
    mask = f.mask(frame["message"])
    elapsed = time.perf_counter() - start
    expected = [i for i in range(n) if i % 100 == 0 and i % 500 >= 200]
    assert mask.arg_true().to_list() == expected
    assert elapsed < 2.0  # 2,000 candidates decoded, not 200,000
