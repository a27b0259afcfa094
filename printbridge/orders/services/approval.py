"""Approval: a user approves waiting orders (one or many); the scheduler releases delayed ones when due."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from printbridge.orders import events, rules
from printbridge.orders.errors import NotFound
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.services.release import chunks, start_generation

Event = OrderEvent.Type


@dataclass(frozen=True)
class ApprovalResult:
    approved: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


def approve_orders(
    account_id: int, order_ids: list[int], actor: events.Actor, now: datetime | None = None
) -> ApprovalResult:
    """Approve pending orders now. Another account's id is NotFound; an order not pending is skipped with why."""
    now = now or timezone.now()
    wanted = sorted(set(order_ids))
    with transaction.atomic():
        orders = list(
            Order.objects.select_for_update(of=("self",))
            .select_related("store")
            .filter(account_id=account_id, pk__in=wanted)
        )
        if len(orders) != len(wanted):
            raise NotFound("No such order", missing=sorted(set(wanted) - {o.pk for o in orders}))
        pending = [o for o in orders if o.status == rules.OrderStatus.PENDING_APPROVAL]
        _mark_ready(pending, now, approved_by=actor.user, approved_at=now)
        for store, group in _by_store(pending).items():
            events.record_many(Event.ORDER_APPROVED, store, group, "Approved: ready for fulfilment", actor)
    skipped = {o.pk: f"is {o.get_status_display()}, not pending approval" for o in orders if o not in pending}
    return ApprovalResult([o.pk for o in pending], skipped)


def release_due_orders(now: datetime | None = None) -> int:
    """Release every delayed order whose approval time has come. Returns how many were released."""
    now = now or timezone.now()
    due = Order.objects.filter(status=rules.OrderStatus.PENDING_APPROVAL, release_at__lte=now)
    released = 0
    for chunk in chunks(list(due.values_list("pk", flat=True).order_by("pk"))):
        with transaction.atomic():
            orders = list(due.select_for_update(of=("self",)).select_related("store").filter(pk__in=chunk))
            _mark_ready(orders, now)
            for store, group in _by_store(orders).items():
                events.record_many(
                    Event.ORDER_RELEASED,
                    store,
                    group,
                    "Approval delay over: ready for fulfilment",
                    events.SYSTEM,
                )
        released += len(orders)
    return released


def _mark_ready(orders: list[Order], now: datetime, **fields) -> None:
    ids = [o.pk for o in orders]
    Order.objects.filter(pk__in=ids).update(
        status=rules.OrderStatus.READY, status_changed_at=now, release_at=None, **fields
    )
    start_generation(ids)


def _by_store(orders: list[Order]) -> dict:
    groups: dict = {}
    for order in orders:
        groups.setdefault(order.store, []).append(order)
    return groups
