"""A real ``workbench serve trace_eval`` (uvicorn) on 127.0.0.1 in a subprocess, and real orgs."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

WORKBENCH = str(Path(sys.executable).with_name("workbench"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def wb(*args, env=None, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([WORKBENCH, *args], capture_output=True, text=True, env=env,
                          timeout=timeout, stdin=subprocess.DEVNULL, check=False)


def create_org(workspace: Path, name: str) -> str:
    r = wb("orgs", "create", name, "--workspace", str(workspace), env=clean_env())
    assert r.returncode == 0, r.stderr
    return r.stdout.strip().splitlines()[-1]


class Server:
    """One server process on a workspace; ``start``/``kill``/``stop`` it."""

    def __init__(self, workspace: Path, **env) -> None:
        self.workspace, self.env = workspace, clean_env(**env)
        self.port, self.proc = free_port(), None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        self.proc = subprocess.Popen(
            [WORKBENCH, "serve", "trace_eval", "--host", "127.0.0.1", "--port", str(self.port),
             "--workspace", str(self.workspace)], env=self.env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                out = self.proc.stdout.read().decode() if self.proc.stdout else ""
                self.proc.kill()
                raise RuntimeError(f"server did not start: {out}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no checkpoint."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("ws")


@pytest.fixture(scope="module")
def keys(workspace) -> dict:
    return {"acme": create_org(workspace, "acme"), "globex": create_org(workspace, "globex")}


@pytest.fixture(scope="module")
def server(workspace, keys):
    s = Server(workspace, WORKBENCH_TRACE_API_RATE_PER_S=200, WORKBENCH_TRACE_API_BURST=400,
               WORKBENCH_TRACE_API_MAX_BATCH=50, WORKBENCH_TRACE_API_MAX_BODY_BYTES=65536).start()
    yield s
    s.stop()
