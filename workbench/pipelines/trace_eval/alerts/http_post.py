"""One HTTP POST attempt, its outcome classified for the retry loop."""
from __future__ import annotations

import httpx

from .retry import PermanentSend, TransientSend, parse_retry_after


def post(url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> int:
    """Return the 2xx status of POSTing ``body``; raise TransientSend or PermanentSend otherwise."""
    try:
        resp = httpx.post(url, content=body, headers=headers, timeout=timeout_s,
                          follow_redirects=False)
    except httpx.TransportError as exc:  # connect/read errors and timeouts
        raise TransientSend(f"{type(exc).__name__}: {exc}") from None
    status = resp.status_code
    if 200 <= status < 300:
        return status
    if status == 429 or status >= 500:
        raise TransientSend(f"HTTP {status}", parse_retry_after(resp.headers.get("retry-after")))
    raise PermanentSend(f"HTTP {status}")
