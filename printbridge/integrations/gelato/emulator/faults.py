"""Gelato's fault injection: the BigCommerce emulator's rules (fail, delay, 429, disconnect, webhook fates) behind
the Gelato contract's signatures, plus a full outage."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass

from printbridge.integrations.bigcommerce.emulator.faults import FaultPlan, Faults, WebhookFate


@dataclass(frozen=True)
class RandomFaults:
    """Shares of matching calls that fail at random (reliability.md §9 G6), drawn from the seed."""

    fail_after_effect: float = 0.0  # carried out, then 500
    delay_after_effect: float = 0.0  # carried out, then answered `delay_seconds` late
    rate_limit: float = 0.0  # 429 with Retry-After: `retry_after`
    delay_seconds: float = 20.0
    retry_after: int = 1
    path_contains: str | None = None

    def __post_init__(self) -> None:
        shares = (self.fail_after_effect, self.delay_after_effect, self.rate_limit)
        if any(share < 0 for share in shares) or sum(shares) > 1:
            raise ValueError("the shares must not be negative and must add up to at most 1")
        if self.delay_seconds <= 0 or self.retry_after < 0:
            raise ValueError("delay_seconds must be positive and retry_after not negative")

    def plan(self, draw: float) -> FaultPlan:
        if draw < self.rate_limit:
            return FaultPlan(rate_limit_reset_ms=self.retry_after * 1000)
        if draw < self.rate_limit + self.fail_after_effect:
            return FaultPlan(fail_status=500, fail_after_effect=True)
        if draw < self.rate_limit + self.fail_after_effect + self.delay_after_effect:
            return FaultPlan(delay_seconds=self.delay_seconds, delay_after_effect=True)
        return FaultPlan()


class GelatoFaults:
    """`emu.faults`; every method is also reachable over HTTP as POST /_emulator/faults/{method}."""

    def __init__(self, seed: int = 1) -> None:
        self._rules = Faults(seed=seed)
        self._lock = threading.Lock()
        self._outage_until = 0.0
        self._random_faults: RandomFaults | None = None
        self._random = random.Random(seed)

    def fail_next(
        self, status: int = 500, count: int = 1, after_effect: bool = False, path_contains: str | None = None
    ) -> None:
        """Answer the next `count` matching calls with `status`; with `after_effect` the call is carried out
        first (POST /v4/orders creates the order, then answers 500)."""
        self._rules.fail_next(status, count, path_contains, after_effect)

    def delay_next(
        self, seconds: float, count: int = 1, after_effect: bool = False, path_contains: str | None = None
    ) -> None:
        """Hold the answer for `seconds` (real time), past the client's timeout. With `after_effect` the call is
        carried out and its real answer comes late; without, nothing is done and the late answer is a 504."""
        if seconds <= 0:
            raise ValueError("seconds must be positive")
        self._rules.delay_next(seconds, count, path_contains, after_effect)

    def rate_limit_next(
        self, count: int = 1, retry_after: int = 30, path_contains: str | None = None
    ) -> None:
        """Answer the next `count` matching calls with 429 and `Retry-After: retry_after` (seconds, as given)."""
        if retry_after < 0:
            raise ValueError("retry_after must not be negative")
        self._rules.rate_limit_next(count, retry_after * 1000, path_contains)

    def disconnect_next(self, count: int = 1, path_contains: str | None = None) -> None:
        """Close the connection without an answer (a connection reset for the client)."""
        self._rules.disconnect_next(count, path_contains)

    def outage(self, seconds: float) -> None:
        """Answer every API call with 503 for the next `seconds` (real time); 0 ends an outage."""
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        with self._lock:
            self._outage_until = time.monotonic() + seconds

    def random_faults(
        self,
        fail_after_effect: float = 0.0,
        delay_after_effect: float = 0.0,
        rate_limit: float = 0.0,
        delay_seconds: float = 20.0,
        retry_after: int = 1,
        path_contains: str | None = None,
    ) -> None:
        """From now on, fail these shares of the matching calls that no scripted fault takes (all zero: stop)."""
        config = RandomFaults(
            fail_after_effect, delay_after_effect, rate_limit, delay_seconds, retry_after, path_contains
        )
        with self._lock:
            self._random_faults = config

    def webhooks(self, drop: float = 0.0, duplicate: float = 0.0, reorder: float = 0.0) -> None:
        """Fractions of webhook events to drop, to send twice, and to hold back behind the order's next event."""
        self._rules.webhooks(drop, duplicate, reorder)

    def clear(self) -> None:
        self._rules.clear()
        self.outage(0)
        with self._lock:
            self._random_faults = None

    def in_outage(self) -> bool:
        with self._lock:
            return time.monotonic() < self._outage_until

    def take(self, path: str) -> FaultPlan:
        """What to do to one call: a scripted fault first, else perhaps a random one."""
        plan = self._rules.take(path)
        if plan != FaultPlan():
            return plan
        with self._lock:
            config = self._random_faults
            if config is None or (config.path_contains is not None and config.path_contains not in path):
                return plan
            draw = self._random.random()
        return config.plan(draw)

    def webhook_fate(self) -> WebhookFate:
        return self._rules.webhook_fate()
