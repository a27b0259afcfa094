"""Read queries for the merchant dashboard: counts per status, the Not connected backlog over time, and what
needs action (failed submissions, the orders waiting longest). Every query is scoped by account."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from printbridge.fulfilment.models import Submission
from printbridge.orders import rules
from printbridge.orders.models import Order, OrderEvent, OrderItem

WAITING = rules.OrderStatus.NOT_CONNECTED
Event = OrderEvent.Type
# The audit events that take an order out of Not connected (statuses only move forward, so it never comes back)
LEFT_WAITING = Q(type__in=[Event.ORDER_COMPLETED, Event.ORDER_CANCELLED]) | Q(
    type=Event.ORDER_REEVALUATED, parameters__outcome__in=["continues", "ignored"]
)


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class BacklogDay:
    day: date
    waiting: int  # orders Not connected at the end of the day (today: now)


def status_counts(account_id: int) -> list[StatusCount]:
    """Every order status in workflow order with how many of the account's orders have it (one query)."""
    found = dict(
        Order.objects.filter(account_id=account_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [StatusCount(s.value, rules.STATUS_LABELS[s], found.get(s.value, 0)) for s in rules.OrderStatus]


def not_connected_backlog(account_id: int, days: int = 30, now: datetime | None = None) -> list[BacklogDay]:
    """How many orders were Not connected at the end of each of the last `days` days (one query).

    An order waits from its held_since until the first audit event that took it out of Not connected (its
    status_changed_at when no such event is recorded)."""
    now = now or timezone.now()
    first = timezone.localdate(now) - timedelta(days=days - 1)
    ends = [_midnight(first + timedelta(days=i + 1)) for i in range(days - 1)] + [now]
    counts = [0] * (days + 1)
    for held, left in _waiting_spans(account_id, _midnight(first), now):
        counts[bisect_left(ends, held)] += 1
        counts[bisect_left(ends, left) if left else days] -= 1
    running, series = 0, []
    for i in range(days):
        running += counts[i]
        series.append(BacklogDay(first + timedelta(days=i), running))
    return series


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _waiting_spans(account_id: int, start: datetime, now: datetime) -> list[tuple[datetime, datetime | None]]:
    left = OrderEvent.objects.filter(LEFT_WAITING, order_id=OuterRef("pk")).order_by("created_at", "pk")
    rows = (
        Order.objects.filter(account_id=account_id, held_since__isnull=False, held_since__lte=now)
        .filter(Q(status=WAITING) | Q(status_changed_at__gte=start))
        .annotate(left_at=Subquery(left.values("created_at")[:1]))
        .values_list("status", "held_since", "left_at", "status_changed_at")
    )
    return [
        (held, None if status == WAITING else (left_at or changed)) for status, held, left_at, changed in rows
    ]


def failed_submissions(account_id: int, limit: int = 10) -> tuple[list[Submission], int]:
    """Orders the provider refused and nobody has retried or cancelled yet: most recent failure first."""
    qs = Submission.objects.filter(
        store__account_id=account_id,
        state=Submission.State.FAILED,
        retried_as__isnull=True,
        cancel_requested=False,
        order__status=rules.OrderStatus.FAILED,
    )
    rows = list(qs.select_related("order", "store").order_by("-order__status_changed_at", "-pk")[:limit])
    return rows, qs.count() if len(rows) == limit else len(rows)


def longest_waiting(account_id: int, limit: int = 5) -> tuple[list[Order], int]:
    """The Not connected orders waiting longest, with how many of their items are not connected."""
    waiting_items = (
        OrderItem.objects.filter(order_id=OuterRef("pk"), state=rules.ItemState.NOT_CONNECTED)
        .values("order_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = Order.objects.filter(account_id=account_id, status=WAITING)
    rows = list(
        qs.select_related("store")
        .annotate(waiting_items=Coalesce(Subquery(waiting_items), Value(0), output_field=IntegerField()))
        .order_by("held_since", "pk")[:limit]
    )
    return rows, qs.count() if len(rows) == limit else len(rows)
