"""Builders for Orders V2 objects: the order, its order products (line items) and shipping addresses."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .catalog import unit_price
from .formats import money, rfc2822

STATUSES = {
    0: "Incomplete",
    1: "Pending",
    2: "Shipped",
    3: "Partially Shipped",
    4: "Refunded",
    5: "Cancelled",
    6: "Declined",
    7: "Awaiting Payment",
    8: "Awaiting Pickup",
    9: "Awaiting Shipment",
    10: "Completed",
    11: "Awaiting Fulfillment",
    12: "Manual Verification Required",
    13: "Disputed",
    14: "Partially Refunded",
}
DEFAULT_CUSTOMER = {
    "customer_id": 0,
    "first_name": "Jane",
    "last_name": "Doe",
    "email": "jane.doe@example.com",
    "phone": "555-123-4567",
}
DEFAULT_ADDRESS = {
    "company": "",
    "street_1": "455 Main Street",
    "street_2": "",
    "city": "Austin",
    "state": "Texas",
    "zip": "78751",
    "country": "United States",
    "country_iso2": "US",
}
ORDER_PRODUCT_DEFAULTS = {
    "base_cost_price": money(0),
    "cost_price_inc_tax": money(0),
    "cost_price_ex_tax": money(0),
    "cost_price_tax": money(0),
    "width": money(0),
    "height": money(0),
    "depth": money(0),
    "is_refunded": False,
    "quantity_refunded": 0,
    "refund_amount": money(0),
    "return_id": 0,
    "wrapping_id": 0,
    "wrapping_name": None,
    "base_wrapping_cost": money(0),
    "wrapping_cost_ex_tax": money(0),
    "wrapping_cost_inc_tax": money(0),
    "wrapping_cost_tax": money(0),
    "wrapping_message": "",
    "event_name": None,
    "event_date": None,
    "fixed_shipping_cost": money(0),
    "ebay_item_id": "",
    "ebay_transaction_id": "",
    "option_set_id": None,
    "parent_order_product_id": None,
    "is_bundled_product": False,
    "bin_picking_number": "",
    "external_id": None,
    "brand": "",
    "applied_discounts": [],
    "configurable_fields": [],
}
ORDER_DEFAULTS = {
    "date_shipped": "",
    "is_tax_inclusive_pricing": False,
    "payment_provider_id": "",
    "refunded_amount": money(0),
    "store_credit_amount": money(0),
    "gift_certificate_amount": money(0),
    "ip_address": "127.0.0.1",
    "ip_address_v6": "",
    "geoip_country": "United States",
    "geoip_country_iso2": "US",
    "currency_id": 1,
    "currency_code": "USD",
    "currency_exchange_rate": "1.0000000000",
    "default_currency_id": 1,
    "default_currency_code": "USD",
    "store_default_currency_code": "USD",
    "store_default_to_transactional_exchange_rate": "1.0000000000",
    "staff_notes": "",
    "discount_amount": money(0),
    "coupon_discount": money(0),
    "is_deleted": False,
    "ebay_order_id": "0",
    "is_email_opt_in": False,
    "credit_card_type": None,
    "order_source": "www",
    "external_source": None,
    "external_id": None,
    "external_merchant_id": None,
    "external_order_id": "",
    "tax_provider_id": "BasicTaxProvider",
    "customer_locale": "en",
}
SHIPPING_COST = Decimal("5.00")
KINDS = ("physical", "digital", "giftcertificate")


@dataclass(frozen=True)
class Line:
    """One line of a new order. Tuples `(product_id, variant_id, quantity)` convert to this."""

    product_id: int
    variant_id: int | None = None
    quantity: int = 1
    address: int = 0  # index into the order's shipping addresses (physical lines only)
    kind: str = "physical"  # physical | digital | giftcertificate
    name: str | None = None  # custom products (product_id 0) and gift certificates
    sku: str = ""
    price: str | None = None
    personalisation: str | None = None  # a "Text field" product option
    upload: str | None = None  # a "File Upload" product option: the customer's original file name


def as_line(value: Line | tuple | list | dict) -> Line:
    if isinstance(value, Line):
        return value
    if isinstance(value, dict):
        return Line(**value)
    return Line(*value)


def customer_fields(customer: dict | None) -> dict:
    return {**DEFAULT_CUSTOMER, **(customer or {})}


def address_fields(customer: dict, address: dict | None) -> dict:
    names = {key: customer[key] for key in ("first_name", "last_name", "email", "phone")}
    return {**names, **DEFAULT_ADDRESS, **(address or {})}


def shipping_address(address_id: int, order_id: int, fields: dict, base_url: str) -> dict:
    quotes = f"/orders/{order_id}/shipping_addresses/{address_id}/shipping_quotes"
    return {
        "id": address_id,
        "order_id": order_id,
        **{key: fields[key] for key in (*DEFAULT_ADDRESS, "first_name", "last_name", "email", "phone")},
        "items_total": 0,
        "items_shipped": 0,
        "shipping_method": fields.get("shipping_method", "Flat Rate"),
        "base_cost": money(SHIPPING_COST),
        "cost_ex_tax": money(SHIPPING_COST),
        "cost_inc_tax": money(SHIPPING_COST),
        "cost_tax": money(0),
        "cost_tax_class_id": 2,
        "base_handling_cost": money(0),
        "handling_cost_ex_tax": money(0),
        "handling_cost_inc_tax": money(0),
        "handling_cost_tax": money(0),
        "handling_cost_tax_class_id": 2,
        "shipping_zone_id": 1,
        "shipping_zone_name": "United States",
        "form_fields": [],
        "shipping_quotes": {"url": base_url + "/v2" + quotes, "resource": quotes},
    }


def order_product(product_row_id: int, order_id: int, line: Line, address_id: int, catalog: dict) -> dict:
    """An order product (`orderProducts`); `catalog` maps product id to the seeded product."""
    product, variant = _catalog_item(line, catalog)
    price = Decimal(line.price) if line.price is not None else unit_price(variant) if variant else Decimal(0)
    name = line.name or (product["name"] if product else "Custom item")
    row = {
        "id": product_row_id,
        "order_id": order_id,
        "product_id": line.product_id,
        "order_pickup_method_id": 0,
        "order_address_id": address_id,
        "name": name,
        "name_customer": name,
        "name_merchant": name,
        "sku": line.sku or (variant["sku"] if variant else ""),
        "upc": "",
        "type": line.kind,
        "quantity": line.quantity,
        "quantity_shipped": 0,
        "product_options": _product_options(product_row_id, variant, line),
        **_prices(price, line.quantity),
        **_constant_product_fields(product),
    }
    if variant is not None:
        row["variant_id"] = variant["id"]
    if line.kind == "giftcertificate":
        row["gift_certificate_id"] = product_row_id + 7000
    return row


def _catalog_item(line: Line, catalog: dict) -> tuple[dict | None, dict | None]:
    if line.kind not in KINDS:
        raise ValueError(f"line kind must be one of {KINDS}, not {line.kind!r}")
    if line.quantity < 1:
        raise ValueError("line quantity must be at least 1")
    if line.product_id == 0:
        return None, None
    product = catalog.get(line.product_id)
    if product is None:
        raise ValueError(f"product {line.product_id} is not in the catalog")
    variants = product["variants"]
    wanted = line.variant_id if line.variant_id is not None else variants[0]["id"]
    variant = next((v for v in variants if v["id"] == wanted), None)
    if variant is None:
        raise ValueError(f"variant {line.variant_id} does not belong to product {line.product_id}")
    return product, variant


def _prices(price: Decimal, quantity: int) -> dict:
    total = price * quantity
    return {
        "base_price": money(price),
        "price_ex_tax": money(price),
        "price_inc_tax": money(price),
        "price_tax": money(0),
        "base_total": money(total),
        "total_ex_tax": money(total),
        "total_inc_tax": money(total),
        "total_tax": money(0),
        "discounted_total_inc_tax": money(total),
    }


def _constant_product_fields(product: dict | None) -> dict:
    return {"weight": product["weight"] if product else 0, **copy.deepcopy(ORDER_PRODUCT_DEFAULTS)}


def _product_options(row_id: int, variant: dict | None, line: Line) -> list[dict]:
    options = [
        _option(
            row_id, index, value["option_display_name"], value["label"], str(value["id"]), "Multiple choice"
        )
        for index, value in enumerate(variant["option_values"] if variant else [])
    ]
    if line.personalisation is not None:
        options.append(
            _option(row_id, len(options), "Personalisation", line.personalisation, None, "Text field")
        )
    if line.upload is not None:
        value = file_upload_value(line.upload)
        options.append(_option(row_id, len(options), "Your artwork", line.upload, value, "File Upload"))
    return options


def _option(row_id: int, index: int, name: str, display: str, value: str | None, kind: str) -> dict:
    option_id = row_id * 10 + index
    return {
        "id": option_id,
        "option_id": 30 + index,
        "order_product_id": row_id,
        "product_option_id": 100 + index,
        "display_name": name,
        "display_name_customer": name,
        "display_name_merchant": name,
        "display_value": display,
        "display_value_customer": display,
        "display_value_merchant": display,
        "value": value if value is not None else display,
        "type": kind,
        "name": name,
        "display_style": "Rectangle" if kind == "Multiple choice" else "",
    }


def file_upload_value(original_name: str) -> str:
    """The JSON string BigCommerce stores as the value of a File Upload option."""
    return json.dumps(
        {"originalName": original_name, "temporaryPath": "tmp_" + original_name, "path": original_name}
    )


def new_order(order_id: int, status_id: int, customer: dict, now: datetime, channel_id: int) -> dict:
    """The order object (`order_Resp`) without the computed totals (see `recompute`)."""
    unpaid = status_id in (0, 7)
    stamp = rfc2822(now)
    billing = address_fields(customer, customer.get("billing_address"))
    return {
        "id": order_id,
        "customer_id": customer["customer_id"],
        "date_created": stamp,
        "date_modified": stamp,
        "status_id": status_id,
        "status": STATUSES[status_id],
        "custom_status": STATUSES[status_id],
        **_zero_costs(),
        "payment_method": "Bank Deposit" if unpaid else "Credit Card",
        "payment_status": _payment_status(status_id),
        "customer_message": customer.get("message", ""),
        "cart_id": f"00000000-0000-4000-8000-{order_id:012d}",
        "billing_address": {**billing, "form_fields": []},
        "channel_id": channel_id,
        **ORDER_DEFAULTS,
    }


def _zero_costs() -> dict:
    fields: dict[str, str | int] = {}
    for kind in ("shipping", "handling", "wrapping"):
        fields[f"base_{kind}_cost"] = money(0)
        for suffix in ("ex_tax", "inc_tax", "tax"):
            fields[f"{kind}_cost_{suffix}"] = money(0)
        fields[f"{kind}_cost_tax_class_id"] = 2
    return fields


def _payment_status(status_id: int) -> str:
    return {0: "", 1: "pending", 7: "pending", 4: "refunded", 5: "void", 6: "declined"}.get(
        status_id, "captured"
    )


def apply_status(order: dict, status_id: int) -> None:
    order["status_id"] = status_id
    order["status"] = order["custom_status"] = STATUSES[status_id]
    order["payment_status"] = _payment_status(status_id)


def recompute(order: dict, products: list[dict], addresses: list[dict]) -> None:
    """Totals and item counts of an order and its addresses from its order products."""
    subtotal = sum((Decimal(p["total_inc_tax"]) for p in products), Decimal(0))
    shipping = SHIPPING_COST * len(addresses)
    total = subtotal + shipping
    for key in ("subtotal_ex_tax", "subtotal_inc_tax"):
        order[key] = money(subtotal)
    for key in ("base_shipping_cost", "shipping_cost_ex_tax", "shipping_cost_inc_tax"):
        order[key] = money(shipping)
    for key in ("total_ex_tax", "total_inc_tax"):
        order[key] = money(total)
    order["subtotal_tax"] = order["total_tax"] = money(0)
    order["items_total"] = sum(p["quantity"] for p in products)
    order["items_shipped"] = sum(p["quantity_shipped"] for p in products)
    order["shipping_address_count"] = len(addresses)
    order["order_is_digital"] = all(p["type"] != "physical" for p in products)
    for address in addresses:
        mine = [p for p in products if p["order_address_id"] == address["id"]]
        address["items_total"] = sum(p["quantity"] for p in mine)
        address["items_shipped"] = sum(p["quantity_shipped"] for p in mine)
