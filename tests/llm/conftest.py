"""Fixtures of the LLM gateway tests: a workspace, fast retry settings, the scripted models."""
from __future__ import annotations

import pytest
from llm_fixtures import ledger, llm_home, settings  # noqa: F401 - fixtures used by tests here


@pytest.fixture(autouse=True)
def _scripted(llm_home):  # noqa: F811 - the imported fixture, requested for every test
    """Every test here gets the temp `llm` home with fresh scripted models."""
    return llm_home
