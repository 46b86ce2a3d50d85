"""The compiled blank-separated tokenizer (``kind: tokens``) against the regex it replaced."""
from __future__ import annotations

import random

import polars as pl
import pytest

from workbench.errors import BadInput
from workbench.ingest import parse_file, tokens
from workbench.ingest import vendor_mapping as vm
from workbench.ingest.url_shape import shape_key
from workbench.pipelines.ai_usage.samples import write_squid_log

# the Squid mapping as it was, a regex kind: the tokens layout must read the same lines the same
_B, _F = "[ \\t]+", "[^ \\t]+"  # blanks, a field
SQUID_REGEX = (rf"^[ \t]*(?P<time>[0-9]+(?:\.[0-9]+)?){_B}(?P<elapsed>-?[0-9]+){_B}"
               rf"(?P<client>{_F}){_B}(?P<result>[A-Z_]+)/(?P<status>[0-9]{{3}}){_B}"
               rf"(?P<bytes>[0-9]+){_B}(?P<method>{_F}){_B}(?P<url>{_F}){_B}(?P<user>{_F})"
               rf"{_B}(?P<hierarchy>{_F}){_B}(?P<type>{_F})[ \t]*$")
LAYOUT = vm.load_mapping("squid").layout


def _regex_squid() -> vm.VendorMapping:
    m = vm.load_mapping("squid").model_dump()
    m.update(kind="regex", layout=None, pattern=SQUID_REGEX)
    return vm.VendorMapping.model_validate(m)


def _all(path, vendor, **kw):
    batches = list(parse_file(path, vendor, **kw))
    return (pl.concat([b.events for b in batches]), pl.concat([b.quarantine for b in batches]),
            sum(b.skipped for b in batches), sum(b.lines for b in batches))


def _mutate(line: str, rng: random.Random) -> str:
    """Return the line with one small damage or variation (some still match, most do not)."""
    i = rng.randrange(len(line))
    return rng.choice([
        lambda: line[:i] + line[i + 1:],                 # drop a character
        lambda: line[:i] + " " + line[i:],               # split a field
        lambda: line[:i] + "  " + line[i:],              # a run of blanks
        lambda: line[:i] + rng.choice("/.-_#x9Z") + line[i:],
        lambda: line + " ",                              # trailing blank: still a match
        lambda: line.replace(" ", "", 1),                # two fields run together
        lambda: " ".join(line.split(" ")[:-1]),          # a field missing
        lambda: line + " extra",                         # a field too many
        lambda: "",                                      # blank line: skipped
    ])()


def test_tokens_read_what_the_regex_read(tmp_path):
    rng = random.Random(7)
    src = tmp_path / "clean.log"
    write_squid_log(src, 3000)
    lines = src.read_text().splitlines()
    mixed = [ln if rng.random() < 0.5 else _mutate(ln, rng) for ln in lines]
    f = tmp_path / "mixed.log"
    f.write_text("\n".join(mixed) + "\n")
    ev_t, q_t, skip_t, n_t = _all(f, "squid", block_bytes=4096)
    ev_r, q_r, skip_r, n_r = _all(f, _regex_squid(), block_bytes=4096)
    assert q_t.height > 500 and ev_t.height > 1500      # the mutations did bite
    assert (n_t, skip_t) == (n_r, skip_r)
    assert ev_t.equals(ev_r)
    assert q_t.equals(q_r)


def test_blanks_tabs_crlf_and_leading_blanks(tmp_path):
    f = tmp_path / "a.log"
    f.write_bytes(b"1741000000.5\t7 10.0.0.1 TCP_MISS/200 10 GET https://a.example/x u - -\r\n"
                  b"  1741000001 7 10.0.0.1 TCP_MISS/200 10 GET https://b.example/ u - -\t\n"
                  b"1741000002 7 10.0.0.1 TCP_MISS/200 10 GET https://c.example/\rq u - -\n"
                  b"#1741000003 7 10.0.0.1 TCP_MISS/200 10 GET https://d.example/ u - -")
    ev, q, skipped, lines = _all(f, "squid")
    assert ev["url"].to_list() == ["https://a.example/x", "https://b.example/"]
    assert ev["ts"].dt.epoch("ms").to_list() == [1741000000500, 1741000001000]
    assert q["locator"].to_list() == ["line 3"] and (skipped, lines) == (1, 4)


def test_invalid_utf8_is_quarantined_with_its_own_reason(tmp_path):
    good = "1741000000 7 10.0.0.1 TCP_MISS/200 10 GET https://a.example/{} u - -"
    f = tmp_path / "u.log"
    f.write_bytes(good.format("caf\u00e9").encode() + b"\n"
                  + good.format("caf").encode() + b"\xe9\n"             # Latin-1, not UTF-8
                  + good.format("x").encode() + b"\xf0\x9f\x98\n"        # truncated sequence
                  + good.format("\U0001f600").encode())
    ev, q, _, _ = _all(f, "squid")
    assert ev["url"].to_list() == ["https://a.example/caf\u00e9", "https://a.example/\U0001f600"]
    assert q["reason"].to_list() == ["line is not valid UTF-8"] * 2
    assert q["locator"].to_list() == ["line 2", "line 3"]


