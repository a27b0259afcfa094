"""Catalog V3 writes on a store's products: create a product with its variants inline, add an image by URL,
edit or delete a variant, rename an option value, delete a product.

The functions change the store's dicts and return the events to fire; `state.Store` holds the lock and fires
them. Errors are BigCommerce's: 422 `{status, title, type, errors}` for a missing or invalid field
(`"error.path.missing"` as BigCommerce says for an absent required field), 409 for a name or SKU that another
product or variant already uses (products_catalog.v3.yml: "duplicate unique values, such as name or SKU"),
404 for an unknown product, variant, option or value.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from .catalog import product_fields, variant_body
from .formats import iso8601
from .routes import ApiError

MAX_NAME = 250
MAX_SKU = 255
MAX_SKUS = 600
MAX_IMAGE_URL = 255
INVALID = "JSON data is missing or invalid"
OPTION_TYPE = "rectangles"
EDITABLE_PRODUCT = ("description", "is_visible", "categories", "inventory_tracking", "search_keywords")
EDITABLE_VARIANT = (
    "price",
    "weight",
    "purchasing_disabled",
    "purchasing_disabled_message",
    "upc",
    "mpn",
    "gtin",
)
Event = tuple[str, dict[str, Any]]


def product_event(scope: str, product_id: int) -> Event:
    return scope, {"type": "product", "id": product_id}


def sku_event(scope: str, variant: dict) -> Event:
    ids = {"product_id": variant["product_id"], "variant_id": variant["id"]}
    return scope, {"type": "sku", "id": variant["sku_id"], "sku": ids}


# --- validation --------------------------------------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _text_error(value: object, limit: int, required: bool) -> str | None:
    if value is None:
        return "error.path.missing" if required else None
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        return (
            f"must be a string of 1 to {limit} characters"
            if required
            else f"must be at most {limit} characters"
        )
    return None


def _product_errors(body: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field in ("name", "type", "weight", "price"):
        if body.get(field) is None:
            errors[field] = "error.path.missing"
    if "name" not in errors and (problem := _text_error(body["name"], MAX_NAME, True)):
        errors["name"] = problem
    if "type" not in errors and body["type"] not in ("physical", "digital"):
        errors["type"] = "must be one of physical, digital"
    for field in ("weight", "price"):
        if field not in errors and not _is_number(body[field]):
            errors[field] = "must be a number, 0 or more"
    if problem := _text_error(body.get("sku"), MAX_SKU, False):
        errors["sku"] = problem
    return errors


def _variant_errors(index: int, raw: object) -> dict[str, str]:
    where = f"variants.{index}"
    if not isinstance(raw, dict):
        return {where: "must be an object"}
    errors: dict[str, str] = {}
    if problem := _text_error(raw.get("sku"), MAX_SKU, True):
        errors[f"{where}.sku"] = problem
    if raw.get("price") is not None and not _is_number(raw["price"]):
        errors[f"{where}.price"] = "must be a number, 0 or more"
    values = raw.get("option_values")
    good = isinstance(values, list) and values and all(_is_option_value(v) for v in values)
    if not good:
        errors[f"{where}.option_values"] = "must list {option_display_name, label} for every option"
    return errors


def _is_option_value(value: object) -> bool:
    return (
        isinstance(value, dict)
        and not _text_error(value.get("option_display_name"), MAX_SKU, True)
        and not _text_error(value.get("label"), MAX_SKU, True)
    )


def _combination_errors(variants: list[dict]) -> dict[str, str]:
    """Every variant names the same options, and no two variants have the same values."""
    errors: dict[str, str] = {}
    first = [v["option_display_name"] for v in variants[0]["option_values"]]
    seen: set[tuple[str, ...]] = set()
    for index, variant in enumerate(variants):
        names = [v["option_display_name"] for v in variant["option_values"]]
        combination = tuple(v["label"].lower() for v in variant["option_values"])
        if names != first or len(set(names)) != len(names):
            errors[f"variants.{index}.option_values"] = f"must give one value for each of: {', '.join(first)}"
        elif combination in seen:
            errors[f"variants.{index}.option_values"] = "another variant has the same option values"
        seen.add(combination)
    return errors


def _sku_errors(skus: list[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for index, sku in enumerate(skus):
        if sku.lower() in seen:
            errors[f"variants.{index}.sku"] = f"SKU {sku!r} is given twice"
        seen.add(sku.lower())
    return errors


def validate_new_product(body: dict) -> list[dict]:
    """The request's variants, or ApiError(422) naming every invalid field."""
    errors = _product_errors(body)
    variants = body.get("variants") or []
    if not isinstance(variants, list):
        errors["variants"] = "must be an array"
        variants = []
    if len(variants) > MAX_SKUS:
        errors["variants"] = f"a product has at most {MAX_SKUS} SKUs"
    for index, raw in enumerate(variants):
        errors.update(_variant_errors(index, raw))
    if variants and not errors:
        errors.update(_combination_errors(variants))
        errors.update(_sku_errors([v["sku"] for v in variants]))
    if errors:
        raise ApiError(422, INVALID, errors)
    return variants


