"""Moving orders to a new status and releasing their connected items, in bulk (a constant number of queries)."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Subquery

from printbridge.fulfilment.outbox import queue_submissions
from printbridge.orders import rules
from printbridge.orders.models import Order, OrderItem

CHUNK = 500


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def release_items(order_ids: Sequence[int]) -> int:
    """Give every connected, unreleased item of these orders the order's current generation."""
    generation = Order.objects.filter(pk=OuterRef("order_id")).values("release_count")[:1]
    return OrderItem.objects.filter(
        order_id__in=order_ids, state=rules.ItemState.CONNECTED, release_generation__isnull=True
    ).update(release_generation=Subquery(generation))


def start_generation(order_ids: Sequence[int]) -> None:
    """Open a new fulfilment generation for these orders and release their connected items into it.

    An order with no connected item left to release opens no (empty) generation.
    """
    unreleased = OrderItem.objects.filter(
        order_id=OuterRef("pk"), state=rules.ItemState.CONNECTED, release_generation__isnull=True
    )
    Order.objects.filter(Exists(unreleased), pk__in=order_ids).update(release_count=F("release_count") + 1)
    release_items(order_ids)
    queue_submissions(order_ids)


def set_status(order: Order, status: rules.OrderStatus, now: datetime, **fields) -> bool:
    """Move one order forward; a move the rules forbid changes nothing and returns False."""
    if not rules.can_transition(rules.OrderStatus(order.status), status):
        return False
    order.status = status
    order.status_changed_at = now
    for name, value in fields.items():
        setattr(order, name, value)
    order.save(update_fields=["status", "status_changed_at", "updated_at", *fields])
    return True


def has_unreleased_connected_items(order: Order) -> bool:
    return order.items.filter(state=rules.ItemState.CONNECTED, release_generation__isnull=True).exists()


def release_now(order: Order) -> bool:
    """Release the order's connected, unreleased items as a new generation. Returns whether any were released."""
    if not has_unreleased_connected_items(order):
        return False
    start_generation([order.pk])
    order.refresh_from_db(fields=["release_count"])
    return True
