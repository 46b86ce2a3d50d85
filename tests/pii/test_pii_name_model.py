"""The shipped name model: loads offline from the package, adds cue-less names, keeps negatives."""
from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.pii import detect, ner


def persons(text: str) -> list[str]:
    """Return the PERSON values ``detect`` finds in ``text``."""
    return [text[f.start:f.end] for f in detect(text) if f.entity_type == "PERSON"]


def test_model_file_ships_in_the_package_and_loads():
    assert ner.MODEL_PATH.is_file()
    assert ner.MODEL_PATH.stat().st_size < 5_000_000
    nlp = ner.model()
    assert nlp.pipe_names == ["ner"]
    assert "PERSON" in nlp.get_pipe("ner").labels


@pytest.mark.parametrize("text, name", [
    ("Letter returned undeliverable; recipient Oksana Dlamini has moved.", "Oksana Dlamini"),
    ("The contact on file is Henrietta Mwangi.", "Henrietta Mwangi"),
    ("Looks like Wiremu Fagerlund used the old link again.", "Wiremu Fagerlund"),
])
def test_names_in_prose_without_a_cue_are_found(text, name):
    assert name in persons(text)


@pytest.mark.parametrize("text", [
    "Status is Pending Review since Tuesday.",
    "Migrated Granite Labs from Looker Studio to Power BI last week.",
    "Sorry, I am Running Late for the Platform Team sync.",
    "Shipment left Cape Town for Buenos Aires on Friday.",
    "Release Notes\n\nThe export for November is attached.",
])
def test_model_adds_no_capitalised_non_names(text):
    assert [f for f in detect(text) if f.recognizer == "name_model"] == []


def test_model_spans_never_overlap_rule_findings():
    text = "Refund approved; Henrietta Mwangi wrote from hm@example.com at 10.0.0.7 today."
    found = detect(text)
    assert [text[f.start:f.end] for f in found] == ["Henrietta Mwangi", "hm@example.com",
                                                    "10.0.0.7"]


def test_switch_turns_the_model_off(monkeypatch):
    text = "Letter returned undeliverable; recipient Oksana Dlamini has moved."
    monkeypatch.setenv("WORKBENCH_PII_NAME_MODEL", "0")
    assert persons(text) == []
    monkeypatch.setenv("WORKBENCH_PII_NAME_MODEL", "1")
    assert persons(text) == ["Oksana Dlamini"]


@pytest.mark.parametrize("text, name", [
    ("Quarterly review with Redwood Analytics moved to Thursday.", None),
    ("Sorry, I am Running Late for the sync.", None),
    ("Status changed from Pending Refund to Closed Lost on Tuesday.", None),
    ("User: Can Fraud Monitor read files from Identity Hub?", None),
    ('level=info msg="job finished" tenant="Crescent Pharma"', None),
    ("Lunch with Ottoline Farquharson got moved.", "Ottoline Farquharson"),   # model confirms
    ("Waiting for Temperance da Cunha to confirm.", "Temperance da Cunha"),   # particle
    ("Spoke with Siobhán Ruiz-Tagle about it.", "Siobhán Ruiz-Tagle"),         # strong cue
    ("Ticket escalated to Quentin O. Szabo by Matasan Dorsa at noon.", "Matasan Dorsa"),
    ("Summarise the complaint from Ridor Anka about invoice 7.", "Ridor Anka"),
    ("Draft a reply to Mateo Zhou (mzhou68@web.de) today.", "Mateo Zhou"),
])
def test_weak_cues_need_confirmation_strong_cues_do_not(text, name):
    found = persons(text)
    assert (name in found) if name else found == []


def test_weak_cue_names_are_kept_without_a_model(monkeypatch):
    monkeypatch.setenv("WORKBENCH_PII_NAME_MODEL", "0")     # nothing to ask: recall first
    assert persons("Lunch with Jovan Brkic got moved.") == ["Jovan Brkic"]
    assert persons("Quarterly review with Redwood Analytics moved.") == []


def test_texts_without_a_candidate_pair_never_load_the_model():
    code = ("import sys, workbench.pii as p; p.detect('GET /healthz 200 in 3ms'); "
            "p.detect('level=info user=jdoe ip=10.1.2.3'); "
            "print('spacy' in sys.modules, p.ner.model.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "0"]


def test_model_spans_with_a_lowercase_word_are_not_names():
    from workbench.pii import ner

    assert not ner._plausible("Pharmaceuticals got")
    assert ner._plausible("Ana van Dijk")


def test_detect_many_finds_what_detect_finds(monkeypatch):
    import json
    from pathlib import Path

    from workbench.pii import detect_many

    data = Path(__file__).resolve().parents[1] / "data" / "pii"
    texts = [json.loads(line)["text"] for name in ("prose_eval.jsonl", "weakcue_eval.jsonl",
                                                   "holdout.jsonl")
             for line in (data / name).read_text().splitlines()[:150]]
    texts += ["", "mail from bobxxx@example.com at xxx", "ping bronislaw about it"]
    assert detect_many(texts) == [detect(t) for t in texts]
    monkeypatch.setenv("WORKBENCH_PII_NAME_MODEL", "0")
    assert detect_many(texts) == [detect(t) for t in texts]
