"""Train the small name model shipped as ``workbench/pii/names_ner.bin`` (CPU, seeded).

Trains the ``ner`` of ``workbench.pii.ner.build_nlp()`` on sentences from
``generate_names_train.py`` (never on the scored sets), prints precision/recall on a held-back
slice of the same generator, and writes the pipeline as one bytes file.

    .venv/bin/python tests/data/pii/train_names.py [--n 10000] [--epochs 6] [--out PATH]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[2]))

import generate_names_train

from workbench.pii.ner import MODEL_PATH, build_nlp


def examples(nlp, rows: list[dict]) -> list:
    """Return spaCy ``Example``s for rows whose spans align with tokens (all do by design)."""
    from spacy.training import Example

    out = []
    for r in rows:
        doc = nlp.make_doc(r["text"])
        ents = [(s, e, t) for s, e, t in r["spans"]]
        if any(doc.char_span(s, e) is None for s, e, _ in ents):
            raise ValueError(f"span not on token boundaries: {r}")
        out.append(Example.from_dict(doc, {"entities": ents}))
    return out


def evaluate(nlp, rows: list[dict]) -> tuple[float, float]:
    """Return (recall, precision) of exact PERSON spans on ``rows``."""
    gold = pred = hit = 0
    for r, doc in zip(rows, nlp.pipe(r["text"] for r in rows), strict=True):
        g = {(s, e) for s, e, _ in r["spans"]}
        p = {(x.start_char, x.end_char) for x in doc.ents if x.label_ == "PERSON"}
        gold, pred, hit = gold + len(g), pred + len(p), hit + len(g & p)
    return hit / max(gold, 1), hit / max(pred, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--dev", type=int, default=600)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    a = ap.parse_args()
    import spacy
    from spacy.util import compounding, fix_random_seed, minibatch

    fix_random_seed(0)
    rows = generate_names_train.build(a.n + a.dev, a.seed)
    train_rows, dev_rows = rows[:a.n], rows[a.n:]
    nlp = build_nlp()
    train = examples(nlp, train_rows)
    optimizer = nlp.initialize(lambda: train)
    rnd = random.Random(0)
    t0 = time.perf_counter()
    for epoch in range(a.epochs):
        rnd.shuffle(train)
        losses: dict = {}
        for batch in minibatch(train, size=compounding(8.0, 32.0, 1.002)):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        r, p = evaluate(nlp, dev_rows)
        print(f"epoch {epoch + 1}: loss {losses['ner']:.1f}  dev recall {r:.3f} precision "
              f"{p:.3f}  ({time.perf_counter() - t0:.0f} s)", flush=True)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_bytes(nlp.to_bytes())
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.2f} MB, spaCy {spacy.__version__})")


if __name__ == "__main__":
    main()
