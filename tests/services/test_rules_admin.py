"""Connections and ignore rules as objects: create, disconnect, revoke, and the ledger orders a rule kept out."""

from datetime import timedelta

import pytest
from django.core import mail

from printbridge.orders.errors import Conflict, InvalidInput, NotFound
from printbridge.orders.models import Order, OrderEvent, SuppressedOrder
from printbridge.orders.rules import NO_CONNECTED_ITEMS_REASON, NOTHING_TO_FULFIL_REASON, IgnoreScope
from printbridge.orders.services import (
    VariantRef,
    create_connection,
    disconnect,
    ensure_ignore_rule,
    revoke_ignore_rule,
)
from printbridge.orders.services.routing_changes import RevokeResult
from printbridge.routing.models import Connection, IgnoreRule
from tests.conftest import NOW, item, order

LATER = NOW + timedelta(hours=1)
M = VariantRef("tshirt", "tshirt-m", "TS-M", "Classic T-shirt (Size: M)")


def _events(event_type):
    return list(
        OrderEvent.objects.filter(type=event_type)
        .order_by("pk")
        .values_list("order", "actor", "message", "parameters")
    )


def test_create_connection_writes_the_row_and_its_event(store, user, actor):
    connection = create_connection(store, M, " uid-m ", {"default": "https://example.com/m.png"}, actor)
    row = Connection.objects.get()
    assert row == connection
    assert (row.account_id, row.store, row.product_id, row.variant_id, row.sku, row.label) == (
        store.account_id, store, "tshirt", "tshirt-m", "TS-M", "Classic T-shirt (Size: M)",
    )  # fmt: skip
    assert (row.provider_product_uid, row.files, row.created_by, row.is_active) == (
        "uid-m", {"default": "https://example.com/m.png"}, user, True,
    )  # fmt: skip
    assert _events("connection_created") == [
        (None, "ana@example.com", "Connected Classic T-shirt (Size: M) to uid-m",
         {"connection_id": row.pk, "variant_id": "tshirt-m", "product_id": "tshirt"}),
    ]  # fmt: skip


def test_a_variant_has_one_active_connection(store, actor):
    create_connection(store, M, "uid-m", {}, actor)
    with pytest.raises(Conflict):
        create_connection(store, M, "uid-other", {}, actor)
    assert list(Connection.objects.values_list("provider_product_uid", flat=True)) == ["uid-m"]
    assert len(_events("connection_created")) == 1


def test_a_connection_needs_a_fulfilment_product(store, actor):
    with pytest.raises(InvalidInput):
        create_connection(store, M, "   ", {}, actor)
    assert (Connection.objects.count(), _events("connection_created")) == (0, [])


def test_disconnect_keeps_decided_orders_and_makes_future_ones_not_connected_again(
    store, user, account, actor, connect, receive, item_rows
):
    connection = connect(store, "tshirt-m")
    before = receive(store, order("1", item("1", "tshirt-m"))).order
    removed = disconnect(account.pk, connection.pk, actor, now=LATER)
    assert (removed.disconnected_at, removed.disconnected_by, removed.is_active) == (LATER, user, False)
    assert _events("connection_removed") == [
        (None, "ana@example.com", "Disconnected Label tshirt-m", {"connection_id": connection.pk, "variant_id": "tshirt-m"})
    ]  # fmt: skip
    after = receive(store, order("2", item("1", "tshirt-m")), now=LATER).order
    assert (item_rows(before), before.items.get().connection) == (
        [("1", "connected", "connection", 1)],
        connection,
    )
    assert (Order.objects.get(pk=after.pk).status, item_rows(after)) == (
        "not_connected",
        [("1", "not_connected", "no_connection", None)],
    )
    assert connect(store, "tshirt-m").is_active is True


def test_disconnect_twice_is_a_conflict_and_another_accounts_connection_is_not_found(
    store, account, actor, connect, other_account
):
    connection = connect(store, "tshirt-m")
    disconnect(account.pk, connection.pk, actor, now=LATER)
    with pytest.raises(Conflict):
        disconnect(account.pk, connection.pk, actor, now=LATER + timedelta(hours=1))
    with pytest.raises(NotFound):
        disconnect(other_account[0].pk, connection.pk, actor, now=LATER)
    assert Connection.objects.get().disconnected_at == LATER
    assert len(_events("connection_removed")) == 1


def test_ensure_ignore_rule_returns_the_active_rule_and_a_product_rule_drops_the_options(store, user, actor):
    car = VariantRef("car", "car-red", "CAR-RED", "Toy car (Colour: Red)")
    rule = ensure_ignore_rule(store, IgnoreScope.PRODUCT, car, "other supplier", actor)
    again = ensure_ignore_rule(store, IgnoreScope.PRODUCT, VariantRef("car", "car-blue"), "", actor)
    assert again == rule
    assert (rule.scope, rule.product_id, rule.variant_id, rule.label, rule.reason, rule.created_by) == (
        "product", "car", "", "Toy car", "other supplier", user,
    )  # fmt: skip
    assert _events("ignore_rule_created") == [
        (None, "ana@example.com", "Ignore rule: this product in all variants — Toy car",
         {"rule_id": rule.pk, "scope": "product", "reason": "other supplier", "product_id": "car", "variant_id": ""}),
    ]  # fmt: skip


