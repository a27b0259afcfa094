"""What the BigCommerce client returns: frozen dataclasses, built from JSON by parsing.py.

Dates are aware UTC datetimes (v2 sends RFC 2822, v3 ISO 8601); money is Decimal (v2 strings, v3 numbers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

# A consignment that returned only its first 50 line items carries this key (bigcommerce/docs#960).
TRUNCATION_WARNING_KEY = "__warning__"


class ProductType(StrEnum):
    PHYSICAL = "physical"
    DIGITAL = "digital"
    GIFT_CERTIFICATE = "giftcertificate"


class ConsignmentKind(StrEnum):
    SHIPPING = "shipping"
    PICKUP = "pickup"
    DOWNLOAD = "download"
    GIFT_CERTIFICATE = "gift_certificate"


class LineItemSource(StrEnum):
    CONSIGNMENTS = "consignments"  # embedded via include=consignments.line_items
    PRODUCTS = "products"  # read from GET /v2/orders/{id}/products


@dataclass(frozen=True)
class RateLimitState:
    time_window_ms: int | None
    time_reset_ms: int | None
    requests_quota: int | None
    requests_left: int | None


@dataclass(frozen=True)
class StoreInfo:
    store_hash: str
    store_id: int
    account_uuid: str
    name: str
    domain: str
    secure_url: str
    control_panel_base_url: str
    admin_email: str
    order_email: str
    status: str
    currency: str
    decimal_places: int | None
    weight_units: str
    dimension_units: str
    timezone: str
    plan_name: str
    plan_level: str
    plan_is_trial: bool
    default_channel_id: int | None


@dataclass(frozen=True)
class Address:
    first_name: str
    last_name: str
    company: str
    street_1: str
    street_2: str
    city: str
    state: str
    zip: str
    country: str
    country_iso2: str
    phone: str
    email: str


@dataclass(frozen=True)
class OrderProduct:
    id: int
    order_id: int
    product_id: int
    variant_id: int | None  # absent for custom products
    order_address_id: int
    order_pickup_method_id: int
    name: str
    sku: str
    type: ProductType
    quantity: int
    quantity_shipped: int
    base_price: Decimal
    price_inc_tax: Decimal | None
    total_inc_tax: Decimal | None
    product_options: tuple[tuple[str, str], ...]  # (display_name, display_value)
    parent_order_product_id: int | None


@dataclass(frozen=True)
class LineItem:
    kind: ConsignmentKind
    product: OrderProduct


@dataclass(frozen=True)
class ShippingConsignment:
    id: int
    address: Address
    shipping_method: str
    items_total: int | None
    items_shipped: int | None
    truncated: bool  # carried `__warning__`: only the first 50 line items came back


@dataclass(frozen=True)
class Order:
    id: int
    customer_id: int | None
    channel_id: int | None
    status_id: int
    status: str
    date_created: datetime
    date_modified: datetime
    date_shipped: datetime | None
    is_deleted: bool
    items_total: int
    items_shipped: int | None
    currency_code: str  # default_currency_code: the transactional currency
    subtotal_inc_tax: Decimal | None
    total_ex_tax: Decimal | None
    total_inc_tax: Decimal | None
    payment_status: str
    order_source: str
    customer_message: str
    billing_address: Address
    shipping_consignments: tuple[ShippingConsignment, ...]
    line_items: tuple[LineItem, ...]  # every consignment kind, flattened
    line_items_complete: bool  # no truncation warning, no empty list, quantities sum to items_total
    line_items_source: LineItemSource

    @property
    def line_quantity(self) -> int:
        return sum(line.product.quantity for line in self.line_items)


@dataclass(frozen=True)
class ShippingAddress:
    id: int
    order_id: int
    address: Address
    items_total: int | None
    items_shipped: int | None
    shipping_method: str


@dataclass(frozen=True)
class ShipmentItem:
    order_product_id: int
    quantity: int


@dataclass(frozen=True)
class NewShipment:
    """POST /v2/orders/{id}/shipments body. tracking_carrier: "" or a slug from tracking_carrier_values.csv."""

    order_address_id: int
    items: tuple[ShipmentItem, ...]
    tracking_number: str = ""
    tracking_carrier: str = ""
    shipping_provider: str = ""
    tracking_link: str = ""
    shipping_method: str = ""
    comments: str = ""

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "order_address_id": self.order_address_id,
            "items": [{"order_product_id": i.order_product_id, "quantity": i.quantity} for i in self.items],
            "tracking_number": self.tracking_number,
            "tracking_carrier": self.tracking_carrier,
            "shipping_provider": self.shipping_provider,
        }
        optional = {"tracking_link": self.tracking_link, "shipping_method": self.shipping_method}
        body.update({key: value for key, value in {**optional, "comments": self.comments}.items() if value})
        return body


@dataclass(frozen=True)
class Shipment:
    id: int
    order_id: int
    order_address_id: int
    date_created: datetime | None
    tracking_number: str
    tracking_carrier: str
    tracking_link: str
    generated_tracking_link: str
    shipping_provider: str
    shipping_method: str
    comments: str
    items: tuple[ShipmentItem, ...]


@dataclass(frozen=True)
class Variant:
    id: int
    product_id: int
    sku: str
    option_values: tuple[tuple[str, str], ...]  # (option_display_name, label)
    price: Decimal | None
    purchasing_disabled: bool


@dataclass(frozen=True)
class Product:
    id: int
    name: str
    type: str
    sku: str
    is_visible: bool
    date_modified: datetime | None
    base_variant_id: int | None
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class NewVariant:
    """A variant of POST /v3/catalog/products: BigCommerce makes the product's options from `option_values`."""

    sku: str
    option_values: tuple[tuple[str, str], ...]  # (option_display_name, label)
    price: Decimal | None = None  # None: the product's price

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "sku": self.sku,
            "option_values": [{"option_display_name": n, "label": label} for n, label in self.option_values],
        }
        if self.price is not None:
            body["price"] = float(self.price)
        return body


@dataclass(frozen=True)
class NewProduct:
    """POST /v3/catalog/products body. `weight` is in the store's weight units; no variants: one base variant
    with `sku`."""

    name: str
    price: Decimal
    weight: Decimal
    sku: str = ""
    type: str = "physical"
    description: str = ""
    is_visible: bool = True
    variants: tuple[NewVariant, ...] = ()

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "price": float(self.price),
            "weight": float(self.weight),
            "is_visible": self.is_visible,
        }
        optional = {"sku": self.sku, "description": self.description}
        body.update({key: value for key, value in optional.items() if value})
        if self.variants:
            body["variants"] = [variant.to_json() for variant in self.variants]
        return body


@dataclass(frozen=True)
class ProductImage:
    id: int
    product_id: int
    image_url: str
    url_standard: str
    is_thumbnail: bool


@dataclass(frozen=True)
class Hook:
    id: int
    scope: str
    destination: str
    is_active: bool
    headers: dict[str, str]
    created_at: datetime | None
    updated_at: datetime | None


def kind_of(product: OrderProduct) -> ConsignmentKind:
    """The consignment a product read from /products belongs to (the embedded form says so itself)."""
    if product.order_pickup_method_id:
        return ConsignmentKind.PICKUP
    if product.type is ProductType.DIGITAL:
        return ConsignmentKind.DOWNLOAD
    if product.type is ProductType.GIFT_CERTIFICATE:
        return ConsignmentKind.GIFT_CERTIFICATE
    return ConsignmentKind.SHIPPING
