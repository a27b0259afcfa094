"""BigCommerce order (the client's dataclass) → the core's IncomingOrder, and the paid gate."""

from __future__ import annotations

from enum import StrEnum

from printbridge.integrations.bigcommerce import payloads as bc
from printbridge.orders.incoming import IncomingItem, IncomingOrder
from printbridge.orders.rules import ItemType

CANCELLED_STATUS_IDS = frozenset({4, 5, 6})  # Refunded, Cancelled, Declined


class Gate(StrEnum):
    IMPORT = "import"  # paid: import (or update)
    CANCEL = "cancel"  # cancelled, refunded, declined or archived: cancel here if not yet fulfilled
    WAIT = "wait"  # not paid yet (or a state we do not import): nothing now; a later change brings it back


def gate(order: bc.Order, paid_status_ids: list[int]) -> Gate:
    if order.is_deleted or order.status_id in CANCELLED_STATUS_IDS:
        return Gate.CANCEL
    if order.status_id in paid_status_ids:
        return Gate.IMPORT
    return Gate.WAIT


def _item_type(line: bc.LineItem) -> ItemType:
    if line.product.type == bc.ProductType.DIGITAL or line.kind == bc.ConsignmentKind.DOWNLOAD:
        return ItemType.DIGITAL
    if (
        line.product.type == bc.ProductType.GIFT_CERTIFICATE
        or line.kind == bc.ConsignmentKind.GIFT_CERTIFICATE
    ):
        return ItemType.GIFT_CERTIFICATE
    return ItemType.PHYSICAL


def _variant_key(product: bc.OrderProduct) -> str:
    """A custom product (product_id 0) has no catalog variant: key it by SKU or name so it can be connected."""
    if product.product_id and product.variant_id:
        return str(product.variant_id)
    if product.product_id:
        return str(product.product_id)
    return f"custom:{product.sku or product.name}"[:64]


def _item(line: bc.LineItem) -> IncomingItem:
    p = line.product
    return IncomingItem(
        external_id=str(p.id),
        product_id=str(p.product_id) if p.product_id else f"custom:{p.sku or p.name}"[:64],
        variant_id=_variant_key(p),
        name=p.name[:300],
        quantity=p.quantity,
        sku=p.sku[:255],
        unit_price=p.base_price,
        options=tuple((name[:100], value[:200]) for name, value in p.product_options),
        item_type=_item_type(line),
        address_ref=str(p.order_address_id or ""),
    )


def _address(order: bc.Order) -> dict[str, str]:
    source = order.shipping_consignments[0].address if order.shipping_consignments else order.billing_address
    return {
        "first_name": source.first_name,
        "last_name": source.last_name,
        "company": source.company,
        "address1": source.street_1,
        "address2": source.street_2,
        "city": source.city,
        "state": source.state,
        "postal_code": source.zip,
        "country_code": source.country_iso2,
        "phone": source.phone,
        "email": source.email,
    }


def incoming_order(order: bc.Order) -> IncomingOrder:
    billing = order.billing_address
    return IncomingOrder(
        external_id=str(order.id),
        number=str(order.id),
        placed_at=order.date_created,
        currency=order.currency_code,
        items=tuple(_item(line) for line in order.line_items),
        customer_name=f"{billing.first_name} {billing.last_name}".strip()[:200],
        customer_email=billing.email,
        shipping_address=_address(order),
        subtotal=order.subtotal_inc_tax or 0,
        total=order.total_inc_tax or 0,
    )
