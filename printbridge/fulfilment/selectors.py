"""Read queries for fulfilment: what went to the provider, what shipped, and a store's outbound webhook.

Callers pass an order or store they have already scoped by account (orders.selectors.order_detail,
store_for); the webhook look-ups below take the account id themselves."""

from __future__ import annotations

from collections import defaultdict

from printbridge.fulfilment.models import ItemOverride, OutboundDelivery, OutboundWebhook, Parcel, Submission
from printbridge.orders.errors import NotFound
from printbridge.orders.models import Order

RECENT_DELIVERIES = 20


def order_fulfilment(order: Order) -> dict:
    """Submissions (provider order id and status), parcels (tracking, carrier, items and quantities) and the
    per-item overrides of one order; the same shape in the API and in outbound webhooks."""
    return {
        "submissions": _submissions(order),
        "parcels": _parcels(order),
        "overrides": [
            {"item_id": o.item_id, "provider_product_uid": o.provider_product_uid, "files": o.files}
            for o in ItemOverride.objects.filter(item__order=order).order_by("item_id")
        ],
    }


def _submissions(order: Order) -> list[dict]:
    items: dict[int, list[int]] = defaultdict(list)
    released = order.items.filter(release_generation__isnull=False).order_by("pk")
    for item_id, generation in released.values_list("pk", "release_generation"):
        items[generation].append(item_id)
    return [
        {
            "id": s.pk,
            "generation": s.generation,
            "reference": s.idempotency_key,
            "provider": s.provider,
            "state": s.state,
            "provider_order_id": s.provider_order_id,
            "provider_status": s.provider_status,
            "attempts": s.attempts,
            "last_error": s.last_error,
            "item_ids": items.get(s.generation, []),
            "retried_as": s.retried_as_id,
            "created_at": s.created_at,
            "sent_at": s.sent_at,
        }
        for s in Submission.objects.filter(order=order).order_by("generation")
    ]


def _parcels(order: Order) -> list[dict]:
    """One entry per tracking number of a provider order, with every item in it."""
    grouped: dict[tuple[int, str], dict] = {}
    rows = Parcel.objects.filter(submission__order=order).select_related("item", "submission")
    for parcel in rows.order_by("shipped_at", "pk"):
        entry = grouped.setdefault((parcel.submission_id, parcel.tracking_code), _parcel(parcel))
        entry["items"].append(
            {
                "item_id": parcel.item_id,
                "external_id": parcel.item.external_id,
                "sku": parcel.item.sku,
                "name": parcel.item.name,
                "quantity": parcel.item.quantity,
            }
        )
    return list(grouped.values())


def _parcel(parcel: Parcel) -> dict:
    return {
        "tracking_number": parcel.tracking_code,
        "carrier": parcel.carrier,
        "tracking_url": parcel.tracking_url,
        "shipped_at": parcel.shipped_at,
        "provider_order_id": parcel.submission.provider_order_id,
        "store_shipment_id": parcel.store_shipment_id,
        "items": [],
    }


def outbound_webhook(account_id: int, store_id: int) -> OutboundWebhook:
    found = (
        OutboundWebhook.objects.select_related("store")
        .filter(store_id=store_id, store__account_id=account_id)
        .first()
    )
    if found is None:
        raise NotFound("This store has no outbound webhook")
    return found


def recent_deliveries(webhook: OutboundWebhook, limit: int = RECENT_DELIVERIES) -> list[OutboundDelivery]:
    return list(OutboundDelivery.objects.filter(webhook=webhook).order_by("-pk")[:limit])
