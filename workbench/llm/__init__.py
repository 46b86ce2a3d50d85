"""LLM gateway over Simon Willison's `llm`: schema-checked answers, retries, budgets, cache, PII guard.

>>> from workbench.llm import Task, run_task
>>> task = Task(name="kind", version="1", prompt="What kind of host is {host}?",
...             schema={"type": "object", "required": ["kind"]},
...             offline=lambda inputs: {"kind": "unknown"})
>>> run_task(task, {"host": "example.org"}, model="offline").status  # doctest: +SKIP
'offline'
"""
from __future__ import annotations

from .budget import Budget, cost, price
from .chat import ChatResult, ToolSpec, run_chat
from .gateway import Estimate, estimate, run_task, run_tasks
from .providers import resolve_chain
from .task import Result, Task

__all__ = [
    "Budget",
    "ChatResult",
    "Estimate",
    "Result",
    "Task",
    "ToolSpec",
    "cost",
    "estimate",
    "price",
    "resolve_chain",
    "run_chat",
    "run_task",
    "run_tasks",
]
