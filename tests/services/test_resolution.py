"""Completing a Not connected order: connect_item and ignore_item, and where the order goes next."""

from datetime import timedelta

import pytest

from printbridge.orders import events
from printbridge.orders.errors import Conflict, InvalidInput, NotFound
from printbridge.orders.models import OrderEvent
from printbridge.orders.rules import IgnoreScope
from printbridge.orders.services import ConnectTarget, connect_item, ignore_item, import_order
from printbridge.routing.models import Connection, IgnoreRule
from printbridge.stores.services import update_settings
from tests.conftest import NOW, item, order

LATER = NOW + timedelta(hours=1)
TARGET = ConnectTarget("uid-5xl", {"default": "https://example.com/5xl.png"})


def _item(o, external_id):
    return o.items.get(external_id=external_id)


def _status(o):
    o.refresh_from_db()
    return o.status, o.release_count


@pytest.fixture
def connect_line(account, actor):
    def _connect(o, external_id, target=TARGET, now=LATER):
        return connect_item(account.pk, o.pk, _item(o, external_id).pk, target, actor, now=now)

    return _connect


@pytest.fixture
def ignore_line(account, actor):
    def _ignore(o, external_id, scope, reason="made elsewhere"):
        return ignore_item(
            account.pk, o.pk, _item(o, external_id).pk, IgnoreScope(scope), actor, reason, now=LATER
        )

    return _ignore


def test_connecting_the_last_waiting_item_completes_and_releases_the_order(
    store, user, receive, connect_line, order_events, item_rows
):
    o = receive(store, order("1001", item("1", "tshirt-5xl"))).order
    resolution = connect_line(o, "1")
    connection = Connection.objects.get()
    assert (resolution.completed, resolution.connection) == (True, connection)
    assert (
        connection.store,
        connection.product_id,
        connection.variant_id,
        connection.sku,
        connection.label,
    ) == (
        store,
        "tshirt",
        "tshirt-5xl",
        "TSHIRT-5XL",
        "Classic T-shirt",
    )
    assert (connection.provider_product_uid, connection.files, connection.created_by) == (
        "uid-5xl",
        {"default": "https://example.com/5xl.png"},
        user,
    )
    o.refresh_from_db()
    assert (o.status, o.status_changed_at, o.release_count) == ("ready", LATER, 1)
    assert item_rows(o) == [("1", "connected", "connection", 1)]
    line = _item(o, "1")
    assert (line.connection, line.decided_at, line.decided_by) == (connection, LATER, user)
    assert order_events(o) == [
        "order_imported",
        "order_held",
        "item_connected",
        "order_completed",
        "items_released",
    ]
    connected, completed = OrderEvent.objects.filter(type__in=["item_connected", "order_completed"]).order_by(
        "pk"
    )
    assert (connected.actor, connected.message, connected.parameters) == (
        "ana@example.com",
        "Connected Classic T-shirt to uid-5xl",
        {"connection_id": connection.pk, "variant_id": "tshirt-5xl"},
    )
    assert (completed.message, completed.parameters) == (
        "Order complete: now Ready for fulfilment",
        {"status": "ready"},
    )
    assert OrderEvent.objects.filter(type="connection_created", order=None).count() == 1


def test_connect_covers_every_waiting_line_of_the_same_variant_and_the_rest_still_waits(
    store, receive, connect_line, order_events, item_rows
):
    o = receive(
        store, order("1001", item("1", "tshirt-5xl"), item("2", "tshirt-5xl"), item("3", "tshirt-l"))
    ).order
    assert connect_line(o, "1").completed is False
    assert _status(o) == ("not_connected", 0)
    assert item_rows(o) == [
        ("1", "connected", "connection", None),
        ("2", "connected", "connection", None),
        ("3", "not_connected", "no_connection", None),
    ]
    assert order_events(o) == ["order_imported", "order_held", "item_connected"]
    assert OrderEvent.objects.get(type="item_connected").message == (
        "Connected Classic T-shirt, Classic T-shirt to uid-5xl"
    )


def test_connect_reuses_the_variants_active_connection(store, receive, connect, connect_line):
    o = receive(store, order("1001", item("1", "tshirt-5xl"))).order
    existing = connect(store, "tshirt-5xl")
    resolution = connect_line(o, "1", target=ConnectTarget())
    assert (resolution.connection, Connection.objects.count(), _item(o, "1").connection) == (
        existing,
        1,
        existing,
    )


def test_connect_from_an_existing_connection_copies_its_fulfilment_product(
    store, receive, connect, connect_line
):
    source = connect(store, "tshirt-m")
    o = receive(store, order("1001", item("1", "tshirt-5xl"))).order
    resolution = connect_line(o, "1", target=ConnectTarget(from_connection_id=source.pk))
    assert (resolution.connection.variant_id, resolution.connection.provider_product_uid) == (
        "tshirt-5xl",
        "uid-tshirt-m",
    )
    assert resolution.connection.files == {"default": "https://example.com/tshirt-m.png"}


