"""The real Gelato client against a scripted stub server on a real socket: every fault it classifies."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import httpx
import pytest

from printbridge.integrations.errors import PermanentError, RateLimited, RetryableError
from printbridge.integrations.gelato.client import retry_after_seconds
from printbridge.integrations.gelato.errors import AlreadyPrinted
from tests.gelato_client import gelato_json as gj
from tests.gelato_client.gelato_json import API_KEY, ORDER_ID, REFERENCE
from tests.integrations.stub_server import Reply

ORDER_PATH = f"/v4/orders/{ORDER_ID}"


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408, 425])
def test_server_errors_and_request_timeouts_are_retryable(serve, connect, status):
    server = serve(Reply(status, {"code": "unavailable", "message": "Service temporarily unavailable"}))

    with pytest.raises(RetryableError) as raised:
        connect(server.origin).get_order(ORDER_ID)

    assert type(raised.value) is RetryableError
    assert (raised.value.status, raised.value.message) == (status, "Service temporarily unavailable")
    assert raised.value.request == f"GET {ORDER_PATH}"
    assert server.requests == [("GET", ORDER_PATH)]  # no retry inside the client


def test_a_500_on_create_is_retryable_and_sent_once(serve, connect):
    server = serve(Reply(500, b"Internal Server Error"))

    with pytest.raises(RetryableError) as raised:
        connect(server.origin).create_order(gj.new_order())

    assert str(raised.value) == "HTTP 500 POST /v4/orders: Internal Server Error"
    assert server.requests == [("POST", "/v4/orders")]


def test_a_response_slower_than_the_read_timeout_is_retryable(serve, connect):
    server = serve(Reply(200, gj.order(), delay=0.6))
    client = connect(server.origin, timeout=httpx.Timeout(0.2, connect=1))

    with pytest.raises(RetryableError) as raised:
        client.create_order(gj.new_order())

    assert (raised.value.status, raised.value.message) == (None, "timed out (ReadTimeout)")
    assert server.requests == [("POST", "/v4/orders")]


def test_a_refused_connection_is_retryable(connect):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the client connects: nothing listens there

    with pytest.raises(RetryableError) as raised:
        connect(f"http://127.0.0.1:{port}").list_catalogs()

    assert (raised.value.status, raised.value.request) == (None, "GET /v3/catalogs")
    assert raised.value.message.startswith("ConnectError: ")


def test_429_with_retry_after_seconds_is_rate_limited_for_that_long(serve, connect):
    server = serve(Reply(429, {"message": "Too Many Requests"}, {"Retry-After": "30"}))

    with pytest.raises(RateLimited) as raised:
        connect(server.origin).find_by_reference(REFERENCE)

    assert (raised.value.reset_seconds, raised.value.status) == (30.0, 429)
    assert (raised.value.message, raised.value.request) == ("Too Many Requests", "POST /v4/orders:search")
    assert str(raised.value) == "HTTP 429 POST /v4/orders:search: Too Many Requests (reset in 30 s)"


@pytest.mark.parametrize(
    ("headers", "reset_seconds"),
    [
        ({}, 30.0),
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date already past
        ({"Retry-After": "soon"}, 30.0),
    ],
    ids=["without-header", "seconds", "past-date", "garbage"],
)
def test_429_reset_time_from_retry_after_or_the_default(serve, connect, headers, reset_seconds):
    server = serve(Reply(429, {"message": "Too Many Requests"}, headers))

    with pytest.raises(RateLimited) as raised:
        connect(server.origin).get_product(gj.POSTER_UID)

    assert raised.value.reset_seconds == reset_seconds


NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "30"}, 30.0),
        ({"retry-after": " 120 "}, 120.0),
        ({"retry-after": "Tue, 01 Dec 2026 12:00:45 GMT"}, 45.0),  # measured from `now`
        ({"retry-after": "Tue, 01 Dec 2026 12:00:45 GMT", "date": "Tue, 01 Dec 2026 12:00:40 GMT"}, 5.0),
        ({"retry-after": "Tue, 01 Dec 2026 11:59:00 GMT"}, 0.0),
        ({"retry-after": "-5"}, 30.0),
        ({"retry-after": "1.5"}, 30.0),
        ({"retry-after": "٣"}, 30.0),  # a non-ASCII digit
        ({"retry-after": ""}, 30.0),
        ({}, 30.0),
    ],
)
def test_retry_after_seconds(headers, seconds):
    assert retry_after_seconds(headers, NOW) == seconds


def test_409_on_cancel_is_already_printed_with_gelatos_message(serve, connect):
    server = serve(
        Reply(409, {"code": "conflict", "message": "Order can not be canceled: items are printed"})
    )

    with pytest.raises(AlreadyPrinted) as raised:
        connect(server.origin).cancel_order(ORDER_ID)

    assert isinstance(raised.value, PermanentError)
    assert (raised.value.status, raised.value.message) == (
        409,
        "Order can not be canceled: items are printed",
    )
    assert raised.value.request == f"POST {ORDER_PATH}:cancel"
    assert server.requests == [("POST", f"{ORDER_PATH}:cancel")]


def test_409_elsewhere_is_a_plain_permanent_error(serve, connect):
    server = serve(Reply(409, {"message": "Conflict"}))

    with pytest.raises(PermanentError) as raised:
        connect(server.origin).create_order(gj.new_order())

    assert type(raised.value) is PermanentError
    assert (raised.value.status, raised.value.message) == (409, "Conflict")


def test_404_on_cancel_is_permanent_not_already_printed(serve, connect):
    server = serve(Reply(404, {"message": "Order not found"}))

    with pytest.raises(PermanentError) as raised:
        connect(server.origin).cancel_order(ORDER_ID)

    assert type(raised.value) is PermanentError
    assert (raised.value.status, raised.value.message) == (404, "Order not found")


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (
            400,
            {"code": "invalid_argument", "message": "Invalid shipping address"},
            "Invalid shipping address",
        ),
        (
            400,
            {"message": "Validation failed", "details": [{"field": "items[0].quantity", "reason": "min 1"}]},
            'Validation failed [{"field": "items[0].quantity", "reason": "min 1"}]',
        ),
        (401, {"message": "Unauthorized"}, "Unauthorized"),
        (403, b"Forbidden by policy\n", "Forbidden by policy"),
        (422, [], "Unprocessable Entity"),
    ],
    ids=["message", "details", "unauthorized", "text-body", "array-body"],
)
def test_client_errors_are_permanent_with_gelatos_message(serve, connect, status, body, message):
    server = serve(Reply(status, body))

    with pytest.raises(PermanentError) as raised:
        connect(server.origin).create_order(gj.new_order())

    assert type(raised.value) is PermanentError
    assert (raised.value.status, raised.value.message) == (status, message)
    assert str(raised.value) == f"HTTP {status} POST /v4/orders: {message}"
    assert API_KEY not in str(raised.value)


def test_invalid_json_is_permanent(serve, connect):
    server = serve(Reply(200, b'{"id": "37365096", "orderRef'))

    with pytest.raises(PermanentError) as raised:
        connect(server.origin).get_order(ORDER_ID)

    assert (raised.value.status, raised.value.message) == (
        None,
        """invalid JSON: '{"id": "37365096", "orderRef'""",
    )
    assert raised.value.request == f"GET {ORDER_PATH}"


def test_a_broken_shape_is_permanent(serve, connect):
    broken = gj.order()
    broken["items"][1]["fulfillmentStatus"] = None
    server = serve(Reply(200, broken))

    with pytest.raises(PermanentError) as raised:
        connect(server.origin).get_order(ORDER_ID)

    assert (raised.value.status, str(raised.value)) == (
        None,
        f"item {gj.POSTER_ITEM_ID}: 'fulfillmentStatus' must be a non-empty string, got None",
    )


def test_an_empty_id_is_refused_before_any_request(serve, connect):
    server = serve()

    with pytest.raises(PermanentError) as raised:
        connect(server.origin).cancel_order("")

    assert raised.value.message == "an empty id cannot name a Gelato resource"
    assert server.requests == []
