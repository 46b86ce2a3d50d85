"""Tool calling through the gateway: ``run_chat(question, tools=[...])`` (used by log chat).

The model may call the given tools (`llm`'s tools API). The same rules as task answers apply:
the question is pseudonymized and guarded; every tool result is masked and guarded before the
model sees it, and cached (namespace ``llm_tool``, per tool TTL); each model turn obeys the
budget, deadline and retries of ``calls.call``; a final answer is cached; every call, tool call
and decision is a ledger event. Offline (or at the end of the chain) ``offline(question)``
answers, e.g. by calling the tools directly.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import cache, config, store
from ..config import POLICY_VERSION, Settings
from ..errors import PolicyBlock
from ..runs import append_ledger
from . import calls, providers
from .budget import Budget, as_list
from .privacy import guard, mask_text
from .providers import OFFLINE, may_fall_back

NS_CHAT = "llm"
NS_TOOL = "llm_tool"
WITHHELD = "[tool result withheld: it still held PII after masking]"


@dataclass(frozen=True)
class ToolSpec:
    """A function the model may call; its results are cached for ``cache_ttl_s`` (0: never)."""

    function: Callable[..., Any]
    name: str | None = None
    description: str | None = None
    cache_ttl_s: float | None = 300.0

    @property
    def tool_name(self) -> str:
        """Return the name the model sees."""
        return self.name or self.function.__name__


@dataclass
class ChatResult:
    """A chat answer: ``status`` ok | cached | offline | skipped, the text, and the tool calls."""

    status: str
    text: str | None
    error_code: str | None = None
    attempts: int = 0
    model: str | None = None
    chain: tuple[str, ...] = ()
    turns: int = 0
    tool_calls: list[dict] = field(default_factory=list)
    tokens_in: int | None = None
    tokens_out: int | None = None
    usd: float | None = None
    prompt_hash: str | None = None
    question: str | None = None   # as sent: masked
    message: str | None = None

    @property
    def from_model(self) -> bool:
        """Return True when the text is a model's answer (now or cached)."""
        return self.status in ("ok", "cached")


def _spec(tool) -> ToolSpec:
    return tool if isinstance(tool, ToolSpec) else ToolSpec(tool)


def _signature(spec: ToolSpec) -> dict:
    import llm

    schema = llm.Tool.function(spec.function, name=spec.tool_name).input_schema
    return {"name": spec.tool_name, "description": spec.description or spec.function.__doc__,
            "schema": schema}


class _Session:
    """One chat question: settings, run scope and direct (brief) ledger and cache writes."""

    def __init__(self, settings: Settings, run_id, stage, chain, question_hash):
        self.settings, self.run_id, self.stage = settings, run_id, stage
        self.chain, self.prompt_hash = chain, question_hash
        self.tool_log: list[dict] = []

    def emit(self, op) -> None:
        with store.connect(self.settings) as con:
            op(con)

    def ledger(self, event: str, **fields) -> None:
        detail = {"task": "chat", "chain": list(self.chain), **fields.pop("detail", {})}
        row = dict(run_id=self.run_id, stage=self.stage, event=event,
                   prompt_hash=fields.pop("prompt_hash", self.prompt_hash),
                   pii_mask_applied=True, **fields)
        self.emit(lambda con: append_ledger(self.settings, con=con, detail=detail, **row))

    def wrap(self, spec: ToolSpec, fresh: bool):
        """Return an implementation that caches, masks and guards ``spec``'s results."""
        def run(**arguments):
            key = cache.cache_key("tool", spec.tool_name, arguments, POLICY_VERSION)
            entry = None if fresh or not spec.cache_ttl_s else cache.get(
                NS_TOOL, key, settings=self.settings)
            cached = entry is not None
            if cached:
                text = entry["text"]
            else:
                try:
                    raw = spec.function(**arguments)
                    raw = raw if isinstance(raw, str) else json.dumps(raw, default=str)
                except Exception as exc:  # noqa: BLE001 - the model is told, masked, like a result
                    raw = f"Error: {type(exc).__name__}: {exc}"
                text = mask_text(raw, self.settings)
                try:
                    guard(text)
                except PolicyBlock:
                    text = WITHHELD
                if spec.cache_ttl_s and text != WITHHELD:
                    cache.put(NS_TOOL, key, {"text": text}, ttl_s=spec.cache_ttl_s,
                              settings=self.settings)
            blocked = text == WITHHELD
            self.tool_log.append({"name": spec.tool_name, "arguments": arguments,
                                  "cached": cached, "chars": len(text), "blocked": blocked})
            self.ledger("tool_call", decision="reject" if blocked else "accept",
                        status="cached" if cached else ("blocked" if blocked else "ok"),
                        error_code="POLICY_BLOCK" if blocked else None,
                        detail={"tool": spec.tool_name, "chars": len(text),
                                "arguments_hash": key[:16]})
            return text
        return run


