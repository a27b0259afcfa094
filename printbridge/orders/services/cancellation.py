"""An order cancelled, refunded or archived in the store: cancelled here if nothing was sent yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from printbridge.fulfilment.models import Submission
from printbridge.fulfilment.services.cancelling import request_cancel
from printbridge.orders import events, rules
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.services.release import set_status
from printbridge.stores.models import Store

Event = OrderEvent.Type
BEFORE_FULFILMENT = frozenset(
    {rules.OrderStatus.NOT_CONNECTED, rules.OrderStatus.PENDING_APPROVAL, rules.OrderStatus.READY}
)


@dataclass(frozen=True)
class Cancellation:
    order: Order | None
    cancelled: bool
    reason: str


def _nothing_at_provider(order: Order, status: rules.OrderStatus) -> bool:
    """Not sent yet, or Failed with every submission refused (the provider holds nothing to cancel)."""
    if status in BEFORE_FULFILMENT:
        return True
    sent = (Submission.State.SENT, Submission.State.SENDING)
    return status == rules.OrderStatus.FAILED and not order.submissions.filter(state__in=sent).exists()


@transaction.atomic
def cancel_from_store(
    store: Store, external_id: str, why: str, actor: events.Actor, now: datetime | None = None
) -> Cancellation:
    """Cancel the order if it has not gone to fulfilment; otherwise record that the store cancelled it."""
    now = now or timezone.now()
    order = Order.objects.select_for_update(of=("self",)).filter(store=store, external_id=external_id).first()
    if order is None:
        return Cancellation(None, False, "not imported")
    status = rules.OrderStatus(order.status)
    if status == rules.OrderStatus.CANCELLED:
        return Cancellation(order, False, "already cancelled")
    if _nothing_at_provider(order, status) and set_status(order, rules.OrderStatus.CANCELLED, now):
        events.record(
            Event.ORDER_CANCELLED, f"Cancelled: {why} in the store", actor, store=store, order=order
        )
        request_cancel(order)
        return Cancellation(order, True, why)
    if status in rules.CANCELLABLE_STATUSES:
        request_cancel(order)  # at the provider, unless already printed
    events.record(
        Event.ORDER_CANCEL_REQUESTED,
        f"{why.capitalize()} in the store after it went to fulfilment",
        actor,
        store=store,
        order=order,
        status=order.status,
    )
    return Cancellation(order, False, f"already {order.get_status_display().lower()}")
