"""URL normalization, adversarial inputs, signature stability and the URL shape key."""
from __future__ import annotations

import polars as pl
import pytest

from workbench.ingest.url_shape import shape_key, shape_keys
from workbench.pipelines.ai_usage import normalize_url, url_signature
from workbench.pipelines.ai_usage.normalize import (
    _SIMPLE,
    PART_NAMES,
    InvalidURL,
    _parse,
    url_parts,
    url_row,
    url_table,
)
from workbench.pipelines.ai_usage.samples import generate_events
from workbench.pipelines.ai_usage.signatures import url_dictionary

CASES = [
    ("HTTP://Example.COM.:80/a/./b/../c?z=1&a=2#frag", "http://example.com/a/c?a=2&z=1"),
    ("https://B\u00fccher.example/", "https://xn--bcher-kva.example/"),
    ("https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"),
    ("http://[0:0:0:0:0:0:0:1]:8080/x", "http://[::1]:8080/x"),
    ("http://0x7f.1/", "http://127.0.0.1/"),
    ("http://2130706433/", "http://127.0.0.1/"),
    ("http://example.com@evil.com/login", "http://evil.com/login"),
    ("http://user:pw@host.example/p", "http://host.example/p"),
    ("http://a.example\\b\\c", "http://a.example/b/c"),
    ("http://a.example/%7euser/%2541", "http://a.example/~user/%2541"),
    ("http://a.example/%2e%2e/x", "http://a.example/x"),
    ("https://a.example:443/?utm_source=x&gclid=1&b=2&a=1&&", "https://a.example/?a=1&b=2"),
    ("chatgpt.com/c/1", "https://chatgpt.com/c/1"),
    ("api.openai.com:443", "https://api.openai.com/"),
    ("  https://a.example/p\t ", "https://a.example/p"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


def test_invalid_url_raises():
    with pytest.raises(InvalidURL):
        normalize_url("http://exa mple.com:99999/")


def test_templates_replace_ids_and_emails():
    p = url_parts("https://claude.ai/api/organizations/3f2a9c1e-8b7d-4c3e-9f00-1234567890ab/"
                  "chat/12345/file-a1b2c3d4e5f6a7b8/jane.doe@acme.example?x=1&jane@x.example=2")
    assert p["path_template"] == "/api/organizations/{uuid}/chat/{int}/file-{hex}/{email}"
    assert p["query_keys"] == "x&{key}"


def test_signature_stability_and_what_it_ignores():
    base = url_signature("https://chatgpt.com/c/6f1c2a9e-8b7d-4c3e-9f00-1234567890ab?b=1&a=2")
    same = ["HTTPS://ChatGPT.com.:443/c/00000000-1111-2222-3333-444444444444?a=9&b=0#x",
            "https://user@chatgpt.com/c/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee?a=&b=&utm_x=1"]
    assert all(url_signature(u) == base for u in same)
    assert url_signature("https://chatgpt.com/c/x?a=1") != base
    assert url_signature("https://chat.openai.com/c/1?a=1&b=1") != base  # host matters
    assert len(base) == 32 and base == url_signature(same[0])  # same input, same signature


@pytest.mark.parametrize("url", [c[0] for c in CASES if "exa mple" not in c[0]] + [
    "https://a.example/p?q=jane%40x.example&x#y?z=1", "http://u?x@h.example/p?k=v=w&k2",
    "https://h.example/a#b?c=d"])
def test_shape_key_keeps_the_signature(url):
    assert url_signature(shape_key(url)) == url_signature(url)


SHAPE_EXTRA = ["https://a.example/p=1/x?q=2&r=3#f", "https://a.example/x#a?b=1",
               "https://h/p?a=1#x=2", "a=b?c=d", "?", "#", "", "https://h.example/?=&&=x",
               "https://h.example/p?a=\u00e9&b", "https://h/p?a=1&b#c", "https://h/p?a#b=c",
               "https://h/a=b/c", "https://h/a=b?c=d#e", "https://h/p?a=1?b=2&c=3"]


def test_vectorized_shape_keys_equal_the_reference():
    urls = [c[0] for c in CASES] + SHAPE_EXTRA
    got = shape_keys(pl.Series(urls + [None], dtype=pl.String)).to_list()
    assert got == [shape_key(u) for u in urls] + [None]
    assert shape_key("https://h/p?a=1&b=x=y&c#f?g=1") == "https://h/p?a=&b=&c"


def _sample_urls() -> list[str]:
    evs = generate_events(400, seed=5)
    return [f"https://{e['host']}{e['path']}" + (f"?{e['query']}" if e["query"] else "")
            for e in evs]


ROUTE_CASES = [c[0] for c in CASES if "exa mple" not in c[0]] + SHAPE_EXTRA[:3] + [
    "https://a.example/x/../y", "https://a.example/./y", "https://a.example/..",
    "https://a.example/.x",
    "https://xn--bcher-kva.example/", "https://a.example/p?x='1'", "https://0x7f.example/",
    "https://a.example/A~b_c-d.e/f@g:h;i,j+k=l!m$n&o*p(q)", "https://a.example/p?q=a/b?c:d@e",
    "https://1.2.3.4/p", "https://a.b.c.0x1f/", "https://a.example.", "http://a.example/%2e%2e/x",
    "https://a.example/p\\q", "https://a.example:8443/p", "https://A.example/p"]


@pytest.mark.parametrize("url", ROUTE_CASES)
def test_fast_parse_route_agrees_with_whatwg(url):
    assert _route(url, fast=True) == _route(url, fast=False)


def _route(url: str, fast: bool):
    try:
        return vars(_parse(url, fast=fast))
    except InvalidURL:
        return "invalid"


def test_fast_parse_route_agrees_on_realistic_urls():
    urls = _sample_urls()
    assert sum(1 for u in urls if _route(u, True) != "invalid") == len(urls)
    for url in urls:
        assert vars(_parse(url)) == vars(_parse(url, fast=False)), url


def test_vectorized_shape_keys_equal_the_reference_on_random_urls():
    import random

    rng = random.Random(7)
    urls = ["https://h/" + "".join(rng.choice("ab/?#=&%") for _ in range(rng.randrange(14)))
            for _ in range(3000)]
    assert shape_keys(pl.Series(urls)).to_list() == [shape_key(u) for u in urls]


def test_fast_parse_route_agrees_on_random_urls():
    import random

    rng = random.Random(11)
    hosts = ["a.example", "xn--bcher-kva.example", "a-b.c0", "0x7f.x", "1.2.3.4", "h", "A.b"]
    chars = "aZ09./%\\:@?&=_~-'!$()*+,;"
    urls = [rng.choice(["https://", "http://", "HTTP://", "ftp://", ""]) + rng.choice(hosts)
            + "/" + "".join(rng.choice(chars) for _ in range(rng.randrange(12)))
            for _ in range(3000)]
    assert sum(1 for u in urls if _SIMPLE.fullmatch(u)) > 300  # the fast route is exercised
    assert [_route(u, True) for u in urls] == [_route(u, False) for u in urls]


def test_url_row_shortcut_agrees_with_the_full_route():
    import random

    rng = random.Random(13)
    chars = "aZ09./%\\:@?&=_~-'!$()*+,;"
    urls = ROUTE_CASES + SHAPE_EXTRA + _sample_urls() + [
        rng.choice(["https://", "http://", "HTTP://", ""]) + rng.choice(["a.example", "h", "0x7f.x"])
        + "/" + "".join(rng.choice(chars) for _ in range(rng.randrange(12))) for _ in range(2000)]
    assert sum(1 for u in urls if _SIMPLE.fullmatch(u)) > 300  # the shortcut is exercised
    full = [url_row(u, fast=False) for u in urls]
    assert [url_row(u) for u in urls] == full
    # the batch form: the vectorized split and per-distinct-part work give the same rows
    assert url_table(urls).rows() == full
    assert url_table(list(reversed(urls))).rows() == full[::-1]
    assert url_table([]).height == 0


def test_url_dictionary_rows_are_url_parts():
    urls = list(dict.fromkeys([c[0] for c in CASES] + SHAPE_EXTRA + _sample_urls()[:50]))
    shapes = pl.DataFrame({"shape_key": urls, "events": list(range(len(urls)))})
    d = url_dictionary(shapes)
    assert d.height == len(urls) and d["error"].null_count() < d.height  # "exa mple" is invalid
    for row in d.iter_rows(named=True):
        assert {k: row[k] for k in PART_NAMES} == url_parts(row["shape_key"])
        assert row["events"] == urls.index(row["shape_key"])
    empty = url_dictionary(shapes.clear())
    assert empty.height == 0 and empty.columns == d.columns
