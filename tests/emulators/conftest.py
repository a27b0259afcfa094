"""Fixtures for the BigCommerce emulator tests: a started emulator, an API client, a webhook receiver."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping

import httpx
import pytest

from printbridge.integrations.bigcommerce.emulator import BigCommerceEmulator, EmulatorConfig
from tests.loopback_receiver import LoopbackReceiver

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


class Receiver(LoopbackReceiver):
    """A tiny webhook destination on loopback: records each POST, answers from `statuses` (then 200)."""

    path = "/webhooks/bigcommerce"

    def record(self, path: str, headers: Mapping[str, str], body: bytes, status: int) -> dict:
        return {"path": path, "headers": dict(headers), "json": json.loads(body)}


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
