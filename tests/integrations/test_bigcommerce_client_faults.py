"""The real BigCommerce client against a scripted stub server on a real socket: every fault it classifies."""

from __future__ import annotations

import socket

import httpx
import pytest

from printbridge.integrations.bigcommerce.payloads import RateLimitState
from printbridge.integrations.errors import PermanentError, RateLimited, RetryableError
from tests.integrations import bigcommerce_json as bc
from tests.integrations.bigcommerce_json import ORDER_101
from tests.integrations.stub_server import Reply


@pytest.mark.parametrize(
    ("headers", "reset_seconds"),
    [
        ({"X-Rate-Limit-Time-Reset-Ms": "2500", "X-Rate-Limit-Requests-Left": "0"}, 2.5),
        ({}, 3.0),
    ],
    ids=["with-reset-header", "without-headers"],
)
def test_429_raises_rate_limited_with_the_reset_time(serve, connect, headers, reset_seconds):
    server = serve(Reply(429, {"status": 429, "title": "Too many requests"}, headers))
    client = connect(server.url)

    with pytest.raises(RateLimited) as raised:
        client.store_info()

    assert (raised.value.reset_seconds, raised.value.status) == (reset_seconds, 429)
    assert raised.value.message == "Too many requests"
    expected_state = RateLimitState(None, 2500, None, 0) if headers else None
    assert client.rate_limit == expected_state


@pytest.mark.parametrize("status", [408, 425, 500, 502, 503, 504])
def test_server_errors_and_request_timeouts_are_retryable(serve, connect, status):
    server = serve(Reply(status, [{"status": status, "message": "Service Unavailable"}]))

    with pytest.raises(RetryableError) as raised:
        connect(server.url).get_order(101)

    assert type(raised.value) is RetryableError
    assert (raised.value.status, raised.value.message) == (status, "Service Unavailable")
    assert raised.value.request == "GET /v2/orders/101"


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (401, {"status": 401, "title": "Unauthorized", "type": "/api-docs"}, "Unauthorized"),
        (404, [{"status": 404, "message": "The requested resource was not found."}], None),
        (
            422,
            {"status": 422, "title": "JSON data is missing or invalid", "errors": {"items": "required"}},
            'JSON data is missing or invalid {"items": "required"}',
        ),
    ],
)
def test_client_errors_are_permanent_with_status_and_bigcommerce_message(
    serve, connect, status, body, message
):
    server = serve(Reply(status, body))

    with pytest.raises(PermanentError) as raised:
        connect(server.url).get_order(101)

    expected = message or "The requested resource was not found."
    assert (raised.value.status, raised.value.message) == (status, expected)
    assert str(raised.value) == f"HTTP {status} GET /v2/orders/101: {expected}"


def test_a_response_slower_than_the_read_timeout_is_retryable(serve, connect):
    server = serve(Reply(200, bc.order(), delay=0.6))
    client = connect(server.url, timeout=httpx.Timeout(0.2, connect=1))

    with pytest.raises(RetryableError) as raised:
        client.get_order(101)

    assert (raised.value.status, raised.value.message) == (None, "timed out (ReadTimeout)")
    assert server.requests == [("GET", ORDER_101)]


def test_a_refused_connection_is_retryable(connect):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the client connects: nothing listens there

    with pytest.raises(RetryableError) as raised:
        connect(f"http://127.0.0.1:{port}/stores/abc123").store_info()

    assert raised.value.status is None
    assert raised.value.message.startswith("ConnectError: ")


def test_invalid_json_is_permanent(serve, connect):
    server = serve(Reply(200, b'[{"id": 101, "status_id": '))

    with pytest.raises(PermanentError) as raised:
        connect(server.url).list_orders()

    assert (raised.value.status, raised.value.message) == (
        None,
        """invalid JSON: '[{"id": 101, "status_id": '""",
    )


def test_a_broken_shape_is_permanent(serve, connect):
    broken = {**bc.order(), "items_total": "two"}
    server = serve(Reply(200, broken))

    with pytest.raises(PermanentError) as raised:
        connect(server.url).get_order(101)

    assert (raised.value.status, str(raised.value)) == (
        None,
        "order 101: 'items_total' must be an integer, got 'two'",
    )
