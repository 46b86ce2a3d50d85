"""Vendor parsing: every vendor, bad lines, comments, time zones, block boundaries, detection."""
from __future__ import annotations

import gzip
from datetime import datetime

import polars as pl
import pytest

from workbench.ingest import detect_vendor, parse_file
from workbench.ingest.vendor_mapping import available_vendors, load_mapping
from workbench.pipelines.ai_usage.samples import write_samples

EXPECTED = {"squid_access.log": "squid", "zscaler_nss_web.jsonl": "zscaler",
            "bluecoat_proxysg.log": "bluecoat", "netskope_transactions.jsonl": "netskope",
            "paloalto_url.csv": "paloalto"}


def _all(path, vendor, **kw):
    batches = list(parse_file(path, vendor, **kw))
    return (pl.concat([b.events for b in batches]), pl.concat([b.quarantine for b in batches]),
            sum(b.skipped for b in batches), sum(b.lines for b in batches))


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    return {p.name: p for p in write_samples(tmp_path_factory.mktemp("s"), lines=500, seed=3)}


def test_five_vendor_mappings_validate():
    assert available_vendors() == ["bluecoat", "netskope", "paloalto", "squid", "zscaler"]
    for v in available_vendors():
        assert load_mapping(v).vendor == v


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_vendor_parses_and_quarantines(samples, name):
    path = samples[name]
    assert detect_vendor(path) == EXPECTED[name]
    ev, q, skipped, lines = _all(path, EXPECTED[name])
    assert ev.height == 100                      # 500 events over five vendors
    assert q.height >= 1 and q["reason"].null_count() == 0
    assert ev.height + q.height + skipped == lines == len(path.read_text().splitlines())
    assert ev["ts"].null_count() == 0 and ev["url"].str.starts_with("http").all()
    assert ev["ts"].min() >= datetime(2025, 3, 3) and ev["ts"].max() < datetime(2025, 3, 11)
    # previews show structure only: no letters or digits survive
    assert not q["masked_preview"].str.contains(r"[b-zB-Z1-8]").any()


def test_squid_fields_comments_and_line_numbers(tmp_path):
    f = tmp_path / "access.log"
    f.write_text("# header comment\n"
                 "1741000000.250    120 10.0.0.5 TCP_MISS/200 4512 GET https://claude.ai/new jdoe "
                 "HIER_DIRECT/claude.ai text/html\n\n"
                 "garbage\n"
                 "1741000001.000      5 10.0.0.6 TCP_TUNNEL/200 900 CONNECT api.openai.com:443 - "
                 "HIER_DIRECT/api.openai.com -\n")
    ev, q, skipped, _ = _all(f, "squid")
    assert ev["line_number"].to_list() == [2, 5]
    assert ev["ts"][0] == datetime(2025, 3, 3, 11, 6, 40, 250000)
    r0, r1 = ev.row(0, named=True), ev.row(1, named=True)
    assert (r0["user"], r0["status"], r0["bytes_in"], r0["action"]) == ("jdoe", 200, 4512,
                                                                          "TCP_MISS")
    assert r1["user"] is None and r1["url"] == "https://api.openai.com:443"
    assert q["locator"].to_list() == ["line 4"] and skipped == 2


def test_block_boundaries_and_gzip_give_identical_results(samples, tmp_path):
    path = samples["bluecoat_proxysg.log"]
    whole, _, _, _ = _all(path, "bluecoat")
    tiny, _, _, _ = _all(path, "bluecoat", block_bytes=777)
    gz = tmp_path / "b.log.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    zipped, _, _, _ = _all(gz, "bluecoat", block_bytes=4096)
    assert whole.drop("source_file").equals(tiny.drop("source_file"))
    assert whole.drop("source_file").equals(zipped.drop("source_file"))


@pytest.mark.parametrize("block_bytes", [61, 97, 500])
def test_elff_blocks_parsed_in_parallel_get_the_header_in_force(tmp_path, block_bytes):
    # headers change mid-file and blocks are parsed on two threads: each block must start
    # with the #Fields header of the lines before it, as the one-thread parse reads it
    lines = ["#Software: SGOS 7.3"]
    for k in range(12):
        order = ["date", "time", "cs-host", "cs-uri-path", "cs-bytes", "sc-bytes", "cs-username"]
        order = order[k % 7:] + order[:k % 7]
        lines.append("#Fields: " + " ".join(order))
        for i in range(k % 4 + 1):
            row = {"date": "2025-03-04", "time": f"10:{k:02d}:{i:02d}", "cs-host": f"h{k}.example",
                   "cs-uri-path": f"/p{i}", "cs-bytes": str(k), "sc-bytes": str(i),
                   "cs-username": f"u{k}"}
            lines.append(" ".join(row[f] for f in order))
    f = tmp_path / "sg.log"
    f.write_text("\n".join(lines) + "\n")
    one = parse_file(f, "bluecoat", block_bytes=block_bytes, workers=1)
    two = parse_file(f, "bluecoat", block_bytes=block_bytes, workers=2)
    ev1, ev2 = (pl.concat([b.events for b in batches]) for batches in (one, two))
    assert ev1.height == sum(k % 4 + 1 for k in range(12)) and ev1.equals(ev2)
    assert ev2["user"].to_list()[:3] == ["u0", "u1", "u1"]


