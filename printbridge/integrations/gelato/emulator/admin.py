"""The emulator's own JSON API under /_emulator/ (loopback only, no auth), for the CLI-run emulator: accounts,
orders, the production clock, call counts, the webhook log and faults."""

from __future__ import annotations

from printbridge.integrations.bigcommerce.emulator.routes import ApiError, Reply, Request, Router

FAULTS = {
    "fail_next": ("status", "count", "after_effect", "path_contains"),
    "delay_next": ("seconds", "count", "after_effect", "path_contains"),
    "rate_limit_next": ("count", "retry_after", "path_contains"),
    "disconnect_next": ("count", "path_contains"),
    "outage": ("seconds",),
    "random_faults": (
        "fail_after_effect",
        "delay_after_effect",
        "rate_limit",
        "delay_seconds",
        "retry_after",
        "path_contains",
    ),
    "webhooks": ("drop", "duplicate", "reorder"),
}


def build_router() -> Router:
    router = Router()
    router.add("GET", "/_emulator/health", health)
    router.add("POST", "/_emulator/accounts", add_account)
    router.add("PUT", "/_emulator/accounts/{api_key}", update_account)
    router.add("GET", "/_emulator/orders", list_orders)
    router.add("POST", "/_emulator/orders/{order_id}/advance", advance)
    router.add("POST", "/_emulator/orders/{order_id}/step", step)
    router.add("GET", "/_emulator/requests", requests)
    router.add("GET", "/_emulator/webhook_log", webhook_log)
    router.add("POST", "/_emulator/faults/{kind}", add_fault)
    router.add("DELETE", "/_emulator/faults", clear_faults)
    return router


def _call(action, *args, **kwargs):
    try:
        return action(*args, **kwargs)
    except KeyError as error:
        raise ApiError(404, f"Not found: {error}") from None
    except (TypeError, ValueError) as error:
        raise ApiError(422, f"Invalid request: {error}") from None


def _account_json(account) -> dict:
    return {"api_key": account.api_key, "webhook_url": account.webhook_url}


def health(request: Request) -> Reply:
    emulator = request.emulator
    return Reply(200, {"ok": True, "accounts": len(emulator.accounts), "orders": len(emulator.orders)})


def add_account(request: Request) -> Reply:
    body = request.json_object()
    fields = {key: body[key] for key in ("api_key", "webhook_url") if key in body}
    return Reply(201, _account_json(_call(request.emulator.add_account, **fields)))


def update_account(request: Request) -> Reply:
    url = request.json_object().get("webhook_url")
    account = _call(request.emulator.set_webhook_url, request.params["api_key"], url)
    return Reply(200, _account_json(account))


def list_orders(request: Request) -> Reply:
    return Reply(200, request.emulator.orders)


def advance(request: Request) -> Reply:
    order_id = request.params["order_id"]
    _call(request.emulator.advance, order_id, request.json_object().get("status"))
    return Reply(200, request.emulator.orders[order_id])


def step(request: Request) -> Reply:
    order_id = request.params["order_id"]
    _call(request.emulator.step, order_id)
    return Reply(200, request.emulator.orders[order_id])


def requests(request: Request) -> Reply:
    return Reply(200, [list(entry) for entry in request.emulator.requests])


def webhook_log(request: Request) -> Reply:
    return Reply(200, request.emulator.webhook_log)


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
