"""Webhooks as Gelato documents them: `order_status_updated` JSON POSTed to the account's URL; any 2xx is a
success and the body is ignored; 3 attempts 5 s apart (÷ time_scale), then the event is dropped for good (the
receiver must poll). Delivery faults (drop, duplicate, reorder) come from `faults.webhooks(...)`."""

from __future__ import annotations

import copy
import itertools
import json
import threading
import time

import httpx

from printbridge.integrations.bigcommerce.emulator.api_hooks import is_loopback_url
from printbridge.integrations.bigcommerce.emulator.scheduler import Scheduler

from .faults import GelatoFaults

ATTEMPTS = 3
RETRY_SECONDS = 5.0
REORDER_HOLD_SECONDS = 30.0  # a held-back event goes out after the order's next event, or after this long


def status_payload(event_id: str, order: dict) -> dict:
    """The `order_status_updated` body (../shared/reference/gelato-and-peers.md §4)."""
    items = [
        {
            "itemReferenceId": item["itemReferenceId"],
            "fulfillmentStatus": item["fulfillmentStatus"],
            "fulfillments": copy.deepcopy(item["fulfillments"]),
        }
        for item in order["items"]
    ]
    return {
        "id": event_id,
        "event": "order_status_updated",
        "orderId": order["id"],
        "storeId": None,
        "orderReferenceId": order["orderReferenceId"],
        "fulfillmentStatus": order["fulfillmentStatus"],
        "items": items,
    }


class WebhookSender:
    def __init__(self, faults: GelatoFaults, time_scale: float, timeout: float) -> None:
        self._faults, self._time_scale, self._timeout = faults, time_scale, timeout
        self._scheduler = Scheduler("gelato-emulator-webhooks")
        self._client: httpx.Client | None = None  # made on first delivery
        self._lock = threading.Lock()
        self._held: dict[str, tuple[int, str, list[dict]]] = {}  # order id → (token, url, payloads)
        self._tokens = itertools.count(1)
        self._outstanding = 0  # attempts queued or under way
        self.log: list[dict] = []

    def start(self) -> None:
        self._scheduler.start()

    def stop(self) -> None:
        self._scheduler.stop()
        if self._client is not None:
            self._client.close()

    def pending(self) -> int:
        """Attempts queued or under way, plus held-back events: 0 once every delivery has ended."""
        with self._lock:
            return self._outstanding + sum(len(held[2]) for held in self._held.values())

    def log_entries(self) -> list[dict]:
        with self._lock:
            return copy.deepcopy(self.log)

    def submit(self, url: str | None, payload: dict) -> None:
        """Send one event to `url` (nothing when the account has no webhook URL)."""
        if url is None:
            return
        fate = self._faults.webhook_fate()
        if fate.drop:
            self._record(url, payload, 0, "dropped")
            return
        copies = [payload, payload] if fate.duplicate else [payload]
        key = payload["orderId"]
        with self._lock:
            held = self._held.pop(key, None)
            if fate.reorder and held is None:
                token = next(self._tokens)
                self._held[key] = (token, url, copies)
                self._scheduler.call_later(
                    self._scaled(REORDER_HOLD_SECONDS), lambda: self._release(key, token)
                )
                return
        for each in copies:
            self._queue(url, each, 1, 0.0)
        if held is not None:
            for each in held[2]:
                self._queue(held[1], each, 1, 0.0)

    def _release(self, key: str, token: int) -> None:
        with self._lock:
            held = self._held.get(key)
            if held is None or held[0] != token:
                return
            del self._held[key]
        for each in held[2]:
            self._queue(held[1], each, 1, 0.0)

    def _queue(self, url: str, payload: dict, attempt: int, delay: float) -> None:
        with self._lock:
            self._outstanding += 1
        self._scheduler.call_later(delay, lambda: self._attempt(url, payload, attempt))

    def _scaled(self, seconds: float) -> float:
        return seconds / self._time_scale

    def _attempt(self, url: str, payload: dict, attempt: int) -> None:
        try:
            status, error = self._post(url, payload)
            if status is not None and 200 <= status < 300:
                self._record(url, payload, attempt, "delivered", status)
            elif attempt < ATTEMPTS:
                self._record(url, payload, attempt, "failed", status, error)
                self._queue(url, payload, attempt + 1, self._scaled(RETRY_SECONDS))
            else:
                self._record(url, payload, attempt, "abandoned", status, error)
        finally:
            with self._lock:
                self._outstanding -= 1

    def _post(self, url: str, payload: dict) -> tuple[int | None, str | None]:
        if not is_loopback_url(url):
            return None, "not sent: the emulator only delivers to 127.0.0.1, localhost or [::1]"
        if self._client is None:
            self._client = httpx.Client(timeout=self._timeout, trust_env=False, follow_redirects=False)
        headers = {"Content-Type": "application/json", "User-Agent": "gelato-emulator"}
        try:
            response = self._client.post(url, content=json.dumps(payload).encode(), headers=headers)
        except httpx.HTTPError as error:
            return None, f"{type(error).__name__}: {error}"
        return response.status_code, None

    def _record(self, url: str, payload: dict, attempt: int, outcome: str, status=None, error=None) -> None:
        entry = {
            "event_id": payload["id"],
            "order_id": payload["orderId"],
            "fulfillment_status": payload["fulfillmentStatus"],
            "url": url,
            "attempt": attempt,
            "outcome": outcome,  # delivered | failed (retried) | abandoned (3rd failure) | dropped (fault)
            "status": status,
            "error": error,
            "at": time.time(),
            "payload": payload,
        }
        with self._lock:
            self.log.append(entry)
