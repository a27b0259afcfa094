"""What the Gelato client sends and returns: frozen dataclasses. JSON -> dataclasses lives in parsing.py.

Shapes follow ../shared/reference/gelato-and-peers.md §4 (Order API v4) and §5 (Product API v3). Statuses stay
plain strings: Gelato adds values over time (`in_production`, 2024), and an unknown one must not make an order
unreadable. `FulfillmentStatus` names the documented ones for comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

ORDER_TYPES = frozenset({"order", "draft"})


class FulfillmentStatus(StrEnum):
    CREATED = "created"
    UPLOADING = "uploading"
    PASSED = "passed"
    IN_PRODUCTION = "in_production"
    PRINTED = "printed"
    SHIPPED = "shipped"
    DRAFT = "draft"
    FAILED = "failed"
    CANCELED = "canceled"
    PENDING_APPROVAL = "pending_approval"
    PENDING_PERSONALIZATION = "pending_personalization"
    DIGITIZING = "digitizing"


@dataclass(frozen=True)
class Address:
    """`shippingAddress` of a v4 order. Every key is sent, empty optional ones as ""."""

    first_name: str
    last_name: str
    address_line1: str
    city: str
    post_code: str
    country: str  # ISO 3166-1 alpha-2 ("GB", not "UK")
    email: str
    company_name: str = ""
    address_line2: str = ""
    state: str = ""  # required by Gelato for US, CA and AU
    phone: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "companyName": self.company_name,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "addressLine1": self.address_line1,
            "addressLine2": self.address_line2,
            "state": self.state,
            "city": self.city,
            "postCode": self.post_code,
            "country": self.country,
            "email": self.email,
            "phone": self.phone,
        }


@dataclass(frozen=True)
class NewItem:
    item_reference_id: str  # our line id: webhooks and reads name items by it
    product_uid: str
    quantity: int
    files: tuple[
        tuple[str, str], ...
    ]  # (type, url), e.g. ("default", "https://..."), ("back", "https://...")

    def __post_init__(self) -> None:
        if not self.item_reference_id or not self.product_uid:
            raise ValueError("an item needs an item_reference_id and a product_uid")
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity < 1:
            raise ValueError(f"item {self.item_reference_id}: quantity must be a positive integer")

    def to_json(self) -> dict[str, Any]:
        return {
            "itemReferenceId": self.item_reference_id,
            "productUid": self.product_uid,
            "quantity": self.quantity,
            "files": [{"type": kind, "url": url} for kind, url in self.files],
        }


@dataclass(frozen=True)
class NewOrder:
    """`POST /v4/orders` body. There is no idempotency key: `order_reference_id` must be deterministic, and the
    caller looks it up (`find_by_reference`) before creating and after an ambiguous failure."""

    order_reference_id: str
    customer_reference_id: str
    currency: str
    items: tuple[NewItem, ...]
    shipping_address: Address
    shipment_method_uid: str = ""  # "" lets Gelato pick the cheapest method
    order_type: str = "order"  # or "draft": not produced, not charged

    def __post_init__(self) -> None:
        if not self.order_reference_id or not self.customer_reference_id:
            raise ValueError("an order needs an order_reference_id and a customer_reference_id")
        if self.order_type not in ORDER_TYPES:
            raise ValueError(f"order_type must be 'order' or 'draft', not {self.order_type!r}")
        if not self.items:
            raise ValueError(f"order {self.order_reference_id} has no items")
        references = [item.item_reference_id for item in self.items]
        if len(set(references)) != len(references):
            raise ValueError(f"order {self.order_reference_id}: item_reference_ids repeat: {references}")

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "orderType": self.order_type,
            "orderReferenceId": self.order_reference_id,
            "customerReferenceId": self.customer_reference_id,
            "currency": self.currency,
            "items": [item.to_json() for item in self.items],
        }
        if self.shipment_method_uid:
            body["shipmentMethodUid"] = self.shipment_method_uid
        body["shippingAddress"] = self.shipping_address.to_json()
        return body


@dataclass(frozen=True)
class Fulfillment:
    """One parcel of an item: from the item's `fulfillments[]` (webhooks) or the order's `shipment.packages[]`."""

    tracking_code: str
    tracking_url: str
    shipment_method_name: str
    shipment_method_uid: str


@dataclass(frozen=True)
class GelatoItem:
    id: str  # Gelato's item id; "" in a webhook, which names items only by item_reference_id
    item_reference_id: str
    fulfillment_status: str
    fulfillments: tuple[Fulfillment, ...]


@dataclass(frozen=True)
class GelatoOrder:
    id: str
    order_reference_id: str
    fulfillment_status: str
    financial_status: str
    items: tuple[GelatoItem, ...]


@dataclass(frozen=True)
class CatalogAttribute:
    uid: str  # productAttributeUid, e.g. "Orientation"
    title: str
    values: tuple[tuple[str, str], ...]  # (productAttributeValueUid, title), e.g. ("hor", "Landscape")


@dataclass(frozen=True)
class Catalog:
    uid: str  # catalogUid, e.g. "posters"
    title: str
    attributes: tuple[CatalogAttribute, ...]  # empty in the catalog list, which carries no attributes


@dataclass(frozen=True)
class CatalogProduct:
    """A product from `GET /v3/products/{uid}` or a search page; search results carry no country lists and no
    isPrintable/isStockable (empty tuples and None then)."""

    product_uid: str  # opaque: store it per connection as it is
    attributes: dict[str, str]
    weight: Decimal | None
    weight_unit: str
    supported_countries: tuple[str, ...]
    not_supported_countries: tuple[str, ...]
    is_printable: bool | None
    is_stockable: bool | None
    dimensions: dict[str, tuple[Decimal, str]] = field(default_factory=dict)  # {"Width": (297, "mm")}


@dataclass(frozen=True)
class ProductPage:
    products: tuple[CatalogProduct, ...]
    attribute_hits: dict[str, dict[str, int]]  # facet counts: {"Orientation": {"hor": 12, "ver": 9}}
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        """The offset of the next page; None after a short (last) page."""
        return self.offset + self.limit if len(self.products) >= self.limit else None
