"""Order JSON without state: validating POST /v4/orders and PATCH bodies, the order as GET /v4/orders/{id}
returns it, the PATCH that turns a draft into an order, and the search filter and summaries."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from printbridge.integrations.bigcommerce.emulator.routes import ApiError

from . import production
from .catalog import Product

ORDER_TYPES = ("order", "draft")
CURRENCIES = ("AUD", "BRL", "CAD", "CHF", "CZK", "DKK", "EUR", "GBP", "INR", "JPY", "MXN", "NOK", "NZD", "PLN",
              "SEK", "SGD", "USD")  # fmt: skip
ADDRESS_REQUIRED = ("firstName", "lastName", "addressLine1", "city", "postCode", "country")
ADDRESS_OPTIONAL = ("companyName", "addressLine2", "state", "email", "phone")
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
SHIPPING_PRICE = {"express": Decimal("15.00")}
STANDARD_SHIPPING_PRICE = Decimal("5.00")
SEARCH_LISTS = {
    "ids": "id",
    "orderReferenceIds": "orderReferenceId",
    "orderTypes": "orderType",
    "fulfillmentStatuses": "fulfillmentStatus",
    "financialStatuses": "financialStatus",
    "currencies": "currency",
    "channels": "channel",
}
MAX_SEARCH_LIMIT = 100

Errors = dict[str, str]  # field → message, in the order found


def invalid(errors: Errors) -> ApiError:
    """A 400 whose message is the first problem; `details` lists every one."""
    return ApiError(400, next(iter(errors.values())), errors)


def _text(body: Mapping, key: str, errors: Errors, where: str = "") -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        errors[f"{where}{key}"] = f"{where}{key} is required and must be a non-empty string."
        return ""
    return value


def validate_new_order(body: dict, products: Mapping[str, Product]) -> None:
    """Raise a 400 ApiError naming every problem with a POST /v4/orders body."""
    errors: Errors = {}
    order_type = body.get("orderType", "order")
    if order_type not in ORDER_TYPES:
        errors["orderType"] = f"orderType must be 'order' or 'draft', not {order_type!r}."
    _text(body, "orderReferenceId", errors)
    _text(body, "customerReferenceId", errors)
    if body.get("currency") not in CURRENCIES:
        errors["currency"] = f"currency must be one of {', '.join(CURRENCIES)}, not {body.get('currency')!r}."
    if not isinstance(body.get("shipmentMethodUid", ""), str):
        errors["shipmentMethodUid"] = "shipmentMethodUid must be a string."
    country = _check_address(body.get("shippingAddress"), errors)
    _check_items(body.get("items"), products, order_type != "draft", errors)
    if country and not errors:
        _check_destination(body["items"], country, products, errors)
    if errors:
        raise invalid(errors)


def _check_address(address: Any, errors: Errors) -> str:
    if not isinstance(address, dict):
        errors["shippingAddress"] = "shippingAddress is required and must be an object."
        return ""
    for key in ADDRESS_REQUIRED:
        _text(address, key, errors, "shippingAddress.")
    for key in ADDRESS_OPTIONAL:
        if not isinstance(address.get(key, ""), str):
            errors[f"shippingAddress.{key}"] = f"shippingAddress.{key} must be a string."
    country = address.get("country")
    if isinstance(country, str) and country.strip() and not COUNTRY_CODE.match(country):
        errors["shippingAddress.country"] = (
            f"shippingAddress.country must be a two-letter ISO 3166-1 code in capitals such as 'US', "
            f"not {country!r}."
        )
        return ""
    return country if isinstance(country, str) else ""


def _check_items(items: Any, products: Mapping[str, Product], need_files: bool, errors: Errors) -> None:
    if not isinstance(items, list) or not items:
        errors["items"] = "items is required and must be a non-empty array."
        return
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"items[{index}]."
        if not isinstance(item, dict):
            errors[f"items[{index}]"] = f"items[{index}] must be an object."
            continue
        reference = _text(item, "itemReferenceId", errors, where)
        if reference and reference in seen:
            errors[f"{where}itemReferenceId"] = f"{where}itemReferenceId {reference!r} is used twice."
        seen.add(reference)
        uid = _text(item, "productUid", errors, where)
        if uid and uid not in products:
            errors[f"{where}productUid"] = f"{where}productUid {uid!r} is not a product in the catalog."
        quantity = item.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            errors[f"{where}quantity"] = f"{where}quantity must be an integer of at least 1."
        check_files(item.get("files"), need_files, errors, where)


def check_files(files: Any, required: bool, errors: Errors, where: str) -> None:
    if files is None and not required:
        return
    if not isinstance(files, list) or (required and not files):
        errors[f"{where}files"] = f"{where}files must be a non-empty array of {{type, url}} objects."
        return
    for index, file in enumerate(files):
        ok = isinstance(file, dict) and isinstance(file.get("type"), str) and bool(file["type"])
        if not ok or not re.match(r"^https?://\S+$", str(file.get("url", ""))):
            errors[f"{where}files[{index}]"] = f"{where}files[{index}] needs a 'type' and an http(s) 'url'."


def _check_destination(
    items: list[dict], country: str, products: Mapping[str, Product], errors: Errors
) -> None:
    for index, item in enumerate(items):
        if not products[item["productUid"]].ships_to(country):
            errors[f"items[{index}].productUid"] = (
                f"Product {item['productUid']} cannot be shipped to {country}: the country is not supported "
                "for this product (see supportedCountries in GET /v3/products/{productUid})."
            )


def build_order(body: dict, new_id: Callable[[], str], now: str, products: Mapping[str, Product]) -> dict:
    """The order as GET /v4/orders/{id} returns it, for a validated POST body."""
    draft = body.get("orderType", "order") == "draft"
    status = "draft" if draft else "created"
    order_id = new_id()
    items = [_item(raw, new_id(), status) for raw in body["items"]]
    return {
        "id": order_id,
        "orderType": "draft" if draft else "order",
        "orderReferenceId": body["orderReferenceId"],
        "customerReferenceId": body["customerReferenceId"],
        "fulfillmentStatus": status,
        "financialStatus": "draft" if draft else "pending",
        "currency": body["currency"],
        "channel": "api",
        "storeId": None,
        "connectedOrderIds": [],
        "createdAt": now,
        "updatedAt": now,
        "orderedAt": None if draft else now,
        "items": items,
        "shipment": _shipment(body, new_id(), items, products),
        "shippingAddress": _address(body["shippingAddress"], new_id(), order_id),
        "returnAddress": body.get("returnAddress") if isinstance(body.get("returnAddress"), dict) else None,
        "metadata": body.get("metadata") if isinstance(body.get("metadata"), list) else [],
    }


def _item(raw: dict, item_id: str, status: str) -> dict:
    return {
        "id": item_id,
        "itemReferenceId": raw["itemReferenceId"],
        "productUid": raw["productUid"],
        "files": [{"type": f["type"], "url": f["url"]} for f in raw.get("files") or []],
        "processedFileUrl": None,
        "quantity": raw["quantity"],
        "fulfillmentStatus": status,
        "fulfillments": [],
        "previews": [],
        "options": [],
    }


def _shipment(body: dict, shipment_id: str, items: list[dict], products: Mapping[str, Product]) -> dict:
    country = body["shippingAddress"]["country"]
    asked = body.get("shipmentMethodUid") or "normal"
    name, method_uid, _url, _prefix = production.carrier(country, asked)
    fulfillment_country, _province = production.hub(country)
    fastest, slowest = (1, 3) if asked == "express" else (3, 7) if fulfillment_country == country else (5, 12)
    weight = sum(products[item["productUid"]].weight_grams * item["quantity"] for item in items)
    return {
        "id": shipment_id,
        "shipmentMethodName": name,
        "shipmentMethodUid": method_uid,
        "fulfillmentCountry": fulfillment_country,
        "minDeliveryDays": fastest,
        "maxDeliveryDays": slowest,
        "totalWeight": round(weight, 3),
        "packageCount": 0,
        "packages": [],
    }


def _address(raw: dict, address_id: str, order_id: str) -> dict:
    fields = {key: raw.get(key, "") for key in (*ADDRESS_REQUIRED, *ADDRESS_OPTIONAL)}
    return {"id": address_id, "orderId": order_id, **fields, "isBusiness": False}


def validate_patch(order: dict, body: dict) -> None:
    """PATCH /v4/orders/{id}: only drafts; `orderType` may become "order"; `items[].files` may be replaced."""
    if order["orderType"] != "draft":
        raise ApiError(409, f"Order {order['id']} is not a draft: only draft orders can be patched.")
    errors: Errors = {}
    if body.get("orderType", "order") != "order":
        errors["orderType"] = "orderType can only be changed to 'order'."
    references = {item["itemReferenceId"] for item in order["items"]}
    patches = body.get("items", [])
    if not isinstance(patches, list):
        patches, errors["items"] = [], "items must be an array of {itemReferenceId, files}."
    for index, patch in enumerate(patches):
        where = f"items[{index}]."
        reference = patch.get("itemReferenceId") if isinstance(patch, dict) else None
        if reference not in references:
            errors[f"{where}itemReferenceId"] = f"{where}itemReferenceId {reference!r} is not in this order."
            continue
        check_files(patch.get("files"), False, errors, where)
    if errors:
        raise invalid(errors)
    if body.get("orderType") == "order":
        _check_files_before_ordering(order, patches)


def _check_files_before_ordering(order: dict, patches: list[dict]) -> None:
    replaced = {patch["itemReferenceId"] for patch in patches if patch.get("files")}
    errors: Errors = {}
    for index, item in enumerate(order["items"]):
        if not item["files"] and item["itemReferenceId"] not in replaced:
            errors[f"items[{index}].files"] = (
                f"items[{index}] needs files before the draft can become an order."
            )
    if errors:
        raise invalid(errors)


def apply_patch(order: dict, body: dict, now: str) -> bool:
    """Apply a validated PATCH; returns whether the draft became an order."""
    for patch in body.get("items", []):
        if patch.get("files") is not None:
            item = next(i for i in order["items"] if i["itemReferenceId"] == patch["itemReferenceId"])
            item["files"] = [{"type": f["type"], "url": f["url"]} for f in patch["files"]]
    order["updatedAt"] = now
    if body.get("orderType") != "order":
        return False
    order.update(orderType="order", fulfillmentStatus="created", financialStatus="pending", orderedAt=now)
    for item in order["items"]:
        item["fulfillmentStatus"] = "created"
    return True


def search_filter(body: dict) -> tuple[Callable[[dict], bool], int, int]:
    """(predicate, limit, offset) for POST /v4/orders:search; unknown keys are ignored."""
    wanted: dict[str, set[str]] = {}
    for key, field in SEARCH_LISTS.items():
        values = body.get(key)
        if values is None:
            continue
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ApiError(400, f"{key} must be an array of strings.")
        wanted[field] = set(values)
    countries = body.get("countries")
    if countries is not None and not (
        isinstance(countries, list) and all(isinstance(c, str) for c in countries)
    ):
        raise ApiError(400, "countries must be an array of strings.")
    reference = body.get("orderReferenceId")
    if reference is not None and not isinstance(reference, str):
        raise ApiError(400, "orderReferenceId must be a string.")
    limit, offset = body.get("limit", 50), body.get("offset", 0)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_SEARCH_LIMIT:
        raise ApiError(400, f"limit must be an integer from 1 to {MAX_SEARCH_LIMIT}.")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ApiError(400, "offset must be a non-negative integer.")

    def matches(order: dict) -> bool:
        if any(order[field] not in values for field, values in wanted.items()):
            return False
        if countries is not None and order["shippingAddress"]["country"] not in countries:
            return False
        return reference is None or order["orderReferenceId"] == reference

    return matches, limit, offset


def summary(order: dict, products: Mapping[str, Product]) -> dict:
    """An element of `orders` in the search answer (no items, as Gelato's v4 search documents)."""
    address = order["shippingAddress"]
    keys = ("id", "orderType", "orderReferenceId", "customerReferenceId", "fulfillmentStatus", "financialStatus",
            "currency", "channel", "storeId", "connectedOrderIds", "createdAt", "updatedAt", "orderedAt")  # fmt: skip
    return {
        **{key: order[key] for key in keys},
        "connectedOrderIds": list(order["connectedOrderIds"]),
        "country": address["country"],
        "firstName": address["firstName"],
        "lastName": address["lastName"],
        "itemsCount": len(order["items"]),
        "totalInclVat": _total(order, products),
    }


def _total(order: dict, products: Mapping[str, Product]) -> str:
    if order["orderType"] == "draft":
        return "0.00"
    goods = sum(
        (products[item["productUid"]].price * item["quantity"] for item in order["items"]), Decimal(0)
    )
    asked = "express" if order["shipment"]["shipmentMethodUid"] == production.EXPRESS[1] else ""
    return str((goods + SHIPPING_PRICE.get(asked, STANDARD_SHIPPING_PRICE)).quantize(Decimal("0.01")))
