"""Orders V2 endpoints: orders, order products, shipping addresses, shipments, statuses."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from . import render
from .formats import parse_filter_date, parse_rfc2822
from .orders import STATUSES
from .routes import ApiError, Reply, Request, Router, v2_page
from .shipments import create_shipment

SORT_KEYS: dict[str, Callable[[dict], Any]] = {
    "id": lambda o: o["id"],
    "customer_id": lambda o: o["customer_id"],
    "date_created": lambda o: parse_rfc2822(o["date_created"]),
    "date_modified": lambda o: parse_rfc2822(o["date_modified"]),
    "status_id": lambda o: o["status_id"],
    "channel_id": lambda o: o["channel_id"],
    "external_id": lambda o: o["external_id"] or "",
}
ID_FILTERS = {
    "min_id": lambda o, v: o["id"] >= v,
    "max_id": lambda o, v: o["id"] <= v,
    "status_id": lambda o, v: o["status_id"] == v,
    "customer_id": lambda o, v: o["customer_id"] == v,
    "channel_id": lambda o, v: o["channel_id"] == v,
}
DATE_FILTERS = {
    "min_date_created": ("date_created", lambda value, bound: value >= bound),
    "max_date_created": ("date_created", lambda value, bound: value <= bound),
    "min_date_modified": ("date_modified", lambda value, bound: value >= bound),
    "max_date_modified": ("date_modified", lambda value, bound: value <= bound),
}


def register(router: Router) -> None:
    router.add("GET", "/v2/orders", list_orders)
    router.add("GET", "/v2/orders/{order_id:int}", get_order)
    router.add("PUT", "/v2/orders/{order_id:int}", update_order)
    router.add("GET", "/v2/orders/{order_id:int}/products", list_order_products)
    router.add("GET", "/v2/orders/{order_id:int}/products/{product_id:int}", get_order_product)
    router.add("GET", "/v2/orders/{order_id:int}/shipping_addresses", list_shipping_addresses)
    router.add("GET", "/v2/orders/{order_id:int}/shipments", list_shipments)
    router.add("POST", "/v2/orders/{order_id:int}/shipments", post_shipment)
    router.add("GET", "/v2/order_statuses", list_order_statuses)


def _include(request: Request) -> tuple[set[str], bool]:
    return set(request.list_arg("include")), request.arg("consignment_structure") == "object"


def list_orders(request: Request) -> Reply:
    store = request.store
    include, structured = _include(request)
    with store.lock:
        rows = [order for order in store.orders.values() if _matches(order, request)]
        rows.sort(key=lambda o: o["id"])
        field, descending = _sort(request)
        rows.sort(key=SORT_KEYS[field], reverse=descending)
        reply = v2_page(request, rows)
        if reply.body:
            reply.body = [render.order_body(store, o["id"], include, structured) for o in reply.body]
    return reply


def _matches(order: dict, request: Request) -> bool:
    archived = request.arg("is_deleted", "false") == "true"
    if order["is_deleted"] != archived:
        return False
    for name, test in ID_FILTERS.items():
        value = request.int_arg(name)
        if value is not None and not test(order, value):
            return False
    email = request.arg("email")
    if email and order["billing_address"]["email"].lower() != email.lower():
        return False
    return _matches_dates(order, request)


def _matches_dates(order: dict, request: Request) -> bool:
    """A malformed date filter is ignored, as BigCommerce silently does."""
    for name, (field, test) in DATE_FILTERS.items():
        raw = request.arg(name)
        bound = parse_filter_date(raw) if raw else None
        if bound is not None and not test(parse_rfc2822(order[field]), bound):
            return False
    return True


def _sort(request: Request) -> tuple[str, bool]:
    field, _, direction = (request.arg("sort") or "id").partition(":")
    if field not in SORT_KEYS or direction not in ("", "asc", "desc"):
        raise ApiError(400, f"The 'sort' parameter is invalid: {request.arg('sort')!r}.")
    return field, direction == "desc"


def _order_or_404(request: Request) -> dict:
    order = request.store.orders.get(request.params["order_id"])
    if order is None:
        raise ApiError(404, "The requested resource was not found.")
    return order


def get_order(request: Request) -> Reply:
    include, structured = _include(request)
    with request.store.lock:
        order = _order_or_404(request)
        return Reply(200, render.order_body(request.store, order["id"], include, structured))


def update_order(request: Request) -> Reply:
    """PUT /v2/orders/{id}: only `status_id` (and `is_deleted: true`, which archives) are emulated."""
    body = request.json_object()
    store = request.store
    with store.lock:
        order = _order_or_404(request)
        status_id = body.get("status_id")
        if "status_id" in body and (type(status_id) is not int or status_id not in STATUSES):
            raise ApiError(400, f"The field 'status_id' is invalid: {status_id!r}.")
        if "status_id" in body:
            store.set_status(order["id"], status_id)
        if body.get("is_deleted") is True:
            store.archive(order["id"])
        return Reply(200, render.order_body(store, order["id"], set(), False))


def list_order_products(request: Request) -> Reply:
    with request.store.lock:
        order = _order_or_404(request)
        return v2_page(request, copy.deepcopy(request.store.order_products[order["id"]]))


def get_order_product(request: Request) -> Reply:
    with request.store.lock:
        order = _order_or_404(request)
        for row in request.store.order_products[order["id"]]:
            if row["id"] == request.params["product_id"]:
                return Reply(200, copy.deepcopy(row))
    raise ApiError(404, "The requested resource was not found.")


def list_shipping_addresses(request: Request) -> Reply:
    with request.store.lock:
        order = _order_or_404(request)
        return v2_page(request, copy.deepcopy(request.store.shipping_addresses[order["id"]]))


def list_shipments(request: Request) -> Reply:
    with request.store.lock:
        order = _order_or_404(request)
        return v2_page(request, copy.deepcopy(request.store.shipments[order["id"]]))


def post_shipment(request: Request) -> Reply:
    body = request.json_object()
    with request.store.lock:
        order = _order_or_404(request)
        return Reply(201, copy.deepcopy(create_shipment(request.store, order["id"], body)))


def list_order_statuses(request: Request) -> Reply:
    return Reply(200, [_status(status_id, name) for status_id, name in STATUSES.items()])


def _status(status_id: int, name: str) -> dict:
    return {
        "id": status_id,
        "name": name,
        "system_label": name,
        "custom_label": name,
        "system_description": name,
        "order": status_id,
    }
