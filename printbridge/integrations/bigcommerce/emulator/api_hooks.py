"""Webhooks V3 management: /v3/hooks and /v3/hooks/{id}. Hooks belong to the API account that made them."""

from __future__ import annotations

import copy
import time
from urllib.parse import urlsplit

from .routes import ApiError, Reply, Request, Router, v3_page

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAX_HOOKS_PER_SCOPE = 10
EDITABLE = ("scope", "destination", "is_active", "headers")


def register(router: Router) -> None:
    router.add("GET", "/v3/hooks", list_hooks)
    router.add("POST", "/v3/hooks", create_hook)
    router.add("GET", "/v3/hooks/{hook_id:int}", get_hook)
    router.add("PUT", "/v3/hooks/{hook_id:int}", update_hook)
    router.add("DELETE", "/v3/hooks/{hook_id:int}", delete_hook)


def is_loopback_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and parts.hostname in LOOPBACK_HOSTS and parts.port != 0
    except ValueError:
        return False


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def _mine(request: Request) -> list[dict]:
    hooks = request.store.hooks.values()
    return sorted((h for h in hooks if h["client_id"] == request.client_id), key=lambda h: h["id"])


def list_hooks(request: Request) -> Reply:
    active, scope, destination = request.arg("is_active"), request.arg("scope"), request.arg("destination")
    with request.store.lock:
        rows = [
            copy.deepcopy(hook)
            for hook in _mine(request)
            if (active is None or str(hook["is_active"]).lower() == active.lower())
            and (scope is None or hook["scope"] == scope)
            and (destination is None or hook["destination"] == destination)
        ]
    return v3_page(request, rows)


def create_hook(request: Request) -> Reply:
    body = request.json_object()
    store = request.store
    with store.lock:
        _validate(request, body, creating=True)
        now = int(time.time())
        hook = {
            "id": store.next_id("hook"),
            "client_id": request.client_id,
            "store_hash": store.store_hash,
            "scope": body["scope"],
            "destination": body["destination"],
            "headers": body.get("headers"),
            "is_active": body.get("is_active", True),
            "created_at": now,
            "updated_at": now,
        }
        store.hooks[hook["id"]] = hook
        return Reply(200, {"data": copy.deepcopy(hook), "meta": {}})


def _hook_or_404(request: Request) -> dict:
    hook = request.store.hooks.get(request.params["hook_id"])
    if hook is None or hook["client_id"] != request.client_id:
        raise ApiError(404, f"Webhook with id [{request.params['hook_id']}] not found")
    return hook


def get_hook(request: Request) -> Reply:
    with request.store.lock:
        return Reply(200, {"data": copy.deepcopy(_hook_or_404(request)), "meta": {}})


def update_hook(request: Request) -> Reply:
    body = request.json_object()
    with request.store.lock:
        hook = _hook_or_404(request)
        if not any(key in body for key in EDITABLE):
            raise ApiError(422, "At least one field is required to update a webhook.", {"body": "empty"})
        _validate(request, {**hook, **body}, creating=False, hook_id=hook["id"])
        hook.update({key: body[key] for key in EDITABLE if key in body})
        hook["updated_at"] = int(time.time())
        return Reply(200, {"data": copy.deepcopy(hook), "meta": {}})


def delete_hook(request: Request) -> Reply:
    with request.store.lock:
        hook = _hook_or_404(request)
        del request.store.hooks[hook["id"]]
        return Reply(200, {"data": copy.deepcopy(hook), "meta": {}})


def _validate(request: Request, body: dict, creating: bool, hook_id: int | None = None) -> None:
    errors = _field_errors(body)
    if errors:
        raise ApiError(422, "JSON data is missing or invalid", errors)
    others = [h for h in _mine(request) if h["id"] != hook_id and h["scope"] == body["scope"]]
    if any(h["destination"] == body["destination"] for h in others):
        raise ApiError(
            422, "A webhook with this scope and destination already exists.", {"destination": "taken"}
        )
    if creating and len(others) >= MAX_HOOKS_PER_SCOPE:
        raise ApiError(422, "At most 10 webhooks per store, client and scope.", {"scope": "limit reached"})


def _field_errors(body: dict) -> dict[str, str]:
    errors = {}
    scope, destination = body.get("scope"), body.get("destination")
    if not isinstance(scope, str) or not scope.startswith("store/"):
        errors["scope"] = "error.path.missing or not a store/… scope"
    if not isinstance(destination, str) or not destination:
        errors["destination"] = "error.path.missing"
    elif not is_web_url(destination):
        errors["destination"] = "must be an http(s) URL"
    headers = body.get("headers")
    if headers is not None and not (
        isinstance(headers, dict) and all(isinstance(v, str) for v in headers.values())
    ):
        errors["headers"] = "must be an object of strings"
    if not isinstance(body.get("is_active", True), bool):
        errors["is_active"] = "must be a boolean"
    return errors