def test_elff_header_order_and_mid_file_header(tmp_path):
    f = tmp_path / "sg.log"
    f.write_text("#Software: SGOS 7.3\n#Fields: date time cs-host cs-uri-path cs-bytes sc-bytes "
                 "cs-username\n2025-03-04 10:00:00 claude.ai /new 10 20 amy\n"
                 "#Fields: time date cs-username cs-host cs-uri-path sc-bytes cs-bytes\n"
                 "11:00:00 2025-03-04 bob chatgpt.com /c 200 100\n"
                 "too few\n")
    ev, q, _, _ = _all(f, "bluecoat")
    assert ev.select("user", "bytes_out", "bytes_in").rows() == [("amy", 10, 20), ("bob", 100, 200)]
    assert ev["ts"].to_list() == [datetime(2025, 3, 4, 10), datetime(2025, 3, 4, 11)]
    assert "fields where #Fields declares 7" in q["reason"][0]


def test_time_zones_convert_to_utc(samples):
    path = samples["paloalto_url.csv"]
    utc, _, _, _ = _all(path, "paloalto")
    berlin, _, _, _ = _all(path, "paloalto", timezone="Europe/Berlin")
    tokyo, _, _, _ = _all(path, "paloalto", timezone="Asia/Tokyo")
    assert ((utc["ts"] - berlin["ts"]).dt.total_hours() == 1).all()   # CET in March
    assert ((utc["ts"] - tokyo["ts"]).dt.total_hours() == 9).all()


def test_json_vendors_bad_json_and_bad_time(tmp_path):
    f = tmp_path / "n.jsonl"
    f.write_text('{"timestamp": 1741000000, "url": "chatgpt.com/c/1", "user": "a@b.example", '
                 '"client_bytes": 12, "server_bytes": 34, "access_method": "Client"}\n'
                 '{"timestamp": "soon", "url": "x.com/", "access_method": "Client"}\n'
                 '{"timestamp": 17410\n')
    ev, q, _, _ = _all(f, "netskope")
    assert ev.select("bytes_out", "bytes_in", "url").row(0) == (12, 34, "https://chatgpt.com/c/1")
    assert sorted(q["reason"].to_list()) == ["invalid JSON object", "unparseable time"]


def test_unknown_format_is_not_guessed(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("dear diary\nnothing here looks like a proxy log\n")
    assert detect_vendor(f) is None


def test_line_split_keeps_every_line_and_its_number():
    from workbench.ingest.lines import split_lines

    assert split_lines(b"a\r\nb\rc\n\nd\x1fe\n").to_list() == ["a", "b\rc", "", "d\x1fe", ""]
    assert split_lines(b"x\n\ny").to_list() == ["x", "", "y"]
    for data in (b"", b"\n", b"a\n\n", b"\n\na", b"\r", b"a\rb\r\n"):
        assert split_lines(data).len() == data.count(b"\n") + 1


def test_map_batch_runs_per_block_in_file_order(samples):

    path = samples["squid_access.log"]
    whole, _, _, _ = _all(path, "squid")
    seen = list(parse_file(path, "squid", block_bytes=2048,
                           map_batch=lambda b: (b.block, b.events["line_number"].to_list())))
    assert [n for n, _ in seen] == list(range(len(seen))) and len(seen) > 3
    assert [x for _, nums in seen for x in nums] == whole["line_number"].to_list()


def test_odd_squid_lines_are_sorted_right_at_any_block_size(samples, tmp_path):
    f = tmp_path / "mixed.log"
    body = samples["squid_access.log"].read_text()
    n = len(body.splitlines())
    f.write_text(body + "  # indented comment\n\t\n1741000000.1 5 a TCP_MISS/20 1 GET u x y z\n"
                 "1741000000.1      5 a TCP_MISS/200 1 GET u x y z   \n"
                 "1741000000.1 5 a TCP_MISS/200 1 GET u x y z extra\n"
                 "1741000000.1 5 a TCP_MISS200 1 GET u x y z\n\r\n")
    results = [_all(f, "squid", block_bytes=b) for b in (97, 2048, 1 << 20)]
    ev, q, skipped, lines = results[0]
    assert all(r[0].equals(ev) and r[1].equals(q) and r[2:] == (skipped, lines) for r in results)
    assert lines == n + 7 and ev.height == 101 and ev["line_number"][-1] == n + 4
    assert q["locator"].to_list()[-4:] == [f"line {n + k}" for k in (1, 3, 5, 6)]
    assert skipped == lines - ev.height - q.height and q.height == 6  # 2 sample bad lines


def test_json_fields_read_as_polars_json_path_match_reads_them():
    # one DuckDB parse per line for all paths; values as Polars' per-path reader gives them
    from workbench.ingest.vendor_parse import _json_paths

    lines = ['{"a": {"b": "x", "n": 5}, "t": 1.5}', '{"a": {"b": null}}', '{"t": "s", "a": 3}',
             "not json", '{"a": {"b": "y"', "[1,2]", "", '{"t": 1e3, "a": {"b": "caf\\u00e9 \\"q\\""}}',
             '{"t": true}', '{"t": {"x": [1, 2]}}', '{"t": -0.0}', '{"t": 12345678901234567890}',
             '  {"t": "lead"}  ', '{"a": {"b": ["l"]}}', '{"t": 1.50}', '{"t": ""}',
             '{"it\'s": "q"}']
    paths = ["$.a.b", "$.a.n", "$.t", "$.it's"]
    got = _json_paths(pl.Series(lines), paths)
    want = pl.DataFrame({"line": lines}).select(
        [pl.col("line").str.json_path_match(p).alias(p) for p in paths[:3]])
    assert got.select(paths[:3]).equals(want)
    assert got["$.a.b"][7] == 'caf\u00e9 "q"' and got["$.t"].to_list()[:3] == ["1.5", None, "s"]
    assert got["$.it's"][16] == "q"  # a quote in a path is data, not SQL
    assert _json_paths(pl.Series([], dtype=pl.String), paths).shape == (0, 4)
