"""The gateway: ``run_task`` / ``run_tasks`` / ``estimate``.

For each item: mask the inputs (pseudonymize) → render the prompt → guard the payload → walk the
model chain: cached answer, remembered permanent failure, budget check, call (deadline, retries by
the error taxonomy, re-ask on an invalid answer) → validated answer, the offline answer at the end
of the chain, or ``skipped`` with a taxonomy code. Every call and decision is a ledger event.

In a batch, everything that needs no call (cache hits, remembered skips, offline answers, guard
blocks) is settled first on one brief connection; the rest run in a bounded thread pool, and all
their writes go through one writer thread (``writer.py``). Items whose masked prompt is identical
are asked once.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from .. import cache, config, store
from ..config import POLICY_VERSION, Settings
from ..errors import BadInput, PolicyBlock, WorkbenchError
from . import calls, providers
from .answers import InvalidAnswer, reask_text, schema_instruction, validate
from .budget import Budget, as_list, cost, price
from .calls import Spend
from .privacy import guard, mask_value
from .providers import OFFLINE, may_fall_back
from .task import Result, Task
from .writer import CachePut, LedgerRow, Writer

NS_ANSWER = "llm"        # cache namespace of validated model answers
NS_SKIP = "llm_skip"     # cache namespace of remembered permanent failures
NOT_REMEMBERED = {"POLICY_BLOCK", "BUDGET_EXCEEDED"}  # depend on policy/budget, not on the item

Emit = Callable[[Any], None]


@dataclass
class _Job:
    index: int
    inputs: dict
    prompt: str = ""
    system: str | None = None
    prompt_hash: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    masked_values: int = 0
    blocked: str | None = None


@dataclass
class _Batch:
    task: Task
    settings: Settings
    chain: tuple[str, ...]
    budgets: list[Budget]
    run_id: str | None
    stage: str | None
    fresh: bool
    cached: dict[str, dict] = field(default_factory=dict)
    skips: dict[str, dict] = field(default_factory=dict)

    @property
    def sends(self) -> bool:
        return any(m != OFFLINE for m in self.chain)

    def ledger(self, emit: Emit, event: str, job: _Job, **fields) -> None:
        detail = {"task": self.task.name, "task_version": self.task.version, "item": job.index,
                  "chain": list(self.chain), **fields.pop("detail", {})}
        if self.sends:
            detail["masked_values"] = job.masked_values
        emit(LedgerRow(run_id=self.run_id, stage=self.stage, event=event, detail=detail,
                       prompt_hash=job.prompt_hash, pii_mask_applied=self.sends, **fields))


@dataclass
class _Outcome:
    output: dict | None = None
    code: str | None = None
    message: str | None = None
    attempts: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    usd: float | None = None
    latency_ms: float = 0.0


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _prepare(task: Task, inputs: Mapping[str, Any], index: int, chain: tuple[str, ...],
             settings: Settings) -> _Job:
    job = _Job(index, dict(inputs))
    try:
        rendered = task.render(job.inputs)
    except (KeyError, IndexError) as exc:
        raise BadInput(f"task {task.name!r}: its prompt uses {{{exc.args[0]}}} but the inputs "
                       f"give only {sorted(job.inputs)}") from None
    if all(m == OFFLINE for m in chain):
        return job  # nothing leaves the machine: no masking, no prompt
    data = {k: v for k, v in job.inputs.items() if k not in task.trusted}
    masked, job.masked_values = mask_value(data, settings)
    trusted = {k: job.inputs[k] for k in task.trusted if k in job.inputs}
    rendered = task.render({**masked, **trusted})
    job.prompt = rendered + (schema_instruction(dict(task.schema)) if task.schema_hint else "")
    job.system = task.system
    payload = (f"{job.system}\n\n" if job.system else "") + job.prompt
    job.prompt_hash = _hash(payload)
    checked = task.render({**masked, **dict.fromkeys(trusted, "")}) if trusted else job.prompt
    try:
        guard((f"{job.system}\n\n" if job.system else "") + checked)
    except PolicyBlock as exc:
        job.blocked = str(exc)
    for m in chain:
        if m != OFFLINE:
            job.keys[m] = cache.cache_key("llm-answer", m, dict(task.options), job.system,
                                          job.prompt, dict(task.schema), task.name,
                                          task.version, POLICY_VERSION)
    return job


def _answer(job: _Job, b: _Batch, emit: Emit, can_call: bool) -> Result | None:
    """Return the item's Result, or None when it needs a model call and ``can_call`` is False."""
    if job.blocked:
        b.ledger(emit, "skip", job, decision="reject", status="skipped", attempts=0,
                 error_code="POLICY_BLOCK", detail={"reason": job.blocked[:300]})
        return Result("skipped", None, "POLICY_BLOCK", 0, None, b.chain,
                      prompt_hash=job.prompt_hash, message=job.blocked)
    tried: list[dict] = []
    attempts = 0
    for pos, model_id in enumerate(b.chain):
        last = pos == len(b.chain) - 1
        if model_id == OFFLINE:
            return _offline(job, b, emit, tried, attempts)
        key = job.keys[model_id]
        if not b.fresh:
            hit = b.cached.get(key)
            if hit is not None:
                b.ledger(emit, "cache_hit", job, decision="accept", status="cached",
                         model=model_id, attempts=0,
                         detail={"cache_key": key[:16], "fallback_chain": tried})
                return Result("cached", hit["output"], None, attempts, model_id, b.chain,
                              prompt_hash=job.prompt_hash)
            remembered = b.skips.get(key)
            if remembered is not None:
                tried.append({"model": model_id, "code": remembered["code"], "attempts": 0,
                              "remembered": True})
                if not last and may_fall_back(remembered["code"]):
                    continue
                return _skip(job, b, emit, tried, attempts, remembered.get("message"))
        if not can_call:
            return None
        out = _ask(job, b, emit, model_id)
        attempts += out.attempts
        if out.output is not None:
            value = {"output": out.output, "model": model_id,
                     "at": datetime.now(UTC).isoformat(timespec="seconds")}
            emit(CachePut(NS_ANSWER, key, value, b.task.cache_ttl_s))
            if b.fresh:
                emit(lambda con, k=key: cache.delete(NS_SKIP, k, con=con))
            return Result("ok", out.output, None, attempts, model_id, b.chain, out.tokens_in,
                          out.tokens_out, out.usd, round(out.latency_ms, 3), job.prompt_hash)
        tried.append({"model": model_id, "code": out.code, "attempts": out.attempts,
                      "remembered": False, "key": key, "message": (out.message or "")[:300]})
        if last or out.code in NOT_REMEMBERED or not may_fall_back(out.code):
            break
    return _skip(job, b, emit, tried, attempts, tried[-1].get("message"))


