"""Deterministic URL normalization and URL signatures (rules in ``url_normalization.yml``).

>>> normalize_url("HTTP://Example.COM.:80/a/./b/../c?utm_source=x&z=1&a=2#frag")
'http://example.com/a/c?a=2&z=1'
>>> url_template("https://chatgpt.com/c/6f1c2a9e-8b7d-4c3e-9f00-1234567890ab?model=gpt-4o")
('chatgpt.com', '/c/{uuid}', ('model',))
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import ada_url
import yaml

RULES_FILE = Path(__file__).with_name("url_normalization.yml")
_ATTRS = ("protocol", "hostname", "port", "pathname", "search", "username", "password")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_WEB_SCHEME = re.compile(r"^(https?|wss?|ftp):", re.IGNORECASE)


@dataclass(frozen=True)
class Rules:
    """Compiled normalization rules."""

    version: int
    default_scheme: str
    strip_trailing_dot: bool
    percent_decode_unreserved: bool
    sort_query: bool
    drop_empty_query_pairs: bool
    tracking: frozenset[str]
    tracking_prefixes: tuple[str, ...]
    placeholders: tuple[tuple[str, re.Pattern, bool], ...]
    prefix: re.Pattern
    query_key: re.Pattern


@functools.cache
def rules(path: Path = RULES_FILE) -> Rules:
    """Return the compiled rules of ``url_normalization.yml``."""
    raw = yaml.safe_load(Path(path).read_text())
    return Rules(
        version=int(raw["version"]), default_scheme=raw.get("default_scheme", "https"),
        strip_trailing_dot=raw.get("strip_trailing_dot", True),
        percent_decode_unreserved=raw.get("percent_decode_unreserved", True),
        sort_query=raw.get("sort_query", True),
        drop_empty_query_pairs=raw.get("drop_empty_query_pairs", True),
        tracking=frozenset(k.lower() for k in raw.get("tracking_params", [])),
        tracking_prefixes=tuple(p.lower() for p in raw.get("tracking_prefixes", [])),
        placeholders=tuple((p["name"], re.compile(p["pattern"]), bool(p.get("keep_prefix")))
                           for p in raw.get("path_placeholders", [])),
        prefix=re.compile(raw.get("prefix_pattern", r"^$^")),
        query_key=re.compile(raw.get("query_key_pattern", r".*")))


class InvalidURL(ValueError):
    """The text is not a URL even with the default scheme added."""


def _pct(text: str, decode_unreserved: bool) -> str:
    def fix(m: re.Match) -> str:
        ch = chr(int(m.group(1), 16))
        return ch if decode_unreserved and ch in _UNRESERVED else "%" + m.group(1).upper()
    return _ESCAPE.sub(fix, text) if "%" in text else text


# URLs that WHATWG parsing returns unchanged: lower-case http(s), a plain DNS host whose last
# label starts with a letter (so never read as IPv4) and no punycode, no port or userinfo, and a
# path and query of characters no percent-encode set touches, without "%", "\\" or dot
# segments. Most shapes of a proxy log look like this; they skip the C parser and its
# per-attribute calls. tests/ai_usage checks that both routes agree.
_SIMPLE = re.compile(r"(?P<scheme>https?)://(?P<host>(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*)"
                     r"(?P<path>/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?"
                     r"(?:\?(?P<query>[A-Za-z0-9._~!$&()*+,;=:@/?-]*))?")
_DOT_SEGMENT = re.compile(r"/\.\.?(?=/|$)")
# the same two for Polars (Rust regex: no look-ahead; anchored instead of fullmatch)
_SIMPLE_RUST = f"^{_SIMPLE.pattern}$"
_DOT_SEGMENT_RUST = r"/\.\.?(?:/|$)"


def _parse(url: str, fast: bool = True):
    if fast and (m := _SIMPLE.fullmatch(url)) and "xn--" not in m.group(2) \
            and not (m.group(3) and _DOT_SEGMENT.search(m.group(3))):
        return SimpleNamespace(protocol=m.group(1) + ":", hostname=m.group(2), port="",
                               pathname=m.group(3) or "/",
                               search="?" + m.group(4) if m.group(4) else "",
                               username="", password="")
    text = url.strip()
    if not _WEB_SCHEME.match(text):
        # "host/path" or "host:443" (CONNECT lines) are not URLs yet: add the default scheme
        text = f"{rules().default_scheme}://{text}"
    try:
        return SimpleNamespace(**ada_url.parse_url(text, attributes=_ATTRS))
    except ValueError:
        raise InvalidURL(f"not a URL: {url[:80]!r}") from None


def _host(u) -> str:
    host = u.hostname
    if rules().strip_trailing_dot and host.endswith(".") and not host.startswith("["):
        host = host.rstrip(".")
    return host


def _query_pairs(search: str) -> list[tuple[str, str]]:
    r = rules()
    pairs = []
    for part in search.lstrip("?").split("&"):
        if not part and r.drop_empty_query_pairs:
            continue
        key, eq, value = part.partition("=")
        key = _pct(key, r.percent_decode_unreserved)
        low = key.lower()
        if low in r.tracking or low.startswith(r.tracking_prefixes):
            continue
        pairs.append((key, _pct(value, r.percent_decode_unreserved) if eq else None))
    if r.sort_query:
        pairs.sort(key=lambda kv: (kv[0], kv[1] or ""))
    return pairs


def normalize_url(url: str) -> str:
    """Return the normalized form of ``url`` (InvalidURL if it cannot be parsed).

    >>> normalize_url("https://user:pw@B\\u00fccher.DE./%7euser/%2541?b=2&a=1")
    'https://xn--bcher-kva.de/~user/%2541?a=1&b=2'
    """
    r = rules()
    u = _parse(url)
    host = _host(u)
    port = f":{u.port}" if u.port else ""
    path = _pct(u.pathname, r.percent_decode_unreserved) or "/"
    pairs = _query_pairs(u.search)
    query = "&".join(k if v is None else f"{k}={v}" for k, v in pairs)
    return f"{u.protocol}//{host}{port}{path}{'?' + query if query else ''}"


@functools.lru_cache(maxsize=1 << 16)
def _segment(seg: str) -> str:
    r = rules()
    if not seg:
        return seg
    decoded = _decode(seg)
    prefixed = None  # the prefix split, made once and only if a keep_prefix rule gets there
    for name, pattern, keep_prefix in r.placeholders:
        if pattern.match(decoded):
            return "{" + name + "}"
        if keep_prefix:
            if prefixed is None:
                prefixed = r.prefix.match(decoded) or False
            if prefixed and pattern.match(prefixed.group(2)):
                return prefixed.group(1) + "{" + name + "}"
    return seg


def _decode(seg: str) -> str:
    return unquote(seg) if "%" in seg else seg


def url_template(url: str) -> tuple[str, str, tuple[str, ...]]:
    """Return (host, path template, sorted distinct query keys) of ``url``."""
    r = rules()
    u = _parse(url)
    path = _pct(u.pathname, r.percent_decode_unreserved) or "/"
    port = f":{u.port}" if u.port else ""
    return _host(u) + port, _template(path), _keys_of(u.search)


def signature_of(host: str, template: str, keys: tuple[str, ...] | list[str]) -> str:
    """Return the signature of a (host, path template, query keys) triple: 32 hex chars."""
    return _signature(host, template, tuple(sorted(keys)))


@functools.lru_cache(maxsize=1 << 16)
def _signature(host: str, template: str, keys: tuple[str, ...]) -> str:
    # many shapes share a signature (only ids and query values differ): hash each once
    text = f"v{rules().version}\n{host}\n{template}\n{'&'.join(keys)}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _template(path: str) -> str:
    """Return the path template of a normalized path (ids replaced by typed placeholders)."""
    return "/".join(map(_segment, path.split("/")))


@functools.lru_cache(maxsize=1 << 16)
def _keys_of(search: str) -> tuple[str, ...]:
    """Return the sorted distinct query keys of a search string, odd keys as ``{key}``."""
    r = rules()
    return tuple(sorted({k if r.query_key.match(k) else "{key}" for k, _ in _query_pairs(search)}))


def url_signature(url: str) -> str:
    """Return the URL signature: a hash of host + path template + sorted query keys.

    >>> url_signature("https://chatgpt.com/c/1?b=1&a=2") == url_signature("HTTPS://CHATGPT.COM/c/2?a=9&b=0")
    True
    """
    return signature_of(*url_template(url))


PART_NAMES = ("scheme", "host", "port", "path", "path_template", "query_keys", "url_signature",
              "has_userinfo", "error")


def url_parts(url: str) -> dict:
    """Return scheme, host, port, normalized path, template, query keys and signature of a URL.

    One WHATWG parse serves every field; ``error`` is set (and the rest None) when the URL
    cannot be parsed.
    """
    return dict(zip(PART_NAMES, url_row(url)))


def url_row(url: str, fast: bool = True) -> tuple:
    """Return the values of ``url_parts(url)`` as a tuple in ``PART_NAMES`` order."""
    if fast and (m := _SIMPLE.fullmatch(url)) is not None:
        scheme, host, path, query = m.group(1, 2, 3, 4)
        if "xn--" not in host and not (path and _DOT_SEGMENT.search(path)):
            # what _parse's fast route gives, without building it: no port, userinfo, "%" or
            # trailing dot can occur in a URL _SIMPLE matches
            path = path or "/"
            template, keys = _template(path), _keys_of("?" + query if query else "")
            return (scheme, host, _DEFAULT_PORTS[scheme], path, template, "&".join(keys),
                    _signature(host, template, keys), False, None)
    try:
        u = _parse(url, fast=fast)
    except InvalidURL as exc:
        return None, None, None, None, None, None, None, False, str(exc).split(":")[0]
    host = _host(u)
    path = _pct(u.pathname, rules().percent_decode_unreserved) or "/"
    template = _template(path)
    keys = _keys_of(u.search)
    scheme = u.protocol.rstrip(":")
    port = u.port
    return (scheme, host, int(port) if port else _DEFAULT_PORTS.get(scheme), path, template,
            "&".join(keys), _signature(f"{host}:{port}" if port else host, template, keys),
            bool(u.username or u.password), None)


def url_table(urls):
    """Return ``url_row`` of each of ``urls`` (a sequence or Series) as columns, in order.

    URLs the shortcut of ``url_row`` takes are split by one vectorized regex; each distinct
    path segment, query and signature text is then computed once in Python, not once per
    URL (a log's shapes share most of them). The others go through ``url_row`` one by one.
    tests/ai_usage checks that both give the same rows.
    """
    import polars as pl

    schema = dict(zip(PART_NAMES, (pl.String, pl.String, pl.Int32, pl.String, pl.String,
                                   pl.String, pl.String, pl.Boolean, pl.String)))
    df = pl.DataFrame({"url": pl.Series(urls, dtype=pl.String)}).with_row_index("_i")
    df = df.with_columns(pl.col("url").str.extract_groups(_SIMPLE_RUST).alias("_p")).unnest("_p")
    simple = (pl.col("scheme").is_not_null() & ~pl.col("host").str.contains("xn--", literal=True)
              & ~pl.col("path").fill_null("").str.contains(_DOT_SEGMENT_RUST))
    easy = df.filter(simple).with_columns(pl.col("path").fill_null("/"),
                                          pl.col("query").fill_null(""))
    hard = df.filter(~simple)
    segments = list({s for p in easy["path"].unique().to_list() for s in p.split("/")})
    queries = easy["query"].unique().to_list()
    keys = {q: _keys_of("?" + q if q else "") for q in queries}
    easy = easy.with_columns(
        pl.col("path").str.split("/").list.eval(pl.element().replace_strict(
            segments, [_segment(s) for s in segments], return_dtype=pl.String))
        .list.join("/").alias("path_template"),
        pl.col("query").replace_strict(queries, ["&".join(keys[q]) for q in queries],
                                       return_dtype=pl.String).alias("query_keys"),
        pl.col("scheme").replace_strict(_DEFAULT_PORTS, return_dtype=pl.Int32).alias("port"),
        pl.lit(False).alias("has_userinfo"), pl.lit(None, pl.String).alias("error"))
    triples = easy.select("host", "path_template", "query").unique()
    easy = easy.join(triples.with_columns(pl.Series(
        "url_signature", [_signature(h, t, keys[q]) for h, t, q in triples.rows()], pl.String)),
        on=["host", "path_template", "query"])
    rest = pl.DataFrame([url_row(u, fast=False) for u in hard["url"].to_list()],
                        schema=schema, orient="row")
    return pl.concat([easy.select("_i", *schema), hard.select("_i").hstack(rest)]) \
        .sort("_i").drop("_i")


_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}

# the raw query (after "?", before "#") and the userinfo of URL column {col}, for the pii stage
QUERY_SQL = ("CASE WHEN strpos(split_part({col}, '#', 1), '?') > 0 THEN "
             "substr(split_part({col}, '#', 1), strpos(split_part({col}, '#', 1), '?') + 1) END")
USERINFO_SQL = r"nullif(regexp_extract({col}, '^[A-Za-z][A-Za-z0-9+.\-]*://([^/?#\\]*)@', 1), '')"
