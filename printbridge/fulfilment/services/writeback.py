"""Write shipped parcels back to the store: a BigCommerce shipment per tracking number and address, then
Partially Shipped / Shipped if the store did not move the status itself.

BigCommerce shipments have no idempotency key: the order's existing shipments are listed first, and an item
quantity already shipped is never shipped again."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from printbridge.fulfilment.models import Parcel
from printbridge.ingestion.services.sync import client_for
from printbridge.integrations.bigcommerce.carriers import carrier_slug
from printbridge.integrations.bigcommerce.payloads import NewShipment, ShipmentItem
from printbridge.orders import events
from printbridge.orders.models import Order, OrderEvent
from printbridge.stores.models import BigCommerceConnection, Store

SHIPPED, PARTIALLY_SHIPPED = 2, 3
ACTOR = events.Actor.system("BigCommerce write-back")
Event = OrderEvent.Type


@dataclass(frozen=True)
class WriteBack:
    created: int = 0
    adopted: int = 0
    status_set: int | None = None


def write_back(order_id: int) -> WriteBack:
    order = Order.objects.select_related("store").get(pk=order_id)
    pending = list(
        Parcel.objects.filter(submission__order=order, written_back_at__isnull=True).select_related("item")
    )
    if not pending or order.store.platform != Store.Platform.BIGCOMMERCE:
        _mark(pending, "")  # a custom store reads the parcels through the API
        return WriteBack()
    with client_for(BigCommerceConnection.objects.get(store=order.store)) as client:
        created, adopted = _write_parcels(client, order, pending)
        return WriteBack(created, adopted, _set_status(client, order))


def _write_parcels(client, order: Order, pending: list[Parcel]) -> tuple[int, int]:
    """One shipment per tracking number and address, unless BigCommerce already has its items shipped."""
    shipped = _already_shipped(client, order)
    created = adopted = 0
    for (tracking, address), parcels in _groups(pending).items():
        items = _unshipped_items(parcels, shipped)
        if not items:
            adopted += 1
            _mark(parcels, "")
            continue
        shipment = client.create_shipment(
            int(order.external_id), _shipment(address, tracking, parcels, items)
        )
        created += 1
        _mark(parcels, str(shipment.id))
        events.record(
            Event.SHIPMENT_WRITTEN_BACK,
            f"BigCommerce shipment {shipment.id} created (tracking {tracking})",
            ACTOR,
            store=order.store,
            order=order,
            shipment_id=shipment.id,
        )
    return created, adopted


def _already_shipped(client, order: Order) -> dict[int, int]:
    """order_product_id → quantity already in a shipment at BigCommerce."""
    totals: dict[int, int] = defaultdict(int)
    for shipment in client.list_shipments(int(order.external_id)):
        for item in shipment.items:
            totals[item.order_product_id] += item.quantity
    return totals


def _groups(parcels: list[Parcel]) -> dict[tuple[str, str], list[Parcel]]:
    groups: dict[tuple[str, str], list[Parcel]] = defaultdict(list)
    for parcel in parcels:
        groups[(parcel.tracking_code, parcel.item.address_ref)].append(parcel)
    return groups


def _unshipped_items(parcels: list[Parcel], shipped: dict[int, int]) -> tuple[ShipmentItem, ...]:
    items = []
    for parcel in parcels:
        product_id = int(parcel.item.external_id)
        left = parcel.item.quantity - shipped.get(product_id, 0)
        if left > 0:
            items.append(ShipmentItem(product_id, left))
            shipped[product_id] = shipped.get(product_id, 0) + left
    return tuple(items)


def _shipment(address: str, tracking: str, parcels: list[Parcel], items) -> NewShipment:
    first = parcels[0]
    slug = carrier_slug(first.carrier_uid, first.carrier)
    return NewShipment(
        order_address_id=int(address),
        items=items,
        tracking_number=tracking[:50],
        tracking_carrier=slug,
        tracking_link="" if slug else first.tracking_url[:500],
        shipping_method=first.carrier[:100],
    )


def _mark(parcels: list[Parcel], shipment_id: str) -> None:
    with transaction.atomic():
        Parcel.objects.filter(pk__in=[p.pk for p in parcels]).update(
            written_back_at=timezone.now(), store_shipment_id=shipment_id
        )


def _set_status(client, order: Order) -> int | None:
    """Shipped when BigCommerce counts every item shipped, else Partially Shipped — unless the store is there."""
    current = client.get_order(int(order.external_id))
    everything = current.items_shipped is not None and current.items_shipped >= current.items_total
    wanted = SHIPPED if everything else PARTIALLY_SHIPPED
    if current.status_id in (SHIPPED, wanted):
        return None
    client.update_order_status(int(order.external_id), wanted)
    return wanted
