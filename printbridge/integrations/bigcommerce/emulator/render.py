"""Response shapes computed at read time: order resource links and consignments (object and legacy)."""

from __future__ import annotations

import copy

from .formats import number

LINE_ITEM_CAP = 50
CAP_WARNING = {
    "message": (
        "Not all line items of this consignment are returned with this response, only 50 are included. "
        "Use the /orders/{order_id}/products endpoint to get all line items."
    )
}
ADDRESS_KEYS = (
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
COST_KEYS = ("base_cost", "cost_ex_tax", "cost_inc_tax", "cost_tax")
HANDLING_KEYS = ("base_handling_cost", "handling_cost_ex_tax", "handling_cost_inc_tax", "handling_cost_tax")


def resource(base_url: str, path: str) -> dict:
    return {"url": f"{base_url}/v2{path}", "resource": path}


def order_body(store, order_id: int, include: set[str], object_structure: bool) -> dict:
    """GET /v2/orders/{id} (and each list element) with the asked-for `include`."""
    body = copy.deepcopy(store.orders[order_id])
    base = store.base_url
    body["products"] = resource(base, f"/orders/{order_id}/products")
    body["shipping_addresses"] = resource(base, f"/orders/{order_id}/shipping_addresses")
    body["coupons"] = resource(base, f"/orders/{order_id}/coupons")
    with_items = "consignments.line_items" in include
    if not (with_items or "consignments" in include):
        body["consignments"] = resource(base, f"/orders/{order_id}/consignments")
    elif object_structure:
        body["consignments"] = consignments(store, order_id, with_items)
    else:
        body["consignments"] = legacy_consignments(consignments(store, order_id, with_items))
    return body


def consignments(store, order_id: int, with_line_items: bool) -> dict:
    """`consignment_structure=object`: {pickups, shipping, downloads, email: {gift_certificates}}."""
    products = store.order_products[order_id]
    if store.faults.line_items_are_empty(store.store_hash, order_id):
        products = []
    lines = _line_items_maker(store, order_id, with_line_items)
    shipping = [
        _shipping(
            address, lines([p for p in products if p["order_address_id"] == address["id"]]), store, order_id
        )
        for address in store.shipping_addresses[order_id]
    ]
    email = store.orders[order_id]["billing_address"]["email"]
    downloads = [p for p in products if p["type"] == "digital"]
    gifts = [p for p in products if p["type"] == "giftcertificate"]
    return {
        "pickups": [],
        "shipping": shipping,
        "downloads": [_recipient(email, lines(downloads))] if downloads else [],
        "email": {"gift_certificates": [_recipient(email, lines(gifts))] if gifts else []},
    }


def _line_items_maker(store, order_id: int, full: bool):
    def make(rows: list[dict]) -> tuple[list[dict], bool]:
        capped = rows[:LINE_ITEM_CAP]
        if full:
            items = copy.deepcopy(capped)
        else:
            items = [resource(store.base_url, f"/orders/{order_id}/products/{row['id']}") for row in capped]
        return items, len(rows) > LINE_ITEM_CAP

    return make


def _with_warning(body: dict, truncated: bool) -> dict:
    if truncated:
        body["__warning__"] = dict(CAP_WARNING)
    return body


def _recipient(email: str, lines: tuple[list[dict], bool]) -> dict:
    items, truncated = lines
    return _with_warning({"recipient_email": email, "line_items": items}, truncated)


def _shipping(address: dict, lines: tuple[list[dict], bool], store, order_id: int) -> dict:
    items, truncated = lines
    quotes = f"/orders/{order_id}/consignments/shipping/{address['id']}/shipping_quotes"
    body = {
        "id": address["id"],
        **{key: address[key] for key in ADDRESS_KEYS},
        "form_fields": [],
        "shipping_method": address["shipping_method"],
        "line_items": items,
        "items_total": address["items_total"],
        "items_shipped": address["items_shipped"],
        **{key: number(address[key]) for key in (*COST_KEYS, *HANDLING_KEYS)},
        "cost_tax_class_id": address["cost_tax_class_id"],
        "handling_cost_tax_class_id": address["handling_cost_tax_class_id"],
        "shipping_zone_id": address["shipping_zone_id"],
        "shipping_zone_name": address["shipping_zone_name"],
        "shipping_quotes": {"url": f"{store.base_url}/v2{quotes}", "resource": quotes},
    }
    return _with_warning(body, truncated)


def legacy_consignments(structured: dict) -> list[dict]:
    """Without `consignment_structure=object`: one single-key object per consignment (legacy array shape)."""
    result = [{"pickup": c} for c in structured["pickups"]]
    result += [{"shipping": c} for c in structured["shipping"]]
    result += [{"downloads": c} for c in structured["downloads"]]
    result += [{"email": c} for c in structured["email"]["gift_certificates"]]
    return result


PRODUCT_INCLUDES = ("variants", "options", "images")


def product_body(product: dict, include: set[str]) -> dict:
    """A Catalog V3 product; `variants`, `options` and `images` only when included."""
    body = {key: value for key, value in product.items() if key not in PRODUCT_INCLUDES}
    for key in PRODUCT_INCLUDES:
        if key in include:
            body[key] = copy.deepcopy(product.get(key, []))
    return body