def test_revoke_without_import_leaves_the_ledger_and_future_orders_are_decided_without_the_rule(
    store, user, account, actor, ignore, receive, item_rows
):
    rule = ignore(store, "variant", "tshirt", "tshirt-4xl")
    receive(store, order("1002", item("1", "tshirt-4xl")))
    assert revoke_ignore_rule(account.pk, rule.pk, actor, now=LATER) == RevokeResult(rule)
    rule.refresh_from_db()
    assert (rule.revoked_at, rule.revoked_by, rule.is_active) == (LATER, user, False)
    assert _events("ignore_rule_revoked") == [
        (None, "ana@example.com", "Revoked ignore rule: this variant for all incoming orders — Label tshirt-4xl", {"rule_id": rule.pk})
    ]  # fmt: skip
    assert list(SuppressedOrder.objects.values_list("external_id", "imported_at")) == [("1002", None)]
    assert Order.objects.count() == 0
    later = receive(store, order("1003", item("1", "tshirt-4xl")), now=LATER).order
    assert item_rows(later) == [("1", "not_connected", "no_connection", None)]


def test_revoke_with_import_imports_the_ledger_orders_the_rule_kept_out(
    store, account, actor, ignore, receive, item_rows, order_events, django_capture_on_commit_callbacks
):
    rule = ignore(store, "variant", "tshirt", "tshirt-4xl")
    cars = ignore(store, "product", "car")
    receive(store, order("1002", item("1", "tshirt-4xl")))
    receive(store, order("1003", item("1", "tshirt-4xl"), item("2", "ebook", "ebook", item_type="digital")))
    receive(store, order("1004", item("1", "car-red", "car")))
    with django_capture_on_commit_callbacks(execute=True):
        result = revoke_ignore_rule(account.pk, rule.pk, actor, import_suppressed=True, now=LATER)
    assert result == RevokeResult(rule, imported=2, still_suppressed=0)
    imported = {o.external_id: o for o in Order.objects.all()}
    assert sorted(imported) == ["1002", "1003"]
    assert [(o.status, o.held_since) for o in imported.values()] == [("not_connected", LATER)] * 2
    assert item_rows(imported["1003"]) == [
        ("1", "not_connected", "no_connection", None),
        ("2", "not_applicable", "not_physical", None),
    ]
    assert order_events(imported["1002"]) == ["order_imported", "order_held", "notification_sent"]
    assert OrderEvent.objects.get(order=imported["1002"], type="order_imported").actor == "ana@example.com"
    ledger = SuppressedOrder.objects.order_by("external_id")
    assert list(ledger.values_list("external_id", "imported_at", "imported_order")) == [
        ("1002", LATER, imported["1002"].pk),
        ("1003", LATER, imported["1003"].pk),
        ("1004", None, None),
    ]
    assert list(ledger.get(external_id="1004").rules.all()) == [cars]
    assert sorted(m.subject for m in mail.outbox) == [
        "Order #1002 requires action",
        "Order #1003 requires action",
    ]


def test_revoke_with_import_keeps_out_an_order_another_rule_still_ignores(
    store, account, actor, ignore, receive
):
    red = ignore(store, "variant", "car", "car-red")
    cars = ignore(store, "product", "car")
    receive(store, order("1005", item("1", "car-red", "car")))
    assert list(SuppressedOrder.objects.get().rules.all()) == [red]
    result = revoke_ignore_rule(account.pk, red.pk, actor, import_suppressed=True, now=LATER)
    assert result == RevokeResult(red, imported=0, still_suppressed=1)
    row = SuppressedOrder.objects.get()
    assert (row.reason, row.imported_at, list(row.rules.all())) == (NOTHING_TO_FULFIL_REASON, None, [cars])
    assert [(i["reason"], i["rule_id"]) for i in row.items] == [
        ("ignored by rule: this product in all variants", cars.pk)
    ]
    assert (Order.objects.count(), len(_events("order_suppressed"))) == (0, 1)


def test_revoke_with_import_when_the_setting_is_off_ledgers_the_order_again_with_the_new_reason(
    make_store, account, actor, ignore, receive
):
    store = make_store(import_not_connected=False)
    rule = ignore(store, "variant", "tshirt", "tshirt-4xl")
    receive(store, order("1002", item("1", "tshirt-4xl")))
    result = revoke_ignore_rule(account.pk, rule.pk, actor, import_suppressed=True, now=LATER)
    assert result == RevokeResult(rule, imported=0, still_suppressed=1)
    row = SuppressedOrder.objects.get()
    assert (row.reason, row.imported_at, list(row.rules.all())) == (NO_CONNECTED_ITEMS_REASON, None, [])
    assert [e[2] for e in _events("order_suppressed")] == [
        f"Order #1002 not imported: {NOTHING_TO_FULFIL_REASON}",
        f"Order #1002 not imported: {NO_CONNECTED_ITEMS_REASON}",
    ]
    assert Order.objects.count() == 0


def test_revoke_twice_is_a_conflict_and_another_accounts_rule_is_not_found(
    store, account, actor, ignore, other_account
):
    rule = ignore(store, "variant", "tshirt", "tshirt-4xl")
    revoke_ignore_rule(account.pk, rule.pk, actor, now=LATER)
    with pytest.raises(Conflict):
        revoke_ignore_rule(account.pk, rule.pk, actor, now=LATER + timedelta(hours=1))
    other = ignore(store, "product", "car")
    with pytest.raises(NotFound):
        revoke_ignore_rule(other_account[0].pk, other.pk, actor, import_suppressed=True, now=LATER)
    assert list(IgnoreRule.objects.order_by("pk").values_list("revoked_at", flat=True)) == [LATER, None]
    assert len(_events("ignore_rule_revoked")) == 1
