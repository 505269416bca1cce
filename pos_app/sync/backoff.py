"""Exponential backoff with jitter for retries against the server.

Delays grow ``base * 2**n`` up to ``cap``; each is drawn from ``[d/2, d]`` ("equal jitter"), so
a shop's tills coming back from one outage do not all knock at the same instant, yet no retry
comes sooner than half the planned delay. ``reset()`` after a success; the worker also retries at
once whenever it is woken (connectivity back, a new operation queued).
"""

from __future__ import annotations

import random
from collections.abc import Callable


class Backoff:
    def __init__(
        self,
        base: float = 0.5,
        cap: float = 60.0,
        *,
        rand: Callable[[], float] = random.random,
    ) -> None:
        if base <= 0 or cap < base:
            raise ValueError("backoff needs 0 < base <= cap")
        self.base = base
        self.cap = cap
        self._rand = rand
        self.failures = 0

    def next_delay(self) -> float:
        """The wait before the next attempt after one more failure."""
        planned = min(self.cap, self.base * 2.0 ** min(self.failures, 32))
        self.failures += 1
        return planned / 2 + self._rand() * planned / 2

    def reset(self) -> None:
        self.failures = 0
