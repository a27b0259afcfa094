"""Receive a BigCommerce webhook: one transaction writes the inbox row and the coalesced refresh, then 200."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from printbridge.ingestion.models import RefreshRequest, WebhookDelivery
from printbridge.ingestion.services.scheduling import DEBOUNCE
from printbridge.integrations.bigcommerce.webhooks import WebhookEvent
from printbridge.routing import drift
from printbridge.stores.models import Store


class Received(StrEnum):
    QUEUED = "queued"  # an order refresh is pending (new, or an earlier one absorbed this delivery)
    DUPLICATE = "duplicate"  # the same webhook-id was delivered before: nothing to do
    RECORDED = "recorded"  # a subscribed non-order scope, kept in the inbox
    IGNORED = "ignored"  # a scope we do not subscribe to


@transaction.atomic
def receive_webhook(
    store: Store, event: WebhookEvent, webhook_id: str | None, now: datetime | None = None
) -> Received:
    """Record the delivery and, for an order scope, make sure one refresh of that order is pending."""
    if not event.subscribed:
        return Received.IGNORED
    now = now or timezone.now()
    if not _record_delivery(store, event, webhook_id):
        return Received.DUPLICATE
    if not event.is_order:
        if drift.note_catalog_webhook(store, event):  # a connected product may have changed: check it
            from printbridge.jobs.tasks import kick_sync_on_commit

            kick_sync_on_commit(store.pk)
        return Received.RECORDED
    RefreshRequest.objects.bulk_create(
        [
            RefreshRequest(
                store=store,
                order_external_id=str(event.resource_id),
                reason=RefreshRequest.Reason.WEBHOOK,
                available_at=now + DEBOUNCE,
            )
        ],
        ignore_conflicts=True,  # one pending refresh per order: a repeat while it waits is absorbed
    )
    from printbridge.jobs.tasks import kick_sync_on_commit  # the task module imports the ingestion services

    kick_sync_on_commit(store.pk)
    return Received.QUEUED


def _record_delivery(store: Store, event: WebhookEvent, webhook_id: str | None) -> bool:
    """Insert the inbox row; False for a repeated webhook-id (permanent key). A repeated hash just counts."""
    key = f"id:{webhook_id}" if webhook_id else f"hash:{event.hash}"
    try:
        with transaction.atomic():
            WebhookDelivery.objects.create(
                store=store,
                dedupe_key=key[:120],
                scope=event.scope,
                resource_id=event.resource_id,
                payload={
                    "scope": event.scope,
                    "data": event.data,
                    "hash": event.hash,
                    "producer": event.producer,
                },
            )
    except IntegrityError:
        WebhookDelivery.objects.filter(store=store, dedupe_key=key[:120]).update(
            delivery_count=F("delivery_count") + 1, last_received_at=timezone.now()
        )
        return webhook_id is None
    return True
