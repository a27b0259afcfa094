"""Fault injection: scripted HTTP faults for the next matching requests, and webhook delivery faults."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field


@dataclass
class _Rule:
    kind: str  # fail | delay | rate_limit | disconnect
    count: int
    path_contains: str | None
    status: int = 500
    seconds: float = 0.0
    reset_ms: int = 0
    after_effect: bool = False

    def matches(self, path: str) -> bool:
        return self.count > 0 and (self.path_contains is None or self.path_contains in path)


@dataclass
class FaultPlan:
    """What to do to one request; empty when no fault matched."""

    disconnect: bool = False
    rate_limit_reset_ms: int | None = None
    fail_status: int | None = None
    fail_after_effect: bool = False
    delay_seconds: float = 0.0
    delay_after_effect: bool = True


@dataclass(frozen=True)
class WebhookFate:
    drop: bool
    duplicate: bool
    reorder: bool


@dataclass
class WebhookFaults:
    drop: float = 0.0
    duplicate: float = 0.0
    reorder: float = 0.0


@dataclass
class Faults:
    """`emu.faults`; every method is also reachable over HTTP under /_emulator/faults/…"""

    seed: int = 1
    _rules: list[_Rule] = field(default_factory=list)
    _webhooks: WebhookFaults = field(default_factory=WebhookFaults)
    _empty_line_items: set[tuple[str | None, int]] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def fail_next(
        self, status: int = 500, count: int = 1, path_contains: str | None = None, after_effect: bool = False
    ) -> None:
        """Answer the next `count` matching requests with `status` (after doing the work if `after_effect`)."""
        if not 400 <= status <= 599:
            raise ValueError("status must be a 4xx or 5xx code")
        self._add(_Rule("fail", count, path_contains, status=status, after_effect=after_effect))

    def delay_next(
        self, seconds: float, count: int = 1, path_contains: str | None = None, after_effect: bool = True
    ) -> None:
        """Hold the response for `seconds` (real time): a client timeout. With `after_effect` the work is done
        first; without it nothing is done and the held answer is a 504."""
        self._add(_Rule("delay", count, path_contains, seconds=seconds, after_effect=after_effect))

    def rate_limit_next(self, count: int = 1, reset_ms: int = 3000, path_contains: str | None = None) -> None:
        """Answer 429 with `X-Rate-Limit-Time-Reset-Ms: reset_ms` and `Requests-Left: 0`."""
        self._add(_Rule("rate_limit", count, path_contains, reset_ms=reset_ms))

    def disconnect_next(self, count: int = 1, path_contains: str | None = None) -> None:
        """Close the connection without any response (a connection reset for the client)."""
        self._add(_Rule("disconnect", count, path_contains))

    def webhooks(self, drop: float = 0.0, duplicate: float = 0.0, reorder: float = 0.0) -> None:
        """Fractions of webhook events to drop, to send twice, and to hold back behind the next event."""
        for name, value in (("drop", drop), ("duplicate", duplicate), ("reorder", reorder)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        with self._lock:
            self._webhooks = WebhookFaults(drop, duplicate, reorder)

    def empty_line_items(self, order_id: int, store_hash: str | None = None) -> None:
        """Consignments of this order come back with empty `line_items` (bigcommerce/dev-docs#2052)."""
        with self._lock:
            self._empty_line_items.add((store_hash, order_id))

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self._webhooks = WebhookFaults()
            self._empty_line_items.clear()

    def line_items_are_empty(self, store_hash: str, order_id: int) -> bool:
        with self._lock:
            keys = self._empty_line_items
            return (store_hash, order_id) in keys or (None, order_id) in keys

    def take(self, path: str) -> FaultPlan:
        """Consume the faults that apply to one request to `path` (path and query)."""
        plan = FaultPlan()
        with self._lock:
            for kind in ("disconnect", "rate_limit", "fail", "delay"):
                rule = next((r for r in self._rules if r.kind == kind and r.matches(path)), None)
                if rule is not None:
                    rule.count -= 1
                    _apply(plan, rule)
                    if kind in ("disconnect", "rate_limit"):
                        break  # nothing else happens to this request; later faults wait for the next one
            self._rules = [r for r in self._rules if r.count > 0]
        return plan

    def webhook_fate(self) -> WebhookFate:
        with self._lock:
            config = self._webhooks
            draws = [self._random.random() for _ in range(3)]
        return WebhookFate(draws[0] < config.drop, draws[1] < config.duplicate, draws[2] < config.reorder)

    def _add(self, rule: _Rule) -> None:
        if rule.count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._rules.append(rule)


def _apply(plan: FaultPlan, rule: _Rule) -> None:
    if rule.kind == "disconnect":
        plan.disconnect = True
    elif rule.kind == "rate_limit":
        plan.rate_limit_reset_ms = rule.reset_ms
    elif rule.kind == "fail":
        plan.fail_status, plan.fail_after_effect = rule.status, rule.after_effect
    else:
        plan.delay_seconds, plan.delay_after_effect = rule.seconds, rule.after_effect
