"""CloudWatch Logs as a ``LogSource``, through boto3's ``logs`` client.

Endpoint, region and credentials come from the standard AWS configuration only:
``AWS_ENDPOINT_URL`` / ``AWS_ENDPOINT_URL_CLOUDWATCH_LOGS``, ``AWS_PROFILE``, ``AWS_REGION`` /
``AWS_DEFAULT_REGION``, the ``AWS_ACCESS_KEY_ID`` family, ``~/.aws/config`` and
``~/.aws/credentials``; the constructor only takes optional ``region`` / ``profile`` overrides.

- ``list_groups`` pages through ``DescribeLogGroups`` (50 a page) up to ``limit``.
- ``fetch`` pages through ``FilterLogEvents`` (up to 10,000 a page), oldest first, and stops at
  ``limit`` (``truncated`` then tells more events exist). The window is half-open,
  ``start <= ts < end``; naive datetimes mean UTC. Messages lose their trailing newline.
- ``search`` lists the groups under each prefix, fetches them in parallel and merges by time,
  keeping the oldest ``limit`` events overall (each group's oldest ``limit`` suffice for that).
- Throttling (``ThrottlingException``, ``TooManyRequestsException``, ``LimitExceededException``)
  is retried by botocore's retry modes (``AWS_RETRY_MODE`` / ``AWS_MAX_ATTEMPTS`` or the profile's
  ``retry_mode`` / ``max_attempts`` when set, else ``standard`` with 6 attempts: jittered
  exponential backoff); when those attempts are spent, the same page is retried again, a bounded
  number of rounds, so a long pagination resumes where it was instead of starting over.
  ``retries`` counts both kinds and ``requests`` every HTTP request sent.
- A missing group, access denied, rejected or absent credentials, no region or an unreachable
  endpoint raise ``BadInput`` (exit 2) with a message saying what to fix.
"""
from __future__ import annotations

import hashlib
import os
import random
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import boto3
import polars as pl
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    InvalidRegionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)
from botocore.paginate import TokenEncoder

from workbench.errors import BadInput, WorkbenchError
from workbench.ingest.log_filter import compile_filter
from workbench.ingest.log_source import (
    EVENTS_SCHEMA,
    LogEvents,
    LogGroup,
    LogSource,
    as_utc,
    empty_events,
    merge_events,
    truncation_note,
)

__all__ = ["THROTTLE_CODES", "CloudWatchLogSource"]

THROTTLE_CODES = frozenset({"ThrottlingException", "TooManyRequestsException",
                            "LimitExceededException", "Throttling", "RequestLimitExceeded"})
DENIED_CODES = frozenset({"AccessDeniedException", "AccessDenied", "UnauthorizedOperation"})
REJECTED_CODES = frozenset({"UnrecognizedClientException", "InvalidSignatureException",
                            "ExpiredTokenException", "InvalidClientTokenId"})
DEFAULT_ATTEMPTS = 6  # per request, the first included, unless AWS_MAX_ATTEMPTS says otherwise
PAGE_EVENTS = 10_000  # FilterLogEvents' maximum limit
PAGE_GROUPS = 50  # DescribeLogGroups' maximum limit


