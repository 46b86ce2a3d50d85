"""CloudWatch Logs for the log_chat tests: a moto server on loopback and helpers around it.

- ``moto_server`` (session): a real moto HTTP server on 127.0.0.1 (free port); yields its URL.
- ``aws_env``: points the standard AWS configuration at it (``AWS_ENDPOINT_URL``, dummy keys,
  ``AWS_DEFAULT_REGION=us-east-1``, no profile or config files); yields an ``AwsEnv``.
- ``cloudwatch_proxy``: a loopback HTTP proxy in front of moto that counts requests per
  operation and can answer the next requests with an error (``fail``: throttling and others);
  ``AWS_ENDPOINT_URL`` points at the proxy while the test runs.
- ``cw_helpers``: ``logs_client(endpoint)``, ``put_events(client, group, stream, events)`` and
  ``reset_moto(endpoint)`` seed and clear the server; use group names unique to your module.
- ``sample_logs``, ``raw_pii``, ``no_raw_pii``, ``chat_settings``: the sample logs, their raw
  PII values and a check for them, and a workspace with the scripted `llm` models.
"""
from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from cw_helpers import REGION, CloudWatchProxy


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """Yield the URL of a moto server (real HTTP on 127.0.0.1) running for the whole session."""
    from moto.server import ThreadedMotoServer  # imported here: other tests need not pay for it

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@dataclass(frozen=True)
class AwsEnv:
    endpoint: str
    region: str = REGION


@pytest.fixture
def aws_env(moto_server, monkeypatch, tmp_path) -> AwsEnv:
    """Point the standard AWS configuration of this process at the moto server."""
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_SESSION_TOKEN",
                "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS",
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    return AwsEnv(endpoint=moto_server)


@pytest.fixture
def cloudwatch_proxy(aws_env, monkeypatch) -> Iterator[CloudWatchProxy]:
    """Yield a counting, error-injecting proxy to moto; AWS_ENDPOINT_URL points at it."""
    proxy = CloudWatchProxy(aws_env.endpoint)
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
    try:
        yield proxy
    finally:
        proxy.close()


# -- shared by the log_chat tool, session and pipeline tests ----------------------------------

@pytest.fixture(scope="session")
def sample_logs(tmp_path_factory):
    """The built-in sample logs (fixed 'now' = 2026-01-15T12:00Z), written once per session."""
    from workbench.pipelines.log_chat.samples import write_samples

    out = tmp_path_factory.mktemp("log_chat_samples")
    write_samples(out)
    return out


@pytest.fixture
def chat_settings(tmp_path, monkeypatch):
    """Settings of a fresh workspace; `llm` configured in tmp with the scripted models."""
    import dataclasses

    import scripted_model

    from workbench import config

    home = tmp_path / "llm-home"
    home.mkdir()
    monkeypatch.setenv("LLM_USER_PATH", str(home))
    for var in ("WORKBENCH_MODEL", "WORKBENCH_LOG_CHAT_PII", "WORKBENCH_LOG_CHAT_MAX_ITERATIONS"):
        monkeypatch.delenv(var, raising=False)
    scripted_model.install()
    scripted_model.reset()
    (tmp_path / "ws").mkdir()
    return dataclasses.replace(config.load(tmp_path / "ws"), llm_timeout_s=5.0,
                               llm_max_retries=1, extra={"llm_backoff_s": 0.01})


RAW_PATTERNS = (r"[\w.+-]+@example\.(?:com|org|net)", r"AKIA[0-9A-Z]{16}", r"eyJ[\w-]{10,}",
                r"\b4\d{3}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}\b", r"\+\d[\d -]{8,}\d")


@pytest.fixture(scope="session")
def raw_pii(sample_logs) -> set[str]:
    """Return the raw PII values (e-mails, AWS key ids, JWTs, cards, phones) in the samples."""
    import re

    text = "".join(p.read_text() for p in sorted(sample_logs.rglob("*")) if p.is_file())
    found = {m for pat in RAW_PATTERNS for m in re.findall(pat, text)}
    assert len(found) > 50, "the samples should carry PII"
    return found


def assert_no_raw_pii(text: str, raw: set[str]) -> None:
    """Fail when ``text`` holds any of the raw values."""
    leaked = sorted(v for v in raw if v in text)
    assert not leaked, f"{len(leaked)} raw PII values leaked, e.g. {leaked[:1][0][:4]}…"


@pytest.fixture
def no_raw_pii(raw_pii):
    """Return a check that fails when a text holds a raw sample PII value."""
    return lambda text: assert_no_raw_pii(text, raw_pii)
