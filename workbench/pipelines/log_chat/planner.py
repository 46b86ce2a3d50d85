"""The offline planner: plain questions of the common shapes answered by calling the tools directly.

With no model configured, a question is matched against five shapes, in this order:

1. *counts over time*: "how many errors per hour in checkout", "error trend today" → ``count_logs``;
2. *what changed*: "summarize payments", "what changed in checkout since yesterday" →
   ``summarize_logs``;
3. *search*: "search for 'card declined'", "find timeout across /aws/lambda/" → ``search_logs``;
4. *problems*: errors / warnings / exceptions / timeouts (in GROUP) (over a range) →
   ``summarize_logs`` with a filter when a group is named, else ``search_logs`` across groups;
5. *list groups*: "which log groups are there", "list groups under /aws/" → ``list_log_groups``.

Anything else gets "needs a model; try /help". Every answer says it comes from the offline
planner: no model was asked.

>>> plan("what went wrong in checkout in the last hour?", ["/aws/lambda/checkout"]).tool
'summarize_logs'
>>> plan("tell me a joke", ["app.log"]) is None
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath

from .timeparse import parse_time

OFFLINE_NOTE = "_(offline planner: no model was asked; answered by calling the tools directly)_"
NEEDS_MODEL = ("This question needs a model; the offline planner answers lists of groups, "
               "errors/warnings/exceptions/timeouts in a group over a time range, searches, "
               "summaries (what changed) and counts over time. Try /help.")

PROBLEMS = {
    "errors": ("?ERROR ?Error ?error ?FATAL ?CRITICAL ?failed ?Failed",
               r"\b(errors?|fail(ed|ures?|ing)?|wrong|broken|problems?|issues?|crash\w*|fatal)\b"),
    "warnings": ("?WARN ?WARNING ?Warning ?warning", r"\bwarn(ings?|s)?\b"),
    "exceptions": ("?Exception ?Traceback ?exception ?panic",
                   r"\b(exceptions?|stack ?traces?|tracebacks?|panics?)\b"),
    "timeouts": ('?timeout ?Timeout ?TIMEOUT ?"timed out" ?"Timed out"',
                 r"\b(time ?outs?|timed out|timing out|slow|latency)\b"),
}
_COUNT = re.compile(r"\b(how many|how often|count|counts|number of|per (minute|hour|day)|"
                    r"over time|trend|histogram|hourly|daily|rate of)\b", re.IGNORECASE)
_CHANGE = re.compile(r"\b(summar\w*|overview|what changed|what'?s new|changes?|new templates?|"
                     r"spikes?|anomal\w*|unusual|different)\b", re.IGNORECASE)
_SEARCH = re.compile(r"\b(search|find|grep|look for|where (does|do|did)|occurrences? of|"
                     r"lines? (with|containing|mentioning)|mentions? of)\b", re.IGNORECASE)
_LIST = re.compile(r"\b(list|show|which|what)\b.*\b(log ?groups?|groups|logs|log files|sources)\b"
                   r"|\b(log ?groups|groups)\b.*\b(are there|exist|available|do (we|i|you) have)\b",
                   re.IGNORECASE)
_QUOTED = re.compile(r"[\"“'‘`](.+?)[\"”'’`]")
_SPAN = r"\d+(?:\.\d+)?\s*(?:s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)"
_TIMES = [
    (re.compile(rf"\b(?:in |over |during |for )?(?:the )?(?:last|past)\s+({_SPAN})\b", re.IGNORECASE),
     lambda m: m.group(1) + " ago"),
    (re.compile(r"\b(?:in |over |during )?(?:the )?(?:last|past)\s+(minute|hour|day|week)\b", re.IGNORECASE),
     lambda m: "1 " + m.group(1) + " ago"),
    (re.compile(rf"\b({_SPAN})\s+ago\b", re.IGNORECASE), lambda m: m.group(1) + " ago"),
    (re.compile(r"\bsince\s+(yesterday|today|\d{4}-\d\d-\d\d(?:[T ][\d:.]+Z?)?)\b", re.IGNORECASE),
     lambda m: m.group(1)),
    (re.compile(r"\b(today|yesterday)\b", re.IGNORECASE), lambda m: m.group(1)),
]
_INTERVALS = [(re.compile(r"\bper minute|\bevery minute|\bby minute", re.IGNORECASE), "1m"),
              (re.compile(r"\bper hour|\bhourly|\bby hour|\beach hour", re.IGNORECASE), "1h"),
              (re.compile(r"\bper day|\bdaily|\bby day|\beach day", re.IGNORECASE), "1d"),
              (re.compile(r"\b(?:per|every)\s+(\d+)\s*(m|min|minutes?)\b", re.IGNORECASE), None)]
_STOP = {"the", "a", "an", "in", "on", "of", "for", "to", "and", "or", "logs", "log", "me", "show",
         "search", "find", "grep", "across", "all", "groups", "group", "with", "lines",
         "containing", "look", "where", "does", "do", "did", "appear", "occur", "since", "last",
         "past", "hour", "hours", "day", "days", "minutes", "today", "yesterday", "ago", "any"}


@dataclass
class Plan:
    """What the planner will call: a tool, its arguments, and the shape it recognised."""

    tool: str
    arguments: dict = field(default_factory=dict)
    intent: str = ""


def find_since(question: str, default: str) -> str:
    """Return the start of the window the question names (a parse_time form), else ``default``."""
    for rx, form in _TIMES:
        m = rx.search(question)
        if m:
            return form(m)
    return default


def _aliases(group: str) -> list[str]:
    path = PurePosixPath(group.strip("/"))
    stem = path.name.split(".")[0]
    out = [group, group.strip("/"), path.name, stem]
    return [a for a in dict.fromkeys(out) if len(a) >= 3]


def find_groups(question: str, groups: list[str]) -> tuple[list[str], list[str]]:
    """Return (groups named in the question, group-name prefixes named in it)."""
    q = question.lower()
    prefixes = [t for t in re.findall(r"(?<![\w/])(/?[\w.-]+(?:/[\w.-]+)*/)(?=[\s?,.!]|$)",
                                      question) if any(g.startswith(t) for g in groups)]
    named = []
    for g in groups:
        for alias in _aliases(g):
            if re.search(rf"(?<![\w/.-]){re.escape(alias.lower())}(?![\w/-])", q):
                named.append(g)
                break
    return named, prefixes


def _interval(question: str, since: str) -> str:
    for rx, every in _INTERVALS:
        m = rx.search(question)
        if m:
            return every or f"{m.group(1)}m"
    ref = datetime(2000, 1, 10, tzinfo=UTC)
    try:
        span = (ref - parse_time(since, ref)).total_seconds()
    except ValueError:
        return "1h"
    return "5m" if span <= 3 * 3600 else ("1h" if span <= 3 * 86400 else "1d")


def _pattern(question: str, named: list[str], prefixes: list[str]) -> str:
    m = _QUOTED.search(question)
    if m:
        text = m.group(1)
        return f'"{text}"' if " " in text else text
    words = re.findall(r"[\w.:/-]+", question)
    aliases = {a.lower() for g in named for a in _aliases(g)} | {p.lower() for p in prefixes}
    keep = [w for w in words if w.lower() not in _STOP and w.lower() not in aliases
            and not _SEARCH.fullmatch(w) and not re.fullmatch(_SPAN, w, re.IGNORECASE)]
    return keep[-1] if keep else ""


def plan(question: str, groups: list[str], default_since: str = "1h ago") -> Plan | None:
    """Return the tool call that answers ``question``, or None when it needs a model."""
    q = question.strip()
    since = find_since(q, default_since)
    named, prefixes = find_groups(q, groups)
    problem = next((k for k, (_, rx) in PROBLEMS.items() if re.search(rx, q, re.IGNORECASE)), None)
    target = named[0] if named else None
    if _COUNT.search(q) and (target or prefixes or problem):
        pattern = PROBLEMS[problem][0] if problem else _pattern(q, named, prefixes)
        group = target or (prefixes[0] + "*" if prefixes else None)
        if group:
            return Plan("count_logs", {"log_group": group, "filter_pattern": pattern,
                                       "since": since, "interval": _interval(q, since)}, "counts")
    if _CHANGE.search(q) and target:
        return Plan("summarize_logs", {"log_group": target, "since": since}, "summary")
    if _SEARCH.search(q) or (_QUOTED.search(q) and not problem):
        pattern = _pattern(q, named, prefixes)
        if pattern:
            return Plan("search_logs", {"filter_pattern": pattern, "since": since,
                                        "prefixes": prefixes or named}, "search")
    if problem:
        pattern = PROBLEMS[problem][0]
        if target:
            return Plan("summarize_logs", {"log_group": target, "since": since,
                                           "filter_pattern": pattern}, problem)
        return Plan("search_logs", {"filter_pattern": pattern, "since": since,
                                    "prefixes": prefixes}, problem)
    if _LIST.search(q) or re.fullmatch(r"(log ?)?groups\??", q, re.IGNORECASE):
        return Plan("list_log_groups", {"prefix": prefixes[0] if prefixes else ""}, "groups")
    return None


def valid_since(since: str, now) -> bool:
    """Return True when ``since`` is a time form parse_time accepts."""
    try:
        parse_time(since, now)
    except ValueError:
        return False
    return True