def _skip(job: _Job, b: _Batch, emit: Emit, tried: list[dict], attempts: int,
          message: str | None) -> Result:
    final = tried[-1]
    for t in tried:  # remember real permanent failures so later runs do not resend
        if not t["remembered"] and t["attempts"] > 0 and t["code"] not in NOT_REMEMBERED:
            value = {"code": t["code"], "message": t.get("message"), "model": t["model"]}
            emit(CachePut(NS_SKIP, t["key"], value, b.task.skip_ttl_s))
    public = [{k: v for k, v in t.items() if k != "key"} for t in tried]
    b.ledger(emit, "skip", job, decision="reject", status="skipped", model=final["model"],
             attempts=attempts, error_code=final["code"],
             detail={"fallback_chain": public, "remembered": final["remembered"],
                     "reason": (message or "")[:300]})
    return Result("skipped", None, final["code"], attempts, final["model"], b.chain,
                  prompt_hash=job.prompt_hash, message=message)


def _offline(job: _Job, b: _Batch, emit: Emit, tried: list[dict], attempts: int) -> Result:
    public = [{k: v for k, v in t.items() if k != "key"} for t in tried]
    if b.task.offline is None:
        tried.append({"model": OFFLINE, "code": "DETERMINISTIC_FAILURE", "attempts": 0,
                      "remembered": True})
        return _skip(job, b, emit, tried, attempts, f"task {b.task.name!r} has no offline answer")
    output = b.task.offline(dict(job.inputs))
    errors = list(b.task.validator.iter_errors(output))
    if errors:  # a bug in the task's own rules: fail loudly rather than record a bad answer
        raise WorkbenchError(f"offline answer of task {b.task.name!r} breaks its schema: "
                             f"{errors[0].message}", code="SCHEMA_INVALID")
    b.ledger(emit, "offline_answer", job, decision="accept", status="offline", model=OFFLINE,
             provider=OFFLINE, attempts=attempts, tokens_in=0, tokens_out=0, usd=0.0,
             detail={"fallback_chain": public})
    reason = None
    if tried:
        reason = "fallback after " + ", ".join(f"{t['model']}: {t['code']}" for t in tried)
    return Result("offline", output, None, attempts, OFFLINE, b.chain, 0, 0, 0.0,
                  prompt_hash=job.prompt_hash, message=reason)


