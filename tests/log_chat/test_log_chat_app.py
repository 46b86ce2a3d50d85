"""The marimo chat app in a real browser: Chromium driven by Playwright against `workbench chat`."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="Debian's chromium is not installed (make setup installs "
                                       "it when run as root)")
WORKBENCH = str(Path(sys.executable).with_name("workbench"))
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chat_server(tmp_path, sample_logs):
    port = _port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env["LLM_USER_PATH"] = str(tmp_path / "llm")
    proc = subprocess.Popen([WORKBENCH, "chat", "--workspace", str(tmp_path), "--input",
                             str(sample_logs), "--headless", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                            stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("workbench chat exited: " + proc.stdout.read().decode()[-2000:])
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("workbench chat did not start within 90 s")
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_page_loads_answers_a_question_and_a_slash_command(chat_server, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.goto(chat_server, wait_until="networkidle")
        page.wait_for_selector('h1:has-text("Log chat")', timeout=90_000)
        assert "5 log groups" in page.inner_text("body")
        box = page.get_by_role("textbox").last
        box.fill("/groups")
        box.press("Enter")
        page.wait_for_selector("text=aws/lambda/checkout.jsonl", timeout=60_000)
        box.fill("What went wrong in checkout in the last 2 hours?")
        box.press("Enter")
        page.wait_for_selector("text=GatewayCircuitOpen", timeout=60_000)
        page.wait_for_selector("text=offline planner", timeout=30_000)
        page.wait_for_selector("text=/summarize_logs\\(\\d+ rows\\)/", timeout=30_000)
        assert page.locator("text=/(nothing )?masked/").count() >= 1
        assert page.locator("text=@example.com").count() == 0  # text selectors see the shadow DOM
        page.screenshot(path=str(tmp_path / "log_chat_app.png"), full_page=True)
        browser.close()
