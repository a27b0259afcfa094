"""The outbound webhook body: a Standard Webhooks envelope `{type, timestamp, data}` whose data is the order's
status and its fulfilment, in the same shape as GET /api/v1/orders/{id} answers them."""

from __future__ import annotations

import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder

from printbridge.fulfilment.selectors import order_fulfilment
from printbridge.orders import rules
from printbridge.orders.models import Order

S = rules.OrderStatus
STATUS_EVENTS = {
    S.SUBMITTED: "order.submitted",
    S.IN_PRODUCTION: "order.in_production",
    S.PARTIALLY_SHIPPED: "order.partially_shipped",
    S.SHIPPED: "order.shipped",
    S.DELIVERED: "order.delivered",
    S.FAILED: "order.failed",
    S.CANCELLED: "order.cancelled",
}
PARCEL_SHIPPED = "order.parcel_shipped"  # another parcel, without a change of status
EVENTS = (*STATUS_EVENTS.values(), PARCEL_SHIPPED)


def event_for(status: str) -> str | None:
    return STATUS_EVENTS.get(rules.OrderStatus(status))


def envelope(event_type: str, order: Order, now: datetime) -> dict:
    data = {
        "type": event_type,
        "timestamp": now,
        "data": {
            "order": {
                "id": order.pk,
                "store_id": order.store_id,
                "external_id": order.external_id,
                "number": order.number,
                "status": order.status,
                "status_label": order.get_status_display(),
                "shipping_address": order.shipping_address,
            },
            "fulfilment": order_fulfilment(order),
        },
    }
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def body(payload: dict) -> bytes:
    """The exact bytes sent and signed: the same on every attempt."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