def _used_skus(products: dict[int, dict], skip_variant: int | None = None) -> set[str]:
    used = {p["sku"].lower() for p in products.values() if p["sku"]}
    used |= {
        v["sku"].lower()
        for p in products.values()
        for v in p["variants"]
        if v["id"] != skip_variant and v["sku"]
    }
    return used


def check_unique(products: dict[int, dict], name: str | None, skus: list[str], skip_variant=None) -> None:
    """409 when another product has this name, or another product or variant one of these SKUs."""
    if name is not None and any(p["name"].lower() == name.lower() for p in products.values()):
        raise ApiError(409, "The product name is a duplicate", {"name": f"{name!r} is already used"})
    used = _used_skus(products, skip_variant)
    taken = [sku for sku in skus if sku and sku.lower() in used]
    if taken:
        raise ApiError(409, "The SKU is a duplicate", {"sku": f"{taken[0]!r} is already used"})


# --- building --------------------------------------------------------------------------------------------------


def build_product(body: dict, variants: list[dict], ids, created: datetime) -> dict:
    """A new `product_Full` with options made from the variants' option values, and its variants."""
    product_id = ids("catalog_product")
    price, weight = str(body["price"]), float(body["weight"])
    product = product_fields(
        product_id, body["name"], body["type"], body.get("sku") or "", price, weight, created
    )
    product.update({key: copy.deepcopy(body[key]) for key in EDITABLE_PRODUCT if key in body})
    product["options"] = _options(product_id, variants, ids)
    product["images"] = []
    if variants:
        product["variants"] = [_variant(product, raw, ids) for raw in variants]  # no base_variant_id
    else:
        base = variant_body(product_id, weight, ids("variant"), product["sku"], price, [])
        base["sku_id"] = base["id"] + 1000
        product["variants"], product["base_variant_id"] = [base], base["id"]
    return product


def _options(product_id: int, variants: list[dict], ids) -> list[dict]:
    """One option per display name, its values in the order the variants first use them."""
    labels: dict[str, list[str]] = {}
    for variant in variants:
        for value in variant["option_values"]:
            known = labels.setdefault(value["option_display_name"], [])
            if value["label"] not in known:
                known.append(value["label"])
    return [
        {
            "id": ids("option"),
            "product_id": product_id,
            "display_name": name,
            "type": OPTION_TYPE,
            "sort_order": position,
            "option_values": [
                {"id": ids("option_value"), "label": label, "sort_order": index, "is_default": False}
                for index, label in enumerate(values)
            ],
        }
        for position, (name, values) in enumerate(labels.items())
    ]


def _variant(product: dict, raw: dict, ids) -> dict:
    options = {option["display_name"]: option for option in product["options"]}
    values = []
    for chosen in raw["option_values"]:
        option = options[chosen["option_display_name"]]
        value = next(v for v in option["option_values"] if v["label"] == chosen["label"])
        values.append(
            {
                "id": value["id"],
                "label": value["label"],
                "option_id": option["id"],
                "option_display_name": option["display_name"],
            }
        )
    price = str(raw["price"]) if raw.get("price") is not None else str(product["price"])
    variant = variant_body(product["id"], product["weight"], ids("variant"), raw["sku"], price, values)
    variant["sku_id"] = variant["id"] + 1000
    return variant


