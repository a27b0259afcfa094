"""Resolve by variant as a service: connect or ignore a waiting variant, then move every order waiting for it."""

from datetime import timedelta

import pytest

from printbridge.orders.errors import InvalidInput, NotFound
from printbridge.orders.models import OrderEvent
from printbridge.orders.rules import IgnoreScope
from printbridge.orders.services.reevaluation import Applied
from printbridge.orders.services.variant_resolution import connect_variant, ignore_variant
from printbridge.routing.models import Connection, IgnoreRule
from tests.conftest import NOW, item, order

LATER = NOW + timedelta(hours=1)


def tshirt(external_id, size):
    return item(external_id, f"tshirt-{size}", "tshirt", f"Classic T-shirt {size.upper()}")


def _status(o):
    o.refresh_from_db()
    return o.status, o.release_count


def test_connect_variant_reuses_the_product_of_a_connection_and_moves_every_waiting_order(
    store, account, user, actor, connect, receive, item_rows
):
    m = connect(store, "tshirt-m")
    o1 = receive(store, order("1", tshirt("1", "5xl"))).order
    o2 = receive(store, order("2", tshirt("1", "l"), tshirt("2", "5xl"))).order
    done = connect_variant(account.pk, store.pk, "tshirt-5xl", m.pk, actor, now=LATER)
    assert done.applied == Applied(continued=1, still_waiting=1)
    connection = Connection.objects.get(variant_id="tshirt-5xl")
    assert (done.connection, done.ignore_rule) == (connection, None)
    assert (connection.provider_product_uid, connection.files, connection.label, connection.sku) == (
        "uid-tshirt-m", m.files, "Classic T-shirt 5XL", "TSHIRT-5XL",
    )  # fmt: skip
    assert (_status(o1), _status(o2)) == (("ready", 1), ("not_connected", 0))
    assert item_rows(o2) == [
        ("1", "not_connected", "no_connection", None),
        ("2", "connected", "connection", None),
    ]
    assert list(OrderEvent.objects.filter(type="connection_created").values_list("actor", "message")) == [
        ("ana@example.com", "Connected Label tshirt-m to uid-tshirt-m"),
        ("ana@example.com", "Connected Classic T-shirt 5XL to uid-tshirt-m"),
    ]


def test_connect_variant_applies_the_existing_connection_when_the_variant_was_connected_meanwhile(
    store, account, actor, connect, receive
):
    o1 = receive(store, order("1", tshirt("1", "5xl"))).order
    five = connect(store, "tshirt-5xl")
    other = connect(store, "tshirt-m")
    done = connect_variant(account.pk, store.pk, "tshirt-5xl", other.pk, actor, now=LATER)
    assert (done.connection, done.applied, _status(o1)) == (five, Applied(continued=1), ("ready", 1))
    assert Connection.objects.filter(variant_id="tshirt-5xl").count() == 1


def test_ignore_variant_for_the_product_moves_every_order_with_any_of_its_variants(
    store, account, user, actor, receive
):
    red = receive(store, order("1", item("1", "car-red", "car", "Toy car"))).order
    blue = receive(store, order("2", item("1", "car-blue", "car", "Toy car"), tshirt("2", "l"))).order
    done = ignore_variant(
        account.pk, store.pk, "car-red", IgnoreScope.PRODUCT, actor, "other supplier", LATER
    )
    rule = IgnoreRule.objects.get()
    assert (done.ignore_rule, done.applied) == (rule, Applied(ignored=1, still_waiting=1))
    assert (rule.scope, rule.product_id, rule.variant_id, rule.label, rule.reason, rule.created_by) == (
        "product", "car", "", "Toy car", "other supplier", user,
    )  # fmt: skip
    assert (_status(red), _status(blue)) == (("ignored", 0), ("not_connected", 0))


def test_a_variant_no_order_waits_for_another_accounts_store_or_an_item_scope_change_nothing(
    store, account, actor, connect, receive, other_account
):
    m = connect(store, "tshirt-m")
    receive(store, order("1", tshirt("1", "5xl")))
    with pytest.raises(NotFound):
        connect_variant(account.pk, store.pk, "tshirt-xs", m.pk, actor)
    with pytest.raises(NotFound):
        connect_variant(account.pk, other_account[2].pk, "tshirt-5xl", m.pk, actor)
    with pytest.raises(NotFound):
        connect_variant(other_account[0].pk, store.pk, "tshirt-5xl", m.pk, actor)
    with pytest.raises(InvalidInput):
        ignore_variant(account.pk, store.pk, "tshirt-5xl", IgnoreScope.ITEM, actor)
    assert (Connection.objects.count(), IgnoreRule.objects.count()) == (1, 0)
    assert OrderEvent.objects.filter(type__in=["order_reevaluated", "ignore_rule_created"]).count() == 0
