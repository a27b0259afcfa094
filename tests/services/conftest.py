"""Fixtures for service tests: routing set-up, intake, and reading the audit trail back."""

from __future__ import annotations

import pytest

from printbridge.orders import events, rules
from printbridge.orders.models import OrderEvent
from printbridge.orders.services import VariantRef, create_connection, ensure_ignore_rule, import_order
from tests.conftest import NOW

INTAKE = events.Actor.system("custom store API")


@pytest.fixture
def connect(actor):
    """Connect a store variant to a fulfilment product `uid-<variant>`."""

    def _connect(store, variant_id: str, product_id: str = "tshirt"):
        variant = VariantRef(product_id, variant_id, variant_id.upper(), f"Label {variant_id}")
        files = {"default": f"https://example.com/{variant_id}.png"}
        return create_connection(store, variant, f"uid-{variant_id}", files, actor)

    return _connect


@pytest.fixture
def ignore(actor):
    """An ignore rule for a variant (scope "variant") or a product in all variants (scope "product")."""

    def _ignore(store, scope: str, product_id: str, variant_id: str = ""):
        variant = VariantRef(product_id, variant_id, label=f"Label {variant_id or product_id}")
        return ensure_ignore_rule(store, rules.IgnoreScope(scope), variant, "made elsewhere", actor)

    return _ignore


@pytest.fixture
def receive(db):
    """Import an incoming order through the intake channel at `now` (default NOW)."""

    def _receive(store, incoming, now=NOW):
        return import_order(store, incoming, INTAKE, now=now)

    return _receive


@pytest.fixture
def order_events(db):
    """The order's audit trail as event types, oldest first."""

    def _types(order) -> list[str]:
        return list(OrderEvent.objects.filter(order=order).order_by("pk").values_list("type", flat=True))

    return _types


@pytest.fixture
def item_rows(db):
    """The order's items as (external id, state, decision, release generation), by external id."""

    def _rows(order) -> list[tuple]:
        fields = ("external_id", "state", "decision", "release_generation")
        return list(order.items.order_by("external_id").values_list(*fields))

    return _rows