def image_body(product_id: int, image_id: int, body: dict, now: datetime) -> dict:
    """A `productImage_Full` added by URL (the emulator does not download it)."""
    url = body.get("image_url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")) or len(url) > MAX_IMAGE_URL:
        raise ApiError(
            422, "image_url must be present if uploading by url", {"image_url": "error.path.missing"}
        )
    base = f"https://cdn.example.com/products/{product_id}/images/{image_id}"
    return {
        "id": image_id,
        "product_id": product_id,
        "image_url": url,
        "url_zoom": f"{base}/zoom.jpg",
        "url_standard": f"{base}/standard.jpg",
        "url_thumbnail": f"{base}/thumbnail.jpg",
        "url_tiny": f"{base}/tiny.jpg",
        "date_modified": iso8601(now),
        "is_thumbnail": bool(body.get("is_thumbnail", False)),
        "sort_order": int(body.get("sort_order") or 0),
        "description": str(body.get("description") or ""),
    }


# --- finding -----------------------------------------------------------------------------------------------------


def product_or_404(products: dict[int, dict], product_id: int) -> dict:
    product = products.get(product_id)
    if product is None:
        raise ApiError(404, "The requested product was not found.")
    return product


def variant_or_404(product: dict, variant_id: int) -> dict:
    for variant in product["variants"]:
        if variant["id"] == variant_id:
            return variant
    raise ApiError(404, "The requested variant was not found.")


def option_value_or_404(product: dict, option_id: int, value_id: int) -> tuple[dict, dict]:
    for option in product["options"]:
        if option["id"] == option_id:
            for value in option["option_values"]:
                if value["id"] == value_id:
                    return option, value
    raise ApiError(404, "The requested option value was not found.")


# --- changing ----------------------------------------------------------------------------------------------------


def update_variant(products: dict[int, dict], product: dict, variant: dict, changes: dict) -> None:
    """Apply a PUT's editable fields (sku, price, weight, purchasability, codes); 409 for a taken SKU."""
    errors: dict[str, str] = {}
    if "sku" in changes and (problem := _text_error(changes["sku"], MAX_SKU, True)):
        errors["sku"] = problem
    for field in ("price", "weight"):
        if changes.get(field) is not None and not _is_number(changes[field]):
            errors[field] = "must be a number, 0 or more"
    if errors:
        raise ApiError(422, INVALID, errors)
    if "sku" in changes and changes["sku"].lower() != variant["sku"].lower():
        check_unique(products, None, [changes["sku"]], skip_variant=variant["id"])
    variant.update({key: changes[key] for key in ("sku", *EDITABLE_VARIANT) if key in changes})
    if "price" in changes:
        variant["calculated_price"] = variant["price"]
    if product.get("base_variant_id") == variant["id"] and "sku" in changes:
        product["sku"] = variant["sku"]


def rename_option_value(option: dict, value: dict, changes: dict, product: dict) -> None:
    """PUT an option value: a new label shows on every variant that uses the value."""
    label = changes.get("label", value["label"])
    if problem := _text_error(label, MAX_SKU, True):
        raise ApiError(422, INVALID, {"label": problem})
    if any(v["label"].lower() == label.lower() and v["id"] != value["id"] for v in option["option_values"]):
        raise ApiError(422, INVALID, {"label": f"{option['display_name']} has a value {label!r} already"})
    value.update({key: changes[key] for key in ("sort_order", "is_default") if key in changes})
    value["label"] = label
    for variant in product["variants"]:
        for chosen in variant["option_values"]:
            if chosen["id"] == value["id"]:
                chosen["label"] = label


def remove_variant(product: dict, variant: dict) -> None:
    if product.get("base_variant_id") == variant["id"]:
        raise ApiError(422, "The base variant of a product without options cannot be deleted.")
    product["variants"].remove(variant)


def touch(product: dict, now: datetime) -> None:
    product["date_modified"] = iso8601(now)
