"""The seed's three worked examples clicked through Complete order in a real browser: a local supplier's item
ignored for one order, T-shirts XS–5XL with 4XL and 5XL not connected, and toy cars ignored in all variants."""

from __future__ import annotations

from playwright.sync_api import expect

from printbridge.orders.models import Order, OrderEvent, SuppressedOrder
from printbridge.orders.services import Outcome
from printbridge.routing.models import Connection, IgnoreRule
from tests.browser.conftest import log_in
from tests.browser.helpers import actor_of, body_rows, item_section, notice, today
from tests.conftest import item
from tests.web.routing_helpers import candle, car, connect, item_rows, receive, status, tshirt


def test_local_supplier_candle_ignored_for_order_1000_only(page, merchant):
    store = merchant[2]
    connect(store, actor_of(merchant), "tshirt-m", label="Classic T-shirt (Size: M)")
    o1000 = receive(store, "1000", candle(), tshirt("2", "m")).order
    log_in(page)
    page.goto(f"/orders/{o1000.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Order #1000 Not connected")
    candle_section = item_section(page, "Scented candle (local supplier)")
    candle_section.get_by_label("this item for this order").check()
    candle_section.get_by_label("Reason (optional)").fill("made by a local supplier")
    candle_section.get_by_role("button", name="Ignore", exact=True).click()
    expect(notice(page)).to_have_text(
        "Ignored Scented candle (local supplier): this item for this order. "
        "Order #1000 continues: 1 item released for fulfilment."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Order #1000 Ready for fulfilment")
    expect(page.get_by_role("heading", name="Complete order")).to_have_count(0)
    day = today()
    assert body_rows(page) == [
        ["Scented candle (local supplier) SKU CANDLE", "1", "Ignored",
         f"ignored for this order only, by ana@example.com, {day}", "—", "—"],
        ["Classic T-shirt M SKU TSHIRT-M", "1", "Connected",
         f"connected to uid-tshirt-m, by ana@example.com, {day}", "Pending", "—"],
    ]  # fmt: skip
    assert (status(o1000), IgnoreRule.objects.count()) == (("ready", 1), 0)
    assert item_rows(o1000) == [
        ("1", "ignored", "ignored_for_order", None),
        ("2", "connected", "connection", 1),
    ]
    ignored = OrderEvent.objects.get(order=o1000, type="item_ignored")
    assert (ignored.actor, ignored.parameters) == (
        "ana@example.com",
        {"scope": "item", "rule_id": None, "reason": "made by a local supplier"},
    )

    o1001 = receive(store, "1001", candle(), tshirt("2", "m")).order
    page.goto(f"/orders/{o1001.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Order #1001 Not connected")
    expect(item_section(page, "Scented candle (local supplier)")).to_be_visible()
    assert (status(o1001), item_rows(o1001)) == (
        ("not_connected", 0),
        [("1", "not_connected", "no_connection", None), ("2", "connected", "connection", None)],
    )


def test_tshirts_4xl_ignored_for_all_incoming_orders_and_5xl_connected_to_an_existing_product(page, merchant):
    _, user, store = merchant
    actor = actor_of(merchant)
    m = connect(store, actor, "tshirt-m", label="Classic T-shirt (Size: M)")
    connect(store, actor, "mug-white", "mug", label="White mug")
    o1001 = receive(store, "1001", tshirt("1", "m"), tshirt("2", "4xl"), tshirt("3", "5xl")).order
    log_in(page)
    page.goto(f"/orders/{o1001.pk}/")
    four_xl = item_section(page, "Classic T-shirt 4XL")
    four_xl.get_by_label("this variant for all incoming orders").check()
    four_xl.get_by_role("button", name="Ignore", exact=True).click()
    expect(notice(page)).to_have_text(
        "Ignored Classic T-shirt 4XL: this variant for all incoming orders. "
        "Order #1001 still waits for 1 not-connected item."
    )
    expect(four_xl).to_have_count(0)
    five_xl = item_section(page, "Classic T-shirt 5XL")
    choices = five_xl.get_by_role("group", name="Connect to a connected product").get_by_role("radio")
    expect(choices).to_have_count(2)
    five_xl.get_by_label("Search your connected products").fill("Size: M")
    expect(choices).to_have_count(1)
    five_xl.get_by_label("Classic T-shirt (Size: M)").check()
    five_xl.get_by_role("button", name="Connect", exact=True).click()
    expect(notice(page)).to_have_text(
        "Connected Classic T-shirt 5XL to uid-tshirt-m. Order #1001 continues: 2 items released for fulfilment."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Order #1001 Ready for fulfilment")
    assert (status(o1001), item_rows(o1001)) == (
        ("ready", 1),
        [
            ("1", "connected", "connection", 1),
            ("2", "ignored", "variant_rule", None),
            ("3", "connected", "connection", 1),
        ],
    )
    rule = IgnoreRule.objects.get()
    assert (rule.scope, rule.variant_id, rule.label, rule.created_by, rule.is_active) == (
        "variant", "tshirt-4xl", "Classic T-shirt 4XL", user, True,
    )  # fmt: skip
    five = Connection.objects.get(variant_id="tshirt-5xl")
    assert (five.provider_product_uid, five.files, five.created_by) == ("uid-tshirt-m", m.files, user)

    later = receive(store, "1002", tshirt("1", "4xl"))
    assert (later.outcome, Order.objects.filter(number="1002").count()) == (Outcome.SUPPRESSED, 0)
    assert list(SuppressedOrder.objects.values_list("number", "rules")) == [("1002", rule.pk)]
    page.goto("/suppressed/")
    assert [(row[0], *row[3:]) for row in body_rows(page)] == [
        (
            "#1002 Jane Doe · 10.00 USD",
            "no physical item left after ignore rules",
            "1 × Classic T-shirt 4XL SKU TSHIRT-4XL: ignored by rule: this variant for all incoming orders",
            "this variant for all incoming orders — Classic T-shirt 4XL",
            "Not imported",
        )
    ]


def test_toy_cars_ignored_in_all_variants_and_applied_to_the_other_waiting_car_orders(page, merchant):
    _, user, store = merchant
    connect(store, actor_of(merchant), "wall-art-a3", "wall-art", label="Wall art A3")
    o900 = receive(store, "900", car("1", "red")).order
    o901 = receive(store, "901", car("1", "blue")).order
    o902 = receive(store, "902", car("1", "blue"), item("2", "wall-art-a3", "wall-art", "Wall art A3")).order
    o903 = receive(store, "903", car("1", "red"), tshirt("2", "l")).order
    log_in(page)
    page.goto(f"/orders/{o900.pk}/")
    cars = item_section(page, "Toy car")
    cars.get_by_label("this product in all variants").check()
    cars.get_by_label("Reason (optional)").fill("another supplier")
    cars.get_by_role("button", name="Ignore", exact=True).click()
    expect(notice(page)).to_have_text(
        "Ignored Toy car: this product in all variants. "
        "Order #900 has nothing left to fulfil: every item is ignored (status Ignored)."
    )
    expect(page.get_by_text("This also releases")).to_have_text(
        "Ignore rule: this product in all variants — Toy car. This also releases 2 other waiting orders "
        "(#901, #902): 1 continues, 1 becomes Ignored (nothing to fulfil). 1 other waiting order (#903) has it "
        "too but still waits for other items."
    )
    assert [status(o) for o in (o901, o902, o903)] == [("not_connected", 0)] * 3  # an offer, not yet applied
    page.get_by_role("button", name="Apply to 3 other waiting orders").click()
    expect(notice(page)).to_have_text(
        "Applied to the other waiting orders. 3 waiting orders updated: 1 continues, "
        "1 now Ignored (nothing to fulfil), 1 still waits for other items."
    )
    expect(page.get_by_text("This also releases")).to_have_count(0)
    assert [status(o) for o in (o900, o901, o902, o903)] == [
        ("ignored", 0), ("ignored", 0), ("ready", 1), ("not_connected", 0),
    ]  # fmt: skip
    assert item_rows(o903) == [
        ("1", "ignored", "product_rule", None),
        ("2", "not_connected", "no_connection", None),
    ]
    rule = IgnoreRule.objects.get()
    assert (rule.scope, rule.product_id, rule.variant_id, rule.reason, rule.created_by) == (
        "product", "car", "", "another supplier", user,
    )  # fmt: skip

    outcomes = [
        receive(store, n, car("1", colour)).outcome for n, colour in (("904", "green"), ("905", "red"))
    ]
    assert (outcomes, Order.objects.filter(number__in=["904", "905"]).count()) == (
        [Outcome.SUPPRESSED] * 2,
        0,
    )
    assert list(SuppressedOrder.objects.order_by("number").values_list("number", "rules")) == [
        ("904", rule.pk),
        ("905", rule.pk),
    ]
