"""Webhook delivery: thin payloads POSTed to loopback hooks, the documented retry schedule, deactivation."""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from .api_hooks import is_loopback_url
from .faults import Faults
from .scheduler import Scheduler

# Seconds after each failed attempt (webhooks overview, "Callback retry mechanism"); divided by time_scale.
RETRY_SCHEDULE = (60, 180, 300, 600, 900, 1800, 3600, 7200, 21600, 50400, 86400)
REORDER_HOLD_SECONDS = 30.0  # a held-back event goes out after the next one, or after this (emulated) time


def payload_hash(data: dict) -> str:
    """SHA-1 of the JSON-encoded `data` (compact, as PHP's json_encode writes it)."""
    return hashlib.sha1(json.dumps(data, separators=(",", ":")).encode()).hexdigest()


def scope_matches(hook_scope: str, scope: str) -> bool:
    if hook_scope.endswith("/*"):
        return scope.startswith(hook_scope[:-1])
    return hook_scope == scope


def build_payload(store, hook: dict, scope: str, data: dict) -> dict:
    return {
        "scope": scope,
        "store_id": str(store.store_id),
        "data": data,
        "hash": payload_hash(data),
        "created_at": hook["created_at"],
        "producer": f"stores/{store.store_hash}",
    }


class WebhookDispatcher:
    def __init__(self, faults: Faults, time_scale: float, timeout: float, threads: int = 1) -> None:
        self._faults, self._time_scale = faults, time_scale
        self._scheduler = Scheduler("bigcommerce-emulator-webhooks")
        self._timeout = timeout
        self._client: httpx.Client | None = None  # made on first delivery (building one takes ~30 ms)
        self._held: dict[tuple[str, int], tuple[int, list]] = {}
        self._tokens = itertools.count(1)
        self._client_lock = threading.Lock()
        self._threads = threads
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="bigcommerce-emulator-delivery")

    def start(self) -> None:
        self._scheduler.start()

    def stop(self) -> None:
        self._scheduler.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._client is not None:
            self._client.close()

    def pending(self) -> int:
        """Deliveries waiting in the queue (first attempts and retries)."""
        return self._scheduler.pending()

    def submit(self, store, scope: str, data: dict) -> None:
        """Called with the store lock held, for every event the store fires."""
        for hook in sorted(store.hooks.values(), key=lambda h: h["id"]):
            if hook["is_active"] and scope_matches(hook["scope"], scope):
                self._route(store, hook, build_payload(store, hook, scope, data))

    def _route(self, store, hook: dict, payload: dict) -> None:
        fate = self._faults.webhook_fate()
        if fate.drop:
            store.webhook_log.append(_entry(hook, payload, 0, "dropped"))
            return
        copies = [payload, payload] if fate.duplicate else [payload]
        key = (store.store_hash, hook["id"])
        held = self._held.pop(key, None)
        if fate.reorder and held is None:
            token = next(self._tokens)
            self._held[key] = (token, copies)
            self._scheduler.call_later(
                self._scaled(REORDER_HOLD_SECONDS), lambda: self._release(store, key, token)
            )
            return
        for each in copies + (held[1] if held else []):
            self._queue(store, hook["id"], each, 1, 0.0)

    def _release(self, store, key: tuple[str, int], token: int) -> None:
        with store.lock:
            held = self._held.get(key)
            if held is None or held[0] != token:
                return
            del self._held[key]
            for each in held[1]:
                self._queue(store, key[1], each, 1, 0.0)

    def _queue(self, store, hook_id: int, payload: dict, attempt: int, delay: float) -> None:
        def due() -> None:
            self._pool.submit(self._attempt, store, hook_id, payload, attempt)

        self._scheduler.call_later(delay, due)

    def _scaled(self, seconds: float) -> float:
        return seconds / self._time_scale

    def _attempt(self, store, hook_id: int, payload: dict, attempt: int) -> None:
        with store.lock:
            hook = store.hooks.get(hook_id)
            if hook is None or not hook["is_active"]:
                store.webhook_log.append(
                    _entry({"id": hook_id, "destination": ""}, payload, attempt, "skipped")
                )
                return
            destination, headers = hook["destination"], dict(hook["headers"] or {})
        status, error = self._post(destination, headers, payload)
        with store.lock:
            entry = _entry(hook, payload, attempt, "delivered", status, error)
            if status is None or not 200 <= status < 300:
                entry["outcome"] = "failed"
                self._after_failure(store, hook, payload, attempt, entry)
            store.webhook_log.append(entry)

    def _after_failure(self, store, hook: dict, payload: dict, attempt: int, entry: dict) -> None:
        if attempt <= len(RETRY_SCHEDULE):
            self._queue(store, hook["id"], payload, attempt + 1, self._scaled(RETRY_SCHEDULE[attempt - 1]))
        elif hook["is_active"]:
            hook["is_active"] = False
            hook["updated_at"] = int(time.time())
            entry["hook_deactivated"] = True

    def _post(self, destination: str, headers: dict, payload: dict) -> tuple[int | None, str | None]:
        if not is_loopback_url(destination):
            return None, "not sent: the emulator only delivers to 127.0.0.1, localhost or [::1]"
        body = json.dumps(payload).encode()
        all_headers = {"Content-Type": "application/json", "User-Agent": "bigcommerce-emulator", **headers}
        with self._client_lock:
            if self._client is None:
                self._client = httpx.Client(
                    timeout=self._timeout,
                    trust_env=False,
                    follow_redirects=False,
                    limits=httpx.Limits(max_connections=self._threads),
                )
        try:
            response = self._client.post(destination, content=body, headers=all_headers)
        except httpx.HTTPError as error:
            return None, f"{type(error).__name__}: {error}"
        return response.status_code, None


def _entry(hook: dict, payload: dict, attempt: int, outcome: str, status=None, error=None) -> dict:
    return {
        "hook_id": hook["id"],
        "destination": hook["destination"],
        "scope": payload["scope"],
        "payload": payload,
        "attempt": attempt,
        "outcome": outcome,  # delivered | failed | dropped | skipped
        "status": status,
        "error": error,
        "hook_deactivated": False,
        "at": time.time(),
    }
