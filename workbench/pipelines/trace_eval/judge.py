"""Tier 3, ``llm_judge``: an LLM judges the escalated traces on the rubrics of ``rubrics.yml``.

Escalated: a tier-1 flag of severity >= ``escalate_severity`` (medium) or a tier-2 ``risk_model``
score >= ``escalate_score`` (0.7), worst first, at most ``max_traces``; the rest get ``passed``
null and reason ``not escalated``. Judged traces go through ``workbench.llm`` (masking, guard,
cache, budget per stage, retries, ledger). ``passed`` is the model's verdict; ``score`` is
``1 - (mean rubric score - 1) / 4`` (higher is worse); ``severity`` follows the worst rubric
(1 high, 2 medium, 3 low, else none); ``reason`` is the model's reasons, masked again. Offline,
or when a call is skipped, a trace gets ``passed`` null and ``not judged (offline)`` /
``not judged (<error code>)``: never a made-up verdict.

The module needs the run's model, run_id, stage and settings: bind them before evaluating::

    judge = get_module("llm_judge", cfg).bind(ctx)        # ctx: a StageContext or JudgeContext
    rows = evaluate_module(judge, batch, prior)
    judge.details                                          # trace_id, rubric, score, ...
"""
from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import polars as pl

from ...errors import BadInput
from .hookspecs import Register
from .judge_task import RubricSet, judge_task, load_rubrics, task_inputs
from .modules import RANK, RESULT_SCHEMA, ROW, SEVERITIES, TraceModule, indexed, merge_config

DETAIL_SCHEMA: dict[str, pl.DataType] = {
    "trace_id": pl.Utf8(), "rubric": pl.Utf8(), "rubric_version": pl.Utf8(),
    "score": pl.Int64(), "pass_min": pl.Int64(), "passed": pl.Boolean()}
CALL_SCHEMA: dict[str, pl.DataType] = {
    "trace_id": pl.Utf8(), "escalation": pl.Utf8(), "status": pl.Utf8(),
    "error_code": pl.Utf8(), "model": pl.Utf8(), "verdict": pl.Utf8(), "tokens_in": pl.Int64(),
    "tokens_out": pl.Int64(), "usd": pl.Float64()}
_SEVERITY_OF_WORST = {1: "high", 2: "medium", 3: "low"}
_PRIOR_COLUMNS = ("trace_id", "module", "tier", "passed", "severity", "score")


@dataclass(frozen=True)
class JudgeContext:
    """Where the judge runs: model chain, run and stage (ledger, budgets), settings, run budgets."""

    model: str | None = None
    run_id: str | None = None
    stage: str | None = None
    settings: Any = None
    budgets: tuple = ()

    @classmethod
    def of(cls, ctx: Any) -> JudgeContext:
        """Return a JudgeContext from a StageContext-like object (model, run_id, stage, settings)."""
        if isinstance(ctx, cls) or ctx is None:
            return ctx or cls()
        return cls(getattr(ctx, "model", None), getattr(ctx, "run_id", None) or None,
                   getattr(ctx, "stage", None), getattr(ctx, "settings", None))


@dataclass
class Judgement:
    """What one judge pass produced: result rows, per-rubric scores and one call row per judged."""

    results: pl.DataFrame
    details: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=DETAIL_SCHEMA))
    calls: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CALL_SCHEMA))


