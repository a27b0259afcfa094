"""Store information (V2) and Catalog V3 products and variants."""

from __future__ import annotations

import copy
import time

from . import render
from .ratelimit import PLAN_NAMES
from .routes import ApiError, Reply, Request, Router, v3_page

STORE_DEFAULTS = {
    "status": "live",
    "first_name": "Jane",
    "last_name": "Doe",
    "address": "455 Main Street, Austin, Texas 78751",
    "country": "United States",
    "country_code": "US",
    "phone": "555-123-4567",
    "favicon_url": "",
    "language": "en",
    "currency": "USD",
    "currency_symbol": "$",
    "decimal_separator": ".",
    "thousands_separator": ",",
    "decimal_places": 2,
    "currency_symbol_location": "left",
    "weight_units": "Ounces",
    "dimension_units": "Inches",
    "dimension_decimal_places": 2,
    "dimension_decimal_token": ".",
    "dimension_thousands_token": ",",
    "plan_is_trial": False,
    "industry": "Printing",
    "logo": [],
    "is_price_entered_with_tax": False,
    "default_channel_id": 1,
    "default_site_id": 1000,
    "active_comparison_modules": [],
}


def register(router: Router) -> None:
    router.add("GET", "/v2/store", store_information)
    router.add("GET", "/v2/time", system_time)
    router.add("GET", "/v3/catalog/products", list_products)
    router.add("GET", "/v3/catalog/products/{product_id:int}", get_product)
    router.add("GET", "/v3/catalog/variants", list_variants)


def system_time(request: Request) -> Reply:
    return Reply(200, {"time": int(time.time())})


def store_information(request: Request) -> Reply:
    store = request.store
    domain = f"store-{store.store_hash}.example.com"
    plan = PLAN_NAMES[store.plan]
    body = {
        "id": store.store_hash,
        "store_id": store.store_id,
        "account_uuid": store.account_uuid,
        "domain": domain,
        "secure_url": f"https://{domain}",
        "control_panel_base_url": f"https://{domain}",
        "name": store.name,
        "admin_email": f"owner@{domain}",
        "order_email": f"orders@{domain}",
        "timezone": _timezone(),
        "plan_name": plan,
        "plan_level": plan,
        "features": _features(),
        **copy.deepcopy(STORE_DEFAULTS),
    }
    return Reply(200, body)


def _timezone() -> dict:
    return {
        "name": "America/Chicago",
        "raw_offset": -21600,
        "dst_offset": -18000,
        "dst_correction": True,
        "date_format": {"display": "M jS Y", "export": "M jS Y", "extended_display": "M jS Y @ g:i A"},
    }


def _features() -> dict:
    return {
        "stencil_enabled": True,
        "sitewidehttps_enabled": True,
        "facebook_catalog_id": "",
        "checkout_type": "optimized",
        "wishlists_enabled": False,
        "graphql_storefront_api_enabled": True,
        "shopper_consent_tracking_enabled": True,
        "multi_storefront_enabled": False,
        "storefront_limits": {"active": 1, "total_including_inactive": 1},
    }


def _int_list(request: Request, name: str) -> list[int] | None:
    values = request.list_arg(name)
    if not values:
        return None
    try:
        return [int(value) for value in values]
    except ValueError:
        raise ApiError(422, f"The filter '{name}' must be a comma-separated list of integers.") from None


def list_products(request: Request) -> Reply:
    include = set(request.list_arg("include"))
    with request.store.lock:
        rows = [p for p in request.store.products.values() if _product_matches(p, request)]
        rows.sort(key=lambda p: p["id"])
        reply = v3_page(request, rows)
        reply.body["data"] = [render.product_body(p, include) for p in reply.body["data"]]
    return reply


def _product_matches(product: dict, request: Request) -> bool:
    ids = _int_list(request, "id:in")
    excluded = _int_list(request, "id:not_in") or []
    single = request.int_arg("id")
    sku, name = request.arg("sku"), request.arg("name")
    return (
        (ids is None or product["id"] in ids)
        and product["id"] not in excluded
        and (single is None or product["id"] == single)
        and (not sku or product["sku"].lower() == sku.lower())
        and (not name or product["name"] == name)
        and request.arg("type", product["type"]) == product["type"]
    )


def get_product(request: Request) -> Reply:
    include = set(request.list_arg("include"))
    with request.store.lock:
        product = request.store.products.get(request.params["product_id"])
        if product is None:
            raise ApiError(404, "The requested product was not found.")
        return Reply(200, {"data": render.product_body(product, include), "meta": {}})


def list_variants(request: Request) -> Reply:
    products = _int_list(request, "product_id:in")
    variant_id, sku, upc = request.int_arg("id"), request.arg("sku"), request.arg("upc")
    with request.store.lock:
        rows = [
            copy.deepcopy(variant)
            for product in sorted(request.store.products.values(), key=lambda p: p["id"])
            for variant in product["variants"]
            if (products is None or variant["product_id"] in products)
            and (variant_id is None or variant["id"] == variant_id)
            and (not sku or variant["sku"].lower() == sku.lower())
            and (not upc or variant["upc"] == upc)
        ]
    return v3_page(request, rows)
