"""A custom store's webhook endpoint on loopback: a real http.server in a thread that records every POST (raw
body and headers) and answers from a script of statuses (then 200), optionally late."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pytest

from tests.loopback_receiver import LoopbackReceiver


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]  # lower-case names
    body: bytes
    status: int  # what the receiver answered

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class StoreEndpoint(LoopbackReceiver):
    path = "/hooks/printbridge"

    def record(self, path: str, headers: Mapping[str, str], body: bytes, status: int) -> Received:
        return Received({k.lower(): v for k, v in headers.items()}, body, status)

    def answer(self, status: int) -> bytes:
        return b"receiver is down" if status >= 500 else b"ok"

    def events(self) -> list[str]:
        return [r.json["type"] for r in self.received]


@pytest.fixture
def endpoint(settings) -> Iterator[StoreEndpoint]:
    settings.PRINTBRIDGE_ALLOW_LOOPBACK_WEBHOOKS = True
    server = StoreEndpoint().start()
    yield server
    server.stop()