def run_chat(question: str, tools: Iterable[ToolSpec | Callable] = (), *,
             system: str | None = None, model: str | None = None,
             budget: Budget | Iterable[Budget] | None = None, run_id: str | None = None,
             stage: str | None = None, fresh: bool = False, settings: Settings | None = None,
             max_turns: int = 6, expected_output_tokens: int = 400,
             offline: Callable[[str], str] | None = None,
             history: Sequence[tuple[str, str]] = (),
             on_text: Callable[[str], None] | None = None) -> ChatResult:
    """Return the answer to ``question``, letting the model call ``tools`` (masked, cached).

    ``on_text`` receives the model's text as it streams (each turn's, as it comes).
    """
    import llm

    settings = settings or config.load()
    chain = providers.resolve_chain(model, settings)
    specs = [_spec(t) for t in tools]
    budgets = as_list(budget)
    if chain[0] == OFFLINE:
        return _offline(question, offline, _Session(settings, run_id, stage, chain, None), [])
    masked_q = mask_text(question, settings)
    masked_h = [(mask_text(q, settings), mask_text(a, settings)) for q, a in history]
    payload = "\n\n".join([system or "", *[x for pair in masked_h for x in pair], masked_q])
    s = _Session(settings, run_id, stage, chain, hashlib.sha256(payload.encode()).hexdigest())
    try:
        guard(payload)
    except PolicyBlock as exc:
        s.ledger("skip", decision="reject", status="skipped", error_code="POLICY_BLOCK",
                 attempts=0, detail={"reason": str(exc)[:300]})
        return ChatResult("skipped", None, "POLICY_BLOCK", chain=chain, question=masked_q,
                          prompt_hash=s.prompt_hash, message=str(exc))
    with store.connect(settings) as con:
        for bud in budgets:
            bud.load(settings, run_id, stage, con=con)
    signatures = [_signature(sp) for sp in specs]
    llm_tools = [llm.Tool(name=sig["name"], description=sig["description"],
                          input_schema=sig["schema"], implementation=s.wrap(sp, fresh))
                 for sp, sig in zip(specs, signatures, strict=True)]
    messages = [m for q, a in masked_h for m in (llm.user(q), llm.assistant(a))]
    tried: list[dict] = []
    attempts = 0
    for pos, model_id in enumerate(chain):
        if model_id == OFFLINE:
            res = _offline(question, offline, s, tried, attempts)
            res.question, res.prompt_hash = masked_q, s.prompt_hash
            return res
        key = cache.cache_key("llm-chat", model_id, system, masked_q, masked_h, signatures,
                              POLICY_VERSION)
        if not fresh:
            hit = cache.get(NS_CHAT, key, settings=settings)
            if hit is not None:
                s.ledger("cache_hit", decision="accept", status="cached", model=model_id,
                         attempts=0, detail={"cache_key": key[:16]})
                return ChatResult("cached", hit["text"], None, 0, model_id, chain,
                                  hit.get("turns", 0), hit.get("tool_calls", []),
                                  prompt_hash=s.prompt_hash, question=masked_q)
        spend = calls.Spend()
        result = _converse(s, model_id, masked_q, system, messages, llm_tools, budgets,
                           spend, max_turns, expected_output_tokens, on_text)
        attempts += spend.attempts
        if isinstance(result, ChatResult):
            result.attempts, result.chain, result.question = attempts, chain, masked_q
            cache.put(NS_CHAT, key, {"text": result.text, "turns": result.turns,
                                     "tool_calls": result.tool_calls}, settings=settings)
            return result
        tried.append({"model": model_id, "code": spend.code, "attempts": spend.attempts,
                      "message": (spend.message or "")[:300]})
        if pos == len(chain) - 1 or not may_fall_back(spend.code):
            break
    final = tried[-1]
    s.ledger("skip", decision="reject", status="skipped", model=final["model"],
             attempts=attempts, error_code=final["code"], detail={"fallback_chain": tried})
    return ChatResult("skipped", None, final["code"], attempts, final["model"], chain,
                      tool_calls=s.tool_log, prompt_hash=s.prompt_hash, question=masked_q,
                      message=final["message"])


