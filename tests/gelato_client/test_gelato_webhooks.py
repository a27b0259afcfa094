"""Gelato status webhooks: the documented body, the older `object` form, other events, and bad bodies."""

from __future__ import annotations

import json

import pytest

from printbridge.integrations.gelato.payloads import Fulfillment, GelatoItem
from printbridge.integrations.gelato.webhooks import (
    InvalidWebhook,
    StatusEvent,
    UnknownEvent,
    parse_status_webhook,
)
from tests.gelato_client import gelato_json as gj
from tests.gelato_client.gelato_json import ORDER_ID, REFERENCE

SHIPPED = StatusEvent(
    id="os_5e5680ce494f6",
    order_id=ORDER_ID,
    order_reference_id=REFERENCE,
    fulfillment_status="shipped",
    items=(
        GelatoItem(
            id="",
            item_reference_id="line-1001",
            fulfillment_status="shipped",
            fulfillments=(
                Fulfillment(
                    "code123",
                    "http://tracking.example/code123",
                    "DHL Express Domestic BR",
                    "dhl_express_domestic_br",
                ),
            ),
        ),
    ),
)


def _raw(body: object) -> bytes:
    return json.dumps(body).encode()


def test_the_documented_order_status_updated_body():
    assert parse_status_webhook(_raw(gj.STATUS_WEBHOOK)) == SHIPPED


def test_the_older_object_order_status_form():
    body = {key: value for key, value in gj.STATUS_WEBHOOK.items() if key != "event"}

    assert parse_status_webhook(_raw({**body, "object": "orderStatus"})) == SHIPPED


def test_a_status_event_without_items_or_reference():
    body = {"id": "os_1", "event": "order_status_updated", "orderId": ORDER_ID, "fulfillmentStatus": "passed"}

    assert parse_status_webhook(_raw({**body, "orderReferenceId": None})) == StatusEvent(
        "os_1", ORDER_ID, "", "passed", ()
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"id": "oi_1", "event": "order_item_status_updated", "orderId": ORDER_ID},
            UnknownEvent("oi_1", "order_item_status_updated"),
        ),
        ({"event": "store_product_created", "storeId": "s1"}, UnknownEvent("", "store_product_created")),
        ({"id": "x", "object": "orderItemStatus"}, UnknownEvent("x", "orderItemStatus")),
    ],
)
def test_other_events_parse_to_unknown_events_to_ignore(body, expected):
    assert parse_status_webhook(_raw(body)) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            b"{not json",
            "body is not JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        ),
        (
            b"\xff\xfe",
            "body is not JSON: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
        ),
        (b"[]", "webhook: expected a JSON object, got []"),
        (_raw({"id": "os_1"}), "webhook: neither 'event' nor 'object' names the event"),
        (_raw({"id": "os_1", "event": 7}), "webhook: 'event' must be a non-empty string, got 7"),
        (
            _raw({**gj.STATUS_WEBHOOK, "orderId": ""}),
            "webhook: 'orderId' must be a non-empty string, got ''",
        ),
        (_raw({**gj.STATUS_WEBHOOK, "id": None}), "webhook: 'id' must be a non-empty string, got None"),
        (
            _raw({**gj.STATUS_WEBHOOK, "fulfillmentStatus": ["shipped"]}),
            "webhook: 'fulfillmentStatus' must be a non-empty string, got ['shipped']",
        ),
        (_raw({**gj.STATUS_WEBHOOK, "items": {}}), "webhook: 'items' must be an array, got {}"),
        (
            _raw({**gj.STATUS_WEBHOOK, "items": [{"itemReferenceId": "line-1001"}]}),
            "item line-1001: 'fulfillmentStatus' must be a non-empty string, got nothing",
        ),
        (
            _raw(
                {
                    **gj.STATUS_WEBHOOK,
                    "items": [{"itemReferenceId": "l", "fulfillmentStatus": "shipped", "fulfillments": [3]}],
                }
            ),
            "fulfillment: expected a JSON object, got 3",
        ),
    ],
)
def test_a_malformed_body_is_invalid_naming_what_is_wrong(raw, message):
    with pytest.raises(InvalidWebhook) as raised:
        parse_status_webhook(raw)

    assert str(raised.value) == message