def escalation(batch: pl.DataFrame, prior: pl.DataFrame, *, escalate_score: float = 0.7,
               escalate_severity: str = "medium", max_traces: int | None = None
               ) -> pl.DataFrame:
    """Return per trace (batch order): ``_row, trace_id, escalated, selected, why, _order``.

    ``selected`` is the escalated traces, worst first (tier-1 severity, then risk score, then
    batch order; ``_order`` is that rank), capped at ``max_traces``.

    >>> b = pl.DataFrame({"trace_id": ["a", "b", "c"]})
    >>> p = pl.DataFrame({"trace_id": ["a", "b", "c"], "module": ["truncation", "risk_model",
    ...                   "risk_model"], "tier": [1, 2, 2], "passed": [False, None, None],
    ...                   "severity": ["high", None, None], "score": [0.9, 0.8, 0.2]})
    >>> escalation(b, p, max_traces=1).select("trace_id", "escalated", "selected").rows()
    [('a', True, True), ('b', True, False), ('c', False, False)]
    """
    missing = [c for c in _PRIOR_COLUMNS if c not in prior.columns]
    if missing:
        raise ValueError(f"prior results lack column(s) {', '.join(missing)}")
    rank = pl.col("severity").replace_strict(RANK, default=None, return_dtype=pl.Int8)
    p = prior.lazy().with_columns(pl.col("trace_id").cast(pl.Utf8), rank.alias("_rank"))
    flags = (p.filter((pl.col("tier") == 1) & ~pl.col("passed")
                      & (pl.col("_rank") >= RANK[escalate_severity]))
             .sort("_rank", "module", descending=[True, False])
             .group_by("trace_id", maintain_order=True)
             .agg(pl.col("_rank").max().alias("_t1"),
                  (pl.col("module") + " " + pl.col("severity")).str.join(", ").alias("_w1")))
    risk = (p.filter((pl.col("module") == "risk_model") & pl.col("score").is_not_null())
            .group_by("trace_id").agg(pl.col("score").max().alias("_risk")))
    risky = pl.col("_risk") >= escalate_score
    out = (indexed(batch, ["trace_id"]).lazy().with_columns(pl.col("trace_id").cast(pl.Utf8))
           .join(flags, on="trace_id", how="left").join(risk, on="trace_id", how="left")
           .with_columns((pl.col("_t1").is_not_null() | risky.fill_null(False)).alias("escalated"))
           .with_columns(pl.concat_str(
               pl.col("_w1"), pl.when(risky).then(pl.format("risk_model {}", pl.col("_risk")
                                                             .round(3))),
               separator="; ", ignore_nulls=True).alias("why"))
           .sort(["escalated", "_t1", "_risk", ROW], descending=[True, True, True, False],
                 nulls_last=True)
           .with_columns(pl.int_range(pl.len()).alias("_order"))
           .with_columns((pl.col("escalated") & (pl.col("_order") < (max_traces if max_traces
                         is not None else 2**62))).alias("selected")))
    return out.sort(ROW).select(ROW, "trace_id", "escalated", "selected", "why", "_order").collect()


def _mask(text: str) -> str:
    from ... import pii

    return pii.mask(text).text if text else text


def _fold(row: dict, output: dict, rubrics: RubricSet) -> tuple[dict, list[dict]]:
    """Return the result row and the per-rubric detail rows of one judged trace."""
    scores = {r.name: int(output["scores"][r.name]) for r in rubrics.rubrics}
    mean, worst = sum(scores.values()) / len(scores), min(scores.values())
    reasons = [" ".join(str(x).split())[:200] for x in output.get("reasons") or []][:5]
    result = {ROW: row[ROW], "passed": output["verdict"] == "pass",
              "severity": _SEVERITY_OF_WORST.get(worst, "none"),
              "score": round(1 - (mean - 1) / 4, 6), "reason": _mask("; ".join(reasons))}
    details = [{"trace_id": row["trace_id"], "rubric": r.name, "rubric_version": r.version,
                "score": scores[r.name], "pass_min": r.pass_min,
                "passed": scores[r.name] >= r.pass_min} for r in rubrics.rubrics]
    return result, details


def _call_row(row: dict, res: Any) -> dict:
    out = res.output or {}
    return {"trace_id": row["trace_id"], "escalation": row["why"], "status": res.status,
            "error_code": res.error_code, "model": res.model, "verdict": out.get("verdict"),
            "tokens_in": res.tokens_in, "tokens_out": res.tokens_out, "usd": res.usd}


def _judged(chosen: list[dict], batch: pl.DataFrame, cfg: Mapping[str, Any], ctx: JudgeContext,
            models: Sequence[str], settings: Any) -> tuple[list[dict], list[dict], list[dict]]:
    from ...llm import Budget, run_tasks

    rubrics = load_rubrics(cfg["rubrics"])
    texts = batch.select("system", "messages", "prompt", "response")
    items = [task_inputs(texts.row(r[ROW], named=True), int(cfg["excerpt_chars"]))
             for r in chosen]
    budgets = list(ctx.budgets)
    if cfg["max_usd"] is not None or cfg["max_tokens"] is not None:
        budgets.append(Budget(max_usd=cfg["max_usd"], max_tokens=cfg["max_tokens"]))
    results = run_tasks(judge_task(rubrics), items, model=",".join(models), budget=budgets,
                        run_id=ctx.run_id, stage=ctx.stage, fresh=bool(cfg["fresh"]),
                        concurrency=cfg["concurrency"], settings=settings)
    rows, details, calls = [], [], []
    for row, res in zip(chosen, results, strict=True):
        calls.append(_call_row(row, res))
        if res.from_model and res.output:
            result, detail = _fold(row, res.output, rubrics)
            rows.append(result)
            details += detail
        else:
            rows.append({ROW: row[ROW], "reason": f"not judged ({res.error_code or res.status})"})
    return rows, details, calls


