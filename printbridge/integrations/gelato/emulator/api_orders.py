"""Order API v4 (https://order.gelatoapis.com): create, get, search, cancel, and PATCH a draft into an order.
Orders belong to the API key that created them: another key gets 404."""

from __future__ import annotations

from printbridge.integrations.bigcommerce.emulator.routes import Reply, Request, Router


def register(router: Router) -> None:
    router.add("POST", "/v4/orders", create_order)
    router.add("POST", "/v4/orders:search", search_orders)
    router.add("GET", "/v4/orders/{order_id}", get_order)
    router.add("PATCH", "/v4/orders/{order_id}", patch_order)
    router.add("POST", "/v4/orders/{order_id}:cancel", cancel_order)


def create_order(request: Request) -> Reply:
    return Reply(200, request.emulator.book.create(request.store.api_key, request.json_object()))


def get_order(request: Request) -> Reply:
    return Reply(200, request.emulator.book.get(request.store.api_key, request.params["order_id"]))


def search_orders(request: Request) -> Reply:
    found = request.emulator.book.search(request.store.api_key, request.json_object())
    return Reply(200, {"orders": found})


def cancel_order(request: Request) -> Reply:
    request.emulator.book.cancel(request.store.api_key, request.params["order_id"])
    return Reply(200)  # Gelato documents the status only: no body


def patch_order(request: Request) -> Reply:
    book = request.emulator.book
    return Reply(200, book.patch(request.store.api_key, request.params["order_id"], request.json_object()))