def _converse(s: _Session, model_id: str, question: str, system: str | None, messages: list,
              llm_tools: list, budgets: list[Budget], spend: calls.Spend, max_turns: int,
              expected_out: int, on_text: Callable[[str], None] | None = None
              ) -> ChatResult | None:
    """Run model turns and tool calls until a final text; None (spend.code set) on failure."""
    try:
        model = providers.load_model(model_id)
    except providers.ConfigFailure as exc:
        spend.code, spend.message = exc.code, str(exc)
        return None
    stream = on_text is not None and getattr(model, "can_stream", False)
    kwargs: dict[str, Any] = {"stream": stream, "tools": llm_tools}
    if messages:
        kwargs["messages"] = messages
    make = lambda: model.prompt(question, system=system, **kwargs)
    sent = len(question) + len(system or "") + sum(len(str(m)) for m in messages)
    ledger = s.ledger
    for turn in range(1, max_turns + 1):
        reply = calls.call(make, model=model, model_id=model_id, settings=s.settings,
                           budgets=budgets, sent_chars=sent, expected_out=expected_out,
                           spend=spend, ledger=ledger, on_chunk=on_text)
        if reply is None:
            return None
        tool_calls = reply.response.tool_calls()
        ledger("llm_call", decision="tools" if tool_calls else "accept", status="ok",
               model=model_id, provider=providers.provider_name(model), attempts=spend.attempts,
               latency_ms=round(reply.latency_ms, 3), tokens_in=reply.tokens_in,
               tokens_out=reply.tokens_out, usd=reply.usd,
               detail={"turn": turn, "tool_calls": [c.name for c in tool_calls],
                       "usage_estimated": reply.usage_estimated})
        if not tool_calls:
            return ChatResult("ok", reply.text, None, spend.attempts, model_id, turns=turn,
                              tool_calls=list(s.tool_log), tokens_in=spend.tokens_in,
                              tokens_out=spend.tokens_out, usd=spend.usd,
                              prompt_hash=s.prompt_hash)
        results = reply.response.execute_tool_calls()  # our wrappers: masked, guarded, cached
        make = (lambda prev=reply.response, res=results:
                prev.reply(tool_results=res, tools=llm_tools, stream=stream))
        sent += len(reply.text) + sum(len(r.output) for r in results)
    spend.code = "DETERMINISTIC_FAILURE"
    spend.message = f"no final answer after {max_turns} model turns"
    return None


def _offline(question: str, offline, s: _Session, tried: list[dict],
             attempts: int = 0) -> ChatResult:
    if offline is None:
        s.ledger("skip", decision="reject", status="skipped",
                 error_code="DETERMINISTIC_FAILURE", attempts=attempts,
                 detail={"reason": "no model and no offline answer", "fallback_chain": tried})
        return ChatResult("skipped", None, "DETERMINISTIC_FAILURE", attempts, OFFLINE, s.chain,
                          message="no model configured and no offline answer given")
    text = offline(question)  # local: nothing leaves the machine
    s.ledger("offline_answer", decision="accept", status="offline", model=OFFLINE,
             provider=OFFLINE, attempts=attempts, tokens_in=0, tokens_out=0, usd=0.0,
             detail={"fallback_chain": tried})
    return ChatResult("offline", text, None, attempts, OFFLINE, s.chain, tokens_in=0,
                      tokens_out=0, usd=0.0, message="offline answer" if not tried else
                      "fallback after " + ", ".join(f"{t['model']}: {t['code']}" for t in tried))
