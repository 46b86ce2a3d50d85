"""Scheduled runs: a launchd plist (macOS) and a cron line (Linux) running a pipeline headlessly.

Both call the virtualenv's ``workbench run … --quiet`` with the workspace fixed, and append
stdout/stderr to ``<workspace>/logs/<pipeline>.log``. A run that finds the workspace locked exits 4
and is simply retried at the next tick.
"""
from __future__ import annotations

import shlex
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from .config import Settings


def command(pipeline: str, settings: Settings, inputs: list[str], params: list[str]) -> list[str]:
    """Return the argv of one headless run."""
    exe = str(Path(sys.executable).with_name("workbench"))
    argv = [exe, "run", pipeline, "--workspace", str(settings.workspace), "--quiet"]
    for i in inputs:
        argv += ["--input", str(Path(i).expanduser().resolve())]
    for p in params:
        argv += ["--param", p]
    return argv


def cron_line(argv: list[str], log: Path, every: str, at: str) -> str:
    """Return a crontab line for the command, appending its output to ``log``."""
    hour, minute = (int(x) for x in at.split(":"))
    when = f"{minute} {hour} * * *" if every == "daily" else f"{minute} * * * *"
    return f"{when} {shlex.join(argv)} >> {shlex.quote(str(log))} 2>&1\n"


def launchd_plist(label: str, argv: list[str], log: Path, every: str, at: str) -> str:
    """Return a launchd property list running the command on the calendar interval."""
    hour, minute = (int(x) for x in at.split(":"))
    interval = (f"<key>Hour</key><integer>{hour}</integer><key>Minute</key><integer>{minute}</integer>"
                if every == "daily" else f"<key>Minute</key><integer>{minute}</integer>")
    args = "\n".join(f"    <string>{escape(a)}</string>" for a in argv)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>{escape(label)}</string>
  <key>ProgramArguments</key>
  <array>
{args}
  </array>
  <key>StartCalendarInterval</key><dict>{interval}</dict>
  <key>StandardOutPath</key><string>{escape(str(log))}</string>
  <key>StandardErrorPath</key><string>{escape(str(log))}</string>
  <key>RunAtLoad</key><false/>
</dict>
</plist>
"""


def write_schedule(pipeline: str, settings: Settings, *, every: str = "daily", at: str = "02:00",
                   fmt: str = "both", inputs: list[str] | None = None, params: list[str] | None = None,
                   out_dir: Path | None = None) -> list[Path]:
    """Write the plist and/or cron file for a pipeline; return the paths written."""
    out_dir = out_dir or settings.workspace / "schedule"
    out_dir.mkdir(parents=True, exist_ok=True)
    log = settings.workspace / "logs" / f"{pipeline}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    argv = command(pipeline, settings, inputs or [], params or [])
    written = []
    if fmt in ("launchd", "both"):
        label = f"local.workbench.{pipeline}"
        p = out_dir / f"{label}.plist"
        p.write_text(launchd_plist(label, argv, log, every, at))
        written.append(p)
    if fmt in ("cron", "both"):
        p = out_dir / f"workbench-{pipeline}.cron"
        p.write_text(cron_line(argv, log, every, at))
        written.append(p)
    return written
