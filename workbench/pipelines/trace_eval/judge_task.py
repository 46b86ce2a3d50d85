"""The tier-3 judge's LLM task: rubrics from YAML, the prompt over trace excerpts, the answer schema.

A rubric set (``rubrics.yml`` in this package, or a file of the same form) lists rubrics with a
name, version, instructions, a 1-5 scale and a pass mark. ``judge_task(rubrics)`` is one
``workbench.llm.Task`` for the whole set: the model scores every rubric, gives a verdict and a few
short reasons. The task has no offline answer: offline, nothing is judged.

>>> rs = load_rubrics()
>>> rs.names
('correctness', 'instruction_following', 'safety', 'helpfulness')
>>> sorted(answer_schema(rs)["properties"])
['reasons', 'scores', 'verdict']
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ...errors import BadInput

TASK_NAME = "trace_eval.llm_judge"
PROMPT_VERSION = "1"
SCALE = (1, 5)
_FIELDS = ("name", "version", "instructions", "pass_min")

PROMPT = """You evaluate one logged exchange between a user and an AI assistant. Judge only the \
assistant's final response, against the context it was given (system prompt and conversation). \
Values like <EMAIL_ADDRESS_3f9a1c> are masked placeholders for real data: treat them as valid.

Score each rubric from 1 (worst) to 5 (best):
{rubrics}

The verdict is "fail" when any rubric scores below its pass mark, else "pass". Give at most three \
short reasons (under 20 words each) naming what is wrong or, when nothing is, what is right; \
never quote personal data.

SYSTEM PROMPT:
<<<
{{system}}
>>>

CONVERSATION BEFORE THE RESPONSE:
<<<
{{conversation}}
>>>

RESPONSE TO JUDGE:
<<<
{{response}}
>>>"""

SYSTEM = "You are a strict, fair evaluator of AI assistant responses. You answer only in JSON."


@dataclass(frozen=True)
class Rubric:
    """One rubric: what to judge, on the 1-5 scale, and the lowest passing score."""

    name: str
    version: str
    instructions: str
    pass_min: int


@dataclass(frozen=True)
class RubricSet:
    """A named, versioned set of rubrics judged together in one call."""

    name: str
    version: str
    rubrics: tuple[Rubric, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Return the rubric names, in file order."""
        return tuple(r.name for r in self.rubrics)

    @property
    def fingerprint(self) -> str:
        """Return 8 hex digits of the SHA-256 of the set's canonical JSON (part of the task version)."""
        text = json.dumps([self.name, self.version, [asdict(r) for r in self.rubrics]],
                          sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:8]


def _rubric(raw: Any, where: str) -> Rubric:
    if not isinstance(raw, dict) or any(k not in raw for k in _FIELDS):
        raise BadInput(f"{where}: a rubric needs {', '.join(_FIELDS)} (and scale [1, 5])")
    scale = tuple(raw.get("scale", SCALE))
    pass_min = raw["pass_min"]
    if scale != SCALE or not isinstance(pass_min, int) or not SCALE[0] <= pass_min <= SCALE[1]:
        raise BadInput(f"{where}: rubric {raw['name']!r} must use scale [1, 5] and an integer "
                       f"pass_min in it; got scale {list(scale)}, pass_min {pass_min!r}")
    return Rubric(str(raw["name"]), str(raw["version"]), " ".join(str(raw["instructions"]).split()),
                  pass_min)


@lru_cache(maxsize=8)
def _load(path: str | None) -> RubricSet:
    import yaml

    if path is None:
        where, text = "rubrics.yml", (resources.files(__package__) / "rubrics.yml").read_text()
    else:
        where, text = path, Path(path).read_text()
    raw = yaml.safe_load(text) or {}
    items = raw.get("rubrics") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise BadInput(f"{where}: expected a mapping with a non-empty 'rubrics' list")
    rubrics = tuple(_rubric(r, where) for r in items)
    if len({r.name for r in rubrics}) != len(rubrics):
        raise BadInput(f"{where}: rubric names must be unique")
    return RubricSet(str(raw.get("name", "custom")), str(raw.get("version", "1")), rubrics)


def load_rubrics(path: str | Path | None = None) -> RubricSet:
    """Return the rubric set of ``path`` (a YAML file), or the one shipped in the package."""
    return _load(None if path is None else str(Path(path).expanduser().resolve()))


def answer_schema(rubrics: RubricSet) -> dict:
    """Return the JSON Schema of the judge's answer: scores per rubric, verdict, reasons."""
    score = {"type": "integer", "minimum": SCALE[0], "maximum": SCALE[1]}
    return {
        "type": "object",
        "required": ["scores", "verdict", "reasons"],
        "additionalProperties": False,
        "properties": {
            "scores": {"type": "object", "required": list(rubrics.names),
                       "additionalProperties": False,
                       "properties": {n: score for n in rubrics.names}},
            "verdict": {"type": "string", "enum": ["pass", "fail"]},
            "reasons": {"type": "array", "items": {"type": "string"}},
        },
    }


def judge_task(rubrics: RubricSet) -> Any:
    """Return the ``workbench.llm.Task`` judging one trace on every rubric of ``rubrics``."""
    from ...llm import Task

    listed = "\n".join(f"- {r.name} (pass mark {r.pass_min}): {r.instructions}"
                       for r in rubrics.rubrics).replace("{", "{{").replace("}", "}}")
    return Task(name=TASK_NAME,
                version=f"{PROMPT_VERSION}+{rubrics.name}-{rubrics.version}-{rubrics.fingerprint}",
                prompt=PROMPT.format(rubrics=listed), schema=answer_schema(rubrics),
                offline=None, system=SYSTEM,
                expected_output_tokens=300)


def excerpt(text: str | None, limit: int) -> str:
    """Return ``text`` cut to about ``limit`` characters: head and tail, split at whitespace.

    >>> excerpt("one two three four five six seven eight nine ten", 24)
    'one two three … [32 characters omitted] … ten'
    >>> excerpt(None, 10)
    '(none)'
    """
    if not text or not text.strip():
        return "(none)"
    if len(text) <= limit:
        return text
    head, tail = text[: limit * 2 // 3], text[len(text) - limit // 3:]
    head = head[: head.rfind(" ")] if " " in head else head
    tail = tail[tail.find(" ") + 1:] if " " in tail else tail
    return f"{head} … [{len(text) - len(head) - len(tail)} characters omitted] … {tail}"


def conversation(messages: str | None, prompt: str | None) -> str:
    """Return the non-system messages as ``role: text`` lines (else the prompt as the user's).

    >>> conversation('[{"role": "system", "content": "Be brief."}, '
    ...              '{"role": "user", "content": "Hi?"}]', "Hi?")
    'user: Hi?'
    """
    try:
        items = json.loads(messages) if messages else []
    except ValueError:
        items = []
    lines = [f"{m.get('role', '?')}: {m.get('content') or ''}" for m in items
             if isinstance(m, dict) and m.get("role") not in ("system", "developer")]
    if not lines and prompt:
        lines = [f"user: {prompt}"]
    return "\n".join(lines)


def task_inputs(row: dict, limit: int) -> dict[str, str]:
    """Return the task inputs of one trace row: system, conversation and response excerpts."""
    return {"system": excerpt(row.get("system"), limit // 3),
            "conversation": excerpt(conversation(row.get("messages"), row.get("prompt")), limit),
            "response": excerpt(row.get("response"), limit)}
