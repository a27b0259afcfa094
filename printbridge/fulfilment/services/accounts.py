"""The account's Gelato API key: checked against Gelato, stored encrypted."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from printbridge.fulfilment.models import ProviderAccount
from printbridge.integrations.errors import IntegrationError, PermanentError
from printbridge.integrations.gelato.client import GelatoClient
from printbridge.orders import events
from printbridge.orders.errors import InvalidInput
from printbridge.orders.models import OrderEvent
from printbridge.stores import crypto
from printbridge.stores.models import Account

DEFAULT_ORDER_URL = "https://order.gelatoapis.com"
DEFAULT_PRODUCT_URL = "https://product.gelatoapis.com"


def webhook_url(provider_account: ProviderAccount) -> str:
    return settings.PRINTBRIDGE_BASE_URL + reverse("gelato-webhook", args=[provider_account.webhook_token])


def set_gelato_key(
    account: Account,
    api_key: str,
    actor: events.Actor,
    order_url: str | None = None,
    product_url: str | None = None,
) -> ProviderAccount:
    """Validate the key with a catalog read, then save it (encrypted). Keeps the webhook token of an earlier key."""
    api_key = api_key.strip()
    order_url = order_url or settings.GELATO_ORDER_URL or DEFAULT_ORDER_URL
    product_url = product_url or settings.GELATO_PRODUCT_URL or DEFAULT_PRODUCT_URL
    if not api_key:
        raise InvalidInput("Give the Gelato API key", field="api_key")
    try:
        GelatoClient(api_key, order_base_url=order_url, product_base_url=product_url).list_catalogs()
    except PermanentError as exc:
        raise InvalidInput(f"Gelato refused this API key: {exc.detail}", field="api_key") from None
    except IntegrationError as exc:
        raise InvalidInput(
            f"Gelato could not be reached: {exc.message}; try again", field="api_key"
        ) from None
    return _save(account, api_key, order_url, product_url, actor)


@transaction.atomic
def _save(
    account: Account, api_key: str, order_url: str, product_url: str, actor: events.Actor
) -> ProviderAccount:
    fields = {
        "api_key_encrypted": crypto.encrypt(api_key),
        "order_base_url": order_url,
        "product_base_url": product_url,
    }
    saved, _ = ProviderAccount.objects.update_or_create(
        account=account,
        provider=ProviderAccount.Provider.GELATO,
        defaults=fields,
        create_defaults={
            **fields,
            "webhook_token": secrets.token_urlsafe(24),
            "webhook_secret_encrypted": crypto.encrypt(secrets.token_urlsafe(24)),
        },
    )
    events.record(
        OrderEvent.Type.PROVIDER_ACCOUNT_SET, "Gelato API key saved", actor, store=None, account_id=account.pk
    )
    return saved
