"""What the sync already knows of each store order, so a webhook it has already seen the effect of costs no call.

BigCommerce's callbacks carry only an id (and, for statusUpdated, the new status); their `created_at` is the hook's
creation date, not the event's. So the only clock to compare with is ours: an event received before a fetch
started happened before it, and the fetched state includes it. An event received after the fetch started is
explained by the fetched state only when it says nothing that state does not show: `created` (the order exists)
and `statusUpdated` to the status we have. Anything else (`updated`, `archived`, a status we don't have) means
the order is fetched again. A margin covers clock drift between the web and worker hosts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Max

from printbridge.ingestion.models import SeenOrder, WebhookDelivery
from printbridge.integrations.bigcommerce import payloads as bc

CLOCK_MARGIN = timedelta(seconds=1)
CREATED = "store/order/created"
STATUS_UPDATED = "store/order/statusUpdated"


def record_seen(store_id: int, orders: Iterable[bc.Order], fetched_at: datetime) -> None:
    """Remember each applied order's state as of the fetch that started at `fetched_at` (one query)."""
    rows = [
        SeenOrder(
            store_id=store_id,
            order_id=o.id,
            status_id=o.status_id,
            date_modified=o.date_modified,
            fetched_at=fetched_at,
        )
        for o in orders
    ]
    if rows:
        SeenOrder.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["store", "order_id"],
            update_fields=["status_id", "date_modified", "fetched_at"],
        )


def newest_seen_id(store_id: int) -> int | None:
    return SeenOrder.objects.filter(store_id=store_id).aggregate(newest=Max("order_id"))["newest"]


def already_current(store_id: int, order_ids: set[int]) -> set[int]:
    """The orders whose every webhook is explained by the state the sync last applied (two queries)."""
    seen = {s.order_id: s for s in SeenOrder.objects.filter(store_id=store_id, order_id__in=order_ids)}
    if not seen:
        return set()
    since = min(s.fetched_at for s in seen.values()) - CLOCK_MARGIN
    later = WebhookDelivery.objects.filter(
        store_id=store_id, scope__startswith="store/order/", resource_id__in=seen, last_received_at__gte=since
    ).values_list("resource_id", "scope", "payload", "last_received_at")
    stale = {
        order_id
        for order_id, scope, payload, received in later
        if received >= seen[order_id].fetched_at - CLOCK_MARGIN
        and not _explained(scope, payload.get("data", {}), seen[order_id])
    }
    return set(seen) - stale


def _explained(scope: str, data: dict, seen: SeenOrder) -> bool:
    if scope == CREATED:
        return True
    if scope == STATUS_UPDATED:
        status = data.get("status")
        return isinstance(status, dict) and status.get("new_status_id") == seen.status_id
    return False
