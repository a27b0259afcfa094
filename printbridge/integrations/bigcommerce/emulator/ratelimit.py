"""Per-store request quotas in fixed windows, with BigCommerce's X-Rate-Limit-* headers."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_SECONDS = 30.0
QUOTAS = {"standard": 150, "plus": 150, "pro": 450}
PLAN_NAMES = {"standard": "Standard", "plus": "Plus", "pro": "Pro"}


@dataclass(frozen=True)
class RateState:
    allowed: bool
    quota: int
    left: int
    reset_ms: int
    window_ms: int

    def headers(self) -> dict[str, str]:
        headers = {
            "X-Rate-Limit-Time-Window-Ms": str(self.window_ms),
            "X-Rate-Limit-Time-Reset-Ms": str(self.reset_ms),
            "X-Rate-Limit-Requests-Quota": str(self.quota),
            "X-Rate-Limit-Requests-Left": str(self.left),
        }
        if not self.allowed:
            headers["X-Retry-After"] = str(max(1, math.ceil(self.reset_ms / 1000)))
        return headers


class RateLimiter:
    """`quota` requests per window of 30 s divided by `time_scale` (real seconds)."""

    def __init__(self, plan: str, time_scale: float = 1.0, clock: Callable[[], float] = time.monotonic):
        if plan not in QUOTAS:
            raise ValueError(f"plan must be one of {sorted(QUOTAS)}, not {plan!r}")
        self.quota = QUOTAS[plan]
        self.window = WINDOW_SECONDS / time_scale
        self._clock = clock
        self._lock = threading.Lock()
        self._window_end = 0.0
        self._used = 0

    def consume(self) -> RateState:
        with self._lock:
            now = self._clock()
            if now >= self._window_end:
                self._window_end, self._used = now + self.window, 0
            allowed = self._used < self.quota
            if allowed:
                self._used += 1
            return self._state(allowed, now)

    def forced(self, reset_ms: int) -> RateState:
        """The state reported by an injected 429."""
        return RateState(False, self.quota, 0, reset_ms, round(self.window * 1000))

    def _state(self, allowed: bool, now: float) -> RateState:
        reset_ms = max(0, math.ceil((self._window_end - now) * 1000))
        window_ms = round(self.window * 1000)
        return RateState(allowed, self.quota, self.quota - self._used, reset_ms, window_ms)