def _assert_untouched(o, events_before):
    assert _status(o) == ("not_connected", 0)
    assert list(o.items.values_list("state", flat=True)) == ["not_connected"]
    assert OrderEvent.objects.count() == events_before


def test_connect_from_another_accounts_connection_is_not_found_and_changes_nothing(
    store, receive, connect, connect_line, other_account
):
    theirs = connect(other_account[2], "tshirt-xl")
    o = receive(store, order("1001", item("1", "tshirt-5xl"))).order
    before = OrderEvent.objects.count()
    with pytest.raises(NotFound):
        connect_line(o, "1", target=ConnectTarget(from_connection_id=theirs.pk))
    assert Connection.objects.filter(store=store).count() == 0
    _assert_untouched(o, before)


def test_connect_without_a_fulfilment_product_is_invalid_and_changes_nothing(store, receive, connect_line):
    o = receive(store, order("1001", item("1", "tshirt-5xl"))).order
    before = OrderEvent.objects.count()
    with pytest.raises(InvalidInput):
        connect_line(o, "1", target=ConnectTarget("  "))
    assert Connection.objects.count() == 0
    _assert_untouched(o, before)


def test_connect_on_an_order_that_is_not_waiting_is_a_conflict_and_writes_nothing(
    store, connect, receive, connect_line
):
    connect(store, "tshirt-m")
    o = receive(store, order("1001", item("1", "tshirt-m"))).order
    before = OrderEvent.objects.count()
    with pytest.raises(Conflict):
        connect_line(o, "1")
    assert (_status(o), Connection.objects.count(), OrderEvent.objects.count()) == (("ready", 1), 1, before)


def test_connect_on_an_item_already_connected_is_a_conflict(store, connect, receive, connect_line, item_rows):
    connect(store, "tshirt-m")
    o = receive(store, order("1001", item("1", "tshirt-m"), item("2", "tshirt-5xl"))).order
    before = OrderEvent.objects.count()
    with pytest.raises(Conflict):
        connect_line(o, "1")
    assert OrderEvent.objects.count() == before
    assert item_rows(o) == [
        ("1", "connected", "connection", None),
        ("2", "not_connected", "no_connection", None),
    ]


def test_another_accounts_order_is_not_found(account, actor, other_account, item_rows):
    other, other_user, other_store = other_account
    update_settings(
        other.pk, other_store.pk, {"import_not_connected": True}, events.Actor.for_user(other_user)
    )
    theirs = import_order(other_store, order("1001", item("1", "tshirt-5xl")), events.SYSTEM, now=NOW).order
    before = OrderEvent.objects.count()
    line = _item(theirs, "1")
    with pytest.raises(NotFound):
        connect_item(account.pk, theirs.pk, line.pk, TARGET, actor, now=LATER)
    with pytest.raises(NotFound):
        ignore_item(account.pk, theirs.pk, line.pk, IgnoreScope.ITEM, actor, now=LATER)
    assert (OrderEvent.objects.count(), Connection.objects.count(), item_rows(theirs)) == (
        before,
        0,
        [("1", "not_connected", "no_connection", None)],
    )


def test_item_of_another_order_is_not_found(store, account, actor, receive):
    first = receive(store, order("1001", item("1", "tshirt-5xl"))).order
    second = receive(store, order("1002", item("1", "tshirt-5xl"))).order
    with pytest.raises(NotFound):
        connect_item(account.pk, first.pk, _item(second, "1").pk, TARGET, actor, now=LATER)
    assert Connection.objects.count() == 0


def test_ship_connected_now_releases_each_connected_item_in_its_own_generation(
    make_store, receive, connect_line, order_events, item_rows
):
    store = make_store(partial_release="ship_connected_now")
    o = receive(store, order("1001", item("1", "tshirt-5xl"), item("2", "tshirt-l"))).order
    assert connect_line(o, "1").completed is False
    assert _status(o) == ("not_connected", 1)
    assert connect_line(o, "2", target=ConnectTarget("uid-l")).completed is True
    assert _status(o) == ("ready", 2)
    assert item_rows(o) == [("1", "connected", "connection", 1), ("2", "connected", "connection", 2)]
    assert order_events(o) == [
        "order_imported",
        "order_held",
        "item_connected",
        "items_released",
        "item_connected",
        "order_completed",
        "items_released",
    ]


@pytest.mark.parametrize(
    ("store_settings", "placed_at", "expected"),
    [
        pytest.param({"approval_mode": "manual"}, NOW, ("pending_approval", None, 0), id="manual"),
        pytest.param({"approval_mode": "delayed"}, NOW, ("pending_approval", NOW + timedelta(hours=24), 0), id="delayed"),
        pytest.param({"approval_mode": "delayed"}, NOW - timedelta(hours=30), ("ready", None, 1), id="delayed-past-due"),
    ],
)  # fmt: skip
def test_completed_order_continues_per_approval_mode(
    make_store, receive, connect_line, store_settings, placed_at, expected
):
    store = make_store(**store_settings)
    o = receive(store, order("1001", item("1", "tshirt-5xl"), placed_at=placed_at)).order
    assert connect_line(o, "1").completed is True
    o.refresh_from_db()
    assert (o.status, o.release_at, o.release_count) == expected