def _ms(value: datetime | None, name: str) -> int | None:
    """Return epoch milliseconds of an aware (or naive = UTC) datetime, None for None."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise BadInput(f"{name} must be a datetime, got {type(value).__name__} {value!r}")
    return int(as_utc(value).timestamp() * 1000)


def _check_limit(limit: int | None) -> None:
    """Raise BadInput unless ``limit`` is None or a positive int."""
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise BadInput(f"limit must be a positive integer or None, got {limit!r}")


def _frame(rows: list[tuple[str, int, str, str]]) -> pl.DataFrame:
    """Return the events frame (log_group, ts, message, stream) of raw rows, sorted by time."""
    raw = pl.DataFrame(rows, schema={"log_group": pl.Utf8, "ts": pl.Int64, "message": pl.Utf8,
                                     "stream": pl.Utf8}, orient="row")
    frame = raw.with_columns(pl.col("ts").cast(pl.Datetime("ms")).dt.replace_time_zone("UTC"))
    return frame.select(EVENTS_SCHEMA.names()).sort(["ts", "stream"], maintain_order=True)


class CloudWatchLogSource(LogSource):
    """Log groups and events of CloudWatch Logs (see the module docstring)."""

    kind = "cloudwatch"

    def __init__(self, region: str | None = None, profile: str | None = None, *,
                 retry_mode: str | None = None, max_attempts: int | None = None,
                 throttle_rounds: int = 3,
                 backoff_s: float = 1.0, workers: int = 4, connect_timeout: float = 10,
                 read_timeout: float = 60) -> None:
        self.throttle_rounds, self.backoff_s, self.workers = throttle_rounds, backoff_s, workers
        self.retries = 0  # throttled or failed requests retried (botocore's and ours)
        self.requests = 0  # HTTP requests sent, retries included
        self._lock = threading.Lock()
        try:
            self._session = boto3.Session(profile_name=profile, region_name=region)
            scoped = self._session._session.get_scoped_config()
            mode = retry_mode or os.environ.get("AWS_RETRY_MODE") or scoped.get("retry_mode")
            tries = max_attempts or os.environ.get("AWS_MAX_ATTEMPTS") or scoped.get("max_attempts")
            config = Config(retries={"mode": mode or "standard",
                                     "total_max_attempts": int(tries or DEFAULT_ATTEMPTS)},
                            connect_timeout=connect_timeout, read_timeout=read_timeout,
                            user_agent_extra="workbench-log-chat")
            self._client = self._session.client("logs", config=config)
        except ProfileNotFound as exc:
            raise BadInput(f"AWS profile {exc.kwargs.get('profile', profile)!r} is not configured "
                           "(see ~/.aws/config); set AWS_PROFILE to an existing profile") from None
        except NoRegionError:
            raise BadInput("no AWS region for CloudWatch Logs: set AWS_REGION or "
                           "AWS_DEFAULT_REGION, or a region in the AWS profile") from None
        except InvalidRegionError as exc:
            raise BadInput(f"AWS region {exc.kwargs.get('region_name')!r} is not a valid region "
                           "name (for example us-east-1)") from None
        except ValueError as exc:  # botocore: "Invalid endpoint: ..."
            raise BadInput(f"CloudWatch Logs endpoint is invalid ({exc}): check AWS_ENDPOINT_URL"
                           " / AWS_ENDPOINT_URL_CLOUDWATCH_LOGS") from None
        self.region: str = self._client.meta.region_name
        self.endpoint: str = self._client.meta.endpoint_url
        self.profile: str | None = self._session.profile_name

    # -- the LogSource operations -------------------------------------------------------------

    def list_groups(self, prefix: str = "", limit: int | None = None) -> list[LogGroup]:
        """Return the log groups whose name starts with ``prefix`` (all pages, at most limit)."""
        _check_limit(limit)
        params = {"logGroupNamePrefix": prefix} if prefix else {}
        size = min(limit or PAGE_GROUPS, PAGE_GROUPS)
        out: list[LogGroup] = []
        for page in self._pages("describe_log_groups", f"log groups with prefix {prefix!r}",
                                size, **params):
            out += [LogGroup(name=g["logGroupName"], stored_bytes=g.get("storedBytes"))
                    for g in page.get("logGroups", [])]
            if limit is not None and len(out) >= limit:
                return out[:limit]
        return out

    def fetch(self, group: str | LogGroup, start: datetime | None = None,
              end: datetime | None = None, filter_pattern: str = "",
              limit: int | None = 10_000) -> LogEvents:
        """Return the events of one group in ``[start, end)`` matching the pattern, oldest first."""
        name = group.name if isinstance(group, LogGroup) else group
        if not isinstance(name, str) or not name:
            raise BadInput(f"log group must be a non-empty name, got {group!r}")
        _check_limit(limit)
        params: dict = {"logGroupName": name, "interleaved": True}
        params.update(self._window(start, end))
        if filter_pattern and filter_pattern.strip():
            params["filterPattern"] = filter_pattern
        # the same pattern checked here too: a no-op on CloudWatch's own answer, and the same
        # result from an emulator or proxy that ignores part of the syntax
        flt = compile_filter(filter_pattern)
        rows: list[tuple[str, int, str, str]] = []
        scanned, truncated = 0, False
        size = PAGE_EVENTS if limit is None else min(limit, PAGE_EVENTS)
        for page in self._pages("filter_log_events", f"log group {name!r}", size, group=name,
                                **params):
            events = page.get("events", [])
            scanned += len(events)
            if flt.kind != "all":
                events = [e for e in events if flt.matches(e.get("message", "").rstrip("\r\n"))]
            room = len(events) if limit is None else limit - len(rows)
            rows += [(name, e["timestamp"], e.get("message", "").rstrip("\r\n"),
                      e.get("logStreamName", "")) for e in events[:room]]
            if limit is not None and len(rows) >= limit:
                truncated = len(events) > room or bool(page.get("nextToken"))
                break
        note = truncation_note(limit, repr(name)) if truncated and limit is not None else ""
        return LogEvents(frame=_frame(rows), scanned=scanned, truncated=truncated, note=note)

    def search(self, filter_pattern: str, start: datetime | None = None,
               end: datetime | None = None, prefixes: Sequence[str] | str = (),
               limit: int | None = 10_000) -> LogEvents:
        """Return matching events of every group under the prefixes, merged by time."""
        _check_limit(limit)
        prefixes = [prefixes] if isinstance(prefixes, str) else list(prefixes)
        self._window(start, end)  # a bad window fails before any listing
        names = sorted({g.name for p in prefixes or [""] for g in self.list_groups(p)})
        if not names:
            wanted = ", ".join(repr(p) for p in prefixes)
            return LogEvents(empty_events(), note=f"no log groups under {wanted}")
        result = merge_events(self._fetch_many(names, start, end, filter_pattern, limit), limit)
        if result.truncated and limit is not None:
            cut = truncation_note(limit, f"{len(names)} groups" if len(names) > 1 else repr(*names))
            result.note = " ".join(filter(None, [cut, result.note]))
        return result

    def _fetch_many(self, names: list[str], start: datetime | None, end: datetime | None,
                    filter_pattern: str, limit: int | None) -> Iterator[LogEvents]:
        """Yield the fetch of each group in order, a few groups at a time in parallel."""
        step = max(1, self.workers)
        with ThreadPoolExecutor(max_workers=step) as pool:
            for i in range(0, len(names), step):
                yield from pool.map(lambda n: self.fetch(n, start, end, filter_pattern, limit),
                                    names[i:i + step])

    def fingerprint(self) -> str:
        """Return 'cloudwatch|endpoint|region|profile|key-id hash', identifying this source."""
        try:
            creds = self._session.get_credentials()
        except BotoCoreError:
            creds = None
        key = creds.access_key if creds is not None else ""
        who = hashlib.sha256(key.encode()).hexdigest()[:12] if key else "anonymous"
        return f"cloudwatch|{self.endpoint}|{self.region}|{self.profile or 'default'}|{who}"

    # -- plumbing ---------------------------------------------------------------------------

    def _window(self, start: datetime | None, end: datetime | None) -> dict:
        """Return FilterLogEvents' startTime/endTime (inclusive ms) for the window [start, end)."""
        lo, hi = _ms(start, "start"), _ms(end, "end")
        if lo is not None and hi is not None and hi <= lo:
            raise BadInput(f"time window is empty: end {end} is not after start {start}")
        out = {}
        if lo is not None:
            out["startTime"] = max(lo, 0)
        if hi is not None:
            out["endTime"] = max(hi - 1, 0)
        return out

    def _count(self, response: dict) -> None:
        """Add one response's requests and retries to the counters."""
        tries = int(response.get("ResponseMetadata", {}).get("RetryAttempts", 0) or 0)
        with self._lock:
            self.requests += tries + 1
            self.retries += tries

    def _pages(self, op: str, what: str, size: int, group: str = "",
               **params) -> Iterator[dict]:
        """Yield every page of a paginated call; throttled pages are retried from their token."""
        paginator = self._client.get_paginator(op)
        token: str | None = None
        rounds = 0
        while True:
            config: dict = {"PageSize": size}
            if token:
                config["StartingToken"] = TokenEncoder().encode({"nextToken": token})
            try:
                for page in paginator.paginate(**params, PaginationConfig=config):
                    self._count(page)
                    rounds, token = 0, page.get("nextToken")
                    yield page
                return
            except ClientError as exc:
                self._count(exc.response)
                if exc.response.get("Error", {}).get("Code") in THROTTLE_CODES \
                        and rounds < self.throttle_rounds:
                    rounds += 1
                    with self._lock:
                        self.retries += 1
                    time.sleep(min(20.0, self.backoff_s * 2 ** (rounds - 1))
                               * (0.5 + random.random() / 2))
                    continue
                raise self._error(exc, what, group) from None
            except BotoCoreError as exc:
                raise self._error(exc, what) from None

    def _siblings(self, group: str) -> str:
        """Return a clause naming a few groups next to a missing one ('' when none or unknown)."""
        parent = group.rstrip("/").rpartition("/")[0] + "/" if "/" in group.strip("/") else ""
        try:
            near = [g.name for g in self.list_groups(parent, limit=6)]
        except WorkbenchError:
            return ""
        return f"; groups under {parent or 'the root'!r}: {', '.join(near)}" if near else ""

    def _error(self, exc: Exception, what: str, group: str = "") -> WorkbenchError:
        """Return the workbench error for a boto failure on ``what``."""
        where = f"CloudWatch Logs ({self.endpoint}, region {self.region})"
        if isinstance(exc, NoCredentialsError):
            return BadInput(f"no AWS credentials found for {where}: set AWS_PROFILE, or "
                            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or ~/.aws/credentials")
        if isinstance(exc, NoRegionError):
            return BadInput("no AWS region for CloudWatch Logs: set AWS_REGION or "
                            "AWS_DEFAULT_REGION, or a region in the AWS profile")
        if isinstance(exc, PartialCredentialsError):
            return BadInput(f"incomplete AWS credentials for {where}: {exc}")
        if isinstance(exc, EndpointConnectionError | ConnectTimeoutError):
            return BadInput(f"cannot reach {where}: check AWS_ENDPOINT_URL / "
                            "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS and that the region exists")
        if isinstance(exc, ReadTimeoutError):
            return WorkbenchError(f"{where} timed out reading {what}", code="TIMEOUT")
        if not isinstance(exc, ClientError):
            return WorkbenchError(f"{where} failed on {what}: {exc}", code="TRANSIENT_ERROR")
        err = exc.response.get("Error", {})
        code, message = err.get("Code", ""), err.get("Message", "")
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        if code == "ResourceNotFoundException":
            return BadInput(f"{what} does not exist in {where}"
                            + (self._siblings(group) if group else ""))
        if code in DENIED_CODES:
            return BadInput(f"access denied to {what} in {where} ({code}: {message}); the AWS "
                            "identity needs logs:DescribeLogGroups and logs:FilterLogEvents")
        if code in REJECTED_CODES:
            return BadInput(f"AWS credentials were rejected by {where} ({code}: {message})")
        if code == "InvalidParameterException":
            return BadInput(f"{where} rejected the request for {what}: {message}")
        if code in THROTTLE_CODES:
            return WorkbenchError(f"{where} kept throttling requests for {what} ({code}) after "
                                  f"{self.throttle_rounds} extra rounds", code="RATE_LIMIT")
        return WorkbenchError(f"{where} failed on {what}: {code or status}: {message}",
                              code="TRANSIENT_ERROR" if status >= 500 else None)
