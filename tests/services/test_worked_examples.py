"""The seed's three worked examples, end to end through the services: local supplier, T-shirts XS–5XL, cars."""

from datetime import timedelta

import pytest
from django.core import mail

from printbridge.orders.models import Order, OrderEvent, SuppressedOrder
from printbridge.orders.rules import NOTHING_TO_FULFIL_REASON, IgnoreScope
from printbridge.orders.services import (
    Change,
    ConnectTarget,
    Outcome,
    apply_connection,
    apply_ignore_rule,
    connect_item,
    ignore_item,
    preview,
)
from printbridge.orders.services.reevaluation import Applied, OrderOutcome
from printbridge.routing.models import IgnoreRule
from tests.conftest import NOW, item, order

LATER = NOW + timedelta(hours=1)


def _line(o, external_id):
    return o.items.get(external_id=external_id)


def _status(o):
    o.refresh_from_db()
    return o.status, o.release_count


def _listed_items(message):
    return [line for line in message.body.splitlines() if line.startswith("- ")]


def candle(external_id="1"):
    return item(external_id, "candle", "candle", "Scented candle (local supplier)")


def tshirt(external_id, size):
    return item(external_id, f"tshirt-{size}", "tshirt", f"Classic T-shirt {size.upper()}")


def car(external_id, colour):
    return item(external_id, f"car-{colour}", "car", "Toy car")


# --- local supplier ---------------------------------------------------------------------------------------------


