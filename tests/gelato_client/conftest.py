from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from printbridge.integrations.gelato.client import GelatoClient
from tests.gelato_client.gelato_json import API_KEY
from tests.integrations.stub_server import Reply, StubServer


@pytest.fixture
def serve() -> Iterator[Callable[..., StubServer]]:
    """serve(Reply(...), ...) starts a scripted stub server on 127.0.0.1; every one is stopped after the test."""
    servers: list[StubServer] = []

    def _serve(*replies: Reply) -> StubServer:
        servers.append(StubServer(*replies).start())
        return servers[-1]

    yield _serve
    for server in servers:
        server.stop()


@pytest.fixture
def connect() -> Iterator[Callable[..., GelatoClient]]:
    """connect(order_url, product_url=order_url) builds a client with short timeouts; closed after the test."""
    clients: list[GelatoClient] = []

    def _connect(
        order_url: str, product_url: str | None = None, timeout: httpx.Timeout | None = None
    ) -> GelatoClient:
        timeout = timeout or httpx.Timeout(5, connect=2)
        clients.append(GelatoClient(API_KEY, order_url, product_url or order_url, timeout=timeout))
        return clients[-1]

    yield _connect
    for client in clients:
        client.close()
