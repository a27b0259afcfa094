"""The provider port: which client serves a store, and the provider order a submission becomes.

Gelato is the only provider so far; another would add its client and its own `new_order` here."""

from __future__ import annotations

import httpx
from django.conf import settings

from printbridge.catalog import design_refs
from printbridge.fulfilment.models import ProviderAccount, Submission
from printbridge.integrations.errors import PermanentError
from printbridge.integrations.gelato.client import GelatoClient
from printbridge.integrations.gelato.payloads import Address, NewItem, NewOrder
from printbridge.orders import rules
from printbridge.stores import crypto
from printbridge.stores.models import Store, StoreSettings


class NoProviderAccount(Exception):
    """The account has not set its Gelato API key yet: submissions wait for it (they are not failed)."""


def account_for(store: Store) -> ProviderAccount:
    found = ProviderAccount.objects.filter(account_id=store.account_id, provider="gelato").first()
    if found is None:
        raise NoProviderAccount(
            "Waiting for the account's Gelato API key (Settings); sent as soon as it is set"
        )
    return found


def client_for(account: ProviderAccount) -> GelatoClient:
    return GelatoClient(
        crypto.decrypt(account.api_key_encrypted),
        order_base_url=account.order_base_url,
        product_base_url=account.product_base_url,
        timeout=httpx.Timeout(settings.GELATO_TIMEOUT_SECONDS, connect=3),
    )


def client_for_store(store: Store) -> GelatoClient:
    return client_for(account_for(store))


def _address(order) -> Address:
    a = order.shipping_address
    return Address(
        company_name=a.get("company", ""),
        first_name=a.get("first_name", ""),
        last_name=a.get("last_name", ""),
        address_line1=a.get("address1", ""),
        address_line2=a.get("address2", ""),
        state=a.get("state", ""),
        city=a.get("city", ""),
        post_code=a.get("postal_code", ""),
        country=a.get("country_code", ""),
        email=a.get("email") or order.customer_email,
        phone=a.get("phone", ""),
    )


def released_items(submission: Submission):
    return (
        submission.order.items.filter(
            release_generation=submission.generation, state=rules.ItemState.CONNECTED
        )
        .select_related("connection", "fulfilment_override")
        .order_by("pk")
    )


def product_and_files(item) -> tuple[str, dict[str, str]]:
    """What the provider makes for this item: its connection's product and files, unless this order's item
    was given another product or files (ItemOverride, made before a retry)."""
    product_uid, files = item.connection.provider_product_uid, item.connection.files
    override = getattr(item, "fulfilment_override", None)
    if override is not None:
        product_uid, files = override.provider_product_uid or product_uid, override.files or files
    return product_uid, files


def sent_files(item, files: dict[str, str]) -> dict[str, str]:
    """The files as the provider gets them: a design reference ("design:<id>", catalog.design_refs) becomes a
    link signed now, so an old connection still sends a valid one; URLs go as they are."""
    try:
        return design_refs.signed_files(files, item.order.account_id)
    except design_refs.UnusableDesign as exc:
        raise PermanentError(None, f"{item.name}: {exc.message}") from None


def _new_item(item) -> NewItem:
    product_uid, files = product_and_files(item)
    files = sent_files(item, files)
    return NewItem(
        item_reference_id=str(item.pk),
        product_uid=product_uid,
        quantity=item.quantity,
        files=tuple((area, url) for area, url in sorted(files.items())),
    )


def new_order(submission: Submission) -> NewOrder:
    order = submission.order
    items = [_new_item(item) for item in released_items(submission)]
    if not items:
        raise PermanentError(None, "Nothing to send: no connected item in this part of the order")
    method = StoreSettings.objects.filter(store_id=order.store_id).values_list(
        "shipment_method_uid", flat=True
    )
    return NewOrder(
        order_reference_id=submission.idempotency_key,
        customer_reference_id=f"pb-store-{order.store_id}",
        currency=order.currency,
        items=tuple(items),
        shipping_address=_address(order),
        shipment_method_uid=method.first() or "",
    )
