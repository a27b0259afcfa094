"""Re-evaluation: the preview of the other waiting orders a change would move, and applying it in bulk."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext

from printbridge.orders.errors import Conflict
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.services import (
    Change,
    ChangeKind,
    apply_connection,
    apply_ignore_rule,
    preview,
    revoke_ignore_rule,
)
from printbridge.orders.services.reevaluation import Applied, OrderOutcome, PreviewOrder
from printbridge.orders.services.routing_changes import disconnect
from tests.conftest import NOW, item, order

LATER = NOW + timedelta(hours=1)
CONNECT_5XL = Change(ChangeKind.CONNECT, "tshirt", "tshirt-5xl")
IGNORE_5XL = Change(ChangeKind.IGNORE_VARIANT, "tshirt", "tshirt-5xl")
IGNORE_TSHIRTS = Change(ChangeKind.IGNORE_PRODUCT, "tshirt")


@pytest.fixture
def waiting(store, connect, receive):
    """#1 only 5XL; #2 M (connected) + 5XL; #3 5XL + L; #4 only L; #5 only M (ready, not waiting)."""
    connect(store, "tshirt-m")
    orders = [
        receive(store, order("1", item("1", "tshirt-5xl"), total="11.00")).order,
        receive(store, order("2", item("1", "tshirt-m"), item("2", "tshirt-5xl"), total="22.00")).order,
        receive(store, order("3", item("1", "tshirt-5xl"), item("2", "tshirt-l"), total="33.00")).order,
        receive(store, order("4", item("1", "tshirt-l"))).order,
        receive(store, order("5", item("1", "tshirt-m"))).order,
    ]
    return {o.number: o for o in orders}


def _previewed(o, outcome):
    return PreviewOrder(o.pk, o.number, o.total, "USD", outcome)


def _snapshot():
    orders = list(Order.objects.order_by("pk").values_list("pk", "status", "release_count", "release_at"))
    items = list(Order.objects.order_by("items__pk").values_list("items__state", "items__release_generation"))
    return orders, items, OrderEvent.objects.count()


def _statuses(orders):
    return {
        n: tuple(Order.objects.values_list("status", "release_count").get(pk=o.pk)) for n, o in orders.items()
    }


def test_preview_of_a_connection_lists_the_other_waiting_orders_and_writes_nothing(store, waiting):
    before = _snapshot()
    result = preview(store, CONNECT_5XL, exclude_order_id=waiting["1"].pk)
    assert result.orders == [
        _previewed(waiting["2"], OrderOutcome.CONTINUES),
        _previewed(waiting["3"], OrderOutcome.STILL_WAITING),
    ]
    assert [o.total for o in result.orders] == [Decimal("22.00"), Decimal("33.00")]
    assert (result.count(OrderOutcome.CONTINUES), result.count(OrderOutcome.STILL_WAITING)) == (1, 1)
    assert _snapshot() == before


def test_preview_of_a_variant_ignore_rule_tells_ignored_from_continuing(store, waiting):
    assert preview(store, IGNORE_5XL).orders == [
        _previewed(waiting["1"], OrderOutcome.IGNORED),
        _previewed(waiting["2"], OrderOutcome.CONTINUES),
        _previewed(waiting["3"], OrderOutcome.STILL_WAITING),
    ]


def test_preview_of_a_product_ignore_rule_covers_every_variant(store, waiting):
    assert preview(store, IGNORE_TSHIRTS).orders == [
        _previewed(waiting["1"], OrderOutcome.IGNORED),
        _previewed(waiting["2"], OrderOutcome.CONTINUES),
        _previewed(waiting["3"], OrderOutcome.IGNORED),
        _previewed(waiting["4"], OrderOutcome.IGNORED),
    ]


def test_preview_sees_only_the_stores_own_orders(store, make_store, waiting, receive):
    other = make_store("Second shop")
    receive(other, order("1", item("1", "tshirt-5xl")))
    assert [o.id for o in preview(store, CONNECT_5XL).orders] == [waiting[n].pk for n in ("1", "2", "3")]


