"""POST /v2/orders/{id}/shipments: validation against the order, the shipment object, its side effects."""

from __future__ import annotations

import csv
from importlib import resources
from typing import TypeGuard

from .formats import money, rfc2822, utcnow
from .orders import apply_status, recompute
from .routes import ApiError

PROVIDERS = {
    "": "",
    "auspost": "Australia Post",
    "canadapost": "Canada Post",
    "endicia": "Endicia",
    "usps": "USPS",
    "fedex": "FedEx",
    "royalmail": "Royal Mail",
    "ups": "UPS",
    "upsready": "UPS Ready",
    "upsonline": "UPS Online",
    "shipperhq": "ShipperHQ",
}
BILLING_KEYS = (
    "first_name",
    "last_name",
    "company",
    "street_1",
    "street_2",
    "city",
    "state",
    "zip",
    "country",
    "country_iso2",
    "phone",
    "email",
)


def _load_carriers() -> frozenset[str]:
    text = resources.files(__package__).joinpath("fixtures/tracking_carrier_values.csv").read_text("utf-8")
    rows = list(csv.reader(text.splitlines()))[1:]
    return frozenset(row[1] for row in rows if len(row) > 1)


TRACKING_CARRIERS = _load_carriers()


def create_shipment(store, order_id: int, body: dict) -> dict:
    """Validate `body` against the order, store the shipment, update quantities and status, fire events."""
    address = _address(store, order_id, body.get("order_address_id"))
    items = _items(store, order_id, address["id"], body.get("items"))
    _check_tracking(body)
    shipment = _shipment(store, order_id, address, items, body)
    store.shipments[order_id].append(shipment)
    store.emit("store/shipment/created", {"type": "shipment", "id": shipment["id"], "orderId": order_id})
    _apply(store, order_id, items)
    return shipment


def _address(store, order_id: int, address_id) -> dict:
    if not _is_int(address_id):
        raise ApiError(400, "The required field 'order_address_id' is missing or not an integer.")
    for address in store.shipping_addresses[order_id]:
        if address["id"] == address_id:
            return address
    raise ApiError(
        400, f"The field 'order_address_id' is invalid: order {order_id} has no address {address_id}."
    )


def _items(store, order_id: int, address_id: int, items) -> list[tuple[dict, int]]:
    if not isinstance(items, list) or not items:
        raise ApiError(400, "The required field 'items' is missing or empty.")
    rows = {row["id"]: row for row in store.order_products[order_id]}
    wanted: dict[int, int] = {}
    for item in items:
        product_id, quantity = _item_fields(item)
        row = rows.get(product_id)
        if row is None or row["order_address_id"] != address_id:
            raise ApiError(400, f"Order product {product_id} is not shipped to address {address_id}.")
        wanted[product_id] = wanted.get(product_id, 0) + quantity
    for product_id, quantity in wanted.items():
        row = rows[product_id]
        if quantity > row["quantity"] - row["quantity_shipped"]:
            raise ApiError(
                400, f"Quantity {quantity} of order product {product_id} exceeds what is left to ship."
            )
    return [(rows[product_id], quantity) for product_id, quantity in wanted.items()]


def _item_fields(item) -> tuple[int, int]:
    if not isinstance(item, dict):
        raise ApiError(400, "Each shipment item must be an object with 'order_product_id' and 'quantity'.")
    product_id, quantity = item.get("order_product_id"), item.get("quantity")
    if not (_is_int(product_id) and _is_int(quantity)):
        raise ApiError(400, "Each shipment item needs integer 'order_product_id' and 'quantity'.")
    if quantity < 1:
        raise ApiError(400, "Shipment item quantities must be at least 1.")
    return product_id, quantity


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_tracking(body: dict) -> None:
    limits = {"tracking_number": 50, "tracking_link": 500, "comments": 65535, "shipping_method": 250}
    for name, limit in limits.items():
        value = body.get(name, "")
        if not isinstance(value, str) or len(value) > limit:
            raise ApiError(400, f"The field '{name}' must be a string of at most {limit} characters.")
    provider = body.get("shipping_provider", "")
    if provider not in PROVIDERS and not (isinstance(provider, str) and provider.startswith("carrier_")):
        raise ApiError(400, f"The field 'shipping_provider' is invalid: {provider!r}.")
    carrier = body.get("tracking_carrier", "")
    if carrier != "" and carrier not in TRACKING_CARRIERS:
        raise ApiError(400, f"The field 'tracking_carrier' is invalid: {carrier!r}.")


def _shipment(store, order_id: int, address: dict, items: list[tuple[dict, int]], body: dict) -> dict:
    order = store.orders[order_id]
    provider, carrier = body.get("shipping_provider", ""), body.get("tracking_carrier", "")
    number, link = body.get("tracking_number", ""), body.get("tracking_link", "")
    return {
        "id": store.next_id("shipment"),
        "order_id": order_id,
        "customer_id": order["customer_id"],
        "order_address_id": address["id"],
        "date_created": rfc2822(utcnow()),
        "tracking_number": number,
        "merchant_shipping_cost": money(body.get("merchant_shipping_cost") or 0),
        "shipping_method": body.get("shipping_method", ""),
        "shipping_provider": provider,
        "tracking_carrier": carrier,
        "tracking_link": link,
        "comments": body.get("comments", ""),
        "billing_address": {key: order["billing_address"][key] for key in BILLING_KEYS},
        "shipping_address": {key: address[key] for key in BILLING_KEYS},
        "items": [
            {"order_product_id": row["id"], "product_id": row["product_id"], "quantity": quantity}
            for row, quantity in items
        ],
        "shipping_provider_display_name": PROVIDERS.get(provider, provider.replace("_", " ").title()),
        "generated_tracking_link": _generated_link(provider or carrier, number, link),
    }


def _generated_link(carrier: str, number: str, link: str) -> str:
    if link or not (carrier and number):
        return ""
    return f"https://track.aftership.com/{carrier}/{number}"


def _apply(store, order_id: int, items: list[tuple[dict, int]]) -> None:
    """Ship the quantities; the order moves to Shipped (2) or Partially Shipped (3)."""
    order, products = store.orders[order_id], store.order_products[order_id]
    for row, quantity in items:
        row["quantity_shipped"] += quantity
    recompute(order, products, store.shipping_addresses[order_id])
    physical = [row for row in products if row["type"] == "physical"]
    done = all(row["quantity_shipped"] >= row["quantity"] for row in physical)
    previous = order["status_id"]
    apply_status(order, 2 if done else 3)
    if done:
        order["date_shipped"] = rfc2822(utcnow())
    store.touch(order_id)
    store.emit("store/order/updated", {"type": "order", "id": order_id})
    if previous != order["status_id"]:
        status = {"previous_status_id": previous, "new_status_id": order["status_id"]}
        store.emit("store/order/statusUpdated", {"type": "order", "id": order_id, "status": status})
