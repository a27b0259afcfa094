"""Create a connected product for a custom store's waiting T-shirt: every size mapped to its exact Gelato product,
siblings seen in the store's orders, the order continues, other waiting orders previewed and applied; a size the
catalog lacks refuses the whole thing with nothing written."""

from __future__ import annotations

import pytest

from printbridge.catalog.connecting import Action, ConnectSpec, create_connected_product, preview
from printbridge.orders import rules
from printbridge.orders.errors import Conflict, InvalidInput, NotFound
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.services import ensure_ignore_rule
from printbridge.orders.services.routing_changes import VariantRef
from printbridge.routing.models import Connection
from tests.catalog_connect.conftest import receive, shirt_uid, tee

SIZES = ("XS", "S", "M", "L", "XL", "2XL", "3XL")


def spec(design, **changes) -> ConnectSpec:
    fields = {
        "product_uid": shirt_uid("m"),
        "mapping": {"Size": "GarmentSize"},
        "designs": {"default": design.pk},
        "connect_siblings": True,
    }
    return ConnectSpec(**{**fields, **changes})


@pytest.fixture
def waiting(store, gelato):
    """#1001 waits for an XS; #1002–#1004 wait for the other sizes up to 3XL (#1004 for two of them)."""
    return {
        "1001": receive(store, "1001", tee("1", "XS")),
        "1002": receive(store, "1002", tee("1", "S"), tee("2", "M")),
        "1003": receive(store, "1003", tee("1", "L")),
        "1004": receive(store, "1004", tee("1", "XL"), tee("2", "2XL"), tee("3", "3XL")),
    }


def item_of(o, external_id="1"):
    return o.items.get(external_id=external_id)


def statuses(orders) -> dict[str, str]:
    return {number: Order.objects.get(pk=o.pk).status for number, o in orders.items()}


def test_the_preview_maps_xs_to_3xl_to_the_exact_products_and_writes_nothing(waiting, design, account):
    o = waiting["1001"]
    before = OrderEvent.objects.count()

    plan = preview(account.pk, o.pk, item_of(o).pk, spec(design))

    assert [(v.ref.variant_id, v.product_uid, v.action, v.is_item) for v in plan.variants] == [
        (f"tshirt-{size.lower()}", shirt_uid(size), Action.CONNECT, size == "XS") for size in SIZES
    ]
    assert plan.files == {"default": f"design:{design.pk}"}
    assert [(p.number, str(p.outcome)) for p in plan.waiting.orders] == [
        ("1002", "continues"),
        ("1003", "continues"),
        ("1004", "continues"),
    ]
    assert (Connection.objects.count(), OrderEvent.objects.count()) == (0, before)
    assert statuses(waiting) == dict.fromkeys(waiting, "not_connected")


