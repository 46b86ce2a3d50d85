"""URL normalization, adversarial inputs, signature stability and the SQL shape key."""
from __future__ import annotations

import duckdb
import pytest

from workbench.pipelines.ai_usage import normalize_url, url_signature
from workbench.pipelines.ai_usage.normalize import InvalidURL, shape_key_sql, url_parts

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
def test_sql_shape_key_keeps_the_signature(url):
    shape = duckdb.sql(f"SELECT {shape_key_sql('u')} FROM (SELECT $u AS u)",
                       params={"u": url}).fetchone()[0]
    assert url_signature(shape) == url_signature(url)