def test_fields_keep_long_and_short_values_exactly(tmp_path):
    url = "https://example.org/" + "p" * 5000
    f = tmp_path / "l.log"
    f.write_text(f"1741000000 1 ip TCP_MISS/200 0 GET {url} averyveryverylongusername - -\n"
                 f"1741000000 1 i2 A/404 0 GET h:443 twelve_chars - -\n")
    ev, q, _, _ = _all(f, "squid")
    assert q.height == 0
    assert ev.select("client_ip", "url", "user", "action", "status").rows() == [
        ("ip", url, "averyveryverylongusername", "TCP_MISS", 200),
        ("i2", "https://h:443", "twelve_chars", "A", 404)]
    assert ev["shape_key"].to_list() == [url, "https://h:443"]  # the scheme added to both


def test_null_values_are_nulls_from_the_scan():
    lay = tokens.parse_layout("{a} {b} {c}")
    data = b"- x --\nx - y\n-x ok -"
    scan = tokens.scan_block(data, 3, lay, None, ("a", "b", "c"), nulls=("-", "", "n/a"))
    assert [scan.fields[k].to_pylist() for k in "abc"] == [
        [None, "x", "-x"], ["x", None, "ok"], ["--", "y", None]]
    plain = tokens.scan_block(data, 3, lay, None, ("a", "b", "c"))
    assert plain.fields["a"].to_pylist() == ["-", "x", "-x"] and plain.fields["a"].null_count == 0


@pytest.mark.parametrize("layout, message", [
    ("{a} {b:number}", "unknown shape 'number'"),
    ("{a}, {b}", "between fields"),
    ("{a}{b}", "between fields"),
    ("x{a}", "before the first field"),
    ("{a} {a}", "appears twice"),
    ("{a} tail", "after the last field"),
    ("plain text", "no {field}"),
])
def test_bad_layouts_are_named(layout, message):
    with pytest.raises(ValueError, match=message.replace("{", r"\{").replace("(", r"\(")):
        tokens.parse_layout(layout)


def test_a_mapping_with_a_bad_layout_is_bad_input(tmp_path, monkeypatch):
    text = (vm._vendor_dir() / "squid.yml").read_text()
    (tmp_path / "broken.yml").write_text(text.replace("{user}", "{usr}"))
    monkeypatch.setattr(vm, "_vendor_dir", lambda: tmp_path)
    with pytest.raises(BadInput, match="field 'user' is not in the layout"):
        vm.load_mapping.__wrapped__("broken")


def test_layout_parts():
    lay = tokens.parse_layout(LAYOUT)
    assert lay.names[:5] == ("time", "elapsed", "client", "result", "status")
    assert list(lay.seps[:5]) == [tokens.BLANK, tokens.BLANK, tokens.BLANK, ord("/"),
                                  tokens.BLANK]
    assert lay.seps[-1] == 0 and lay.widths[4] == 3


def test_field_ends_are_found_at_every_offset():
    # the end of a field is searched sixteen bytes at a time: put each kind of end (blank,
    # tab, CR, separator, end of line, end of block) at every offset of that window
    lay = tokens.parse_layout("{a}/{b} {c}")
    lines, expected = [], []
    for n in range(1, 41):
        for between in (" ", "\t", " \t "):
            for tail in ("", " ", "\t", "\r"):
                a, b, c = "x" * n, "y" * (41 - n), "z" * (n + 3)
                lines.append(f"{a}/{b}{between}{c}{tail}")
                expected.append((a, b, c))
    lines.append("x" * 30 + " y/z w")  # no "/" in the first field: no match
    data = "\n".join(lines).encode()
    scan = tokens.scan_block(data, len(lines), lay, None, ("a", "b", "c"))
    assert list(zip(*(scan.fields[k].to_pylist() for k in "abc"))) == expected
    assert scan.state[-1] == tokens.NO_MATCH
    for line, want in zip(lines, expected):  # each line alone: its ends meet the block's end
        one = tokens.scan_block(line.encode(), 1, lay, None, ("a", "b", "c"))
        assert tuple(one.fields[k][0].as_py() for k in "abc") == want


