"""The variants of an order item's store product (its sizes and colours), to connect them all in one step.

A BigCommerce store is asked (GET /v3/catalog/variants?product_id:in=); a custom store has no catalog to ask, so
its variants are the ones seen in its orders (each with the options of its latest order item)."""

from __future__ import annotations

from printbridge.catalog.publish_spec import variant_label
from printbridge.catalog.publishing import StoreUnavailable
from printbridge.ingestion.services.sync import client_for
from printbridge.integrations.errors import IntegrationError
from printbridge.orders.models import OrderItem
from printbridge.orders.services.routing_changes import VariantRef
from printbridge.stores.models import BigCommerceConnection, Store

MAX_VARIANTS = 600  # BigCommerce's limit per product


def product_variants(store: Store, item: OrderItem) -> list[VariantRef]:
    """Every variant of the item's product except the item's own, in the store's order."""
    if store.platform == Store.Platform.BIGCOMMERCE:
        found = _bigcommerce(store, item)
    else:
        found = _seen_in_orders(store, item)
    return [v for v in found if v.variant_id != item.variant_id][:MAX_VARIANTS]


def _bigcommerce(store: Store, item: OrderItem) -> list[VariantRef]:
    connection = BigCommerceConnection.objects.filter(store=store).first()
    if connection is None or connection.uninstalled_at or not item.product_id.isdigit():
        return []  # not connected any more, or a custom product (no catalog variants)
    client = client_for(connection)
    try:
        variants = client.list_variants(product_id=int(item.product_id))
    except IntegrationError as exc:
        raise StoreUnavailable(
            f"BigCommerce did not list the variants of {item.name} ({exc.message}); try again, or connect "
            "this variant only"
        ) from None
    finally:
        client.close()
    return [
        VariantRef(
            str(v.product_id), str(v.id), v.sku, variant_label(item.name, v.option_values), v.option_values
        )
        for v in variants
    ]


def _seen_in_orders(store: Store, item: OrderItem) -> list[VariantRef]:
    rows = (
        OrderItem.objects.filter(order__store=store, product_id=item.product_id)
        .order_by("-pk")
        .values_list("variant_id", "sku", "name", "options")[: MAX_VARIANTS * 20]
    )
    latest: dict[str, VariantRef] = {}
    for variant_id, sku, name, options in rows:
        if variant_id not in latest:
            pairs = tuple(
                (str(o.get("name", "")), str(o.get("value", ""))) for o in options if isinstance(o, dict)
            )
            latest[variant_id] = VariantRef(
                item.product_id, variant_id, sku, variant_label(name, pairs), pairs
            )
    return sorted(latest.values(), key=lambda v: v.variant_id)
