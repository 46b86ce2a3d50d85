"""A chat over one log source: slash commands, the offline planner, or a model with the tools.

``ChatSession.ask(text)`` returns an ``Answer`` whatever happens: a slash command runs the tools
directly; with no model configured a plain question goes to the offline planner (which says so);
with a model, ``workbench.llm.run_chat`` lets it call the tools (each result masked, guarded,
cached) for at most ``max_iterations`` tool rounds, after which a partial answer says what the
tools found. Follow-up questions carry the conversation (masked) as history.
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ...config import Settings
from ...errors import WorkbenchError
from ...ingest.log_source import LogSource
from . import planner, render, slash
from .evidence import mask_texts, masked_phrase
from .tools import LogTools

SYSTEM = (
    "You answer questions about application logs for an on-call engineer. Use the tools to look "
    "at the logs; never guess. Times: 'now' is {now}; tools accept '1h ago', '30m ago', "
    "'yesterday', ISO 8601. Filter patterns use CloudWatch syntax (terms, -term, \"phrase\", "
    "?a ?b, {{ $.level = \"ERROR\" }}). Values such as <EMAIL_ADDRESS_1a2b3c> are masked on "
    "purpose: refer to them as they are. Answer briefly: what happened, when, how often, and the "
    "evidence (log group, time, template).")
RENDER = {"list_log_groups": render.groups, "fetch_logs": render.events,
          "search_logs": render.events, "summarize_logs": render.summary,
          "count_logs": render.counts}


def setting(settings: Settings, key: str, default):
    """Return a log_chat setting: WORKBENCH_<KEY> env, else workbench.toml, else ``default``."""
    raw = os.environ.get(f"WORKBENCH_{key.upper()}")
    if raw in (None, ""):
        raw = settings.extra.get(key, default)
    return type(default)(raw) if not isinstance(default, bool) else str(raw).lower() in (
        "1", "true", "on", "yes")


@dataclass
class Answer:
    """One answer: text, the tool calls behind it, where it came from, what was masked."""

    question: str
    text: str
    source: str                       # model | offline | command
    status: str = "ok"                # ok | cached | offline | partial | skipped | error | quit
    tool_calls: list[dict] = field(default_factory=list)
    masked: dict[str, int] = field(default_factory=dict)
    model: str = "offline"
    tokens: int = 0
    usd: float = 0.0

    @property
    def masked_phrase(self) -> str:
        """Return 'masked 3 e-mails, 2 IPs' for this answer."""
        return masked_phrase(self.masked)

    def to_json(self) -> dict:
        """Return the ``--json`` form: answer, tool_calls, source, masked (and status, model)."""
        return {"answer": self.text, "tool_calls": self.tool_calls, "source": self.source,
                "masked": self.masked, "status": self.status, "model": self.model,
                "tokens": self.tokens, "usd": self.usd}


class ChatSession:
    """A conversation over one log source (see the module docstring)."""

    def __init__(self, source: LogSource, settings: Settings, *, model: str | None = None,
                 now: datetime | None = None, max_iterations: int | None = None,
                 default_since: str = "1h ago", run_id: str | None = None,
                 stage: str | None = None, mask: bool | None = None):
        self.settings, self.model = settings, model or settings.model or "offline"
        self.mask = setting(settings, "log_chat_pii", True) if mask is None else mask
        self.tools = LogTools(source, settings, now=now, mask=self.mask)
        self.max_iterations = max_iterations or setting(settings, "log_chat_max_iterations", 10)
        self.default_since, self.run_id, self.stage = default_since, run_id, stage
        self.history: list[tuple[str, str]] = []
        self.tokens, self.usd = 0, 0.0
        self.fresh_next = False
        self.planner_error = False
        if not self.mask:
            self._ledger("pii_off", detail={"setting": "log_chat_pii=off", "note": (
                "tool results shown unmasked on this machine; a model still gets masked text")})

    def clear(self) -> None:
        """Forget the conversation (history and the running tool log)."""
        self.history.clear()
        self.tools.calls.clear()
        self.tools.masked.clear()

    def groups(self) -> list[str]:
        """Return the names of the source's log groups."""
        return [g.name for g in self.tools.source.list_groups()]

    def ask(self, text: str, on_text: Callable[[str], None] | None = None) -> Answer:
        """Return the answer to a question or slash command (``on_text`` streams model text)."""
        mark = len(self.tools.calls)
        question = text.strip()
        if question.startswith("/"):
            status, body = slash.run(self, question)
            return self._finish(Answer(question, body, "command", status), mark)
        if not question:
            return Answer(question, slash.HELP, "command")
        from ...llm import resolve_chain

        chain = resolve_chain(self.model, self.settings)
        if chain[0] == "offline":
            return self._finish(self._offline(question), mark)
        return self._finish(self._model(question, on_text), mark)

    # -- the two ways to answer ---------------------------------------------------------------
    def _offline(self, question: str) -> Answer:
        self.planner_error = False
        body = self._planned(question)
        self._ledger("offline_answer", status="offline", model="offline", tokens_in=0,
                     tokens_out=0, usd=0.0, detail={"planner": body is not None})
        if body is None:
            return Answer(question, planner.NEEDS_MODEL, "offline", "offline")
        status = "error" if self.planner_error else "offline"
        return Answer(question, body + "\n\n" + planner.OFFLINE_NOTE, "offline", status)

    def _planned(self, question: str) -> str | None:
        try:
            plan = planner.plan(question, self.groups(), self.default_since)
            if plan is None:
                return None
            result = getattr(self.tools, plan.tool)(**plan.arguments)
        except (WorkbenchError, ValueError) as exc:
            self.planner_error = True
            return f"error: {exc}"
        return RENDER[plan.tool](result)

    def _model(self, question: str, on_text) -> Answer:
        from ...llm import run_chat

        now = self.tools.now().astimezone(UTC).isoformat(timespec="seconds")
        res = run_chat(question, self.tools.specs(), system=SYSTEM.format(now=now),
                       model=self.model, settings=self.settings, run_id=self.run_id,
                       stage=self.stage, max_turns=self.max_iterations + 1,
                       history=self.history, fresh=self.fresh_next, on_text=on_text,
                       offline=lambda q: (self._planned(q) or planner.NEEDS_MODEL) + "\n\n"
                       + planner.OFFLINE_NOTE)
        self.fresh_next = False
        tokens = (res.tokens_in or 0) + (res.tokens_out or 0)
        self.tokens += tokens
        self.usd += res.usd or 0.0
        if res.from_model:
            self.history.append((question, res.text or ""))
            return Answer(question, res.text or "", "model", res.status, model=res.model or "",
                          tokens=tokens, usd=res.usd or 0.0)
        if res.status == "offline":
            return Answer(question, res.text or "", "offline", "offline",
                          model="offline")
        return Answer(question, self._partial(res), "model", "partial" if self.tools.calls
                      else "skipped", model=res.model or "")

    def _partial(self, res) -> str:
        calls = self.tools.calls
        why = (f"I stopped after {self.max_iterations} tool rounds without a final answer (the "
               "limit is the setting log_chat_max_iterations)."
               if "model turns" in (res.message or "") else
               f"The model did not answer ({res.error_code}: {res.message or 'no detail'}).")
        if not calls:
            return why + " Try a narrower question or a slash command (/help)."
        lines = [why, "Partial answer: what the tools found so far:"]
        lines += [f"- {c['name']}({', '.join(f'{k}={v!r}' for k, v in c['arguments'].items())})"
                  f" → {c['rows']} rows" for c in calls[-self.max_iterations:]]
        return "\n".join(lines)

    def _finish(self, answer: Answer, mark: int) -> Answer:
        calls = self.tools.calls[mark:]
        answer.tool_calls = [{k: c[k] for k in ("name", "arguments", "rows", "cached", "masked")}
                             for c in calls]
        total: Counter = Counter()
        for c in calls:
            total.update(c["masked"])
        if answer.source == "model":
            total.update(mask_texts([answer.question], self.settings, enabled=True)[1])
        answer.masked = dict(total)
        return answer

    def _ledger(self, event: str, **fields) -> None:
        if not self.run_id:
            return
        from ...runs import append_ledger

        append_ledger(self.settings, run_id=self.run_id, stage=self.stage, event=event, **fields)
