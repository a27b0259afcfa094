"""Fixtures for the Gelato emulator tests: started emulators (stopped after the test), API clients with a key,
a webhook receiver on loopback, and a valid order body."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable, Iterator, Mapping

import httpx
import pytest

from printbridge.integrations.gelato.emulator import GelatoEmulator, GelatoEmulatorConfig
from tests.loopback_receiver import LoopbackReceiver

API_KEY = "gelato-key"
SHIRT_M_WHITE = "apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic_gsi_m_gco_white_gpr_4-4"
POSTER_A3 = "flat_product_pf_a3_pt_200-gsm-uncoated_cl_4-0_ct_none_prt_none_sft_none_set_none_ver"
MUG_WHITE = "mug_product_msz_11-oz_mmat_ceramic-white_cl_4-0"
FILES = [{"type": "default", "url": "https://designs.example/logo.png"}]
ADDRESS = {
    "firstName": "Jane",
    "lastName": "Doe",
    "addressLine1": "1 Main St",
    "city": "Austin",
    "state": "TX",
    "postCode": "78701",
    "country": "US",
    "email": "jane@example.com",
}
FAST = 1_000_000.0  # time_scale: the whole production clock (about 3.3 emulated days) runs in 0.3 s


def order_body(reference: str = "PB-1", *product_uids: str, **overrides) -> dict:
    """A valid POST /v4/orders body with one item per product uid (default: one white M T-shirt)."""
    items = [
        {"itemReferenceId": f"{reference}-line-{n}", "productUid": uid, "quantity": 1, "files": FILES}
        for n, uid in enumerate(product_uids or (SHIRT_M_WHITE,), start=1)
    ]
    body = {
        "orderType": "order",
        "orderReferenceId": reference,
        "customerReferenceId": "store-1",
        "currency": "USD",
        "items": items,
        "shippingAddress": dict(ADDRESS),
    }
    return copy.deepcopy({**body, **overrides})


@pytest.fixture
def make_emulator() -> Iterator[Callable[..., GelatoEmulator]]:
    started: list[GelatoEmulator] = []

    def make(**config) -> GelatoEmulator:
        emulator = GelatoEmulator(GelatoEmulatorConfig(**{"seed": 7, **config})).start()
        started.append(emulator)
        return emulator

    yield make
    for emulator in started:
        emulator.stop()


@pytest.fixture
def gelato(make_emulator) -> GelatoEmulator:
    """An emulator at time_scale 1: nothing moves along the production clock during a test."""
    emulator = make_emulator()
    emulator.add_account(API_KEY)
    return emulator


def client_for(emulator: GelatoEmulator, api_key: str | None = API_KEY, timeout: float = 5.0) -> httpx.Client:
    headers = {"X-API-KEY": api_key} if api_key is not None else {}
    return httpx.Client(base_url=emulator.base_url, headers=headers, trust_env=False, timeout=timeout)


@pytest.fixture
def client(gelato) -> Iterator[httpx.Client]:
    with client_for(gelato) as http:
        yield http


class Receiver(LoopbackReceiver):
    """A webhook destination on loopback: records each POST's JSON with its arrival time, answers from
    `statuses` (then 200)."""

    path = "/webhooks/gelato"

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[float] = []

    def record(self, path: str, headers: Mapping[str, str], body: bytes, status: int) -> dict:
        self.arrivals.append(time.monotonic())
        return json.loads(body)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)


def settle(emulator: GelatoEmulator, timeout: float = 5.0) -> None:
    """Wait until no production step and no webhook delivery is queued."""
    wait_until(lambda: emulator.book.pending_steps() == 0 and emulator.pending_webhooks() == 0, timeout)