def _ask(job: _Job, b: _Batch, emit: Emit, model_id: str) -> _Outcome:
    """Call one model for one item: budget, deadline, retries and re-asks; return the outcome."""
    task, settings = b.task, b.settings
    out = _Outcome()
    try:
        model = providers.load_model(model_id)
    except providers.ConfigFailure as exc:
        out.code, out.message = exc.code, str(exc)
        return out
    kwargs: dict[str, Any] = {"stream": False}
    if task.options:
        kwargs["options"] = dict(task.options)
    if getattr(model, "supports_schema", False):
        kwargs["schema"] = dict(task.schema)
    make = lambda: model.prompt(job.prompt, system=job.system, **kwargs)
    sent_chars = len(job.prompt) + len(job.system or "")
    spend = Spend()
    ledger = lambda event, **f: b.ledger(emit, event, job, **f)
    reasks = 0
    while True:
        reply = calls.call(make, model=model, model_id=model_id, settings=settings,
                           budgets=b.budgets, sent_chars=sent_chars,
                           expected_out=task.expected_output_tokens, spend=spend, ledger=ledger)
        out.attempts, out.tokens_in, out.tokens_out = spend.attempts, spend.tokens_in, spend.tokens_out
        out.usd, out.latency_ms = spend.usd, spend.latency_ms
        if reply is None:
            out.code, out.message = spend.code, spend.message
            return out
        common = {"model": model_id, "provider": providers.provider_name(model),
                  "attempts": spend.attempts, "latency_ms": round(reply.latency_ms, 3),
                  "tokens_in": reply.tokens_in, "tokens_out": reply.tokens_out, "usd": reply.usd}
        try:
            out.output = validate(task, reply.text)
        except InvalidAnswer as exc:
            again = reasks < task.max_reasks
            ledger("llm_call", decision="reask" if again else "reject", status="invalid",
                   error_code="SCHEMA_INVALID",
                   detail={"usage_estimated": reply.usage_estimated, "error": str(exc)[:300]},
                   **common)
            if not again:
                out.code, out.message = "SCHEMA_INVALID", str(exc)
                return out
            reasks += 1
            follow = reask_text(str(exc))
            try:
                guard(follow)
            except PolicyBlock as blk:
                out.code, out.message = "POLICY_BLOCK", str(blk)
                return out
            make = (lambda prev=reply.response, follow=follow:
                    prev.reply(follow, **kwargs))
            sent_chars += len(reply.text) + len(follow)
            continue
        ledger("llm_call", decision="accept", status="ok",
               detail={"usage_estimated": reply.usage_estimated,
                       "price_known": price(model_id, settings) is not None}, **common)
        return out


def run_tasks(task: Task, items: Iterable[Mapping[str, Any]], *, model: str | None = None,
              budget: Budget | Iterable[Budget] | None = None, run_id: str | None = None,
              stage: str | None = None, fresh: bool = False, concurrency: int | None = None,
              settings: Settings | None = None) -> list[Result]:
    """Return one Result per item, in order; model calls run concurrently (bounded)."""
    settings = settings or config.load()
    chain = providers.resolve_chain(model, settings)
    concurrency = max(1, int(concurrency or settings.llm_concurrency))
    jobs = [_prepare(task, inputs, i, chain, settings) for i, inputs in enumerate(items)]
    results: list[Result | None] = [None] * len(jobs)
    b = _Batch(task, settings, chain, as_list(budget), run_id, stage, fresh)
    keys = [k for j in jobs if not j.blocked for k in j.keys.values()]
    settled = Writer(settings, threaded=False)
    need: dict[str, list[_Job]] = {}
    with store.connect(settings) as con:
        for bud in b.budgets:
            bud.load(settings, run_id, stage, con=con)
        if keys and not fresh:
            b.cached = cache.get_many(NS_ANSWER, keys, con=con)
            b.skips = cache.get_many(NS_SKIP, keys, con=con, touch=False)
        for job in jobs:
            ops: list = []
            r = _answer(job, b, ops.append, can_call=False)
            if r is None:
                need.setdefault(job.prompt_hash, []).append(job)
                continue
            results[job.index] = r
            for op in ops:
                settled.submit(op)
        settled.flush(con)
    if need:
        writer = Writer(settings, threaded=True)
        try:
            _call_all(need, b, writer, results, concurrency)
        finally:
            writer.close()
    return results  # type: ignore[return-value]


