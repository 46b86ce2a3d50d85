"""Ingest of trace files: folders and .gz, quarantine with line numbers, batches, masking with
audit; the sample generator (deterministic, every shape, labels that match the traces)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from workbench.config import load
from workbench.errors import BadInput
from workbench.pipelines.trace_eval._sample_shapes import BAD_LINES
from workbench.pipelines.trace_eval.ingest import (
    PREVIEW_CHARS,
    QUARANTINE_SCHEMA,
    mask_traces,
    read_traces,
    trace_files,
)
from workbench.pipelines.trace_eval.samples import write_samples
from workbench.pipelines.trace_eval.shapes import TRACE_SCHEMA

MODULES = {"format_validity", "truncation", "safety_triggers", "consistency", "length_language",
           "pii_leak"}


def plain(i: int, **extra) -> str:
    return json.dumps({"trace_id": f"t{i}", "prompt": f"question {i}", "response": f"answer {i}",
                       **extra})


def openai(i: int) -> str:
    return json.dumps({"id": f"chatcmpl-{i}", "model": "gpt-4o-mini",
                       "messages": [{"role": "user", "content": f"q{i}"}],
                       "choices": [{"message": {"role": "assistant", "content": f"a{i}"},
                                    "finish_reason": "stop"}]})


def otel(span_ids: list[str], http: int = 1) -> str:
    def s(sid, attrs):
        return {"traceId": "ab" * 16, "spanId": sid, "startTimeUnixNano": "1741082400000000000",
                "endTimeUnixNano": "1741082400500000000",
                "attributes": [{"key": k, "value": {"stringValue": v}} for k, v in attrs.items()]}
    genai = {"gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o",
             "gen_ai.input.messages": json.dumps([{"role": "user", "parts": [
                 {"type": "text", "content": "hi"}]}])}
    spans = [s(f"{n:016x}", {"http.request.method": "GET"}) for n in range(http)]
    spans += [s(sid, genai) for sid in span_ids]
    return json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]})


def all_batches(paths, **kw) -> tuple[pl.DataFrame, pl.DataFrame, list]:
    batches = list(read_traces(paths, **kw))
    return (pl.concat([b.traces for b in batches]), pl.concat([b.quarantine for b in batches]),
            batches)


def test_folders_are_walked_for_trace_files_and_gz_is_read(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a.jsonl").write_text(openai(1) + "\n" + openai(2) + "\n")
    (tmp_path / "sub" / "b.ndjson").write_text(otel(["00000000000000aa", "00000000000000bb"]))
    with gzip.open(tmp_path / "sub" / "deeper" / "c.jsonl.gz", "wt") as fh:
        fh.write(plain(1) + "\n\n" + plain(2) + "\n")
    (tmp_path / "d.json").write_text(plain(3) + "\n")
    (tmp_path / "notes.txt").write_text("not a trace file\n")
    (tmp_path / ".hidden" / "e.jsonl").write_text(plain(4) + "\n")

    files = trace_files([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "a.jsonl", "d.json", "sub/b.ndjson", "sub/deeper/c.jsonl.gz"]
    traces, quarantine, batches = all_batches([tmp_path])
    assert quarantine.height == 0 and len(batches) == 1
    b = batches[0]
    assert (b.lines, b.blank_lines, b.skipped_spans) == (7, 1, 1)
    assert b.by_format == {"openai_chat": 2, "plain": 3, "otel_genai": 2}
    assert traces.schema == pl.Schema(TRACE_SCHEMA)
    gz = traces.filter(pl.col("source_file").str.ends_with("c.jsonl.gz"))
    assert gz["line_no"].to_list() == [1, 3] and gz["trace_id"].to_list() == ["t1", "t2"]
    assert traces.filter(pl.col("source_format") == "otel_genai")["trace_id"].to_list() == [
        "ab" * 16 + ":00000000000000aa", "ab" * 16 + ":00000000000000bb"]


def test_bad_lines_are_quarantined_with_line_numbers_and_the_file_goes_on(tmp_path):
    f = tmp_path / "mixed.jsonl"
    lines = [plain(1),
             '{"trace_id": "t2", "prompt": "mail me at jane.doe@example.com", "resp',
             "",
             json.dumps({"unexpected": True}),
             json.dumps({"prompt": "p", "response": ["not", "text"]}),
             otel(["00000000000000aa", "not-an-id"], http=0),
             openai(7)]
    f.write_bytes(("\n".join(lines) + "\n").encode() + b'{"prompt": "\xff", "response": "x"}\n')
    traces, q, batches = all_batches(f)
    assert traces["trace_id"].to_list() == ["t1", "ab" * 16 + ":00000000000000aa", "chatcmpl-7"]
    assert traces["line_no"].to_list() == [1, 6, 7]
    assert q.schema == pl.Schema(QUARANTINE_SCHEMA)
    rows = {r["locator"]: r for r in q.iter_rows(named=True)}
    assert list(rows) == ["line 2", "line 4", "line 5", "line 6 span 2", "line 8"]
    assert rows["line 2"]["reason"].startswith("invalid JSON")
    assert rows["line 4"]["reason"].startswith("unknown shape")
    assert rows["line 5"]["reason"] == "plain: 'response' must be a string, got array"
    assert "spanId" in rows["line 6 span 2"]["reason"]
    assert rows["line 8"]["reason"].startswith("invalid JSON")  # not UTF-8
    assert set(q["source"]) == {str(f)}
    # the preview is masked and short: the e-mail never reaches the quarantine table
    assert "jane.doe@example.com" not in rows["line 2"]["masked_preview"]
    assert "<EMAIL_ADDRESS>" in rows["line 2"]["masked_preview"]
    assert q["masked_preview"].str.len_chars().max() <= PREVIEW_CHARS
    assert (batches[0].lines, batches[0].blank_lines) == (8, 1)


def test_batches_stream_with_a_bounded_size_and_continuous_line_numbers(tmp_path):
    f = tmp_path / "many.jsonl"
    with open(f, "w") as fh:
        fh.writelines((plain(i) if i % 100 else "{broken") + "\n" for i in range(1, 1001))
    batches = list(read_traces([f], batch_size=128))
    assert len(batches) == 8
    assert all(b.traces.height + b.quarantine.height <= 128 for b in batches)
    traces = pl.concat([b.traces for b in batches])
    assert traces.height == 990 and sum(b.quarantine.height for b in batches) == 10
    assert sum(b.lines for b in batches) == 1000
    assert traces["line_no"].to_list() == [i for i in range(1, 1001) if i % 100]
    assert traces["trace_id"].to_list() == [f"t{i}" for i in range(1, 1001) if i % 100]


def test_byte_order_mark_and_crlf_line_ends(tmp_path):
    f = tmp_path / "windows.jsonl"
    f.write_bytes(b"\xef\xbb\xbf" + (plain(1) + "\r\n" + plain(2) + "\r\n").encode())
    traces, q, _ = all_batches([f])
    assert q.height == 0 and traces["trace_id"].to_list() == ["t1", "t2"]


def test_empty_input_gives_one_empty_batch_and_bad_arguments_fail_early(tmp_path):
    (tmp_path / "empty.jsonl").write_text("")
    [b] = list(read_traces([tmp_path]))
    assert b.traces.height == 0 and b.traces.schema == pl.Schema(TRACE_SCHEMA)
    with pytest.raises(BadInput, match="input path not found"):
        list(read_traces([tmp_path / "missing.jsonl"]))
    with pytest.raises(BadInput, match="batch_size"):
        list(read_traces([tmp_path], batch_size=0))


def test_mask_traces_masks_text_columns_and_audits_counts_only(tmp_path):
    f = tmp_path / "pii.jsonl"
    rows = [plain(1, system="Agent for maria.garcia@acme.example"),
            json.dumps({"trace_id": "t2", "prompt": "Email maria.garcia@acme.example please",
                        "response": "Sent to maria.garcia@acme.example; call +1 415 555 0142.",
                        "metadata": {"owner": "maria.garcia@acme.example"}}),
            plain(3)]
    f.write_text("\n".join(rows) + "\n")
    traces = next(read_traces([f])).traces
    masked, audit = mask_traces(traces, settings=load(tmp_path))
    text = masked.select("system", "prompt", "messages", "response", "metadata")
    for col in text.columns:
        assert not text[col].str.contains("maria.garcia@acme.example").any(), col
    assert not masked["response"].str.contains("555 0142").any()
    t2 = masked.row(1, named=True)
    token = t2["prompt"].split()[1]
    assert token.startswith("<EMAIL_ADDRESS_") and token in t2["response"]  # stable pseudonym
    assert json.loads(t2["metadata"]) == {"owner": token}  # JSON stays JSON
    assert masked["trace_id"].to_list() == traces["trace_id"].to_list()
    assert masked.row(2, named=True) == traces.row(2, named=True)  # nothing to mask
    assert all(set(a) == {"source", "entity_type", "count", "action"} for a in audit)
    got = {(a["source"], a["entity_type"]): a["count"] for a in audit}
    assert got[("trace_eval_traces.prompt", "EMAIL_ADDRESS")] == 1
    assert got[("trace_eval_traces.response", "PHONE_NUMBER")] == 1
    assert got[("trace_eval_traces.system", "EMAIL_ADDRESS")] == 1
    assert "maria" not in json.dumps(audit)
    redacted, _ = mask_traces(traces, "redact")
    assert "<EMAIL_ADDRESS>" in redacted.row(1, named=True)["prompt"]


# --- samples -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples")
    paths = write_samples(out, traces=600, seed=1)
    traces, q, batches = all_batches(paths[:3])
    labels = pl.read_ndjson(paths[3])
    return paths, traces, q, batches, labels


def test_samples_are_deterministic(samples, tmp_path):
    paths = samples[0]
    again = write_samples(tmp_path / "again", traces=600, seed=1)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]
    other = write_samples(tmp_path / "other", traces=600, seed=2)
    assert other[0].read_bytes() != paths[0].read_bytes()


def test_samples_parse_and_only_the_deliberate_bad_lines_are_quarantined(samples, tmp_path):
    paths, traces, q, _batches, labels = samples
    assert [p.name for p in paths] == ["openai_chat.jsonl", "otel_spans.jsonl",
                                       "plain.jsonl.gz", "labels.jsonl"]
    assert q.height == len(BAD_LINES)
    assert traces.height == labels.height == 600
    assert traces["trace_id"].n_unique() == 600
    assert sorted(traces["trace_id"]) == sorted(labels["trace_id"])
    clean = write_samples(tmp_path / "clean", traces=200, seed=3, bad_lines=False)
    assert sum(b.quarantine.height for b in read_traces(clean[:3])) == 0


def test_samples_cover_every_shape_convention_and_model_family(samples):
    paths, traces, _, batches, _ = samples
    assert set(traces["source_format"]) == {"openai_chat", "otel_genai", "plain"}
    assert sum(b.skipped_spans for b in batches) > 0  # the HTTP and database spans
    raw = paths[1].read_text()  # both GenAI message conventions are in the OTLP file
    assert '"gen_ai.input.messages"' in raw and '"gen_ai.choice"' in raw
    assert '"gen_ai.user.message"' in raw and '"gen_ai.system_instructions"' in raw
    assert '"end_turn"' in raw  # provider-native finish reasons, normalised by ingest
    assert {"openai", "anthropic", "gcp.gemini"} <= set(traces["provider"].drop_nulls())
    assert set(traces["expected_format"]) == {"text", "json", "json_schema"}
    assert set(traces["finish_reason"]) == {"stop", "length", "tool_calls"}
    hours = traces["started_at"].dt.hour()
    assert hours.min() < 6 and hours.max() > 18 and traces["latency_ms"].min() > 0
    assert (traces["tokens_in"] > 0).all() and traces["tokens_out"].max() > 100


def test_sample_labels_mark_a_quarter_defective_with_module_names(samples):
    _, traces, _, _, labels = samples
    rate = labels["label"].mean()
    assert 0.2 <= rate <= 0.3
    found = {d for ds in labels["defects"] for d in ds}
    assert found == MODULES
    assert ((labels["label"] == 1) == (labels["defects"].list.len() > 0)).all()
    both = labels.join(traces, on="trace_id")
    clean = both.filter(pl.col("label") == 0)
    # tricky clean cases are there: an e-mail the user gave, a refusal, JSON with "error"
    assert clean.filter(pl.col("prompt").str.contains("@") & pl.col("response").str.contains("@")
                        ).height > 0
    assert clean.filter(pl.col("response").str.starts_with("I can't help")).height > 0
    assert clean.filter((pl.col("expected_format") == "json")
                        & pl.col("response").str.contains("error")).height > 0
    assert clean.filter(pl.col("response").is_in(["Yes.", "No."])).height > 0
    assert clean.filter(pl.col("prompt").str.contains("[ぁ-んァ-ン一-龯]")).height > 0
    cut = both.filter(pl.col("defects").list.contains("truncation"))
    assert (cut["finish_reason"] == "length").all()


def test_pretty_printed_json_documents_are_read_whole(tmp_path):
    export = json.loads(otel(["00000000000000aa"]))
    (tmp_path / "export.json").write_text(json.dumps(export, indent=2))
    (tmp_path / "records.json").write_text(json.dumps(
        [json.loads(plain(1)), {"prompt": "no response"}, json.loads(plain(3))], indent=2))
    traces, q, batches = all_batches([tmp_path])
    assert traces["trace_id"].to_list() == ["ab" * 16 + ":00000000000000aa", "t1", "t3"]
    items = traces.filter(pl.col("source_file").str.ends_with("records.json"))
    assert items["line_no"].to_list() == [1, 3]  # item numbers
    assert q.select("locator", "reason").rows() == [("item 2", "plain: missing 'response'")]
    assert batches[0].skipped_spans == 1


def test_odd_span_structures_quarantine_the_span_not_the_line(tmp_path):
    line = json.loads(otel(["00000000000000aa", "00000000000000bb"], http=0))
    line["resourceSpans"][0]["scopeSpans"][0]["spans"][1]["attributes"].append(
        {"key": "gen_ai.request.stop_sequences", "value": {"arrayValue": "oops"}})
    (tmp_path / "odd.jsonl").write_text(json.dumps(line) + "\n")
    traces, q, _ = all_batches([tmp_path])
    assert traces["trace_id"].to_list() == ["ab" * 16 + ":00000000000000aa"]
    assert q.select("locator", "reason").rows() == [
        ("line 1 span 2", "an arrayValue has no list of values")]


def test_the_migration_creates_tables_that_take_a_unified_batch(tmp_path):
    import duckdb

    from workbench import store
    from workbench.pipelines import trace_eval

    sql_dir = Path(trace_eval.__file__).parent / "sql"
    (tmp_path / "t.jsonl").write_text(plain(1) + "\n" + openai(2) + "\n")
    traces = next(read_traces([tmp_path])).traces.with_columns(run_id=pl.lit("r1"))
    con = duckdb.connect(str(tmp_path / "workbench.duckdb"))
    try:
        assert store.migrate(con, [("trace_eval", sql_dir)]) == ["trace_eval/001_trace_eval.sql"]
        cols = [r[0] for r in con.execute("DESCRIBE trace_eval_traces").fetchall()]
        assert cols == ["run_id", *TRACE_SCHEMA]
        con.register("batch", traces.to_arrow())
        con.execute(f"INSERT INTO trace_eval_traces SELECT {', '.join(cols)} FROM batch")
        assert con.execute("SELECT count(*), min(expected_format) FROM trace_eval_traces"
                           ).fetchone() == (2, "text")
        for table in ("trace_eval_results", "trace_eval_alerts"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    finally:
        con.close()
