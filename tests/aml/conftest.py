"""Fixtures of the aml tests: small generated batches and a real uvicorn server on 127.0.0.1."""
from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import polars as pl
import pytest

from workbench.pipelines.aml.samples import generate, write_batch


@pytest.fixture(scope="session")
def small_tables() -> dict:
    return generate(alerts=300, seed=5)


@pytest.fixture(scope="session")
def small_batch(tmp_path_factory, small_tables) -> Path:
    return write_batch(small_tables, tmp_path_factory.mktemp("aml") / "batch")


def digest(df: pl.DataFrame) -> str:
    """Return a SHA-256 over a frame's values with floats taken bit for bit (float.hex)."""
    rows = [[v.hex() if isinstance(v, float) else v for v in row] for row in df.iter_rows()]
    return hashlib.sha256(json.dumps([df.columns, rows], default=str).encode()).hexdigest()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Start ``workbench serve aml`` code (uvicorn) in a subprocess; yield its base URL."""
    port = free_port()
    env = dict(os.environ, WORKBENCH_AML_MAX_ALERTS="500",
               WORKBENCH_HOME=str(tmp_path_factory.mktemp("ws")))
    code = f"from workbench.pipelines.aml.api import serve; serve('127.0.0.1', {port})"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            out = proc.stdout.read().decode() if proc.stdout else ""
            proc.kill()
            raise RuntimeError(f"server did not start: {out}")
        time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