def _call_all(need: dict[str, list[_Job]], b: _Batch, writer: Writer,
              results: list, concurrency: int) -> None:
    groups = list(need.values())

    def finish(group: list[_Job], rep: Result) -> None:
        results[group[0].index] = rep
        for dup in group[1:]:  # same masked prompt: the representative's answer serves it
            if rep.from_model:
                b.ledger(writer.submit, "cache_hit", dup, decision="accept", status="cached",
                         model=rep.model, attempts=0,
                         detail={"duplicate_of": group[0].index})
                results[dup.index] = replace(rep, status="cached", attempts=0, tokens_in=None,
                                             tokens_out=None, usd=None, latency_ms=None)
            elif rep.status == "offline":
                tried = [{"model": m, "code": "DUPLICATE", "attempts": 0, "remembered": True}
                         for m in rep.chain if m != OFFLINE]
                results[dup.index] = _offline(dup, b, writer.submit, tried, 0)
            else:
                tried = [{"model": rep.model, "code": rep.error_code, "attempts": 0,
                          "remembered": True}]
                results[dup.index] = _skip(dup, b, writer.submit, tried, 0, rep.message)

    if concurrency == 1 or len(groups) == 1:
        for group in groups:
            finish(group, _answer(group[0], b, writer.submit, can_call=True))
        return
    with ThreadPoolExecutor(max_workers=min(concurrency, len(groups)),
                            thread_name_prefix="workbench-llm") as pool:
        futures = {pool.submit(_answer, g[0], b, writer.submit, True): g for g in groups}
        for fut in as_completed(futures):
            finish(futures[fut], fut.result())


def run_task(task: Task, inputs: Mapping[str, Any], *, model: str | None = None,
             budget: Budget | Iterable[Budget] | None = None, run_id: str | None = None,
             stage: str | None = None, fresh: bool = False,
             settings: Settings | None = None) -> Result:
    """Return the Result of one task on one set of inputs (see ``run_tasks``)."""
    return run_tasks(task, [inputs], model=model, budget=budget, run_id=run_id, stage=stage,
                     fresh=fresh, concurrency=1, settings=settings)[0]


@dataclass(frozen=True)
class Estimate:
    """What a batch would cost if nothing were cached: tokens and USD (None if price unknown)."""

    model: str
    items: int
    tokens_in: int
    tokens_out: int
    usd: float | None

    @property
    def tokens(self) -> int:
        """Return tokens in + out."""
        return self.tokens_in + self.tokens_out


def estimate(task: Task, items: Iterable[Mapping[str, Any]], *, model: str | None = None,
             settings: Settings | None = None) -> Estimate:
    """Return the estimated tokens and USD of a batch on the first model of the chain; sends nothing.

    Tokens are chars/4 of the system prompt and rendered prompt, plus the task's
    ``expected_output_tokens`` per item; an offline chain costs nothing.
    """
    settings = settings or config.load()
    chain = providers.resolve_chain(model, settings)
    model_id = next((m for m in chain if m != OFFLINE), OFFLINE)
    items = list(items)
    if model_id == OFFLINE:
        return Estimate(OFFLINE, len(items), 0, 0, 0.0)
    hint = len(schema_instruction(dict(task.schema))) if task.schema_hint else 0
    tin = sum(providers.estimate_tokens(len(task.render(i)) + hint + len(task.system or ""))
              for i in items)
    tout = task.expected_output_tokens * len(items)
    return Estimate(model_id, len(items), tin, tout, cost(model_id, tin, tout, settings))
