"""Fixtures for tests on LLM code paths: a temp `llm` home with the scripted models, a workspace
with short timeouts, and the ledger as rows. A plain module: a test folder's conftest imports
the fixtures it wants (``from llm_fixtures import llm_home, ledger, settings``).
"""
from __future__ import annotations

import dataclasses

import pytest
import scripted_model

from workbench import config, store


@pytest.fixture
def llm_home(tmp_path, monkeypatch):
    """Keep `llm`'s configuration in a temp dir and reset the scripted models."""
    home = tmp_path / "llm-home"
    home.mkdir()
    monkeypatch.setenv("LLM_USER_PATH", str(home))
    monkeypatch.delenv("WORKBENCH_MODEL", raising=False)
    scripted_model.install()
    scripted_model.reset()
    return home


@pytest.fixture
def settings(tmp_path):
    """Settings of a temp workspace with short timeouts and backoffs."""
    (tmp_path / "ws").mkdir()
    base = config.load(tmp_path / "ws")
    return dataclasses.replace(base, llm_timeout_s=2.0, llm_max_retries=2,
                               extra={"llm_backoff_s": 0.01})


@pytest.fixture
def ledger(settings):
    """Return a function listing the ledger rows as dicts, oldest first."""
    def rows(event: str | None = None) -> list[dict]:
        with store.connect(settings) as con:
            cur = con.execute("SELECT * FROM ledger WHERE ? IS NULL OR event = ? ORDER BY event_id",
                              [event, event])
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    return rows
