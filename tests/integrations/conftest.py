from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from printbridge.integrations.bigcommerce.client import BigCommerceClient
from tests.integrations.bigcommerce_json import STORE_HASH, TOKEN
from tests.integrations.stub_server import Reply, StubServer


@pytest.fixture
def serve() -> Iterator[Callable[..., StubServer]]:
    """serve(Reply(...), ...) starts a scripted stub server; every one is stopped after the test."""
    servers: list[StubServer] = []

    def _serve(*replies: Reply) -> StubServer:
        servers.append(StubServer(*replies).start())
        return servers[-1]

    yield _serve
    for server in servers:
        server.stop()


@pytest.fixture
def connect(serve) -> Iterator[Callable[..., BigCommerceClient]]:
    """connect(base_url) builds a client with short timeouts; every one is closed after the test."""
    clients: list[BigCommerceClient] = []

    def _connect(base_url: str, timeout: httpx.Timeout | None = None) -> BigCommerceClient:
        timeout = timeout or httpx.Timeout(5, connect=2)
        clients.append(BigCommerceClient(STORE_HASH, TOKEN, base_url=base_url, timeout=timeout))
        return clients[-1]

    yield _connect
    for client in clients:
        client.close()
