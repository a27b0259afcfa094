"""Gelato webhook bodies: strict parsing of `order_status_updated`. No Django, no orders, no HTTP.

Gelato documents no signature scheme and retries 3 times, 5 s apart (gelato-and-peers.md §4): treat an event as
a hint, re-read the order, and merge `fulfillments[]` per item instead of replacing them. Older examples carry
`"object": "orderStatus"` instead of `"event": "order_status_updated"`; both are accepted. Any other event name
(`order_item_status_updated`, `store_product_created`, ...) parses to `UnknownEvent`, for the caller to
acknowledge with a 2xx and otherwise ignore.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from printbridge.integrations.bigcommerce.json_reader import JsonReader
from printbridge.integrations.errors import PermanentError
from printbridge.integrations.gelato.parsing import parse_item
from printbridge.integrations.gelato.payloads import GelatoItem

STATUS_EVENT = "order_status_updated"
LEGACY_STATUS_OBJECT = "orderStatus"


class InvalidWebhook(ValueError):
    """The body is not a well-formed Gelato webhook (answer 400)."""


@dataclass(frozen=True)
class StatusEvent:
    id: str  # the event id, e.g. "os_5e5680ce494f6"
    order_id: str  # Gelato's order id
    order_reference_id: str  # ours; "" for an order placed elsewhere (dashboard, another integration)
    fulfillment_status: str
    items: tuple[GelatoItem, ...]  # item ids are "": webhooks name items by item_reference_id only


@dataclass(frozen=True)
class UnknownEvent:
    id: str  # "" when the body carries none
    name: str  # the `event` (or legacy `object`) value


def parse_status_webhook(raw: bytes) -> StatusEvent | UnknownEvent:
    """The status event, UnknownEvent for any other event name, or InvalidWebhook naming what is wrong."""
    try:
        body = json.loads(raw.decode("utf-8"))  # RFC 8259: UTF-8 only, no UTF-16/32 guessing
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidWebhook(f"body is not JSON: {exc}") from None
    try:
        return _event(JsonReader(body, "webhook"))
    except PermanentError as exc:
        raise InvalidWebhook(exc.message) from None


def _event(r: JsonReader) -> StatusEvent | UnknownEvent:
    name = _event_name(r)
    if name not in (STATUS_EVENT, LEGACY_STATUS_OBJECT):
        return UnknownEvent(id=r.text("id"), name=name)
    return StatusEvent(
        id=r.required_text("id"),
        order_id=r.required_text("orderId"),
        order_reference_id=r.text("orderReferenceId"),
        fulfillment_status=r.required_text("fulfillmentStatus"),
        items=tuple(parse_item(item) for item in r.array("items")),
    )


def _event_name(r: JsonReader) -> str:
    """`event`, or for bodies without one the legacy `object`."""
    key = "event" if "event" in r.raw else "object"
    if key not in r.raw:
        raise InvalidWebhook("webhook: neither 'event' nor 'object' names the event")
    return r.required_text(key)