def test_apply_connection_moves_every_waiting_order_it_completes(
    store, user, actor, connect, waiting, item_rows
):
    connection = connect(store, "tshirt-5xl")
    assert apply_connection(connection, actor, now=LATER) == Applied(continued=2, ignored=0, still_waiting=1)
    assert _statuses(waiting) == {
        "1": ("ready", 1),
        "2": ("ready", 1),
        "3": ("not_connected", 0),
        "4": ("not_connected", 0),
        "5": ("ready", 1),
    }
    assert item_rows(waiting["2"]) == [
        ("1", "connected", "connection", 1),
        ("2", "connected", "connection", 1),
    ]
    assert item_rows(waiting["3"]) == [
        ("1", "connected", "connection", None),
        ("2", "not_connected", "no_connection", None),
    ]
    line = waiting["3"].items.get(external_id="1")
    assert (line.connection, line.decided_at, line.decided_by) == (connection, LATER, user)
    assert Order.objects.get(pk=waiting["1"].pk).status_changed_at == LATER
    events = OrderEvent.objects.filter(type="order_reevaluated").order_by("order_id")
    change = {"kind": "connect", "product_id": "tshirt", "variant_id": "tshirt-5xl"}
    assert [(e.order.number, e.actor, e.message, e.parameters) for e in events] == [
        ("1", "ana@example.com", "Re-evaluated after a new connection: order complete, continues", {"outcome": "continues", "change": change}),
        ("2", "ana@example.com", "Re-evaluated after a new connection: order complete, continues", {"outcome": "continues", "change": change}),
        ("3", "ana@example.com", "Re-evaluated after a new connection: still waiting for other items", {"outcome": "still_waiting", "change": change}),
    ]  # fmt: skip
    assert OrderEvent.objects.filter(order=waiting["4"]).count() == 2


def test_apply_variant_ignore_rule_ignores_orders_left_with_nothing_to_fulfil(
    store, actor, ignore, waiting, item_rows
):
    rule = ignore(store, "variant", "tshirt", "tshirt-5xl")
    assert apply_ignore_rule(rule, actor, now=LATER) == Applied(continued=1, ignored=1, still_waiting=1)
    assert _statuses(waiting) == {
        "1": ("ignored", 0),
        "2": ("ready", 1),
        "3": ("not_connected", 0),
        "4": ("not_connected", 0),
        "5": ("ready", 1),
    }
    assert item_rows(waiting["1"]) == [("1", "ignored", "variant_rule", None)]
    assert item_rows(waiting["2"]) == [
        ("1", "connected", "connection", 1),
        ("2", "ignored", "variant_rule", None),
    ]
    assert waiting["1"].items.get().ignore_rule == rule
    assert list(OrderEvent.objects.filter(type="order_reevaluated").order_by("order_id").values_list("order__number", "message")) == [
        ("1", "Re-evaluated after a variant ignore rule: every item ignored, nothing to fulfil"),
        ("2", "Re-evaluated after a variant ignore rule: order complete, continues"),
        ("3", "Re-evaluated after a variant ignore rule: still waiting for other items"),
    ]  # fmt: skip


def test_apply_product_ignore_rule_ignores_every_variant_of_the_product(
    store, actor, ignore, waiting, item_rows
):
    rule = ignore(store, "product", "tshirt")
    assert apply_ignore_rule(rule, actor, now=LATER) == Applied(continued=1, ignored=3, still_waiting=0)
    assert _statuses(waiting) == {
        "1": ("ignored", 0),
        "2": ("ready", 1),
        "3": ("ignored", 0),
        "4": ("ignored", 0),
        "5": ("ready", 1),
    }
    assert item_rows(waiting["3"]) == [
        ("1", "ignored", "product_rule", None),
        ("2", "ignored", "product_rule", None),
    ]


@pytest.mark.parametrize(
    ("store_settings", "expected"),
    [
        pytest.param({"approval_mode": "manual"}, [("pending_approval", None, 0), ("pending_approval", None, 0)], id="manual"),
        pytest.param(
            {"approval_mode": "delayed", "approval_delay_hours": 24},
            [("ready", None, 1), ("pending_approval", NOW + timedelta(hours=24), 0)],
            id="delayed-one-past-due",
        ),
    ],
)  # fmt: skip
def test_apply_continues_orders_per_approval_mode(
    make_store, actor, connect, receive, store_settings, expected
):
    store = make_store(**store_settings)
    old = receive(store, order("1", item("1", "tshirt-5xl"), placed_at=NOW - timedelta(hours=30))).order
    new = receive(store, order("2", item("1", "tshirt-5xl"))).order
    assert apply_connection(connect(store, "tshirt-5xl"), actor, now=LATER) == Applied(continued=2)
    rows = Order.objects.filter(pk__in=[old.pk, new.pk]).order_by("pk")
    assert list(rows.values_list("status", "release_at", "release_count")) == expected


