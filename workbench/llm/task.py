"""What a pipeline asks (``Task``) and what it gets back (``Result``)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

STATUSES = ("ok", "cached", "offline", "skipped")


@dataclass(frozen=True)
class Task:
    """A prompt template, the JSON Schema of its answer and a deterministic offline answer.

    ``prompt`` is a ``str.format`` template over the (masked) inputs. ``offline(inputs)`` answers
    from rules or catalogs, on the machine, when the model is ``offline`` or at the end of a
    fallback chain. ``options`` are passed to the model (e.g. ``{"temperature": 0}``) and are part
    of the cache key, as are ``name`` and ``version``: bump the version when the prompt's meaning
    changes so old answers are not reused.

    >>> t = Task(name="echo", version="1", prompt="Say {word}", schema={"type": "object"})
    >>> t.render({"word": "hi"})
    'Say hi'
    """

    name: str
    version: str
    prompt: str
    schema: Mapping[str, Any]
    offline: Callable[[dict], dict] | None = None
    system: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    max_reasks: int = 2              # re-asks after an answer that is not valid JSON for the schema
    expected_output_tokens: int = 200  # used by budgets and estimates before the call
    cache_ttl_s: float | None = None   # None: answers stay until evicted
    skip_ttl_s: float | None = 7 * 24 * 3600  # how long a permanent failure is remembered
    schema_hint: bool = True         # append the schema to the prompt (models without JSON mode)
    # inputs that are the project's own reference text (catalog descriptions, rubric wording),
    # never user data: sent as written, neither masked nor re-checked by the egress guard
    trusted: tuple[str, ...] = ()

    def render(self, inputs: Mapping[str, Any]) -> str:
        """Return the prompt template filled with ``inputs``."""
        return self.prompt.format(**inputs)

    @cached_property
    def validator(self):
        """Return a jsonschema validator for ``schema`` (the schema itself is checked once)."""
        import jsonschema

        cls = jsonschema.validators.validator_for(dict(self.schema))
        cls.check_schema(dict(self.schema))
        return cls(dict(self.schema))


@dataclass(frozen=True)
class Result:
    """One answer: its status, the validated output and how it was obtained.

    ``status`` is ``ok`` (a model answered now), ``cached`` (a model's earlier answer), ``offline``
    (the task's rule-based answer, never to be shown as a model's) or ``skipped`` (no answer;
    ``error_code`` says why).
    """

    status: str
    output: dict | None
    error_code: str | None = None
    attempts: int = 0
    model: str | None = None
    chain: tuple[str, ...] = ()
    tokens_in: int | None = None
    tokens_out: int | None = None
    usd: float | None = None
    latency_ms: float | None = None
    prompt_hash: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        """Return True when there is an output (model, cached or offline)."""
        return self.output is not None

    @property
    def from_model(self) -> bool:
        """Return True when the output is a model's answer (now or cached), not an offline one."""
        return self.status in ("ok", "cached")

    def as_dict(self) -> dict:
        """Return the result as plain JSON types (for tables and reports)."""
        return {
            "status": self.status, "output": self.output, "error_code": self.error_code,
            "attempts": self.attempts, "model": self.model, "chain": list(self.chain),
            "tokens_in": self.tokens_in, "tokens_out": self.tokens_out, "usd": self.usd,
            "latency_ms": self.latency_ms, "prompt_hash": self.prompt_hash,
            "message": self.message,
        }
