"""API test helpers: intake bodies, a whole-database snapshot to prove nothing was written, another tenant's data."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from printbridge.orders import events, rules
from printbridge.orders.models import Order, OrderEvent, OrderItem, SuppressedOrder
from printbridge.orders.services import VariantRef, create_connection, ensure_ignore_rule, import_order
from printbridge.routing.models import Connection, IgnoreRule
from printbridge.stores.models import Store, StoreSettings
from printbridge.stores.services import update_settings
from tests.conftest import item, order

MODELS = (Store, StoreSettings, Order, OrderItem, OrderEvent, SuppressedOrder, Connection, IgnoreRule)


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model the API can write (API tokens' last-use stamps aside)."""
    state = {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}
    state["SuppressedOrder.rules"] = list(SuppressedOrder.rules.through.objects.order_by("pk").values())
    return state


@contextmanager
def nothing_written():
    before = snapshot()
    yield
    assert snapshot() == before


def assert_invalid(response, field: str | None, message: str) -> None:
    """A 422 from request validation: one error, naming the field."""
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Invalid input; nothing was changed",
        "errors": [{"field": field, "message": message}],
    }


def assert_rejected(response, field: str, message: str) -> None:
    """A 422 from a service's own check: the message is the detail, and the one error names the field."""
    assert response.status_code == 422
    assert response.json() == {
        "detail": message,
        "field": field,
        "errors": [{"field": field, "message": message}],
    }


def iso(value: datetime | None) -> str | None:
    """A datetime as the API renders it."""
    return DjangoJSONEncoder().default(value) if value else None


def connection_body(c: Connection) -> dict:
    c.refresh_from_db()
    return {
        "id": c.pk,
        "store_id": c.store_id,
        "product_id": c.product_id,
        "variant_id": c.variant_id,
        "sku": c.sku,
        "label": c.label,
        "provider": "gelato",
        "provider_product_uid": c.provider_product_uid,
        "files": c.files,
        "created_by": "ana@example.com",
        "created_at": iso(c.created_at),
        "disconnected_at": iso(c.disconnected_at),
        "needs_review": c.needs_review,
        "review_reason": c.review_reason,
        "flagged_at": iso(c.flagged_at),
    }


def rule_body(r: IgnoreRule, suppressed: int = 0) -> dict:
    r.refresh_from_db()
    return {
        "id": r.pk,
        "store_id": r.store_id,
        "scope": r.scope,
        "product_id": r.product_id,
        "variant_id": r.variant_id,
        "label": r.label,
        "reason": r.reason,
        "created_by": "ana@example.com",
        "created_at": iso(r.created_at),
        "revoked_at": iso(r.revoked_at),
        "suppressed_orders": suppressed,
    }


def intake_item(external_id: str, variant_id: str, product_id: str = "tshirt", **fields) -> dict:
    return {
        "external_id": external_id,
        "product_id": product_id,
        "variant_id": variant_id,
        "sku": variant_id.upper(),
        "name": "Classic T-shirt",
        "quantity": 1,
        "unit_price": "12.50",
        "options": [{"name": "Color", "value": "Red"}],
        **fields,
    }


def intake_body(external_id: str = "web-1001", items: list | None = None, **fields) -> dict:
    return {
        "external_id": external_id,
        "number": "1001",
        "placed_at": "2026-12-01T12:00:00Z",
        "currency": "USD",
        "customer": {"name": "Jane Doe", "email": "jane@example.com"},
        "shipping_address": {
            "first_name": "Jane",
            "last_name": "Doe",
            "address1": "1 Main St",
            "city": "Austin",
            "postal_code": "78701",
            "country_code": "US",
        },
        "subtotal": "25.00",
        "total": "29.00",
        "items": items if items is not None else [intake_item("line-1", "v-red")],
        **fields,
    }


@pytest.fixture
def intake(client):
    """POST an order to a store's intake URL with an optional X-Store-Key."""

    def _post(store_id: int, body: dict, key: str | None = None):
        headers = {"X-Store-Key": key} if key is not None else {}
        return client.post(
            f"/api/v1/stores/{store_id}/orders", body, content_type="application/json", headers=headers
        )

    return _post


@pytest.fixture
def held(store, actor):
    """Import an order into `store`; with import_not_connected on, unconnected items hold it."""

    def _import(external_id: str, *items, **fields) -> Order:
        return import_order(store, order(external_id, *items, **fields), actor).order

    return _import


@dataclass(frozen=True)
class Tenant:
    store: Store
    order: Order
    item: OrderItem
    connection: Connection
    rule: IgnoreRule
    suppressed: SuppressedOrder


@pytest.fixture
def other_tenant(other_account) -> Tenant:
    """Another account with a waiting order, a connection, an ignore rule and a suppressed order."""
    account, user, store = other_account
    actor = events.Actor.for_user(user)
    update_settings(account.pk, store.pk, {"import_not_connected": True}, actor)
    connection = create_connection(store, VariantRef("tshirt", "v-black"), "uid-other", {}, actor)
    rule = ensure_ignore_rule(store, rules.IgnoreScope.VARIANT, VariantRef("tshirt", "v-gray"), "", actor)
    waiting = import_order(store, order("X1", item("1", "v-red", sku="SHARED-SKU")), actor).order
    suppressed = import_order(store, order("X2", item("1", "v-gray")), actor).suppressed
    return Tenant(store, waiting, waiting.items.get(), connection, rule, suppressed)
