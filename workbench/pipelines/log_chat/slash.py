"""Slash commands of the chat and of ``workbench ask``: they call the tools directly, no model.

>>> parse("/fetch app.log 2h ago ERROR timeout")
('fetch', ['app.log', '2h', 'ago', 'ERROR', 'timeout'])
"""
from __future__ import annotations

import shlex

from ... import cache
from ...errors import WorkbenchError
from . import render

HELP = """Ask a question about the logs in plain words, or use a command:

- `/groups [prefix]`: list log groups
- `/fetch GROUP [since] [filter]`: events of a group (since: `1h`, `30m ago`, `yesterday`, ISO…)
- `/search PATTERN [since] [prefixes…]`: a filter pattern across groups (quote phrases)
- `/summary GROUP [since]`: templates with counts and what changed against the window before
- `/cache status`, `/cache clear`: the tool-result cache of this source
- `/clear`: forget the conversation · `/help`: this text · `/quit`: leave

Filter patterns use CloudWatch's syntax on every source: `ERROR`, `-DEBUG`, `"card declined"`,
`?timeout ?Timeout`, `{ $.level = "ERROR" }`."""


def parse(text: str) -> tuple[str, list[str]]:
    """Return (command, arguments) of a slash command line."""
    try:
        words = shlex.split(text.strip()[1:])
    except ValueError:
        words = text.strip()[1:].split()
    return (words[0].lower() if words else "help"), words[1:]


def _take_since(words: list[str], tools, default: str) -> tuple[str, list[str]]:
    """Return (since, the remaining words): a time form at the head of ``words``, if any."""
    from .planner import valid_since

    now = tools.now()
    for n in (2, 1):
        if len(words) >= n:
            cand = " ".join(words[:n])
            if valid_since(cand, now):
                return cand, words[n:]
            if n == 1 and valid_since(cand + " ago", now):
                return cand + " ago", words[1:]
    return default, words


def run(session, text: str) -> tuple[str, str]:
    """Return (status, Markdown text) of one slash command on the session's tools."""
    command, args = parse(text)
    tools = session.tools
    try:
        if command in ("help", "h", "?"):
            return "ok", HELP
        if command in ("quit", "exit", "q"):
            return "quit", "Bye."
        if command == "clear":
            session.clear()
            return "ok", "Conversation cleared."
        if command == "cache":
            return "ok", _cache(session, args[0] if args else "status")
        if command == "groups":
            return "ok", render.groups(tools.list_log_groups(args[0] if args else ""))
        if command in ("fetch", "summary", "summarize") and not args:
            return "error", f"/{command} needs a log group; see /groups"
        if command == "fetch":
            since, rest = _take_since(args[1:], tools, session.default_since)
            return "ok", render.events(tools.fetch_logs(args[0], since=since,
                                                        filter_pattern=" ".join(rest)),
                                       f"`{args[0]}` since {since}")
        if command in ("summary", "summarize"):
            since, _ = _take_since(args[1:], tools, session.default_since)
            return "ok", render.summary(tools.summarize_logs(args[0], since=since))
        if command == "search":
            if not args:
                return "error", "/search needs a filter pattern, e.g. /search \"card declined\" 2h"
            since, prefixes = _take_since(args[1:], tools, session.default_since)
            pattern = f'"{args[0]}"' if " " in args[0] else args[0]
            return "ok", render.events(tools.search_logs(pattern, since=since, prefixes=prefixes),
                                       f"{pattern} since {since}")
    except (WorkbenchError, ValueError) as exc:
        return "error", f"error: {exc}"
    return "error", f"unknown command /{command}; try /help"


def _cache(session, what: str) -> str:
    ns = f"log_chat_{session.tools.source.kind}"
    if what == "clear":
        n = cache.clear(ns, settings=session.settings)
        session.fresh_next = True
        return f"Cleared {n} cached tool result(s) of the {session.tools.source.kind} source."
    stats = cache.stats(ns, settings=session.settings)
    return f"Cache `{ns}`: " + ", ".join(f"{k} {v}" for k, v in dict(stats).items())
