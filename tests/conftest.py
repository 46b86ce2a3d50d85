"""Shared fixtures: a toy pipeline registered through WORKBENCH_PLUGINS and a CLI runner."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_runner import WORKBENCH, run_cli  # noqa: F401 - re-exported for older imports

TESTS = Path(__file__).resolve().parent


@pytest.fixture
def toy_env(tmp_path, monkeypatch):
    """Environment (for subprocesses and this process) in which the toy pipeline is registered."""
    path = os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    monkeypatch.setenv("WORKBENCH_PLUGINS", "toy_pipeline:register_pipelines")
    monkeypatch.setenv("PYTHONPATH", path)
    monkeypatch.delenv("WORKBENCH_HOME", raising=False)
    monkeypatch.delenv("WORKBENCH_MODEL", raising=False)
    return dict(os.environ)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def postgres_url():
    """URL (``postgresql://USER@127.0.0.1:PORT/DB``) of a throwaway PostgreSQL server for the
    session (see ``pg_server.py``); skips with the reason when one cannot be started here.
    SQLAlchemy needs the psycopg 3 driver spelled out:
    ``url.replace("postgresql://", "postgresql+psycopg://", 1)``.
    """
    from pg_server import PostgresServer, PostgresUnavailable, skip_reason

    reason = skip_reason()
    if reason:
        pytest.skip(f"no PostgreSQL server for the tests: {reason}")
    server = PostgresServer()
    try:
        url = server.start()
    except PostgresUnavailable as err:
        pytest.skip(f"no PostgreSQL server for the tests: could not start one: {err}")
    try:
        yield url
    finally:
        server.stop()
