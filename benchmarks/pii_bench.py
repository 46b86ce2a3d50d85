"""PII benchmark: precision/recall on the labelled set, speed against Presidio, mask_frame scale.

    .venv/bin/python benchmarks/pii_bench.py [--quick] [--data tests/data/pii/pii_bench.jsonl]
        [--holdout tests/data/pii/holdout.jsonl] [--prose tests/data/pii/prose_eval.jsonl]
        [--quality-only] [--name-model on|off|both]

Two labelled sets are scored separately: the main set (``generate.py``) and a held-out set
(``generate_holdout.py``) written independently, with its own templates, field names and names,
so the held-out figures say how the detector does on data it was not tuned on. A third set
(``generate_prose_eval.py``) holds names in prose without cue words and capitalised hard
negatives; the shipped name model (``workbench/pii/ner.py``) was never trained on it. A fourth
(``generate_weakcue_eval.py``) puts people and non-people after weak cue words only. With
``--name-model both`` every set is scored with the model on and off (``WORKBENCH_PII_NAME_MODEL``).

Scoring: a gold span counts as found when >= 90 % of its characters are masked (by any finding);
a finding counts as correct when >= 50 % of it lies inside gold spans. Throughput compares
``workbench.pii.detect`` with Presidio's default ``AnalyzerEngine`` (all predefined recognizers)
on the same blank spaCy pipeline and the same texts, in this run.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "data" / "pii"))
DATA = ROOT / "tests" / "data" / "pii" / "pii_bench.jsonl"
HOLDOUT = ROOT / "tests" / "data" / "pii" / "holdout.jsonl"
PROSE = ROOT / "tests" / "data" / "pii" / "prose_eval.jsonl"
WEAKCUE = ROOT / "tests" / "data" / "pii" / "weakcue_eval.jsonl"


def load(path: Path) -> list[dict]:
    """Return the labelled records (regenerated deterministically when the file is missing)."""
    if not path.exists():
        if path.name == HOLDOUT.name:
            import generate_holdout

            return generate_holdout.build(2400, 2024)
        if path.name == WEAKCUE.name:
            import generate_weakcue_eval

            return generate_weakcue_eval.build(600, 313)
        if path.name == PROSE.name:
            import generate_prose_eval

            return generate_prose_eval.build(1200, 99)
        import generate

        return generate.build(3000, 7)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def score(records: list[dict], predictions: list[list[tuple[int, int, str]]]) -> dict:
    """Return overall and per-type precision/recall under the span rules of the module doc."""
    gold_n, gold_hit, pred_n, pred_ok = Counter(), Counter(), Counter(), Counter()
    misses, false_pos = [], []
    for rec, preds in zip(records, predictions, strict=True):
        text, gold = rec["text"], rec["spans"]
        masked = bytearray(len(text))
        for s, e, _ in preds:
            masked[s:e] = b"\1" * (e - s)
        in_gold = bytearray(len(text))
        for s, e, _ in gold:
            in_gold[s:e] = b"\1" * (e - s)
        for s, e, t in gold:
            gold_n[t] += 1
            if sum(masked[s:e]) >= 0.9 * (e - s):
                gold_hit[t] += 1
            else:
                misses.append((t, text[s:e], text))
        for s, e, t in preds:
            pred_n[t] += 1
            if sum(in_gold[s:e]) >= 0.5 * (e - s):
                pred_ok[t] += 1
            else:
                false_pos.append((t, text[s:e], text))
    def ratio(a, b):
        return a / b if b else float("nan")
    return {
        "recall": ratio(sum(gold_hit.values()), sum(gold_n.values())),
        "precision": ratio(sum(pred_ok.values()), sum(pred_n.values())),
        "gold": sum(gold_n.values()), "predicted": sum(pred_n.values()),
        "per_type": {t: (ratio(gold_hit[t], gold_n[t]), ratio(pred_ok[t], pred_n[t]),
                         gold_n[t], pred_n[t]) for t in sorted(set(gold_n) | set(pred_n))},
        "misses": misses, "false_positives": false_pos,
    }


def timed(fn, texts: list[str]) -> tuple[list, float]:
    t0 = time.perf_counter()
    out = [fn(t) for t in texts]
    return out, time.perf_counter() - t0


def presidio_default():
    """Return Presidio's default AnalyzerEngine on the blank pipeline (offline suffix list)."""
    from presidio_analyzer import AnalyzerEngine

    from workbench.pii.engine import blank_nlp_engine, keep_tldextract_offline

    keep_tldextract_offline()
    return AnalyzerEngine(nlp_engine=blank_nlp_engine(), supported_languages=["en"])