def test_apply_connection_with_ship_connected_now_releases_it_in_still_waiting_orders(
    make_store, actor, connect, receive, item_rows
):
    store = make_store(partial_release="ship_connected_now")
    o = receive(store, order("1", item("1", "tshirt-5xl"), item("2", "tshirt-l"))).order
    assert apply_connection(connect(store, "tshirt-5xl"), actor, now=LATER) == Applied(still_waiting=1)
    o.refresh_from_db()
    assert (o.status, o.release_count) == ("not_connected", 1)
    assert item_rows(o) == [
        ("1", "connected", "connection", 1),
        ("2", "not_connected", "no_connection", None),
    ]


def test_ignore_rule_completing_a_ship_now_order_opens_no_empty_generation(
    make_store, actor, connect, ignore, receive, item_rows
):
    store = make_store(partial_release="ship_connected_now")
    connect(store, "tshirt-m")
    o = receive(store, order("1", item("1", "tshirt-m"), item("2", "tshirt-5xl"))).order
    assert apply_ignore_rule(ignore(store, "variant", "tshirt", "tshirt-5xl"), actor, now=LATER) == Applied(
        continued=1
    )
    o.refresh_from_db()
    assert (o.status, o.release_count) == ("ready", 1)
    assert item_rows(o) == [("1", "connected", "connection", 1), ("2", "ignored", "variant_rule", None)]


def test_apply_leaves_other_stores_orders_alone(store, make_store, actor, connect, receive, item_rows):
    other = make_store("Second shop")
    theirs = receive(other, order("1", item("1", "tshirt-5xl"))).order
    receive(store, order("1", item("1", "tshirt-5xl")))
    assert apply_connection(connect(store, "tshirt-5xl"), actor, now=LATER) == Applied(continued=1)
    assert (Order.objects.get(pk=theirs.pk).status, item_rows(theirs)) == (
        "not_connected",
        [("1", "not_connected", "no_connection", None)],
    )


def test_applying_a_removed_connection_is_a_conflict_and_changes_nothing(
    store, account, actor, connect, waiting
):
    connection = disconnect(account.pk, connect(store, "tshirt-5xl").pk, actor, now=NOW)
    before = _snapshot()
    with pytest.raises(Conflict):
        apply_connection(connection, actor, now=LATER)
    assert _snapshot() == before


def test_applying_a_revoked_rule_is_a_conflict_and_changes_nothing(store, account, actor, ignore, waiting):
    rule = revoke_ignore_rule(
        account.pk, ignore(store, "variant", "tshirt", "tshirt-5xl").pk, actor, now=NOW
    ).rule
    before = _snapshot()
    with pytest.raises(Conflict):
        apply_ignore_rule(rule, actor, now=LATER)
    assert _snapshot() == before


def _store_with_waiting_orders(make_store, connect, receive, name, count):
    """`count` waiting orders for 5XL: every third also waits for L, the others have a connected M."""
    store = make_store(name)
    connect(store, "tshirt-m")
    for n in range(count):
        other = item("2", "tshirt-l") if n % 3 == 0 else item("2", "tshirt-m")
        receive(store, order(f"{n}", item("1", "tshirt-5xl"), other))
    return connect(store, "tshirt-5xl")


def _apply_counting_queries(connection, actor):
    with CaptureQueriesContext(db) as queries:
        applied = apply_connection(connection, actor, now=LATER)
    return applied, len(queries.captured_queries)


def test_applying_a_connection_costs_the_same_queries_for_60_orders_as_for_3(
    make_store, actor, connect, receive
):
    small = _store_with_waiting_orders(make_store, connect, receive, "Small shop", 3)
    large = _store_with_waiting_orders(make_store, connect, receive, "Large shop", 60)
    small_applied, small_queries = _apply_counting_queries(small, actor)
    large_applied, large_queries = _apply_counting_queries(large, actor)
    assert (small_applied, large_applied) == (Applied(2, 0, 1), Applied(40, 0, 20))
    assert large_queries == small_queries
    assert sorted(Order.objects.filter(store=large.store).values_list("status", flat=True).distinct()) == [
        "not_connected",
        "ready",
    ]
    assert Order.objects.filter(store=large.store, status="ready", release_count=1).count() == 40