def test_utf8_check_agrees_with_python_at_every_offset():
    # ASCII is skipped a word at a time: put valid and broken sequences at every offset
    seqs = [b"\xc3\xa9", b"\xe2\x82\xac", b"\xf0\x9f\x98\x80", b"\xe9", b"\xc0\xaf",
            b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x80", b"\xf0\x9f\x98"]
    lay = tokens.parse_layout("{a} {b}")
    lines, want = [], []
    for k in range(20):
        for seq in seqs:
            line = b"x" * k + seq + b"y" * (k % 9) + b" end"
            lines.append(line)
            try:
                line.decode("utf-8")
                want.append(tokens.OK)
            except UnicodeDecodeError:
                want.append(tokens.BAD_UTF8)
    scan = tokens.scan_block(b"\n".join(lines), len(lines), lay, None, ("a", "b"))
    assert scan.state.tolist() == want and want.count(tokens.OK) == 60


def test_url_shape_keys_made_in_the_scan_equal_the_reference():
    # short keys stay inline in the view, long ones point into the block or the arena
    rng = random.Random(5)
    urls = ["https://h/" + "".join(rng.choice("ab/?#=&%") for _ in range(rng.randrange(40)))
            for _ in range(3000)] + ["a?b=1", "h#x", "x" * 30 + "?k=" + "v" * 30 + "&j"]
    lay = tokens.parse_layout("{n:digits} {u}")
    lines = []
    for i, u in enumerate(urls):  # every 7th URL first in a line that fails after it
        lines += [f"{i} {u}"] if i % 7 else [f"{i} {u}?q=1 extra", f"{i} {u}"]
    scan = tokens.scan_block("\n".join(lines).encode(), len(lines), lay, None, ("u",),
                             shape_of="u")
    assert scan.fields["u"].to_pylist() == urls
    assert scan.fields["shape_key"].to_pylist() == [shape_key(u) for u in urls]
    assert pl.from_arrow(scan.fields["shape_key"]).to_list() == [shape_key(u) for u in urls]
    with pytest.raises(ValueError, match="not one of the string fields"):
        tokens.scan_block(b"1 u", 1, lay, None, ("u",), shape_of="n")


# the CSV cells as the Polars pattern the compiled scanner replaced reads them
_CSV_CELL = r'(?:^|,)("(?:[^"]|"")*"|[^,]*)'


def _regex_cells(lines: list[str], n: int) -> pl.DataFrame:
    def cell(e):
        e = e.str.strip_prefix(",")
        quoted = e.str.starts_with('"') & e.str.ends_with('"') & (e.str.len_chars() >= 2)
        return pl.when(quoted).then(e.str.slice(1).str.slice(0, e.str.len_chars() - 2)
                                    .str.replace_all('""', '"', literal=True)).otherwise(e)
    df = pl.DataFrame({"line": lines}).with_columns(
        pl.col("line").str.extract_all(_CSV_CELL).alias("_t"))
    return df.with_columns(
        [cell(pl.col("_t").list.get(i, null_on_oob=True)).alias(f"c{i}") for i in range(n)]
        + [pl.col("_t").list.len().alias("n")])


def test_csv_cells_read_as_the_pattern_reads_them():
    rng = random.Random(3)
    lines = ["a,b,c", '"x,y",2,"q""r"', '"a""', '"a""b""c,d', '"ab"cd,ef', 'ab"cd,e"f', '"',
             '""', '"",-,', "a,,b,", '"unterminated,x,y', '"a"b"c",z', "caf\u00e9,\u00fc"]
    lines += ["".join(rng.choice('ab,"" -\u00e9') for _ in range(rng.randrange(14)))
              for _ in range(5000)]
    lines = [ln for ln in lines if not ln.startswith(",") and ln.strip()]  # see the next test
    cols = {f"c{i}": i for i in range(6)}
    scan = tokens.scan_csv_block("\n".join(lines).encode(), len(lines), cols, 2, None)
    ref = _regex_cells(lines, 6)
    kept = ref.with_row_index("i").filter(pl.col("n") >= 2)
    assert scan.rows.tolist() == kept["i"].to_list()
    for k in cols:
        assert scan.fields[k].to_pylist() == kept[k].to_list(), k
    assert sorted(set(scan.state.tolist())) == [tokens.OK, tokens.NO_MATCH]


def test_csv_scan_details():
    # a leading empty cell counts (the old pattern lost every cell after it), quotes, "" and
    # nulls, CRLF, blank and comment lines, short lines, invalid UTF-8, and URL shape keys
    data = (b',x,"-"\r\n'
            b'1,"https://h.example/p?a=""1""&b=2",\n'
            b'   \n'
            b'#1,2,3\n'
            b'only\n'
            b'1,caf\xe9,3\n'
            b'2,' + b"https://h.example/" + b"q" * 30 + b'?k=v,""')
    cols = {"a": 0, "url": 1, "c": 2, "far": 9}
    scan = tokens.scan_csv_block(data, 7, cols, 2, "#", ("-", ""), shape_of="url")
    assert scan.state.tolist() == [tokens.OK, tokens.OK, tokens.SKIP, tokens.SKIP,
                                   tokens.NO_MATCH, tokens.BAD_UTF8, tokens.OK]
    long = "https://h.example/" + "q" * 30
    assert scan.fields["a"].to_pylist() == [None, "1", "2"]
    assert scan.fields["url"].to_pylist() == ["x", 'https://h.example/p?a="1"&b=2', long + "?k=v"]
    assert scan.fields["c"].to_pylist() == [None, None, None]
    assert scan.fields["far"].to_pylist() == [None, None, None]
    assert scan.fields["shape_key"].to_pylist() == [
        "x", "https://h.example/p?a=&b=", long + "?k="]
    assert [shape_key(u) for u in scan.fields["url"].to_pylist()] == \
        scan.fields["shape_key"].to_pylist()
