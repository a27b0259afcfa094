"""Fixtures for the BigCommerce emulator tests: a started emulator, an API client, a webhook receiver."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from printbridge.integrations.bigcommerce.emulator import BigCommerceEmulator, EmulatorConfig

STORE_HASH = "abc123"
TOKEN = "token-abc"


def start_emulator(**config) -> BigCommerceEmulator:
    return BigCommerceEmulator(EmulatorConfig(**{"seed": 7, **config})).start()


def client_for(emu: BigCommerceEmulator, store_hash: str = STORE_HASH, token: str = TOKEN) -> httpx.Client:
    headers = {"X-Auth-Token": token, "Accept": "application/json"}
    # plain HTTP on loopback: verify=False only spares building a TLS context (~20 ms) per client
    return httpx.Client(
        base_url=emu.api_url(store_hash), headers=headers, trust_env=False, timeout=5, verify=False
    )


@pytest.fixture
def emulator() -> Iterator[BigCommerceEmulator]:
    emu = start_emulator()
    yield emu
    emu.stop()


@pytest.fixture
def store(emulator):
    return emulator.add_store(STORE_HASH, TOKEN, plan="standard", name="Demo BC store")


@pytest.fixture
def api(emulator, store) -> Iterator[httpx.Client]:
    with client_for(emulator) as client:
        yield client


@pytest.fixture
def admin(emulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emulator.login_url, trust_env=False, timeout=5, verify=False) as client:
        yield client


class Receiver:
    """A tiny webhook destination on loopback: records each POST, answers from `statuses` (then 200)."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.statuses: list[int] = []
        self._cond = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/webhooks/bigcommerce"

    def _handler_class(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver._record(self.path, dict(self.headers), body)
                with receiver._cond:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        return Handler

    def _record(self, path: str, headers: dict, body: bytes) -> None:
        with self._cond:
            self.received.append({"path": path, "headers": headers, "json": json.loads(body)})
            self._cond.notify_all()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} webhooks, got {len(self.received)}")
                self._cond.wait(left)
            return list(self.received)

    def start(self) -> Receiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()


def wait_until(condition, timeout: float = 5.0, interval: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(interval)
