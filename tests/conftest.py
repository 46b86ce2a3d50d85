"""Shared fixtures: a toy pipeline registered through WORKBENCH_PLUGINS and a CLI runner."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
WORKBENCH = str(Path(sys.executable).with_name("workbench"))


@pytest.fixture
def toy_env(tmp_path, monkeypatch):
    """Environment (for subprocesses and this process) in which the toy pipeline is registered."""
    path = os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    monkeypatch.setenv("WORKBENCH_PLUGINS", "toy_pipeline:register_pipelines")
    monkeypatch.setenv("PYTHONPATH", path)
    monkeypatch.delenv("WORKBENCH_HOME", raising=False)
    monkeypatch.delenv("WORKBENCH_MODEL", raising=False)
    return dict(os.environ)


def run_cli(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the ``workbench`` console script; return the completed process (text output)."""
    return subprocess.run([WORKBENCH, *args], capture_output=True, text=True, env=env, check=False,
                          timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture
def cli():
    return run_cli
