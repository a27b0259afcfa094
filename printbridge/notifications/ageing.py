"""Ageing alerts: an order that has waited (Not connected) longer than its store's threshold gets one e-mail.

Whatever the store's e-mail mode. The alert is a Notification row unique per order, so re-runs and racing
schedulers send it once; it is not sent if the order stopped waiting before the e-mail went out."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from printbridge.notifications.builders import age_label
from printbridge.notifications.models import Notification
from printbridge.notifications.services import queue
from printbridge.orders import rules
from printbridge.orders.models import Order
from printbridge.stores.models import StoreSettings

BATCH = 500


def queue_ageing_alerts(now: datetime | None = None) -> int:
    """Queue an alert for every order past its store's threshold that has none yet. Returns how many."""
    now = now or timezone.now()
    thresholds = (
        StoreSettings.objects.filter(ageing_alert_hours__isnull=False, store__is_active=True)
        .values_list("ageing_alert_hours", flat=True)
        .distinct()
    )
    return sum(_queue_for_threshold(hours, now) for hours in sorted(set(thresholds)))


@transaction.atomic
def _queue_for_threshold(hours: int, now: datetime) -> int:
    alerted = Notification.objects.filter(kind=Notification.Kind.AGEING_ALERT, order=OuterRef("pk"))
    orders = (
        Order.objects.filter(
            status=rules.OrderStatus.NOT_CONNECTED,
            store__is_active=True,
            store__settings__ageing_alert_hours=hours,
            held_since__lte=now - timedelta(hours=hours),
        )
        .exclude(Exists(alerted))
        .select_related("store")
        .order_by("held_since", "pk")[:BATCH]
    )
    queued = 0
    for order in orders:
        context = {"hours": hours, "waited": age_label(now - order.held_since)}
        queued += bool(
            queue(
                Notification.Kind.AGEING_ALERT, order.store, f"order:{order.pk}", order=order, context=context
            )
        )
    return queued
