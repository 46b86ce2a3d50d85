"""The ``workbench`` console script, run as a user would (a plain module: import it by name).

A module called ``conftest`` is ambiguous when several test folders have one, so helpers that
test modules import live in modules of their own.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

WORKBENCH = str(Path(sys.executable).with_name("workbench"))


def run_cli(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the ``workbench`` console script; return the completed process (text output)."""
    return subprocess.run([WORKBENCH, *args], capture_output=True, text=True, env=env, check=False,
                          timeout=timeout, stdin=subprocess.DEVNULL)
