"""Races between concurrent callers, on PostgreSQL (real row locks; SQLite serialises writers anyway)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connections

from printbridge.orders import events, rules
from printbridge.orders.errors import Conflict
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.services import ConnectTarget, approve_orders, connect_item, import_order
from printbridge.routing.models import Connection
from tests.conftest import NOW, item, order

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def run_together(count: int, call) -> list:
    """Start `count` threads at one barrier; each returns call()'s result or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index: int) -> None:
        close_old_connections()
        barrier.wait()
        try:
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_eight_identical_deliveries_at_once_make_one_order_and_one_import_event(store):
    incoming = order("7001", item("1", "tshirt-xs"))
    results = run_together(8, lambda: import_order(store, incoming, events.SYSTEM, now=NOW).outcome)
    assert Counter(str(r) for r in results) == {"created": 1, "unchanged": 7}
    assert Order.objects.filter(store=store, external_id="7001").count() == 1
    assert OrderEvent.objects.filter(type=OrderEvent.Type.ORDER_IMPORTED).count() == 1


def test_two_users_connecting_the_same_item_at_once_make_one_connection(store, account, actor):
    created = import_order(store, order("7002", item("1", "tshirt-s")), events.SYSTEM, now=NOW).order
    item_id = created.items.get().pk
    target = ConnectTarget("apparel_uid_s", {"default": "https://example.com/a.png"})
    results = run_together(2, lambda: connect_item(account.pk, created.pk, item_id, target, actor, now=NOW))
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Resolution"]
    assert isinstance(next(r for r in results if not hasattr(r, "order")), Conflict)
    assert Connection.objects.filter(store=store, variant_id="tshirt-s").count() == 1
    created.refresh_from_db()
    assert created.status == rules.OrderStatus.READY
    assert created.release_count == 1


def test_approving_the_same_order_twice_at_once_releases_it_once(make_store, account, actor):
    manual = make_store("Manual", approval_mode="manual")
    Connection.objects.create(
        account=account, store=manual, product_id="mug", variant_id="mug-11oz", provider_product_uid="mug_uid"
    )
    pending = import_order(manual, order("7003", item("1", "mug-11oz", "mug")), events.SYSTEM, now=NOW).order
    assert pending.status == rules.OrderStatus.PENDING_APPROVAL
    results = run_together(2, lambda: approve_orders(account.pk, [pending.pk], actor, now=NOW))
    assert sorted(len(r.approved) for r in results) == [0, 1]
    pending.refresh_from_db()
    assert (pending.status, pending.release_count) == (rules.OrderStatus.READY, 1)
    assert pending.items.get().release_generation == 1
    assert OrderEvent.objects.filter(order=pending, type=OrderEvent.Type.ORDER_APPROVED).count() == 1
