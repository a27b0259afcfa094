"""Catalog V3 writes: create a product (variants inline), add an image by URL, list, edit and delete a product's
variants, rename an option value, delete a product. The store (state.py) validates, changes and fires the
store/product/* and store/sku/* webhooks."""

from __future__ import annotations

import copy

from . import render
from .products import product_or_404
from .routes import Reply, Request, Router, v3_page

PRODUCT = "/v3/catalog/products/{product_id:int}"


def register(router: Router) -> None:
    router.add("POST", "/v3/catalog/products", create_product)
    router.add("DELETE", PRODUCT, delete_product)
    router.add("POST", f"{PRODUCT}/images", create_image)
    router.add("GET", f"{PRODUCT}/variants", list_product_variants)
    router.add("PUT", f"{PRODUCT}/variants/{{variant_id:int}}", update_variant)
    router.add("DELETE", f"{PRODUCT}/variants/{{variant_id:int}}", delete_variant)
    router.add("PUT", f"{PRODUCT}/options/{{option_id:int}}/values/{{value_id:int}}", update_option_value)


def _envelope(data: dict) -> Reply:
    return Reply(200, {"data": copy.deepcopy(data), "meta": {}})


def create_product(request: Request) -> Reply:
    """200 with the product (without variants and options: read them with include=variants,options)."""
    product = request.store.create_product(request.json_object())
    with request.store.lock:
        return _envelope(render.product_body(product, set()))


def delete_product(request: Request) -> Reply:
    request.store.delete_product(request.params["product_id"])
    return Reply(204)


def create_image(request: Request) -> Reply:
    return _envelope(request.store.add_image(request.params["product_id"], request.json_object()))


def list_product_variants(request: Request) -> Reply:
    with request.store.lock:
        product = product_or_404(request.store.products, request.params["product_id"])
        return v3_page(request, copy.deepcopy(product["variants"]))


def update_variant(request: Request) -> Reply:
    params = request.params
    variant = request.store.update_variant(params["product_id"], params["variant_id"], request.json_object())
    with request.store.lock:
        return _envelope(variant)


def delete_variant(request: Request) -> Reply:
    request.store.delete_variant(request.params["product_id"], request.params["variant_id"])
    return Reply(204)


def update_option_value(request: Request) -> Reply:
    params = request.params
    value = request.store.rename_option_value(
        params["product_id"], params["option_id"], params["value_id"], request.json_object()
    )
    with request.store.lock:
        return _envelope(value)