def test_creating_connects_every_size_with_the_design_reference_and_the_order_continues(
    waiting, design, account, actor
):
    o = waiting["1001"]

    created = create_connected_product(account.pk, o.pk, item_of(o).pk, spec(design), actor)

    rows = Connection.objects.order_by("pk").values_list(
        "variant_id", "sku", "label", "provider_product_uid", "files"
    )
    assert list(rows) == [
        (
            f"tshirt-{size.lower()}",
            f"TS-{size}",
            f"Classic T-shirt (Size: {size})",
            shirt_uid(size),
            {"default": f"design:{design.pk}"},
        )
        for size in SIZES
    ]
    assert [c.pk for c in created.connections] == list(
        Connection.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert created.resolution.completed is True
    assert statuses(waiting) == {
        "1001": "ready",
        "1002": "not_connected",
        "1003": "not_connected",
        "1004": "not_connected",
    }
    assert created.applied is None
    assert [p.number for p in created.plan.waiting.orders] == ["1002", "1003", "1004"]
    item = item_of(o)
    assert (item.state, item.connection.variant_id) == ("connected", "tshirt-xs")
    types = list(
        OrderEvent.objects.filter(type__in=["connection_created", "item_connected"]).values_list(
            "type", flat=True
        )
    )
    assert types == ["connection_created"] * 7 + ["item_connected"]


def test_applying_to_the_waiting_orders_continues_them_all(waiting, design, account, actor):
    o = waiting["1001"]

    created = create_connected_product(
        account.pk, o.pk, item_of(o).pk, spec(design, apply_to_waiting=True), actor
    )

    assert statuses(waiting) == dict.fromkeys(waiting, "ready")
    assert (created.applied.continued, created.applied.ignored, created.applied.still_waiting) == (3, 0, 0)
    assert set(Order.objects.get(number="1004").items.values_list("state", flat=True)) == {"connected"}


def test_without_siblings_only_the_items_variant_is_connected(waiting, design, account, actor):
    o = waiting["1003"]

    created = create_connected_product(
        account.pk, o.pk, item_of(o).pk, spec(design, connect_siblings=False), actor
    )

    assert list(Connection.objects.values_list("variant_id", "provider_product_uid")) == [
        ("tshirt-l", shirt_uid("L"))
    ]
    assert (created.resolution.completed, created.plan.waiting.orders) == (True, [])
    assert statuses(waiting)["1003"] == "ready"


def test_a_size_the_catalog_lacks_refuses_everything_and_says_which_variant_and_value(
    store, waiting, design, account, actor
):
    receive(store, "1005", tee("1", "6XL"))
    o = waiting["1001"]
    before = OrderEvent.objects.count()

    with pytest.raises(InvalidInput) as refused:
        create_connected_product(account.pk, o.pk, item_of(o).pk, spec(design), actor)

    assert refused.value.message == (
        "Classic T-shirt (Size: 6XL) cannot be made from this catalog product: Size '6XL' matches no Garment size "
        "of the catalog (XS, S, M, L, XL, 2XL, 3XL, 4XL, 5XL). Nothing was connected; map the options differently "
        "or pick another product"
    )
    assert refused.value.details == {"field": "mapping", "variant_id": "tshirt-6xl"}
    assert (Connection.objects.count(), OrderEvent.objects.count()) == (0, before)
    assert set(statuses(waiting).values()) == {"not_connected"}
    plan = preview(account.pk, o.pk, item_of(o).pk, spec(design))
    assert [(v.ref.variant_id, v.action) for v in plan.variants][-1] == ("tshirt-6xl", Action.NO_MATCH)


def test_connected_and_ignored_siblings_are_left_as_they_are(store, waiting, design, account, actor):
    from printbridge.orders.services import create_connection

    create_connection(store, VariantRef("tshirt", "tshirt-m", "TS-M", "T-shirt M"), "uid-m", {}, actor)
    ensure_ignore_rule(
        store, rules.IgnoreScope.VARIANT, VariantRef("tshirt", "tshirt-l"), "printed locally", actor
    )
    o = waiting["1001"]

    plan = preview(account.pk, o.pk, item_of(o).pk, spec(design))

    skipped = [(v.ref.variant_id, v.action, v.reason) for v in plan.variants if v.action != Action.CONNECT]
    assert skipped == [
        ("tshirt-m", Action.ALREADY_CONNECTED, "already connected to uid-m; left as it is"),
        ("tshirt-l", Action.IGNORED, "ignored by a rule (printed locally); left as it is"),
    ]
    created = create_connected_product(account.pk, o.pk, item_of(o).pk, spec(design), actor)
    assert sorted(c.variant_id for c in created.connections) == sorted(
        ["tshirt-xs", "tshirt-s", "tshirt-xl", "tshirt-2xl", "tshirt-3xl"]
    )
    assert Connection.objects.get(variant_id="tshirt-m").provider_product_uid == "uid-m"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"product_uid": "no-such-product"},
            "product_uid",
            "No product 'no-such-product' in the catalog; choose one from the catalog",
        ),
        ({"mapping": {"Colour": "GarmentColor"}}, "mapping", "Classic T-shirt has no option 'Colour'"),
        (
            {"mapping": {"Size": "PaperFormat"}},
            "mapping.Size",
            "The T-shirts catalog has no attribute 'PaperFormat'",
        ),
        ({"designs": {}}, "designs.default", "Choose a design file for front"),
        ({"designs": {"default": 999999}}, "designs.default", "No such design file; choose one of yours"),
        (
            {"designs": {"default": 1, "sleeve": 1}},
            "designs",
            "This product takes files for default, not 'sleeve'",
        ),
    ],
)
def test_invalid_choices_are_refused_with_the_field(waiting, design, account, actor, changes, field, message):
    o = waiting["1001"]

    with pytest.raises(InvalidInput) as refused:
        create_connected_product(account.pk, o.pk, item_of(o).pk, spec(design, **changes), actor)

    assert (refused.value.message, refused.value.details["field"]) == (message, field)
    assert Connection.objects.count() == 0


def test_another_accounts_item_is_not_found_and_an_item_no_longer_waiting_is_a_conflict(
    waiting, design, account, actor, other_account
):
    o = waiting["1003"]
    with pytest.raises(NotFound):
        create_connected_product(other_account[0].pk, o.pk, item_of(o).pk, spec(design), actor)
    create_connected_product(account.pk, o.pk, item_of(o).pk, spec(design, connect_siblings=False), actor)

    with pytest.raises(Conflict) as again:
        create_connected_product(account.pk, o.pk, item_of(o).pk, spec(design), actor)

    assert (
        again.value.message == "Item 'Classic T-shirt' of order #1003 is not waiting for a Connect or Ignore"
    )
