"""CloudWatch helpers of the log_chat tests (seeding moto, a counting proxy); a plain module.

Imported by name (``from cw_helpers import put_events``): a module called ``conftest`` is
ambiguous when several test folders have one.
"""
from __future__ import annotations

import http.client
import json
import threading
import urllib.request
from collections import Counter
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

REGION = "us-east-1"
MAX_BATCH_EVENTS = 10_000  # PutLogEvents: at most 10,000 events,
MAX_BATCH_BYTES = 1_048_576  # 1 MiB counting 26 bytes per event,
MAX_BATCH_SPAN_MS = 24 * 3600 * 1000  # and spanning at most 24 hours


def logs_client(endpoint: str, region: str = REGION):
    """Return a boto3 ``logs`` client for seeding (explicit endpoint and dummy keys)."""
    import boto3

    return boto3.client("logs", endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def reset_moto(endpoint: str) -> None:
    """Drop every resource of the moto server."""
    req = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    urllib.request.urlopen(req, timeout=10).close()


def put_events(client, group: str, stream: str, events: Iterable[tuple[int, str]]) -> int:
    """Create the group and stream if needed and put (ts_ms, message) events; return the count.

    Events go in time order, in batches within PutLogEvents' limits (10,000 events, 1 MiB with
    26 bytes per event, 24 hours).
    """
    for create, kwargs in ((client.create_log_group, {"logGroupName": group}),
                           (client.create_log_stream,
                            {"logGroupName": group, "logStreamName": stream})):
        try:
            create(**kwargs)
        except client.exceptions.ResourceAlreadyExistsException:
            pass
    batch: list[dict] = []
    size = total = 0

    def flush() -> None:
        if batch:
            resp = client.put_log_events(logGroupName=group, logStreamName=stream,
                                         logEvents=batch)
            assert not resp.get("rejectedLogEventsInfo"), resp["rejectedLogEventsInfo"]

    for ts, message in sorted(events, key=lambda e: e[0]):
        cost = len(message.encode()) + 26
        if batch and (len(batch) == MAX_BATCH_EVENTS or size + cost > MAX_BATCH_BYTES
                      or ts - batch[0]["timestamp"] > MAX_BATCH_SPAN_MS):
            flush()
            batch, size = [], 0
        batch.append({"timestamp": ts, "message": message})
        size += cost
        total += 1
    flush()
    return total


class CloudWatchProxy:
    """A loopback HTTP proxy to moto that counts operations and injects error responses."""

    def __init__(self, upstream: str) -> None:
        self.upstream = urlsplit(upstream)
        self.operations: Counter[str] = Counter()  # forwarded, by X-Amz-Target operation
        self.failed: Counter[str] = Counter()  # answered with an injected error
        self._plan: list[tuple[str, int]] = []  # per coming request: (code, status) or ("", 0)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def fail(self, n: int, code: str = "ThrottlingException", status: int = 400,
             after: int = 0) -> None:
        """Answer ``n`` requests with ``code``, after letting ``after`` requests through."""
        with self._lock:
            self._plan = [("", 0)] * after + [(code, status)] * n

    def close(self) -> None:
        """Stop the proxy."""
        self._server.shutdown()
        self._server.server_close()

    def _next(self) -> tuple[str, int]:
        with self._lock:
            return self._plan.pop(0) if self._plan else ("", 0)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep pytest output quiet
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                op = (self.headers.get("X-Amz-Target") or "").rpartition(".")[2] or "?"
                code, status = proxy._next()
                if code:
                    proxy.failed[op] += 1
                    payload = json.dumps({"__type": code, "message": "Rate exceeded"
                                          if "Throttl" in code else f"injected {code}"}).encode()
                    self._reply(status, payload, {"Content-Type": "application/x-amz-json-1.1",
                                                  "x-amzn-RequestId": "proxy-injected"})
                    return
                proxy.operations[op] += 1
                conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port,
                                                  timeout=30)
                try:
                    conn.request("POST", self.path, body=body, headers=dict(self.headers))
                    resp = conn.getresponse()
                    data = resp.read()
                    headers = {k: v for k, v in resp.getheaders()
                               if k.lower() not in ("content-length", "transfer-encoding",
                                                    "connection")}
                    self._reply(resp.status, data, headers)
                finally:
                    conn.close()

            def _reply(self, status: int, data: bytes, headers: dict) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
