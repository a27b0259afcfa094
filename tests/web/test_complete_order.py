"""The order page and Complete order through the web: the seed's three worked examples, htmx, refusals."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.urls import include, path

from printbridge.orders import events
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.services import import_order
from printbridge.routing.models import Connection, IgnoreRule
from printbridge.stores.services import update_settings
from tests.conftest import item, order
from tests.web.routing_helpers import (
    HTMX,
    body_rows,
    candle,
    car,
    connect,
    errors,
    event_types,
    item_rows,
    line,
    logged_in,
    notices,
    receive,
    status,
    texts,
    tshirt,
)

urlpatterns = [  # this module doubles as a URLconf in which the catalog flow exists
    path("", include("printbridge.urls")),
    path("catalog/connect/", lambda request: HttpResponse("catalog"), name="catalog-connect"),
]


def _ignore(client, o, external_id, scope, **extra):
    return client.post(f"/orders/{o.pk}/items/{line(o, external_id).pk}/ignore", {"scope": scope, **extra})


def _connect(client, o, external_id, connection_id, **headers):
    url = f"/orders/{o.pk}/items/{line(o, external_id).pk}/connect"
    return client.post(url, {"connection": connection_id}, headers=headers)


def _changes():
    return (
        list(Order.objects.order_by("pk").values_list("status", "release_count")),
        list(Connection.objects.values_list("pk", flat=True)),
        list(IgnoreRule.objects.values_list("pk", flat=True)),
        OrderEvent.objects.count(),
    )


# --- the page ---------------------------------------------------------------------------------------------------


def test_a_not_connected_order_shows_complete_order_with_connect_and_the_three_ignore_options(
    store, user, actor
):
    connect(store, actor, "tshirt-m", label="Classic T-shirt (Size: M)")
    o = receive(store, "1000", candle(), tshirt("2", "m")).order
    html = logged_in(user).get(f"/orders/{o.pk}/").content.decode()
    assert texts(html, "h1") == ["Order #1000 Not connected"]
    assert texts(html, "h2")[:1] == ["Complete order"]
    assert texts(html, "h3") == ["Scented candle (local supplier) × 1 · SKU CANDLE"]
    assert texts(html, "legend") == [
        "Connect to a connected product (for this and every future order)",
        "Ignore Scented candle (local supplier)",
    ]
    assert texts(html, "label")[1:] == [
        "Classic T-shirt (Size: M) SKU TSHIRT-M · uid-tshirt-m · Shop",
        "this item for this order",
        "this variant for all incoming orders",
        "this product in all variants",
        "Reason (optional)",
    ]
    assert '<button type="submit" class="pb-primary">Connect</button>' in html
    assert f'<a href="/catalog/connect/?order={o.pk}&amp;item={line(o, "1").pk}">Create a new product' in html
    assert body_rows(html) == [
        "Scented candle (local supplier) SKU CANDLE 1 Not connected not connected for 2 days — —",
        "Classic T-shirt M SKU TSHIRT-M 1 Connected "
        f"connected to uid-tshirt-m, by ana@example.com, {Connection.objects.get().created_at:%-d %b} — —",
    ]
    assert [t.split(" — ", 1)[1] for t in texts(html, "li")] == [
        "Imported as Not connected (by custom store API)",
        "Held: 1 item(s) not connected (Scented candle (local supplier)); Import not connected orders is on "
        "(by custom store API)",
    ]


@pytest.mark.urls("tests.web.test_complete_order")
def test_create_a_new_product_from_the_catalog_is_offered_when_the_catalog_flow_exists(store, user):
    o = receive(store, "1000", candle()).order
    html = logged_in(user).get(f"/orders/{o.pk}/").content.decode()
    link = f'<a href="/catalog/connect/?order={o.pk}&amp;item={line(o, "1").pk}">Create a new product from the catalog</a>'
    assert link in html


def test_an_order_that_is_not_waiting_has_no_complete_order_section(store, user, actor):
    connect(store, actor, "tshirt-m")
    o = receive(store, "1000", tshirt("1", "m")).order
    html = logged_in(user).get(f"/orders/{o.pk}/").content.decode()
    assert (status(o), texts(html, "h1"), 'id="complete-order"' in html) == (
        ("ready", 1),
        ["Order #1000 Ready for fulfilment"],
        False,
    )


# --- local supplier ---------------------------------------------------------------------------------------------


def test_local_supplier_ignoring_the_item_for_this_order_continues_1000_and_1001_needs_action_again(
    store, user, actor
):
    connect(store, actor, "tshirt-m")
    o1000 = receive(store, "1000", candle(), tshirt("2", "m")).order
    client = logged_in(user)
    response = _ignore(client, o1000, "1", "item", reason="local")
    assert (response.status_code, response["Location"]) == (302, f"/orders/{o1000.pk}/")
    page = client.get(response["Location"])
    assert notices(page) == [
        "Ignored Scented candle (local supplier): this item for this order. "
        "Order #1000 continues: 1 item released for fulfilment."
    ]
    assert (status(o1000), IgnoreRule.objects.count()) == (("ready", 1), 0)
    assert item_rows(o1000) == [
        ("1", "ignored", "ignored_for_order", None),
        ("2", "connected", "connection", 1),
    ]
    assert event_types(o1000)[-3:] == ["item_ignored", "order_completed", "items_released"]
    ignored = OrderEvent.objects.get(order=o1000, type="item_ignored")
    assert (ignored.actor, ignored.message, ignored.parameters) == (
        "ana@example.com",
        "Ignored Scented candle (local supplier): this item for this order",
        {"scope": "item", "rule_id": None, "reason": "local"},
    )
    assert 'id="complete-order"' not in page.content.decode()
    assert notices(client.get(f"/orders/{o1000.pk}/")) == []  # the notice is shown once
    o1001 = receive(store, "1001", candle(), tshirt("2", "m")).order
    assert item_rows(o1001) == [
        ("1", "not_connected", "no_connection", None),
        ("2", "connected", "connection", None),
    ]


# --- T-shirts XS–5XL --------------------------------------------------------------------------------------------


def test_tshirts_ignoring_4xl_for_all_orders_then_connecting_5xl_on_1001_and_applying_to_the_others(
    store, user, actor
):
    m = connect(store, actor, "tshirt-m", label="Classic T-shirt (Size: M)")
    client = logged_in(user)
    o999 = receive(store, "999", tshirt("1", "4xl")).order
    page = client.get(_ignore(client, o999, "1", "variant")["Location"])
    assert notices(page) == [
        "Ignored Classic T-shirt 4XL: this variant for all incoming orders. "
        "Order #999 has nothing left to fulfil: every item is ignored (status Ignored)."
    ]
    rule = IgnoreRule.objects.get()
    assert (status(o999), rule.scope, rule.variant_id, rule.label, rule.created_by) == (
        ("ignored", 0), "variant", "tshirt-4xl", "Classic T-shirt 4XL", user,
    )  # fmt: skip
    o1001 = receive(store, "1001", tshirt("1", "m"), tshirt("2", "4xl"), tshirt("3", "5xl")).order
    o1006 = receive(store, "1006", tshirt("1", "5xl")).order
    o1007 = receive(store, "1007", tshirt("1", "l"), tshirt("2", "5xl")).order
    html = client.get(f"/orders/{o1001.pk}/").content.decode()
    assert texts(html, "h3") == ["Classic T-shirt 5XL × 1 · SKU TSHIRT-5XL"]
    assert "ignored by rule: variant Classic T-shirt 4XL, by ana@example.com" in html
    page = client.get(_connect(client, o1001, "3", m.pk)["Location"])
    assert notices(page) == [
        "Connected Classic T-shirt 5XL to uid-tshirt-m. Order #1001 continues: 2 items released for fulfilment."
    ]
    assert (status(o1001), item_rows(o1001)) == (
        ("ready", 1),
        [
            ("1", "connected", "connection", 1),
            ("2", "ignored", "variant_rule", None),
            ("3", "connected", "connection", 1),
        ],
    )
    five = Connection.objects.get(variant_id="tshirt-5xl")
    assert (five.provider_product_uid, five.files, five.label, five.created_by) == (
        "uid-tshirt-m", m.files, "Classic T-shirt 5XL", user,
    )  # fmt: skip
    assert texts(page.content.decode(), "div", "pb-offer") == [
        "Connection Classic T-shirt 5XL → uid-tshirt-m. This also releases 1 other waiting order (#1006). "
        "1 other waiting order (#1007) has it too but still waits for other items. Apply to 2 other waiting orders"
    ]
    response = client.post(f"/orders/{o1001.pk}/apply-others", {"connection": five.pk})
    assert (response.status_code, response["Location"]) == (302, f"/orders/{o1001.pk}/")
    page = client.get(response["Location"])
    assert notices(page) == [
        "Applied to the other waiting orders. 2 waiting orders updated: 1 continues, 1 still waits for other items."
    ]
    assert (status(o1006), status(o1007)) == (("ready", 1), ("not_connected", 0))
    assert item_rows(o1007) == [
        ("1", "not_connected", "no_connection", None),
        ("2", "connected", "connection", None),
    ]
    assert texts(page.content.decode(), "div", "pb-offer") == []


# --- cars -------------------------------------------------------------------------------------------------------


def test_cars_ignoring_the_product_in_all_variants_and_applying_it_to_the_other_car_orders(
    store, user, actor
):
    connect(store, actor, "wall-art-a3", "wall-art")
    o900 = receive(store, "900", car("1", "red")).order
    o901 = receive(store, "901", car("1", "blue")).order
    o902 = receive(store, "902", car("1", "blue"), item("2", "wall-art-a3", "wall-art", "Wall art A3")).order
    o903 = receive(store, "903", car("1", "red"), tshirt("2", "l")).order
    client = logged_in(user)
    page = client.get(_ignore(client, o900, "1", "product", reason="other supplier")["Location"])
    assert notices(page) == [
        "Ignored Toy car: this product in all variants. "
        "Order #900 has nothing left to fulfil: every item is ignored (status Ignored)."
    ]
    rule = IgnoreRule.objects.get()
    assert (rule.scope, rule.product_id, rule.variant_id, rule.label, rule.reason) == (
        "product", "car", "", "Toy car", "other supplier",
    )  # fmt: skip
    assert texts(page.content.decode(), "div", "pb-offer") == [
        "Ignore rule: this product in all variants — Toy car. This also releases 2 other waiting orders "
        "(#901, #902): 1 continues, 1 becomes Ignored (nothing to fulfil). 1 other waiting order (#903) has it "
        "too but still waits for other items. Apply to 3 other waiting orders"
    ]
    page = client.get(client.post(f"/orders/{o900.pk}/apply-others", {"rule": rule.pk})["Location"])
    assert notices(page) == [
        "Applied to the other waiting orders. 3 waiting orders updated: 1 continues, "
        "1 now Ignored (nothing to fulfil), 1 still waits for other items."
    ]
    assert [status(o) for o in (o900, o901, o902, o903)] == [
        ("ignored", 0), ("ignored", 0), ("ready", 1), ("not_connected", 0),
    ]  # fmt: skip
    assert item_rows(o902) == [("1", "ignored", "product_rule", None), ("2", "connected", "connection", 1)]
    assert item_rows(o903) == [
        ("1", "ignored", "product_rule", None),
        ("2", "not_connected", "no_connection", None),
    ]


# --- htmx -------------------------------------------------------------------------------------------------------


def test_with_htmx_connect_answers_the_page_body_with_the_notice(store, user, actor):
    m = connect(store, actor, "tshirt-m")
    o = receive(store, "1000", tshirt("1", "xl")).order
    client = logged_in(user)
    response = _connect(client, o, "1", m.pk, **HTMX)
    html = response.content.decode()
    assert (response.status_code, html.startswith('<div id="order-body"'), "<html" in html) == (
        200,
        True,
        False,
    )
    assert notices(response) == [
        "Connected Classic T-shirt XL to uid-tshirt-m. Order #1000 continues: 1 item released for fulfilment."
    ]
    assert texts(html, "h1") == ["Order #1000 Ready for fulfilment"]
    assert notices(client.get(f"/orders/{o.pk}/")) == []


def test_live_search_answers_the_matching_connected_products_and_the_plain_get_does_the_same(
    store, user, actor
):
    connect(store, actor, "tshirt-m", label="Classic T-shirt (Size: M)")
    mug = connect(store, actor, "mug-white", "mug", label="White mug")
    o = receive(store, "1000", tshirt("1", "xl")).order
    xl = line(o, "1").pk
    client = logged_in(user)
    partial = client.get(f"/orders/{o.pk}/items/{xl}/choices", {"q": "mug"}, headers=HTMX)
    assert (partial.status_code, texts(partial.content.decode(), "label")) == (
        200,
        ["White mug SKU MUG-WHITE · uid-mug-white · Shop"],
    )
    assert f'id="item-{xl}-connection-{mug.pk}"' in partial.content.decode()
    full = client.get(f"/orders/{o.pk}/", {"item": xl, "q": "uid-mug"}).content.decode()
    assert texts(full, "label")[1] == "White mug SKU MUG-WHITE · uid-mug-white · Shop"
    assert "Classic T-shirt (Size: M) SKU" not in full
    nothing = client.get(f"/orders/{o.pk}/items/{xl}/choices", {"q": "poster"}, headers=HTMX)
    assert texts(nothing.content.decode(), "p") == ["No connected product matches “poster”."]


def test_the_same_products_connections_are_offered_first(store, user, actor):
    connect(store, actor, "mug-white", "mug", label="A white mug")
    connect(store, actor, "tshirt-m", label="Classic T-shirt (Size: M)")
    o = receive(store, "1000", tshirt("1", "xl")).order
    html = logged_in(user).get(f"/orders/{o.pk}/items/{line(o, '1').pk}/choices").content.decode()
    assert [t.split(" SKU")[0] for t in texts(html, "label")] == ["Classic T-shirt (Size: M)", "A white mug"]


# --- refusals ---------------------------------------------------------------------------------------------------


def test_connect_without_a_product_is_422_with_the_reason_and_changes_nothing(store, user, actor):
    connect(store, actor, "tshirt-m")
    o = receive(store, "1000", tshirt("1", "xl")).order
    before = _changes()
    response = logged_in(user).post(f"/orders/{o.pk}/items/{line(o, '1').pk}/connect", {})
    assert (response.status_code, errors(response)) == (
        422,
        ["Nothing was changed. Choose a connected product to connect it to."],
    )
    assert _changes() == before


def test_connect_to_another_accounts_connection_is_422_and_changes_nothing(store, user, other_account):
    _, other_user, other_store = other_account
    foreign = connect(other_store, events.Actor.for_user(other_user), "tshirt-m")
    o = receive(store, "1000", tshirt("1", "xl")).order
    before = _changes()
    response = _connect(logged_in(user), o, "1", foreign.pk)
    assert (response.status_code, errors(response)) == (
        422,
        ["Nothing was changed. That connected product is not one of yours; choose one from the list."],
    )
    assert _changes() == before


def test_ignore_with_an_unknown_option_is_422_and_changes_nothing(store, user):
    o = receive(store, "1000", tshirt("1", "xl")).order
    before = _changes()
    client = logged_in(user)
    response = _ignore(client, o, "1", "everything")
    assert (response.status_code, errors(response)) == (
        422,
        ["Nothing was changed. Choose one of the three Ignore options."],
    )
    htmx = client.post(f"/orders/{o.pk}/items/{line(o, '1').pk}/ignore", {}, headers=HTMX)
    assert (htmx.status_code, errors(htmx)) == (
        422,
        [
            "Nothing was changed. Choose what to ignore: this item for this order, this variant for all "
            "incoming orders, or this product in all variants."
        ],
    )
    assert htmx.content.decode().startswith('<div id="order-body"')
    assert _changes() == before


def test_an_item_that_is_no_longer_waiting_is_409_and_changes_nothing(store, user, actor):
    m = connect(store, actor, "tshirt-m")
    o = receive(store, "1000", tshirt("1", "m"), tshirt("2", "xl")).order
    before = _changes()
    response = _ignore(logged_in(user), o, "1", "item")
    assert (response.status_code, errors(response)) == (
        409,
        [
            "Nothing was changed. Item 'Classic T-shirt M' of order #1000 is not waiting for a Connect or Ignore"
        ],
    )
    assert _changes() == before
    assert m.pk == Connection.objects.get().pk


def test_apply_to_others_needs_a_connection_or_a_rule(store, user):
    o = receive(store, "1000", tshirt("1", "xl")).order
    before = _changes()
    response = logged_in(user).post(f"/orders/{o.pk}/apply-others", {})
    assert (response.status_code, errors(response)) == (
        422,
        ["Nothing was changed. Say which connection or ignore rule to apply."],
    )
    assert _changes() == before


def test_every_order_view_answers_404_for_another_accounts_order_or_item(store, user, actor, other_account):
    account, other_user, other_store = other_account
    other_actor = events.Actor.for_user(other_user)
    update_settings(account.pk, other_store.pk, {"import_not_connected": True}, other_actor)
    foreign = import_order(other_store, order("9003", item("1", "mug")), events.SYSTEM).order
    foreign_item = foreign.items.get().pk
    foreign_connection = connect(other_store, other_actor, "mug-white")
    mine = receive(store, "1000", tshirt("1", "xl")).order
    m = connect(store, actor, "tshirt-m")
    client = logged_in(user)
    before = _changes()
    answers = [
        client.get(f"/orders/{foreign.pk}/").status_code,
        client.get(f"/orders/{foreign.pk}/items/{foreign_item}/choices").status_code,
        client.post(f"/orders/{foreign.pk}/items/{foreign_item}/connect", {"connection": m.pk}).status_code,
        client.post(f"/orders/{foreign.pk}/items/{foreign_item}/ignore", {"scope": "item"}).status_code,
        client.post(f"/orders/{mine.pk}/items/{foreign_item}/ignore", {"scope": "item"}).status_code,
        client.post(f"/orders/{foreign.pk}/apply-others", {"connection": m.pk}).status_code,
        client.post(f"/orders/{mine.pk}/apply-others", {"connection": foreign_connection.pk}).status_code,
    ]
    assert answers == [404] * 7
    assert _changes() == before


def test_posts_without_the_csrf_token_are_refused(store, user, actor):
    m = connect(store, actor, "tshirt-m")
    o = receive(store, "1000", tshirt("1", "xl")).order
    before = _changes()
    client = logged_in(user, csrf=True)
    answers = [
        _connect(client, o, "1", m.pk).status_code,
        _ignore(client, o, "1", "item").status_code,
        client.post(f"/orders/{o.pk}/apply-others", {"connection": m.pk}).status_code,
    ]
    assert (answers, _changes()) == ([403, 403, 403], before)


def test_the_order_page_shows_provider_status_and_tracking(store, user, actor):
    from printbridge.fulfilment.models import Parcel, Submission

    connect(store, actor, "tshirt-m")
    o = receive(store, "1000", tshirt("1", "m")).order
    submission = Submission.objects.get(order=o)
    Submission.objects.filter(pk=submission.pk).update(
        state="sent", provider_order_id="g-123", provider_status="shipped"
    )
    Parcel.objects.create(
        submission=submission,
        item=line(o, "1"),
        tracking_code="1Z999",
        tracking_url="https://track.example.com/1Z999",
        carrier="UPS",
    )
    html = logged_in(user).get(f"/orders/{o.pk}/").content.decode()
    assert body_rows(html)[0].endswith("Shipped Gelato order g-123 1Z999 (UPS)")
    assert '<a href="https://track.example.com/1Z999" rel="noopener noreferrer">1Z999</a>' in html