def test_local_supplier_item_ignored_for_1000_and_1001_with_the_same_item_is_not_connected_again(
    store, account, actor, connect, receive, item_rows, django_capture_on_commit_callbacks
):
    connect(store, "tshirt-m")
    o1000 = receive(store, order("1000", candle(), tshirt("2", "m"))).order
    resolution = ignore_item(
        account.pk, o1000.pk, _line(o1000, "1").pk, IgnoreScope.ITEM, actor, "local", now=LATER
    )
    assert (resolution.completed, _status(o1000), IgnoreRule.objects.count()) == (True, ("ready", 1), 0)
    assert item_rows(o1000) == [
        ("1", "ignored", "ignored_for_order", None),
        ("2", "connected", "connection", 1),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        o1001 = receive(store, order("1001", candle(), tshirt("2", "m")), now=LATER).order
    assert _status(o1001) == ("not_connected", 0)
    assert item_rows(o1001) == [
        ("1", "not_connected", "no_connection", None),
        ("2", "connected", "connection", None),
    ]
    assert [m.subject for m in mail.outbox] == ["Order #1001 requires action"]
    assert _listed_items(mail.outbox[0]) == ["- 1 x Scented candle (local supplier) [SKU CANDLE]"]


# --- T-shirts XS–5XL --------------------------------------------------------------------------------------------


@pytest.fixture
def tshirts(store, account, actor, connect, receive):
    """M is connected; the merchant ignored 4XL "for all incoming orders" while completing order #999."""
    connect(store, "tshirt-m")
    o999 = receive(store, order("999", tshirt("1", "4xl"))).order
    resolution = ignore_item(account.pk, o999.pk, _line(o999, "1").pk, IgnoreScope.VARIANT, actor, now=NOW)
    assert _status(o999) == ("ignored", 0)
    return resolution.ignore_rule


def test_tshirts_xs_to_5xl_order_1001_with_m_4xl_and_5xl_needs_action_for_5xl_only(
    store, tshirts, receive, item_rows, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        o1001 = receive(store, order("1001", tshirt("1", "m"), tshirt("2", "4xl"), tshirt("3", "5xl"))).order
    assert _status(o1001) == ("not_connected", 0)
    assert item_rows(o1001) == [
        ("1", "connected", "connection", None),
        ("2", "ignored", "variant_rule", None),
        ("3", "not_connected", "no_connection", None),
    ]
    assert _line(o1001, "2").ignore_rule == tshirts
    assert OrderEvent.objects.get(order=o1001, type="order_held").parameters == {"items": ["3"]}
    assert [m.subject for m in mail.outbox] == ["Order #1001 requires action"]
    assert _listed_items(mail.outbox[0]) == ["- 1 x Classic T-shirt 5XL [SKU TSHIRT-5XL]"]


def test_tshirts_xs_to_5xl_order_of_only_4xl_is_not_imported_and_is_in_the_ledger(store, tshirts, receive):
    result = receive(store, order("1002", tshirt("1", "4xl")))
    assert (result.outcome, Order.objects.filter(external_id="1002").count()) == (Outcome.SUPPRESSED, 0)
    row = SuppressedOrder.objects.get()
    assert (row.external_id, row.reason, list(row.rules.all())) == (
        "1002",
        NOTHING_TO_FULFIL_REASON,
        [tshirts],
    )
    assert [(i["name"], i["state"], i["reason"], i["rule_id"]) for i in row.items] == [
        (
            "Classic T-shirt 4XL",
            "ignored",
            "ignored by rule: this variant for all incoming orders",
            tshirts.pk,
        )
    ]


def test_tshirts_xs_to_5xl_connecting_5xl_on_1001_releases_it_and_moves_the_other_5xl_orders(
    store, tshirts, account, actor, receive, item_rows
):
    o1001 = receive(store, order("1001", tshirt("1", "m"), tshirt("2", "4xl"), tshirt("3", "5xl"))).order
    o1006 = receive(store, order("1006", tshirt("1", "5xl"))).order
    o1007 = receive(store, order("1007", tshirt("1", "l"), tshirt("2", "5xl"))).order
    target = ConnectTarget("uid-5xl", {"default": "https://example.com/logo.png"})
    resolution = connect_item(account.pk, o1001.pk, _line(o1001, "3").pk, target, actor, now=LATER)
    assert (resolution.completed, _status(o1001)) == (True, ("ready", 1))
    assert item_rows(o1001) == [
        ("1", "connected", "connection", 1),
        ("2", "ignored", "variant_rule", None),
        ("3", "connected", "connection", 1),
    ]
    others = preview(store, Change.of_connection(resolution.connection), exclude_order_id=o1001.pk)
    assert [(o.number, o.outcome) for o in others.orders] == [
        ("1006", OrderOutcome.CONTINUES),
        ("1007", OrderOutcome.STILL_WAITING),
    ]
    assert apply_connection(resolution.connection, actor, now=LATER) == Applied(continued=1, still_waiting=1)
    assert (_status(o1006), _status(o1007)) == (("ready", 1), ("not_connected", 0))
    assert item_rows(o1007) == [
        ("1", "not_connected", "no_connection", None),
        ("2", "connected", "connection", None),
    ]


# --- cars -------------------------------------------------------------------------------------------------------


@pytest.fixture
def cars(store, account, actor, connect, receive):
    """Wall art is connected; the merchant ignored the car "in all variants" while completing order #900."""
    connect(store, "wall-art-a3", "wall-art")
    o900 = receive(store, order("900", car("1", "red"))).order
    resolution = ignore_item(account.pk, o900.pk, _line(o900, "1").pk, IgnoreScope.PRODUCT, actor, now=NOW)
    assert _status(o900) == ("ignored", 0)
    return resolution.ignore_rule


@pytest.mark.parametrize("colour", ["red", "blue"])
def test_cars_order_of_a_car_in_any_colour_is_not_imported(store, cars, receive, colour):
    result = receive(store, order("1003", car("1", colour)))
    assert (result.outcome, Order.objects.filter(external_id="1003").count()) == (Outcome.SUPPRESSED, 0)
    row = SuppressedOrder.objects.get()
    assert (row.reason, list(row.rules.all())) == (NOTHING_TO_FULFIL_REASON, [cars])
    assert [(i["variant_id"], i["reason"]) for i in row.items] == [
        (f"car-{colour}", "ignored by rule: this product in all variants")
    ]


def test_cars_wall_art_and_car_goes_on_with_only_the_wall_art(
    store, cars, receive, item_rows, order_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = receive(
            store, order("1005", item("1", "wall-art-a3", "wall-art", "Wall art A3"), car("2", "red"))
        )
    assert (result.outcome, _status(result.order), len(callbacks), mail.outbox) == (
        Outcome.CREATED,
        ("ready", 1),
        1,  # the fulfilment outbox's sender; no e-mail
        [],
    )
    assert item_rows(result.order) == [
        ("1", "connected", "connection", 1),
        ("2", "ignored", "product_rule", None),
    ]
    assert _line(result.order, "2").ignore_rule == cars
    assert order_events(result.order) == ["order_imported", "items_released"]
    assert SuppressedOrder.objects.count() == 0


def test_cars_ignoring_the_product_moves_the_other_waiting_car_orders(
    store, account, actor, connect, receive, item_rows
):
    connect(store, "wall-art-a3", "wall-art")
    o900 = receive(store, order("900", car("1", "red"))).order
    o901 = receive(store, order("901", car("1", "blue"))).order
    o902 = receive(store, order("902", car("1", "blue"), item("2", "wall-art-a3", "wall-art"))).order
    o903 = receive(store, order("903", car("1", "red"), tshirt("2", "l"))).order
    rule = ignore_item(
        account.pk, o900.pk, _line(o900, "1").pk, IgnoreScope.PRODUCT, actor, now=LATER
    ).ignore_rule
    others = preview(store, Change.of_rule(rule), exclude_order_id=o900.pk)
    assert [(o.number, o.outcome) for o in others.orders] == [
        ("901", OrderOutcome.IGNORED),
        ("902", OrderOutcome.CONTINUES),
        ("903", OrderOutcome.STILL_WAITING),
    ]
    assert apply_ignore_rule(rule, actor, now=LATER) == Applied(continued=1, ignored=1, still_waiting=1)
    assert [_status(o) for o in (o900, o901, o902, o903)] == [
        ("ignored", 0),
        ("ignored", 0),
        ("ready", 1),
        ("not_connected", 0),
    ]
    assert item_rows(o902) == [("1", "ignored", "product_rule", None), ("2", "connected", "connection", 1)]
