"""Sending a Notification row: claim it under a lease, render it once, send it over the configured backend,
and record the outcome. A failed send waits (1 min, 5 min, 15 min, 1 h) and is retried by the scheduler's sweep;
after MAX_ATTEMPTS it is marked Failed with the last error."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from django.core.mail import make_msgid
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from printbridge.notifications import builders
from printbridge.notifications.models import Notification
from printbridge.notifications.services import recipients_for, still_waiting
from printbridge.orders import events
from printbridge.orders.models import OrderEvent

logger = logging.getLogger("printbridge.notifications")
Status = Notification.Status
Kind = Notification.Kind
MAX_ATTEMPTS = 5
BACKOFF_SECONDS = (60, 300, 900, 3600)
LEASE = timedelta(minutes=2)
SWEEP_LIMIT = 100


def _claimable(now: datetime) -> Q:
    """Due to send: waiting and due, or claimed by a worker whose lease ran out (it died mid-send)."""
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(status=Status.SENDING, lease_until__lt=now)


def send_notification(notification_id: int, now: datetime | None = None) -> str:
    """Send one e-mail if it is due and nobody else holds it. Returns sent | retry | failed | cancelled | busy."""
    now = now or timezone.now()
    claimed = Notification.objects.filter(_claimable(now), pk=notification_id).update(
        status=Status.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1
    )
    if not claimed:
        return "busy"
    notification = Notification.objects.select_related("store__settings", "order").get(pk=notification_id)
    try:
        reason = _prepare(notification, now)
        if not reason:
            builders.message(notification).send()
    except (
        Exception
    ) as exc:  # SMTP down, refused, timed out: recorded and retried, never raised to the caller
        return _failed(notification, exc, now)
    if reason:
        _finish(notification, Status.CANCELLED, error=reason)
        return "cancelled"
    _sent(notification)
    return "sent"


def send_due(now: datetime | None = None, limit: int = SWEEP_LIMIT) -> dict[str, int]:
    """The scheduler's sweep: every due e-mail (retries, and any whose task was lost)."""
    now = now or timezone.now()
    due = Notification.objects.filter(_claimable(now)).order_by("next_attempt_at", "pk")
    ids = list(due.values_list("pk", flat=True)[:limit])
    return dict(Counter(send_notification(pk, now) for pk in ids))


def _prepare(notification: Notification, now: datetime) -> str:
    """Render the e-mail on its first attempt (a retry sends the same one). Returns why not to send, or ''."""
    if notification.kind in (Kind.ACTION_REQUIRED, Kind.AGEING_ALERT) and not still_waiting(
        notification.order
    ):
        return "The order no longer requires action"
    if not notification.recipients:
        notification.recipients = recipients_for(notification.store)
    if not notification.recipients:
        return "No recipients: set notification recipients in the store's settings"
    if not notification.subject:
        rendered = builders.render_for(notification, now)
        notification.subject, notification.text_body = rendered.subject, rendered.text
        notification.html_body = rendered.html
    notification.message_id = notification.message_id or make_msgid(domain="printbridge.local")
    notification.save(update_fields=["recipients", "subject", "text_body", "html_body", "message_id"])
    return ""


def _failed(notification: Notification, exc: Exception, now: datetime) -> str:
    error = f"{type(exc).__name__}: {exc}"[:1000]
    attempts = notification.attempts
    logger.warning("e-mail %s attempt %d failed: %s", notification.pk, attempts, error)
    if attempts >= MAX_ATTEMPTS:
        _finish(notification, Status.FAILED, error=error)
        return "failed"
    wait = BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1]
    _finish(notification, Status.PENDING, error=error, next_attempt_at=now + timedelta(seconds=wait))
    return "retry"


def _finish(notification: Notification, status: str, **fields) -> None:
    Notification.objects.filter(pk=notification.pk).update(status=status, lease_until=None, **fields)


@transaction.atomic
def _sent(notification: Notification) -> None:
    sent_at = timezone.now()
    _finish(notification, Status.SENT, error="", sent_at=sent_at)
    count = len(notification.recipients)
    events.record(
        OrderEvent.Type.NOTIFICATION_SENT,
        f"E-mailed '{notification.subject}' to {count} recipient{'s' if count != 1 else ''}",
        events.SYSTEM,
        store=notification.store,
        order=notification.order,
        recipients=notification.recipients,
        notification=notification.pk,
    )
