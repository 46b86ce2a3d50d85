"""Fixtures of the trace_eval tests: the scripted `llm` models and a workspace (for the judge)."""
from __future__ import annotations

from llm_fixtures import ledger, llm_home, settings  # noqa: F401 - fixtures used by tests here
