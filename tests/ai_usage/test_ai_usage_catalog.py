"""The AI service catalog: size, full-host matching, patterns, path scoping, offline answers."""
from __future__ import annotations

import pytest

from workbench.pipelines.ai_usage.catalog import CATEGORIES, load_catalog
from workbench.pipelines.ai_usage.classify import SCHEMA, offline_answer


def test_catalog_has_at_least_100_services_in_every_category():
    cat = load_catalog()
    assert len(cat.services) >= 100
    assert {s.category for s in cat.services} == set(CATEGORIES)


@pytest.mark.parametrize(("host", "path", "service"), [
    ("gemini.google.com", "/app", "Gemini"),
    ("www.google.com", "/search", None),             # not all of google.com is Gemini
    ("google.com", "/", None),
    ("chatgpt.com", "/c/{uuid}", "ChatGPT"),
    ("evil-chatgpt.com", "/", None),                  # no suffix or substring matching
    ("chatgpt.com.evil.example", "/", None),
    ("acme-east.openai.azure.com", "/openai/deployments", "Azure OpenAI"),
    ("bedrock-runtime.eu-west-1.amazonaws.com", "/model/x/invoke", "Amazon Bedrock"),
    ("s3.eu-west-1.amazonaws.com", "/", None),
    ("huggingface.co", "/chat/conversation", "HuggingChat"),
    ("huggingface.co", "/meta-llama/x", "Hugging Face Hub"),
    ("API.OPENAI.COM.", "/v1/chat/completions", "OpenAI API"),
])
def test_match_on_full_hosts(host, path, service):
    s = load_catalog().match(host, path)
    assert (s.service if s else None) == service


def test_offline_answers_follow_schema_and_never_guess():
    import jsonschema

    for host in ("claude.ai", "www.google.com", "api.obscure-llm-startup.io"):
        jsonschema.validate(offline_answer({"host": host, "path_template": "/"}), SCHEMA)
    assert offline_answer({"host": "claude.ai"})["is_ai"] is True
    assert offline_answer({"host": "www.google.com"})["is_ai"] is False
    unknown = offline_answer({"host": "api.obscure-llm-startup.io"})
    assert unknown["is_ai"] is None and unknown["service"] is None and unknown["confidence"] == 0