def judge(batch: pl.DataFrame, prior: pl.DataFrame, config: Mapping[str, Any] | None = None,
          context: Any = None) -> Judgement:
    """Return the Judgement of ``batch``: result rows (RESULT_SCHEMA), rubric scores, call rows."""
    from ... import config as wb_config
    from ...llm.providers import OFFLINE, resolve_chain

    cfg = merge_config(LlmJudge.name, LlmJudge.defaults, config or {})
    ctx = JudgeContext.of(context)
    settings = ctx.settings or wb_config.load()
    esc = escalation(batch, prior, escalate_score=cfg["escalate_score"],
                     escalate_severity=cfg["escalate_severity"], max_traces=cfg["max_traces"])
    chosen = esc.filter("selected").sort("_order").to_dicts()
    models = [m for m in resolve_chain(cfg["model"] or ctx.model, settings) if m != OFFLINE]
    rows: list[dict] = []
    out = Judgement(pl.DataFrame())
    if chosen and models:
        rows, details, calls = _judged(chosen, batch, cfg, ctx, models, settings)
        out.details = pl.DataFrame(details, schema=DETAIL_SCHEMA)
        out.calls = pl.DataFrame(calls, schema=CALL_SCHEMA)
    elif chosen:
        rows = [{ROW: r[ROW], "reason": "not judged (offline)"} for r in chosen]
    judged = pl.DataFrame(rows, schema={ROW: pl.UInt32, **{k: v for k, v in RESULT_SCHEMA.items()
                                                          if k != "trace_id"}})
    capped = pl.when(pl.col("escalated")).then(pl.lit("not escalated (over max_traces)"))
    out.results = (esc.select(ROW, "trace_id", capped.otherwise(pl.lit("not escalated"))
                              .alias("_default"))
                   .join(judged, on=ROW, how="left").sort(ROW)
                   .select("trace_id", "passed", "severity", "score",
                           pl.coalesce("reason", "_default").alias("reason")))
    return out


class LlmJudge(TraceModule):
    """Tier 3: LLM-as-judge on the traces earlier tiers escalated (see the module docstring)."""

    name: ClassVar[str] = "llm_judge"
    tier: ClassVar[int] = 3
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "an LLM scores escalated traces on correctness, instruction " \
                                 "following, safety and helpfulness"
    needs_prior: ClassVar[bool] = True
    defaults: ClassVar[Mapping[str, Any]] = {
        "model": None, "escalate_score": 0.7, "escalate_severity": "medium", "max_traces": 200,
        "max_usd": 1.0, "max_tokens": None, "rubrics": None, "excerpt_chars": 6000,
        "concurrency": None, "fresh": False}

    def __init__(self, config: Mapping[str, Any] | None = None,
                 context: JudgeContext | None = None) -> None:
        super().__init__(config)
        if self.config["escalate_severity"] not in SEVERITIES[1:]:
            raise BadInput(f"trace module 'llm_judge': escalate_severity must be one of "
                           f"{', '.join(SEVERITIES[1:])}, got {self.config['escalate_severity']!r}")
        load_rubrics(self.config["rubrics"])  # a bad rubric file fails before any work
        self.context = context
        self.details = pl.DataFrame(schema=DETAIL_SCHEMA)
        self.calls = pl.DataFrame(schema=CALL_SCHEMA)

    def bind(self, context: Any) -> LlmJudge:
        """Return a copy of this module that judges with ``context`` (StageContext or JudgeContext)."""
        clone = copy.copy(self)
        clone.context = JudgeContext.of(context)
        return clone

    def configured(self, overrides: Mapping[str, Any]) -> LlmJudge:
        """Return a new judge with ``overrides`` applied to this config (the context is kept)."""
        return type(self)({**self.config, **overrides}, self.context)

    def evaluate(self, batch: pl.DataFrame, prior: pl.DataFrame | None = None,
                 context: Any = None) -> pl.DataFrame:
        """Return one result row per trace; ``details`` and ``calls`` then hold the last pass's."""
        if prior is None:
            raise ValueError("llm_judge needs the results of tiers 1 and 2 (prior=)")
        out = judge(batch, prior, self.config, context if context is not None else self.context)
        self.details, self.calls = out.details, out.calls
        return out.results


def register_trace_modules(register: Register) -> None:
    """Return nothing; register the tier-3 ``llm_judge`` module with ``register``."""
    register(LlmJudge)
