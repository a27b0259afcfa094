"""Outbound webhooks: an event row written in the transaction of the order change it reports, delivered by a
task with Standard Webhooks signatures.

Each row is claimed under a lease (SKIP LOCKED on PostgreSQL), so two workers never post the same event at the
same time; a 2xx marks it delivered. Anything else (another status, a timeout, a refused connection) is tried
again after a capped exponential backoff with jitter, up to OUTBOUND_WEBHOOK_MAX_ATTEMPTS, then given up with the
error recorded and an alert on the store. A worker killed after the receiver answered but before the row was
marked can make one repeat: receivers de-duplicate on `webhook-id`, which is the same on every attempt."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from printbridge.fulfilment.models import OutboundDelivery, OutboundWebhook
from printbridge.fulfilment.outbound import payloads, signing
from printbridge.fulfilment.outbound.sender import Attempt, WebhookSender
from printbridge.orders import events
from printbridge.orders.models import Order, OrderEvent
from printbridge.stores import crypto

BATCH = 50
LEASE = timedelta(seconds=60)
BACKOFF_BASE = 30.0  # seconds before the second attempt (on average three quarters of it, with jitter)
BACKOFF_CAP = 6 * 3600.0
DEFAULT_MAX_ATTEMPTS = 10
ACTOR = events.Actor.system("outbound webhook")
State = OutboundDelivery.State


@dataclass
class DeliveryReport:
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def max_attempts() -> int:
    return int(getattr(settings, "OUTBOUND_WEBHOOK_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def backoff_seconds(attempt: int, rng: Callable[[], float] = random.random) -> float:
    """Capped exponential with jitter: between half and all of min(cap, base * 2^(attempt-1))."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(attempt - 1, 0))
    return ceiling / 2 + rng() * ceiling / 2


def record_order_change(order: Order, event_type: str | None = None) -> OutboundDelivery | None:
    """Called inside the transaction that changed the order: one event row for the store's active webhook
    (none for a store without one, or for a status no event reports)."""
    event_type = event_type or payloads.event_for(order.status)
    webhook = OutboundWebhook.objects.filter(store_id=order.store_id, is_active=True).first()
    if event_type is None or webhook is None:
        return None
    now = timezone.now()
    delivery = OutboundDelivery.objects.create(
        webhook=webhook,
        store_id=order.store_id,
        order=order,
        message_id=f"msg_{uuid.uuid4().hex}",
        event=event_type,
        payload=payloads.envelope(event_type, order, now),
        next_attempt_at=now,
    )
    transaction.on_commit(_kick)
    return delivery


def _kick() -> None:
    from printbridge.jobs.tasks import deliver_outbound_webhooks_task

    deliver_outbound_webhooks_task.enqueue()


def _due(now: datetime) -> Q:
    return Q(state=State.PENDING, next_attempt_at__lte=now) | Q(state=State.SENDING, lease_until__lt=now)


def has_due(now: datetime | None = None) -> bool:
    return OutboundDelivery.objects.filter(_due(now or timezone.now()), webhook__is_active=True).exists()


def claim(now: datetime, limit: int = BATCH) -> list[OutboundDelivery]:
    """Due rows, and rows a dead worker left in 'sending' past their lease, now ours (attempt counted)."""
    with transaction.atomic():
        rows = list(
            OutboundDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("webhook", "store", "order")
            .filter(_due(now), webhook__is_active=True)
            .order_by("pk")[:limit]
        )
        for row in rows:
            row.state, row.lease_until, row.attempts = State.SENDING, now + LEASE, row.attempts + 1
        OutboundDelivery.objects.bulk_update(rows, ["state", "lease_until", "attempts"])
    return rows


def deliver_due(now: datetime | None = None, sender: WebhookSender | None = None) -> DeliveryReport:
    report = DeliveryReport()
    claimed = claim(now or timezone.now())
    if not claimed:
        return report
    own_sender = sender is None
    sender = sender or WebhookSender()
    try:
        for delivery in claimed:
            report.count(deliver_one(delivery, sender))
    finally:
        if own_sender:
            sender.close()
    return report


def deliver_one(delivery: OutboundDelivery, sender: WebhookSender) -> str:
    body = payloads.body(delivery.payload)
    try:
        secret = crypto.decrypt(delivery.webhook.secret_encrypted)
    except crypto.SecretUnreadable as exc:
        attempt = Attempt(False, None, str(exc))
    else:
        headers = signing.headers(secret, delivery.message_id, int(time.time()), body)
        attempt = sender.post(delivery.webhook.url, headers, body)
    if attempt.ok:
        _delivered(delivery, attempt)
        return "delivered"
    if delivery.attempts >= max_attempts():
        _give_up(delivery, attempt)
        return "gave_up"
    _retry_later(delivery, attempt)
    return "retry"


@transaction.atomic
def _delivered(delivery: OutboundDelivery, attempt: Attempt) -> None:
    OutboundDelivery.objects.filter(pk=delivery.pk).update(
        state=State.DELIVERED,
        delivered_at=timezone.now(),
        lease_until=None,
        last_status=attempt.status,
        last_error="",
    )
    events.record(
        OrderEvent.Type.NOTIFICATION_SENT,
        f"Webhook {delivery.event} delivered (HTTP {attempt.status}, attempt {delivery.attempts})",
        ACTOR,
        store=delivery.store,
        order=delivery.order,
        webhook_id=delivery.message_id,
        url=delivery.webhook.url,
    )


def _retry_later(delivery: OutboundDelivery, attempt: Attempt) -> None:
    OutboundDelivery.objects.filter(pk=delivery.pk).update(
        state=State.PENDING,
        next_attempt_at=timezone.now() + timedelta(seconds=backoff_seconds(delivery.attempts)),
        lease_until=None,
        last_status=attempt.status,
        last_error=attempt.error[:500],
    )


@transaction.atomic
def _give_up(delivery: OutboundDelivery, attempt: Attempt) -> None:
    OutboundDelivery.objects.filter(pk=delivery.pk).update(
        state=State.FAILED, lease_until=None, last_status=attempt.status, last_error=attempt.error[:500]
    )
    events.record(
        OrderEvent.Type.STORE_ALERT,
        f"Webhook {delivery.event} to {delivery.webhook.url} not delivered after {delivery.attempts} "
        f"attempts: {attempt.error}",
        ACTOR,
        store=delivery.store,
        order=delivery.order,
        webhook_id=delivery.message_id,
    )
