"""Read queries for e-mails: what a digest reports about one store, and the mail page (scoped by account)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from printbridge.fulfilment.models import Submission
from printbridge.notifications.models import Notification
from printbridge.orders import rules
from printbridge.orders.errors import NotFound
from printbridge.orders.models import Order, OrderItem

WAITING = rules.OrderStatus.NOT_CONNECTED
MAIL_PAGE = 50


def waiting_orders(store_id: int, before: datetime) -> QuerySet[Order]:
    """The store's orders held as Not connected since before `before`, oldest first, with their waiting items."""
    items = OrderItem.objects.filter(state=rules.ItemState.NOT_CONNECTED).order_by("pk")
    return (
        Order.objects.filter(store_id=store_id, status=WAITING, held_since__lt=before)
        .prefetch_related(Prefetch("items", queryset=items, to_attr="waiting_items"))
        .order_by("held_since", "pk")
    )


def newly_held_count(store_id: int, since: datetime, before: datetime) -> int:
    """Orders held in [since, before) that still wait."""
    return waiting_orders(store_id, before).filter(held_since__gte=since).count()


def failed_orders(store_id: int, since: datetime, before: datetime) -> list[Order]:
    """Orders whose submission failed in [since, before), with Gelato's reason as `reason`."""
    reason = Submission.objects.filter(order=OuterRef("pk"), state=Submission.State.FAILED).order_by(
        "-generation"
    )
    return list(
        Order.objects.filter(
            store_id=store_id,
            status=rules.OrderStatus.FAILED,
            status_changed_at__gte=since,
            status_changed_at__lt=before,
        )
        .annotate(reason=Subquery(reason.values("last_error")[:1]))
        .order_by("status_changed_at", "pk")
    )


def oldest_waiting_order_ids(store_id: int, variants: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """For each (product id, variant id), the oldest waiting order it blocks: where to resolve it."""
    rows = (
        OrderItem.objects.filter(
            order__store_id=store_id, order__status=WAITING, state=rules.ItemState.NOT_CONNECTED
        )
        .filter(variant_id__in={v for _, v in variants})
        .order_by("order__held_since", "order_id")
        .values_list("product_id", "variant_id", "order_id")
    )
    oldest: dict[tuple[str, str], int] = {}
    for product, variant, order_id in rows:
        oldest.setdefault((product, variant), order_id)
    return oldest


def mail(account_id: int, before_id: int | None = None, limit: int = MAIL_PAGE) -> list[Notification]:
    """The account's e-mails, newest first (keyset by id); digests with nothing to report are left out."""
    qs = (
        Notification.objects.filter(account_id=account_id)
        .exclude(status=Notification.Status.EMPTY)
        .select_related("store", "order")
        .order_by("-pk")
    )
    if before_id:
        qs = qs.filter(pk__lt=before_id)
    return list(qs[:limit])


def mail_detail(account_id: int, notification_id: int) -> Notification:
    found = (
        Notification.objects.filter(account_id=account_id, pk=notification_id)
        .exclude(status=Notification.Status.EMPTY)
        .select_related("store", "order")
        .first()
    )
    if found is None:
        raise NotFound("No such e-mail")
    return found
