"""BigCommerce JSON as the v2/v3 specs show it (orders.v2.oas2.yml examples), for the scripted stub server."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from printbridge.integrations.bigcommerce.payloads import Address, OrderProduct, ProductType

STORE_HASH = "abc123"
TOKEN = "token-abc"
WARNING = {
    "message": "Not all line items of this consignment are returned with this response, only 50 are included."
}
ADDRESS = {
    "first_name": "Trish",
    "last_name": "Smith",
    "company": "Acme Pty Ltd",
    "street_1": "666 Sussex St",
    "street_2": "",
    "city": "Austin",
    "state": "Texas",
    "zip": "78751",
    "country": "United States",
    "country_iso2": "US",
    "phone": "555-123-4567",
    "email": "trish@example.com",
}


def order_product(
    product_line_id: int,
    *,
    order_id: int = 101,
    quantity: int = 1,
    sku: str = "MUG-11",
    product_type: str = "physical",
    variant_id: int | None = 501,
) -> dict[str, Any]:
    line: dict[str, Any] = {
        "id": product_line_id,
        "order_id": order_id,
        "product_id": 77,
        "order_address_id": 9,
        "order_pickup_method_id": 0,
        "name": "Mug 11oz",
        "sku": sku,
        "type": product_type,
        "base_price": "12.5000",
        "price_inc_tax": "13.7500",
        "total_inc_tax": f"{13.75 * quantity:.4f}",
        "quantity": quantity,
        "quantity_shipped": 0,
        "parent_order_product_id": None,
        "product_options": [
            {
                "id": 45,
                "display_name": "Size",
                "display_value": "11oz",
                "value": "69",
                "type": "Multiple choice",
            },
            {"id": 47, "display_name": "Name", "display_value": "Ana", "value": "Ana", "type": "Text field"},
        ],
    }
    if variant_id is not None:
        line["variant_id"] = variant_id
    return line


def shipping_consignment(lines: list[dict[str, Any]], *, warning: bool = False) -> dict[str, Any]:
    consignment = {
        "id": 9,
        **ADDRESS,
        "form_fields": [],
        "shipping_method": "Free Shipping",
        "line_items": lines,
        "items_total": sum(line["quantity"] for line in lines),
        "items_shipped": 0,
        "base_cost": 5.1,
    }
    return {**consignment, "__warning__": WARNING} if warning else consignment


def order(
    order_id: int = 101,
    *,
    lines: list[dict[str, Any]] | None = None,
    items_total: int | None = None,
    warning: bool = False,
    date_modified: str = "Tue, 01 Dec 2026 12:00:00 +0000",
    status_id: int = 11,
) -> dict[str, Any]:
    lines = [order_product(1, order_id=order_id, quantity=2)] if lines is None else lines
    return {
        "id": order_id,
        "customer_id": 11,
        "channel_id": 1,
        "date_created": "Tue, 01 Dec 2026 11:58:07 +0000",
        "date_modified": date_modified,
        "date_shipped": "",
        "status_id": status_id,
        "status": "Awaiting Fulfillment",
        "custom_status": "Awaiting Fulfillment",
        "subtotal_inc_tax": "27.5000",
        "total_ex_tax": "25.0000",
        "total_inc_tax": "32.5000",
        "items_total": sum(line["quantity"] for line in lines) if items_total is None else items_total,
        "items_shipped": 0,
        "payment_status": "captured",
        "currency_code": "EUR",
        "default_currency_code": "USD",
        "is_deleted": False,
        "order_source": "www",
        "customer_message": "",
        "billing_address": {**ADDRESS, "first_name": "Jane", "last_name": "Doe", "form_fields": []},
        "consignments": {
            "pickups": [],
            "shipping": [shipping_consignment(lines, warning=warning)],
            "downloads": [],
            "email": {"gift_certificates": []},
        },
    }


def rate_limit_headers(left: int = 149, reset_ms: int = 12000) -> dict[str, str]:
    return {
        "x-rate-limit-time-window-ms": "30000",
        "x-rate-limit-time-reset-ms": str(reset_ms),
        "x-rate-limit-requests-quota": "150",
        "x-rate-limit-requests-left": str(left),
    }


# What the client should make of the JSON above.

ORDERS_QUERY = "include=consignments.line_items&consignment_structure=object&limit=250&page=1"
ORDER_101 = "/stores/abc123/v2/orders/101?include=consignments.line_items&consignment_structure=object"
PRODUCTS_101 = "/stores/abc123/v2/orders/101/products?limit=250&page=1"
SHIPPING = Address(
    "Trish", "Smith", "Acme Pty Ltd", "666 Sussex St", "", "Austin", "Texas", "78751", "United States", "US",
    "555-123-4567", "trish@example.com",
)  # fmt: skip


def expected_mug(line_id: int, quantity: int = 1) -> OrderProduct:
    return OrderProduct(
        id=line_id,
        order_id=101,
        product_id=77,
        variant_id=501,
        order_address_id=9,
        order_pickup_method_id=0,
        name="Mug 11oz",
        sku="MUG-11",
        type=ProductType.PHYSICAL,
        quantity=quantity,
        quantity_shipped=0,
        base_price=Decimal("12.5000"),
        price_inc_tax=Decimal("13.7500"),
        total_inc_tax=Decimal(f"{13.75 * quantity:.4f}"),
        product_options=(("Size", "11oz"), ("Name", "Ana")),
        parent_order_product_id=None,
    )
