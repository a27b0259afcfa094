"""Follow submissions at the provider: statuses move forward only; parcels are merged, never overwritten.

A provider webhook is only a hint (Gelato's cannot be authenticated beyond our path token and secret): the
order is re-read from the provider before anything changes. Open submissions are also polled, because Gelato
stops retrying a webhook after three tries."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from printbridge.fulfilment import provider
from printbridge.fulfilment.models import Parcel, Submission
from printbridge.fulfilment.outbound.payloads import PARCEL_SHIPPED
from printbridge.fulfilment.services.outbound_delivery import record_order_change
from printbridge.integrations.errors import IntegrationError
from printbridge.orders import events, rules
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.services.release import set_status

ACTOR = events.Actor.system("Gelato status")
Event = OrderEvent.Type
POLL_EVERY = timedelta(minutes=10)
TERMINAL = frozenset({"delivered", "canceled", "cancelled", "failed", "returned"})
# Gelato fulfillmentStatus → how far a submission has come
PROGRESS = {
    "created": rules.OrderStatus.SUBMITTED,
    "uploading": rules.OrderStatus.SUBMITTED,
    "passed": rules.OrderStatus.SUBMITTED,
    "pending_approval": rules.OrderStatus.SUBMITTED,
    "digitizing": rules.OrderStatus.SUBMITTED,
    "in_production": rules.OrderStatus.IN_PRODUCTION,
    "printed": rules.OrderStatus.IN_PRODUCTION,
    "shipped": rules.OrderStatus.SHIPPED,
    "in_transit": rules.OrderStatus.SHIPPED,
    "delivered": rules.OrderStatus.DELIVERED,
}
_RANK = [
    rules.OrderStatus.SUBMITTED,
    rules.OrderStatus.IN_PRODUCTION,
    rules.OrderStatus.SHIPPED,
    rules.OrderStatus.DELIVERED,
]


def refresh(submission: Submission) -> list[Parcel]:
    """Re-read the provider order and apply it. Returns the parcels that are new."""
    with provider.client_for_store(submission.store) as client:
        placed = client.get_order(submission.provider_order_id)
    return apply(submission, placed)


@transaction.atomic
def apply(submission: Submission, placed, now: datetime | None = None) -> list[Parcel]:
    now = now or timezone.now()
    order = Order.objects.select_for_update(of=("self",)).get(pk=submission.order_id)
    new = _merge_parcels(submission, placed)
    Submission.objects.filter(pk=submission.pk).update(
        provider_status=placed.fulfillment_status, polled_at=now
    )
    submission.provider_status = placed.fulfillment_status
    moved = _move_order(order, now)
    if moved or new:  # another parcel without a change of status is news for the store too
        record_order_change(order, None if moved else PARCEL_SHIPPED)
    if new:
        codes = sorted({p.tracking_code for p in new})
        events.record(
            Event.PARCEL_SHIPPED,
            f"Shipped: tracking {', '.join(codes)}",
            ACTOR,
            store=order.store,
            order=order,
            tracking=codes,
        )
        from printbridge.jobs.tasks import write_back_task

        transaction.on_commit(lambda: write_back_task.enqueue(order.pk))
    return new


def _merge_parcels(submission: Submission, placed) -> list[Parcel]:
    items = {str(i.pk): i for i in provider.released_items(submission)}
    new = []
    for gelato_item in placed.items:
        item = items.get(gelato_item.item_reference_id)
        for f in gelato_item.fulfillments if item else ():
            parcel, created = Parcel.objects.get_or_create(
                submission=submission,
                item=item,
                tracking_code=f.tracking_code,
                defaults={
                    "tracking_url": f.tracking_url,
                    "carrier": f.shipment_method_name,
                    "carrier_uid": f.shipment_method_uid,
                },
            )
            if created:
                new.append(parcel)
    return new


def _submission_progress(submission: Submission) -> rules.OrderStatus | None:
    return PROGRESS.get(submission.provider_status)


def _move_order(order: Order, now: datetime) -> bool:
    """The order is as far as its least advanced part; some items shipped → partially shipped."""
    subs = list(Submission.objects.filter(order=order, state=Submission.State.SENT))
    progress = [p for p in (_submission_progress(s) for s in subs) if p]
    if not progress or order.status == rules.OrderStatus.NOT_CONNECTED:
        return False
    least = min(progress, key=_RANK.index)
    shipped_any = Parcel.objects.filter(submission__order=order).exists()
    if least in (rules.OrderStatus.SUBMITTED, rules.OrderStatus.IN_PRODUCTION) and shipped_any:
        least = rules.OrderStatus.PARTIALLY_SHIPPED
    before = order.get_status_display()
    if not set_status(order, least, now):
        return False
    events.record(
        Event.ORDER_STATUS_CHANGED,
        f"{before} → {order.get_status_display()}",
        ACTOR,
        store=order.store,
        order=order,
        status=order.status,
    )
    return True


def poll_open(now: datetime | None = None, limit: int = 100) -> int:
    """Re-read sent submissions that are not finished and were not looked at recently."""
    now = now or timezone.now()
    due = (
        Submission.objects.filter(state=Submission.State.SENT)
        .exclude(provider_status__in=TERMINAL)
        .exclude(polled_at__gt=now - POLL_EVERY)
        .select_related("store", "order")
        .order_by("polled_at", "pk")[:limit]
    )
    done = 0
    for submission in due:
        try:
            refresh(submission)
            done += 1
        except IntegrationError:
            Submission.objects.filter(pk=submission.pk).update(polled_at=now)
    return done
