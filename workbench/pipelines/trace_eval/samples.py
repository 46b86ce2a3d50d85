"""Deterministic sample traces in all three shapes, with known defects and a labels file.

``write_samples`` writes ``openai_chat.jsonl`` (merged records and request/response pairs),
``otel_spans.jsonl`` (OTLP exports: both GenAI message conventions, plus HTTP and database
spans that ingest skips), ``plain.jsonl.gz`` and ``labels.jsonl`` (``{trace_id, label,
defects}``, 1 = defective, for tier-2 training). About a quarter of the traces are defective;
the clean ones include the tricky cases (quoted e-mails, refusals, fiction, JSON holding the
word "error", short yes/no answers, several languages). With ``bad_lines`` (the default)
``BAD_LINES`` are added, one quarantine row each; nothing else is quarantined. Same arguments,
same bytes. Lines are written as they are made, so a million traces need no more memory than ten.
"""
from __future__ import annotations

import bisect
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from random import Random

from ._fields import content_hash
from ._sample_cases import CLEAN, Case
from ._sample_defects import DEFECTS
from ._sample_shapes import BAD_LINES, OtelWriter, openai_record, plain_record

START = datetime(2025, 3, 4, tzinfo=UTC)  # one day of traffic, busiest in office hours
_HOURS = (1, 1, 1, 1, 1, 2, 3, 6, 9, 10, 10, 9, 8, 9, 10, 10, 9, 7, 5, 4, 3, 2, 2, 1)
# (model, provider, ms per output token, USD per 1M input tokens, per 1M output tokens, weight)
MODELS = (
    ("gpt-4o-2024-08-06", "openai", 12, 2.5, 10.0, 8),
    ("gpt-4o-mini-2024-07-18", "openai", 7, .15, .6, 12),
    ("o3-mini-2025-01-31", "openai", 9, 1.1, 4.4, 3),
    ("claude-3-5-sonnet-20241022", "anthropic", 14, 3.0, 15.0, 7),
    ("claude-3-5-haiku-20241022", "anthropic", 8, .8, 4.0, 5),
    ("gemini-1.5-pro-002", "gcp.gemini", 11, 1.25, 5.0, 3),
    ("gemini-2.0-flash", "gcp.gemini", 5, .1, .4, 4),
    ("mistral-large-2411", "mistral_ai", 13, 2.0, 6.0, 2),
    ("meta.llama3-1-70b-instruct-v1:0", "aws.bedrock", 10, .72, .72, 2),
)
DEFECT_RATE = .25
FILES = ("openai_chat.jsonl", "otel_spans.jsonl", "plain.jsonl.gz", "labels.jsonl")


def _cdf(weights) -> list[float]:
    total, acc, out = sum(weights), 0.0, []
    for w in weights:
        acc += w
        out.append(acc / total)
    return out


_HOUR_CDF = _cdf(_HOURS)


def _second_of_day(u: float) -> float:
    """Return the second of the day at quantile ``u`` of the office-hours traffic curve."""
    h = bisect.bisect_left(_HOUR_CDF, u)
    lo = _HOUR_CDF[h - 1] if h else 0.0
    return 3600 * (h + (u - lo) / (_HOUR_CDF[h] - lo))


def _tokens(text: str | None) -> int:
    if not text:
        return 0
    wide = sum(1 for ch in text if ord(ch) > 0x2E80)  # CJK: about a token per character
    return max(1, (len(text) - wide) // 4 + wide)


def make_case(rng: Random) -> Case:
    """Return one interaction: defective with probability ``DEFECT_RATE``."""
    pool = DEFECTS if rng.random() < DEFECT_RATE else CLEAN
    maker = rng.choices([m for m, _ in pool], [w for _, w in pool])[0]
    return maker(rng)


def measure(case: Case, rng: Random, model: tuple, t_us: int) -> dict:
    """Return the measured facts of a call: model, tokens, latency, cost, start and end time."""
    name, provider, ms_tok, usd_in, usd_out, _ = model
    tin = 12 + _tokens(case.system) + _tokens(case.prompt) + sum(
        4 + _tokens(m["content"]) for m in case.history)
    tout = _tokens(case.response) + (18 * len(case.tool_calls) if case.tool_calls else 0)
    if case.finish == "length":
        case.max_tokens = tout
    elif case.max_tokens is None and rng.random() < .4:
        case.max_tokens = rng.choice((256, 512, 1024, 4096))
    latency = rng.lognormvariate(5.8, .35) + tout * ms_tok * rng.uniform(.8, 1.3)
    return {"model": name, "provider": provider, "tokens_in": tin, "tokens_out": tout,
            "latency_ms": round(latency, 1), "start_us": t_us,
            "end_us": t_us + int(latency * 1000),
            "cost_usd": round((tin * usd_in + tout * usd_out) / 1e6, 6)}


def write_samples(out_dir: Path, traces: int = 600, seed: int = 1, *,
                  bad_lines: bool = True) -> list[Path]:
    """Write the three trace files and ``labels.jsonl`` under ``out_dir``; return their paths.

    >>> import tempfile
    >>> [p.name for p in write_samples(Path(tempfile.mkdtemp()), traces=20)]
    ['openai_chat.jsonl', 'otel_spans.jsonl', 'plain.jsonl.gz', 'labels.jsonl']
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f for f in FILES]
    rng = Random(seed)
    weights = [m[-1] for m in MODELS]
    day0 = int(START.timestamp() * 1e6)
    bad_at = {traces * (i + 1) // (len(BAD_LINES) + 1): b for i, b in enumerate(BAD_LINES)} \
        if bad_lines else {}
    with open(paths[0], "w", encoding="utf-8") as fo, open(paths[1], "w", encoding="utf-8") as ft, \
            gzip.GzipFile(paths[2], "wb", mtime=0) as gz, \
            open(paths[3], "w", encoding="utf-8") as fl:
        files = {"openai_chat": fo, "otel": ft}
        otel = OtelWriter(rng, ft)
        for i in range(traces):
            t_us = day0 + int(_second_of_day((i + rng.random()) / traces) * 1e6)
            case = make_case(rng)
            shape = rng.choices(("openai_chat", "otel", "plain"), (40, 35, 25))[0]
            if shape == "openai_chat" and rng.random() < .6:  # mostly OpenAI's own models
                model = MODELS[rng.randrange(2)]
            else:
                model = rng.choices(MODELS, weights)[0]
            facts = measure(case, rng, model, t_us)
            if shape == "otel":
                trace_id = otel.add(case, facts)
            else:
                rec = openai_record(case, facts, rng) if shape == "openai_chat" else \
                    plain_record(case, facts, rng)
                line = json.dumps(rec, ensure_ascii=False)
                if shape == "plain":
                    gz.write(line.encode() + b"\n")
                else:
                    fo.write(line + "\n")
                trace_id = str(rec.get("trace_id") or rec.get("id") or content_hash(rec))
            fl.write(json.dumps({"trace_id": trace_id, "label": int(bool(case.defects)),
                                 "defects": case.defects}) + "\n")
            if i in bad_at:
                shape_name, bad = bad_at[i]
                if shape_name == "plain":
                    gz.write(bad.encode() + b"\n")
                else:
                    if shape_name == "otel":
                        otel.flush()
                    files[shape_name].write(bad + "\n")
        otel.flush()
    return paths
