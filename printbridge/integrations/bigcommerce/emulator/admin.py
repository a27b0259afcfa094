"""The emulator's own JSON API under /_emulator/ (loopback only, no auth), for the CLI-run emulator:
stores, orders, call counts, webhook log, faults, the order generator and app installs."""

from __future__ import annotations

import copy

from .routes import ApiError, Reply, Request, Router

FAULTS = {
    "fail_next": ("status", "count", "path_contains", "after_effect"),
    "delay_next": ("seconds", "count", "path_contains", "after_effect"),
    "rate_limit_next": ("count", "reset_ms", "path_contains"),
    "disconnect_next": ("count", "path_contains"),
    "webhooks": ("drop", "duplicate", "reorder"),
    "empty_line_items": ("order_id", "store_hash"),
}


def build_router() -> Router:
    router = Router()
    router.add("GET", "/_emulator/health", health)
    router.add("GET", "/_emulator/stores", list_stores)
    router.add("POST", "/_emulator/stores", add_store)
    router.add("POST", "/_emulator/stores/{store_hash}/orders", place_order)
    router.add("PUT", "/_emulator/stores/{store_hash}/orders/{order_id:int}/status", set_status)
    router.add("POST", "/_emulator/stores/{store_hash}/orders/{order_id:int}/archive", archive)
    router.add("GET", "/_emulator/stores/{store_hash}/requests", requests)
    router.add("GET", "/_emulator/stores/{store_hash}/webhook_log", webhook_log)
    router.add("GET", "/_emulator/stores/{store_hash}/shipments", shipments)
    router.add("POST", "/_emulator/stores/{store_hash}/generate", generate)
    router.add("POST", "/_emulator/stores/{store_hash}/install", install_app)
    router.add("POST", "/_emulator/stores/{store_hash}/load_jwt", load_jwt)
    router.add("POST", "/_emulator/apps", register_app)
    router.add("POST", "/_emulator/faults/{kind}", add_fault)
    router.add("DELETE", "/_emulator/faults", clear_faults)
    router.add("POST", "/_emulator/generator/{action}", generator_action)
    return router


def _store(request: Request):
    store = request.emulator.stores.get(request.params["store_hash"])
    if store is None:
        raise ApiError(404, f"No store {request.params['store_hash']!r} in the emulator.")
    return store


def _call(action, *args, **kwargs):
    try:
        return action(*args, **kwargs)
    except (TypeError, ValueError, KeyError) as error:
        raise ApiError(422, f"Invalid request: {error}") from None


def summary(store) -> dict:
    return {
        "store_hash": store.store_hash,
        "store_id": store.store_id,
        "name": store.name,
        "plan": store.plan,
        "api_url": store.base_url,
        "orders": len(store.orders),
    }


def health(request: Request) -> Reply:
    return Reply(200, {"ok": True, "stores": sorted(request.emulator.stores)})


def list_stores(request: Request) -> Reply:
    return Reply(200, [summary(store) for store in request.emulator.stores.values()])


def add_store(request: Request) -> Reply:
    body = request.json_object()
    fields = {key: body[key] for key in ("store_hash", "access_token", "plan", "name") if key in body}
    return Reply(201, summary(_call(request.emulator.add_store, **fields)))


def place_order(request: Request) -> Reply:
    body = request.json_object()
    fields = {key: body[key] for key in ("lines", "status_id", "customer", "shipping") if key in body}
    return Reply(201, {"id": _call(_store(request).place_order, **fields)})


def set_status(request: Request) -> Reply:
    status_id = request.json_object().get("status_id")
    _call(_store(request).set_status, request.params["order_id"], status_id)
    return Reply(204)


def archive(request: Request) -> Reply:
    _call(_store(request).archive, request.params["order_id"])
    return Reply(204)


def requests(request: Request) -> Reply:
    store = _store(request)
    with store.lock:
        return Reply(200, [list(entry) for entry in store.requests])


def webhook_log(request: Request) -> Reply:
    store = _store(request)
    with store.lock:
        return Reply(200, copy.deepcopy(store.webhook_log))


def shipments(request: Request) -> Reply:
    store = _store(request)
    with store.lock:
        return Reply(200, {str(order_id): rows for order_id, rows in store.shipments.items() if rows})


def generate(request: Request) -> Reply:
    count = request.json_object().get("count", 1)
    ids = _call(request.emulator.generator.generate, _store(request), count)
    return Reply(201, {"ids": ids})


def add_fault(request: Request) -> Reply:
    kind = request.params["kind"]
    if kind not in FAULTS:
        raise ApiError(404, f"Unknown fault {kind!r}; known: {sorted(FAULTS)}.")
    body = request.json_object()
    unknown = set(body) - set(FAULTS[kind])
    if unknown:
        raise ApiError(422, f"Unknown fields for {kind}: {sorted(unknown)}.")
    _call(getattr(request.emulator.faults, kind), **body)
    return Reply(204)


def clear_faults(request: Request) -> Reply:
    request.emulator.faults.clear()
    return Reply(204)


def generator_action(request: Request) -> Reply:
    generator = request.emulator.generator
    if request.params["action"] == "start":
        generator.start()
    elif request.params["action"] == "stop":
        generator.stop()
    else:
        raise ApiError(404, "Generator actions are 'start' and 'stop'.")
    return Reply(200, {"running": generator.running, "placed": len(generator.placed)})


def register_app(request: Request) -> Reply:
    body = request.json_object()
    _call(request.emulator.apps.register, body.get("client_id"), body.get("client_secret"))
    return Reply(204)


def install_app(request: Request) -> Reply:
    body = request.json_object()
    grant = _call(
        request.emulator.apps.install, _store(request), body.get("client_id"), body.get("scope", "")
    )
    return Reply(201, grant)


def load_jwt(request: Request) -> Reply:
    body = request.json_object()
    token = _call(
        request.emulator.apps.load_jwt, _store(request), body.get("client_id"), body.get("user_id", 1)
    )
    return Reply(201, {"signed_payload_jwt": token})