def test_ignore_this_item_for_this_order_creates_no_rule(
    store, user, connect, receive, ignore_line, order_events, item_rows
):
    connect(store, "tshirt-m")
    o = receive(
        store, order("1001", item("1", "candle", "candle", "Scented candle"), item("2", "tshirt-m"))
    ).order
    resolution = ignore_line(o, "1", "item", reason="local supplier")
    assert (resolution.completed, resolution.ignore_rule, IgnoreRule.objects.count()) == (True, None, 0)
    assert item_rows(o) == [("1", "ignored", "ignored_for_order", None), ("2", "connected", "connection", 1)]
    line = _item(o, "1")
    assert (line.ignore_rule, line.decided_at, line.decided_by) == (None, LATER, user)
    assert _status(o) == ("ready", 1)
    assert order_events(o) == [
        "order_imported",
        "order_held",
        "item_ignored",
        "order_completed",
        "items_released",
    ]
    ignored = OrderEvent.objects.get(type="item_ignored")
    assert (ignored.message, ignored.parameters) == (
        "Ignored Scented candle: this item for this order",
        {"scope": "item", "rule_id": None, "reason": "local supplier"},
    )


def test_ignore_variant_creates_a_rule_and_ignores_that_variant_in_the_order(
    store, user, receive, ignore_line, item_rows
):
    o = receive(
        store, order("1001", item("1", "tshirt-4xl"), item("2", "tshirt-4xl"), item("3", "tshirt-5xl"))
    ).order
    resolution = ignore_line(o, "1", "variant")
    rule = IgnoreRule.objects.get()
    assert (resolution.completed, resolution.ignore_rule) == (False, rule)
    assert (rule.scope, rule.product_id, rule.variant_id, rule.label, rule.reason, rule.created_by) == (
        "variant",
        "tshirt",
        "tshirt-4xl",
        "Classic T-shirt",
        "made elsewhere",
        user,
    )
    assert item_rows(o) == [
        ("1", "ignored", "variant_rule", None),
        ("2", "ignored", "variant_rule", None),
        ("3", "not_connected", "no_connection", None),
    ]
    assert set(o.items.values_list("ignore_rule", flat=True)) == {rule.pk, None}
    assert list(OrderEvent.objects.filter(type="ignore_rule_created").values_list("order", "parameters")) == [
        (None, {"rule_id": rule.pk, "scope": "variant", "reason": "made elsewhere", "product_id": "tshirt", "variant_id": "tshirt-4xl"})
    ]  # fmt: skip
    assert OrderEvent.objects.get(type="item_ignored").parameters == {
        "scope": "variant",
        "rule_id": rule.pk,
        "reason": "made elsewhere",
    }


def test_ignore_product_ignores_every_variant_and_when_nothing_is_connected_the_order_is_ignored(
    store, receive, ignore_line, order_events, item_rows
):
    o = receive(
        store, order("1001", item("1", "car-red", "car", "Toy car"), item("2", "car-blue", "car", "Toy car"))
    ).order
    resolution = ignore_line(o, "1", "product")
    rule = IgnoreRule.objects.get()
    assert (resolution.completed, rule.scope, rule.product_id, rule.variant_id) == (
        True,
        "product",
        "car",
        "",
    )
    assert item_rows(o) == [("1", "ignored", "product_rule", None), ("2", "ignored", "product_rule", None)]
    o.refresh_from_db()
    assert (o.status, o.status_changed_at, o.release_count) == ("ignored", LATER, 0)
    assert order_events(o) == ["order_imported", "order_held", "item_ignored", "order_completed"]
    assert (
        OrderEvent.objects.get(type="order_completed").message
        == "Order complete: now Ignored (nothing to fulfil)"
    )


def test_ignoring_the_same_variant_on_a_second_order_reuses_the_active_rule(store, receive, ignore_line):
    first = receive(store, order("1001", item("1", "tshirt-4xl"), item("2", "tshirt-5xl"))).order
    second = receive(store, order("1002", item("1", "tshirt-4xl"), item("2", "tshirt-5xl"))).order
    rule = ignore_line(first, "1", "variant").ignore_rule
    assert ignore_line(second, "1", "variant").ignore_rule == rule
    assert (IgnoreRule.objects.count(), OrderEvent.objects.filter(type="ignore_rule_created").count()) == (
        1,
        1,
    )


def test_ignore_on_an_order_that_is_not_waiting_is_a_conflict_and_creates_no_rule(
    store, connect, receive, ignore_line
):
    connect(store, "tshirt-m")
    o = receive(store, order("1001", item("1", "tshirt-m"))).order
    before = OrderEvent.objects.count()
    with pytest.raises(Conflict):
        ignore_line(o, "1", "product")
    assert (IgnoreRule.objects.count(), OrderEvent.objects.count(), _status(o)) == (0, before, ("ready", 1))