def quality(label: str, records: list[dict], show: int) -> list[str]:
    """Print precision/recall of ``detect`` on one labelled set; return its texts."""
    from workbench.pii import detect

    texts = [r["text"] for r in records]
    detect(texts[0])                                   # warm-up (lazy imports)
    ours, t_ours = timed(lambda t: [(f.start, f.end, f.entity_type) for f in detect(t)], texts)
    res = score(records, ours)
    print(f"\n[{label}] workbench.pii.detect: recall {res['recall']:.4f}  precision "
          f"{res['precision']:.4f}  (records {len(records)}, gold {res['gold']}, predicted "
          f"{res['predicted']}, {len(texts) / t_ours:.0f} texts/s)")
    print(f"  {'entity type':<14}{'recall':>8}{'precision':>11}{'gold':>7}{'pred':>7}")
    for t, (r, p, g, n) in res["per_type"].items():
        print(f"  {t:<14}{r:>8.3f}{p:>11.3f}{g:>7}{n:>7}")
    for what, rows in (("missed", res["misses"]), ("false positive", res["false_positives"])):
        for t, val, text in rows[:show]:
            print(f"  {what}: {t} {val!r} in {text[:140]!r}")
    return texts


def name_model(on: bool) -> None:
    """Switch the shipped name model on or off for the ``detect`` calls that follow."""
    import os

    os.environ["WORKBENCH_PII_NAME_MODEL"] = "1" if on else "0"
    if on:                                  # load it once here, not inside a timed run
        from workbench.pii import ner

        t0 = time.perf_counter()
        ner.model()
        print(f"\nname model loaded in {time.perf_counter() - t0:.2f} s "
              f"({ner.MODEL_PATH.stat().st_size / 1e6:.2f} MB)")


def speed(records: list[dict], baseline_n: int, variants: list[bool]) -> None:
    """Print texts/s of ``detect`` and of Presidio's default engine on the same texts."""
    from workbench.pii import detect

    engine = presidio_default()
    sub, sub_texts = records[:baseline_n], [r["text"] for r in records[:baseline_n]]
    engine.analyze(sub_texts[0], language="en")
    base, t_base = timed(lambda t: [(r.start, r.end, r.entity_type)
                                    for r in engine.analyze(t, language="en")], sub_texts)
    b = score(sub, base)
    tps_b = len(sub) / t_base
    print(f"\nthroughput on the same {len(sub)} texts (same blank pipeline, one process):")
    print(f"  presidio default AnalyzerEngine: {tps_b:10.0f} texts/s   recall {b['recall']:.4f}"
          f"  precision {b['precision']:.4f}")
    for on in variants:
        name_model(on)
        detect(sub_texts[0])
        ours_sub, t_ours_sub = timed(
            lambda t: [(f.start, f.end, f.entity_type) for f in detect(t)], sub_texts)
        o = score(sub, ours_sub)
        tps_o = len(sub) / t_ours_sub
        label = f"detect, name model {'on' if on else 'off'}:"
        print(f"  {label:<33}{tps_o:10.0f} texts/s   recall {o['recall']:.4f}"
              f"  precision {o['precision']:.4f}   ratio {tps_o / tps_b:.1f}x (target >= 10x)")


