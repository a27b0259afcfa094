"""A tiny timer thread: run callables after a delay, in order, until stopped."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)
MAX_WAIT = 3600.0  # wake at least hourly: a wait far in the future overflows the platform's time_t


class Scheduler:
    def __init__(self, name: str) -> None:
        self._name = name
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._stopped = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def call_later(self, delay: float, action: Callable[[], None]) -> None:
        with self._cond:
            heapq.heappush(self._heap, (time.monotonic() + max(0.0, delay), next(self._seq), action))
            self._cond.notify_all()

    def pending(self) -> int:
        with self._cond:
            return len(self._heap)

    def _run(self) -> None:
        while True:
            action = self._next_due()
            if action is None:
                return
            try:
                action()
            except Exception:
                log.exception("%s: scheduled action failed", self._name)

    def _next_due(self) -> Callable[[], None] | None:
        with self._cond:
            while not self._stopped:
                if self._heap and self._heap[0][0] <= time.monotonic():
                    return heapq.heappop(self._heap)[2]
                timeout = self._heap[0][0] - time.monotonic() if self._heap else None
                self._cond.wait(None if timeout is None else min(timeout, MAX_WAIT))
            return None
