"""The terminal side of log chat: ``workbench ask`` and the launcher of ``workbench chat``."""
from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[3] / "notebooks" / "apps" / "log_chat.py"
ENV = "WORKBENCH_LOG_CHAT"   # the app's options, as JSON, for the marimo process


def open_session(*, workspace=None, inputs=(), source=None, model=None, region=None):
    """Return a ChatSession on the chosen source (times relative to the end of local data)."""
    from ... import config
    from .session import ChatSession
    from .sources import data_end, open_source, pick_source

    settings = config.load(workspace)
    kind = pick_source(source or "", list(inputs))
    src = open_source(kind, list(inputs), settings, region=region)
    return ChatSession(src, settings, model=model, now=data_end(src))


def ask(question: str, *, as_json: bool = False, **options) -> int:
    """Print the answer to one question (streamed when a model streams); return the exit code."""
    session = open_session(**options)
    streamed: list[str] = []

    def on_text(chunk: str) -> None:
        if not as_json:
            streamed.append(chunk)
            sys.stdout.write(chunk)
            sys.stdout.flush()

    answer = session.ask(question, on_text=on_text)
    if as_json:
        print(json.dumps(answer.to_json(), default=str, indent=2))
    else:
        if not streamed or "".join(streamed).strip() != answer.text.strip():
            print(("\n\n" if streamed else "") + answer.text)
        else:
            print()
        print(footer(answer, session))
    return {"error": 2, "skipped": 3}.get(answer.status, 0)


def footer(answer, session) -> str:
    """Return the line under an answer: tools called, what was masked, tokens and cost."""
    tools = ", ".join(f"{c['name']}({c['rows']} rows{', cached' if c['cached'] else ''})"
                      for c in answer.tool_calls) or "no tools"
    who = "offline planner" if answer.source == "offline" else (
        "command" if answer.source == "command" else answer.model)
    return (f"— {who} · {tools} · {answer.masked_phrase} · tokens {session.tokens} · "
            f"${session.usd:.4f}")


def chat_app(*, host: str, port: int, headless: bool, **options) -> None:
    """Start ``marimo run`` on the chat app with the options passed through the environment."""
    from ... import config

    settings = config.load(options.get("workspace"))
    open_session(**options)  # bad input (no such path, no region) fails here, with exit 2
    opts = {**options, "workspace": str(settings.workspace),
            "inputs": [str(Path(i).expanduser().resolve()) for i in options.get("inputs", [])]}
    env = {**os.environ, ENV: json.dumps(opts), "WORKBENCH_HOME": str(settings.workspace)}
    cmd = [sys.executable, "-m", "marimo", "run", str(APP), "--host", host, "--port", str(port)]
    if headless:
        cmd.append("--headless")
    print("starting: " + shlex.join(cmd), file=sys.stderr)
    os.execvpe(cmd[0], cmd, env)
