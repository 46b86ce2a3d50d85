"""The `llm` side: model chains, loading models, calling them with a deadline, naming failures.

Any model an `llm` plugin registers works (OpenAI built in; Anthropic, Ollama, gguf… through
plugins). The gateway owns retries and timeouts, so the OpenAI client's own retry loop is turned
off and its HTTP timeout set to the gateway's; for every model the call also runs under a deadline
in a helper thread, so a plugin without a timeout cannot hang a run.
"""
from __future__ import annotations

import email.utils
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from ..config import Settings
from ..errors import TAXONOMY, ProviderError, is_transient

OFFLINE = "offline"
_MODELS: dict[tuple[str, str], Any] = {}
_LOCK = threading.Lock()


def resolve_chain(model: str | None, settings: Settings) -> tuple[str, ...]:
    """Return the fallback chain: ``model``, else settings.model, else offline; comma-separated.

    >>> from workbench.config import Settings
    >>> resolve_chain("gpt-4o-mini, offline", Settings(workspace="."))
    ('gpt-4o-mini', 'offline')
    >>> resolve_chain(None, Settings(workspace=".", model=""))
    ('offline',)
    """
    raw = model or settings.model or OFFLINE
    chain = tuple(dict.fromkeys(m.strip() for m in raw.split(",") if m.strip()))
    return chain or (OFFLINE,)


class ConfigFailure(ProviderError):
    """The model cannot be used at all here (unknown id, missing key): no retry, try the next."""

    def __init__(self, message: str):
        super().__init__(message, code="PROVIDER_UNHEALTHY")


def load_model(model_id: str):
    """Return the `llm` model for ``model_id`` (cached per LLM_USER_PATH); ConfigFailure if unknown."""
    import llm

    cache_key = (model_id, os.environ.get("LLM_USER_PATH", ""))
    with _LOCK:
        if cache_key in _MODELS:
            return _MODELS[cache_key]
        try:
            model = llm.get_model(model_id)
        except llm.UnknownModelError as exc:
            raise ConfigFailure(f"unknown model {model_id!r}: install its plugin (llm install …) "
                                "or check `llm models`") from exc
        _MODELS[cache_key] = model
        return model


def forget_models() -> None:
    """Drop loaded models (after changing LLM configuration in the same process)."""
    with _LOCK:
        _MODELS.clear()


def provider_name(model) -> str:
    """Return a short provider name for the ledger (openai, openai-compatible, anthropic…)."""
    module = type(model).__module__
    if module.startswith("llm.default_plugins.openai"):
        return "openai-compatible" if getattr(model, "api_base", None) else "openai"
    root = module.split(".")[0]
    return root.removeprefix("llm_").replace("_", "-")


def _tune_openai_client(model, timeout_s: float) -> None:
    # llm's OpenAI models build a client per call: wrap that once per model instance
    model._workbench_timeout = timeout_s
    if getattr(model, "_workbench_tuned", False) or not hasattr(model, "get_client"):
        return
    original = model.get_client

    def get_client(key, *, async_=False):
        client = original(key, async_=async_)
        return client.with_options(timeout=model._workbench_timeout, max_retries=0)

    model.get_client = get_client
    model._workbench_tuned = True


def execute(make_response: Callable[[], Any], model, timeout_s: float,
            on_chunk: Callable[[str], None] | None = None) -> tuple[Any, str]:
    """Return (response, text) of one model call; ProviderError(TIMEOUT) past ``timeout_s``.

    With ``on_chunk`` the text is handed over piece by piece as the model streams it.
    """
    _tune_openai_client(model, timeout_s)
    box: dict[str, Any] = {}
    done = threading.Event()

    def work():
        try:
            response = make_response()
            if on_chunk is not None:
                for chunk in response:
                    if chunk:
                        on_chunk(chunk)
            box["text"] = response.text()
            box["response"] = response
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc
        finally:
            done.set()

    # a daemon helper: a stalled provider is abandoned at the deadline instead of hanging the run
    threading.Thread(target=work, name="workbench-llm-call", daemon=True).start()
    if not done.wait(timeout_s):
        raise ProviderError(f"no answer within {timeout_s:g}s", code="TIMEOUT")
    if "error" in box:
        raise box["error"]
    return box["response"], box["text"]


def usage_of(response, prompt_chars: int, text: str) -> tuple[int, int, bool]:
    """Return (tokens_in, tokens_out, estimated): reported usage, else chars/4 on each side."""
    u = response.usage()
    if u.input is not None and u.output is not None:
        return int(u.input), int(u.output), False
    return estimate_tokens(prompt_chars), estimate_tokens(len(text)), True


def estimate_tokens(chars: int) -> int:
    """Return the documented token estimate for ``chars`` characters: ceil(chars / 4).

    >>> estimate_tokens(9)
    3
    """
    return -(-int(chars) // 4)


def classify(exc: BaseException) -> tuple[str, float | None, bool]:
    """Return (taxonomy code, retry_after seconds or None, retry allowed) for a failed call."""
    if isinstance(exc, ConfigFailure):
        return exc.code, None, False
    if isinstance(exc, ProviderError):
        return exc.code, exc.retry_after, is_transient(exc.code)
    import llm

    if isinstance(exc, llm.NeedsKeyException):
        return "PROVIDER_UNHEALTHY", None, False
    names = {c.__name__ for c in type(exc).__mro__}
    status = getattr(exc, "status_code", None)
    if status is None:
        status = getattr(getattr(exc, "response", None), "status_code", None)
    retry_after = _retry_after(exc)
    code = "DETERMINISTIC_FAILURE"
    if isinstance(exc, TimeoutError) or any("Timeout" in n for n in names) or status == 408:
        code = "TIMEOUT"
    elif status == 429 or any("RateLimit" in n for n in names):
        code = "QUOTA_EXHAUSTED" if "insufficient_quota" in str(exc) else "RATE_LIMIT"
    elif (isinstance(status, int) and status >= 500) or names & {
            "InternalServerError", "ServiceUnavailableError", "OverloadedError"}:
        code = "TRANSIENT_ERROR"
    elif isinstance(exc, ConnectionError) or any("Connection" in n for n in names):
        code = "PROVIDER_UNHEALTHY"
    return code, retry_after, is_transient(code)


def may_fall_back(code: str | None) -> bool:
    """Return True when the next model of a chain may be tried after this failure."""
    return bool(code) and TAXONOMY.get(code, ("", False, False))[2]


def _retry_after(exc: BaseException) -> float | None:
    value = getattr(exc, "retry_after", None)
    if value is not None:
        return float(value)
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        when = email.utils.parsedate_to_datetime(raw)  # the HTTP-date form
        return max(0.0, when.timestamp() - time.time()) if when else None
