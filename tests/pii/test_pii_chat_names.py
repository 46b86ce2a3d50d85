"""Names on chat-like and lower-case lines: everyday words and column headers are never names."""
from __future__ import annotations

import pytest

from workbench.pii import detect, mask, ner
from workbench.pii.names import COMMON_WORDS

# lines that name nobody: log and chat lines in lower case whose words are everyday English,
# column headers and headings in title case, cue words followed by an everyday word
HARD_NEGATIVES = [
    "mail from bobxxx@example.com at xxx",          # log_chat template: 'mail' is no person
    "cc number",
    "ping mark as resolved",
    "thanks will do",
    "ok will check tomorrow",
    "talked to finance about the budget",
    "ask security before rotating keys",
    "cc billing on the refund thread",
    "backup from replica completed at 03:00",
    "login from unknown location blocked: 10:22",
    "warning from disk monitor: usage at 91%",
    "retry from worker succeeded",
    "message from sender rejected: mailbox full",
    "Column header: Signup Date",
    "Column: Order Date",
    "Columns: Signup Date, Last Login, Order Total",
    "column header: signup date",
    "The column Signup Date holds strings",
    "rename column Ship Date to ship_date",
    "Sort by Order Date descending",
    "The report groups by Signup Date and Order Date.",
    "I am Out of Office until Monday",
]


@pytest.mark.parametrize("model", ["1", "0"])
@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_everyday_words_and_headers_are_not_names(text, model, monkeypatch):
    monkeypatch.setenv("WORKBENCH_PII_NAME_MODEL", model)
    assert [(f.entity_type, text[f.start:f.end]) for f in detect(text)
            if f.entity_type in ("PERSON", "LOCATION")] == []


@pytest.mark.parametrize("text, name", [
    ("ping bronislaw to check the logs?", "bronislaw"),
    ("thanks kavya", "kavya"),
    ("cc nikola when the deploy is done", "nikola"),
    ("just talked to seamus about the outage", "seamus"),
    ("talked to seamus yesterday", "seamus"),                 # not 'seamus yesterday'
    ("hi, this is maria gonzalez", "maria gonzalez"),          # full name, no everyday word
    ("omg wendelin okafor just joined the channel", "wendelin okafor"),
    ("Barnaby de Wit was double charged after the audit.", "Barnaby de Wit"),
])
def test_names_in_chat_are_still_found(text, name):
    assert [text[f.start:f.end] for f in detect(text) if f.entity_type == "PERSON"] == [name]


def test_log_chat_template_keeps_its_words():
    assert mask("mail from bobxxx@example.com at xxx", "redact").text == \
        "mail from <EMAIL_ADDRESS> at xxx"


def test_a_lower_case_line_of_everyday_words_is_not_given_to_the_model():
    assert ner._segments("thanks for the fix, ping me when the backup from prod is done", []) == []
    assert ner._segments("ping bronislaw when the backup is done", [])


def test_common_words_are_everyday_words_not_names():
    assert len(COMMON_WORDS) > 20_000
    assert {"mail", "backup", "yesterday", "order", "date", "signup", "number"} <= COMMON_WORDS
    assert not {"maria", "seamus", "kavya", "bronislaw", "nikola", "gonzalez"} & COMMON_WORDS
    assert all(w == w.lower() for w in COMMON_WORDS)