def frame_child(rows: int, distinct: int) -> None:
    """Build the column, mask it, print one JSON line of figures (run in a fresh process)."""
    import random

    import generate
    import polars as pl

    from workbench.config import load
    from workbench.pii import mask_frame

    g = generate.Gen(11)
    rnd = random.Random(11)
    n_pii = distinct // 20                             # 5 % of distinct values hold PII
    values = set()
    while len(values) < distinct - n_pii:
        values.add(f"{g.negative()} {rnd.randint(0, 10**6)}")
    makers = [lambda: f"contact {g.email()}", lambda: f"call {g.phone()}",
              lambda: f"card {g.card()}", lambda: f"from {g.ip()}", lambda: f"name={g.person()}",
              lambda: f"token={g.secret()[1]}"]
    pii = set()
    while len(pii) < n_pii:
        pii.add(f"{rnd.choice(makers)()} ref {rnd.randint(0, 10**6)}")
    pool = pl.Series("v", sorted(values) + sorted(pii))
    df = pl.DataFrame({"message": pool.sample(rows, with_replacement=True, seed=3)})
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    import tempfile

    settings = load(tempfile.mkdtemp())
    t0 = time.perf_counter()
    out, audit = mask_frame(df, ["message"], "pseudonymize", settings=settings, source="bench")
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from workbench.pii import mask

    sample = df["message"].head(20000).to_list()
    t1 = time.perf_counter()
    for v in sample:
        mask(v, "pseudonymize", settings=settings)
    per_row = len(sample) / (time.perf_counter() - t1)
    changed = int((out["message"] != df["message"]).sum())
    print(json.dumps({"rows": rows, "distinct": pool.len(), "pii_distinct": n_pii, "seconds": dt,
                      "rows_per_s": rows / dt, "rss_before_mb": rss_before / 1024,
                      "peak_rss_mb": peak / 1024, "rows_masked": changed,
                      "audit": sum(r["count"] for r in audit), "row_by_row_rows_per_s": per_row}))


def frame_bench(rows: int, distinct: int) -> None:
    proc = subprocess.run([sys.executable, __file__, "--frame-child", str(rows), str(distinct)],
                          capture_output=True, text=True, check=True)
    f = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"\nmask_frame: {f['rows']:,} rows, {f['distinct']:,} distinct values "
          f"({f['pii_distinct']:,} with PII = 5 %)")
    print(f"  {f['rows_per_s']:,.0f} rows/s ({f['seconds']:.2f} s), rows masked "
          f"{f['rows_masked']:,}, audit count {f['audit']:,}")
    print(f"  peak RSS {f['peak_rss_mb']:.0f} MB (RSS before masking {f['rss_before_mb']:.0f} MB)")
    print(f"  baseline mask() row by row: {f['row_by_row_rows_per_s']:,.0f} rows/s -> ratio "
          f"{f['rows_per_s'] / f['row_by_row_rows_per_s']:.1f}x")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--frame-child":
        frame_child(int(sys.argv[2]), int(sys.argv[3]))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small run (about 20 s)")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--holdout", type=Path, default=HOLDOUT)
    ap.add_argument("--prose", type=Path, default=PROSE)
    ap.add_argument("--weakcue", type=Path, default=WEAKCUE)
    ap.add_argument("--name-model", choices=("on", "off", "both"), default="both",
                    help="score with the shipped name model on, off or both")
    ap.add_argument("--show", type=int, default=8, help="misses/false positives to print")
    ap.add_argument("--quality-only", action="store_true", help="skip the speed benchmarks")
    a = ap.parse_args()
    from workbench.pii import engine_info

    print(f"engine: {engine_info()['nlp_engine']}")
    records, holdout, prose = load(a.data), load(a.holdout), load(a.prose)
    weakcue = load(a.weakcue)
    if a.quick:
        records, holdout, prose, weakcue = records[:600], holdout[:600], prose[:400], weakcue[:200]
    variants = {"on": [True], "off": [False], "both": [False, True]}[a.name_model]
    for on in variants:
        name_model(on)
        tag = f"name model {'on' if on else 'off'}"
        quality(f"main set, {tag}", records, a.show)
        quality(f"held-out set, {tag}", holdout, a.show)
        quality(f"prose set, {tag}", prose, a.show)
        quality(f"weak-cue set, {tag}", weakcue, a.show)
    if a.quality_only:
        return
    n = 200 if a.quick else 1000
    speed(records[: n // 2] + holdout[: n // 2], baseline_n=n, variants=variants)
    if a.quick:
        frame_bench(100_000, 10_000)
    else:
        frame_bench(1_000_000, 100_000)


if __name__ == "__main__":
    main()
