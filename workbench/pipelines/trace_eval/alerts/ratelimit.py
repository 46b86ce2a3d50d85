"""A token bucket per channel: at most N messages per minute, refilled continuously."""
from __future__ import annotations

import time
from collections.abc import Callable


class TokenBucket:
    """``capacity`` tokens refilled at ``capacity`` per minute; one message takes one token.

    >>> t = [0.0]
    >>> b = TokenBucket(2, clock=lambda: t[0])
    >>> b.take(), b.take(), b.take()
    (True, True, False)
    >>> t[0] = 30.0
    >>> b.take()
    True
    """

    def __init__(self, capacity: int, *, used: int = 0,
                 clock: Callable[[], float] = time.monotonic):
        self.capacity = float(capacity)
        self.rate = capacity / 60.0
        self.clock = clock
        self.tokens = max(0.0, self.capacity - used)
        self.stamp = clock()

    def take(self) -> bool:
        """Return True and spend a token when one is available, else False."""
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False
