"""A custom store's outbound webhook: set (URL checked, secret made and shown once), change, remove."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from printbridge.fulfilment.models import OutboundWebhook
from printbridge.fulfilment.outbound import signing
from printbridge.fulfilment.outbound.urls import check_url
from printbridge.fulfilment.selectors import outbound_webhook
from printbridge.orders import events, selectors
from printbridge.orders.errors import InvalidInput
from printbridge.orders.models import OrderEvent
from printbridge.stores import crypto
from printbridge.stores.models import Store

Event = OrderEvent.Type
CUSTOM_ONLY = (
    "Outbound webhooks are for custom stores; a BigCommerce store gets its shipments written back to "
    "BigCommerce instead"
)


@dataclass(frozen=True)
class SavedWebhook:
    webhook: OutboundWebhook
    created: bool
    secret: str | None  # the signing secret, only when it was just made (created or rotated)


def save_outbound_webhook(
    account_id: int,
    store_id: int,
    url: str,
    actor: events.Actor,
    is_active: bool = True,
    rotate_secret: bool = False,
) -> SavedWebhook:
    store = selectors.store_for(account_id, store_id)
    if store.platform != Store.Platform.CUSTOM:
        raise InvalidInput(CUSTOM_ONLY, field="store_id")
    url = check_url(url)
    with transaction.atomic():
        existing = OutboundWebhook.objects.select_for_update().filter(store=store).first()
        if existing is None:
            return _create(store, url, is_active, actor)
        return _update(existing, url, is_active, rotate_secret, actor)


def _create(store: Store, url: str, is_active: bool, actor: events.Actor) -> SavedWebhook:
    secret = signing.new_secret()
    webhook = OutboundWebhook.objects.create(
        store=store, url=url, is_active=is_active, secret_encrypted=crypto.encrypt(secret)
    )
    state = "" if is_active else " (paused)"
    events.record(
        Event.SETTINGS_CHANGED, f"Outbound webhook set to {url}{state}", actor, store=store, url=url
    )
    return SavedWebhook(webhook, True, secret)


def _update(
    webhook: OutboundWebhook, url: str, is_active: bool, rotate_secret: bool, actor: events.Actor
) -> SavedWebhook:
    changed = [
        name for name, value in (("url", url), ("is_active", is_active)) if getattr(webhook, name) != value
    ]
    webhook.url, webhook.is_active = url, is_active
    secret = signing.new_secret() if rotate_secret else None
    if secret:
        webhook.secret_encrypted = crypto.encrypt(secret)
        changed.append("secret")
    if not changed:
        return SavedWebhook(webhook, False, None)
    webhook.save()
    events.record(
        Event.SETTINGS_CHANGED,
        f"Outbound webhook changed: {', '.join(changed)}",
        actor,
        store=webhook.store,
        changed=changed,
        url=url,
    )
    return SavedWebhook(webhook, False, secret)


@transaction.atomic
def delete_outbound_webhook(account_id: int, store_id: int, actor: events.Actor) -> None:
    """Remove the endpoint; events not yet delivered are dropped with it."""
    webhook = outbound_webhook(account_id, store_id)
    url = webhook.url
    webhook.delete()
    events.record(
        Event.SETTINGS_CHANGED, f"Outbound webhook to {url} removed", actor, store=webhook.store, url=url
    )
