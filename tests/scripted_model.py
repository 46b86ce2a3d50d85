"""A scripted `llm` model for tests: each call takes the next item of its queue.

Items: a dict (answered as JSON), a str (answered verbatim, so invalid JSON is easy), a ``Reply``
(text, tool calls, reported usage, delay), an exception instance (raised, e.g. ``RateLimited``),
or a callable of the prompt text returning one of these. Registered in `llm`'s plugin manager only
by the tests (``install()``); models: ``scripted``, ``scripted-b``, ``scripted-c`` and
``scripted-stream`` (which streams ``Reply.chunks``).
"""
from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import llm
from llm.plugins import pm

PLUGIN_NAME = "workbench-tests-scripted"
MODEL_IDS = ("scripted", "scripted-b", "scripted-c", "scripted-stream")


@dataclass
class Reply:
    """One scripted answer."""

    text: str | None = None
    tool_calls: list[dict] = field(default_factory=list)  # [{"name": …, "arguments": {…}}]
    usage: tuple[int, int] | None = None                  # reported (input, output) tokens
    delay: float = 0.0
    chunks: list[str] | None = None                       # streamed in these pieces


class RateLimited(Exception):
    """What a provider raises on HTTP 429 (status_code and Retry-After)."""

    status_code = 429

    def __init__(self, retry_after: float | None = None):
        super().__init__("rate limited (429)")
        self.retry_after = retry_after


class ServerError(Exception):
    """What a provider raises on HTTP 5xx."""

    status_code = 500

    def __init__(self):
        super().__init__("internal server error (500)")


def prompt_text(prompt) -> str:
    """Return every text the model was sent for this turn (system, user, tool results)."""
    bits = []
    for message in prompt.messages:
        for part in message.parts:
            bits.append(getattr(part, "text", None) or getattr(part, "output", None) or "")
    return "\n".join(b for b in bits if b)


class ScriptedModel(llm.Model):
    """An `llm` model answering from a queue; it records what it was sent."""

    can_stream = False
    supports_tools = True

    def __init__(self, model_id: str):
        self.model_id = model_id
        self.queue: deque = deque()
        self.default: Any = None
        self.delay = 0.0
        self.sent: list[str] = []
        self._lock = threading.Lock()

    def execute(self, prompt, stream, response, conversation):
        text = prompt_text(prompt)
        with self._lock:
            self.sent.append(text)
            item = self.queue.popleft() if self.queue else self.default
        if item is None:
            raise AssertionError(f"{self.model_id}: the script is empty")
        if callable(item) and not isinstance(item, BaseException):
            item = item(text)
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, dict | list):
            item = Reply(json.dumps(item))
        if isinstance(item, str):
            item = Reply(item)
        if item.delay or self.delay:
            time.sleep(item.delay or self.delay)
        if item.usage:
            response.set_usage(input=item.usage[0], output=item.usage[1])
        for call in item.tool_calls:
            response.add_tool_call(llm.ToolCall(name=call["name"],
                                                arguments=call.get("arguments", {})))
        if item.chunks:
            yield from item.chunks
        elif item.text:
            yield item.text

    @property
    def calls(self) -> int:
        """Return how many times the model was called."""
        return len(self.sent)


class StreamingScriptedModel(ScriptedModel):
    """The same, but it says it streams (``Reply.chunks`` arrive one by one)."""

    can_stream = True


MODELS = {m: (StreamingScriptedModel if m.endswith("-stream") else ScriptedModel)(m)
          for m in MODEL_IDS}


class ScriptedEmbedding(llm.EmbeddingModel):
    """An `llm` embedding model: each text's vector is the sum of its words' vectors in
    ``concepts`` (word -> axis); it records every text it was sent."""

    model_id = "scripted-embed"
    batch_size = 16

    def __init__(self):
        self.concepts: dict[str, int] = {}
        self.dim = 8
        self.sent: list[str] = []

    def embed_batch(self, items):
        for text in items:
            self.sent.append(text)
            v = [0.0] * self.dim
            for w in str(text).lower().replace("_", " ").split():
                if w in self.concepts:
                    v[self.concepts[w]] += 1.0
            yield v


EMBEDDING = ScriptedEmbedding()


class _Plugin:
    @llm.hookimpl
    def register_models(self, register):
        for model in MODELS.values():
            register(model)

    @llm.hookimpl
    def register_embedding_models(self, register):
        register(EMBEDDING)


def install() -> None:
    """Register the scripted models with `llm` (once per process)."""
    if pm.get_plugin(PLUGIN_NAME) is None:
        pm.register(_Plugin(), name=PLUGIN_NAME)


def script(model_id: str = "scripted", *items, default=None, delay: float = 0.0) -> ScriptedModel:
    """Reset ``model_id`` to answer ``items`` in order (then ``default``); return the model."""
    install()
    model = MODELS[model_id]
    with model._lock:
        model.queue = deque(items)
        model.default = default
        model.delay = delay
        model.sent = []
    return model


def embedding(concepts: dict[str, int], dim: int = 8) -> ScriptedEmbedding:
    """Reset the scripted embedding model to ``concepts`` (word -> axis); return it."""
    install()
    EMBEDDING.concepts, EMBEDDING.dim, EMBEDDING.sent = dict(concepts), dim, []
    return EMBEDDING


def reset() -> None:
    """Empty every scripted model's queue and record."""
    for m in MODEL_IDS:
        script(m)
    embedding({})
