"""Revoking an ignore rule in a real browser, with and without importing the orders it kept out."""

from __future__ import annotations

from playwright.sync_api import expect

from printbridge.orders import rules
from printbridge.orders.models import Order, SuppressedOrder
from printbridge.orders.services import VariantRef, ensure_ignore_rule
from tests.browser.conftest import log_in
from tests.browser.helpers import actor_of, body_rows, notice, today
from tests.web.routing_helpers import receive, tshirt

FOUR_XL = VariantRef("tshirt", "tshirt-4xl", "TSHIRT-4XL", "Classic T-shirt 4XL")
REVOKE = "Revoke rule: this variant for all incoming orders — Classic T-shirt 4XL"
KEPT_OUT_BY = "this variant for all incoming orders — Classic T-shirt 4XL"
REVOKED = (
    "Revoked the ignore rule: this variant for all incoming orders — Classic T-shirt 4XL. "
    "Future orders are decided without it."
)


def _four_xl_rule_with_two_orders_kept_out(merchant):
    store = merchant[2]
    rule = ensure_ignore_rule(store, rules.IgnoreScope.VARIANT, FOUR_XL, "never printed", actor_of(merchant))
    receive(store, "1002", tshirt("1", "4xl"))
    receive(store, "1003", tshirt("1", "4xl"), tshirt("2", "4xl"))
    assert (Order.objects.count(), SuppressedOrder.objects.count()) == (0, 2)
    return rule


def test_revoking_with_also_import_brings_the_suppressed_orders_in_as_not_connected(page, merchant):
    rule = _four_xl_rule_with_two_orders_kept_out(merchant)
    log_in(page)
    page.goto("/rules/")
    page.get_by_label("Also import the 2 orders suppressed under this rule").check()
    page.get_by_role("button", name=REVOKE).click()
    expect(notice(page)).to_have_text(f"{REVOKED} Imported 2 orders it had kept out.")
    assert body_rows(page) == [["No ignore rules match."]]  # the page lists active rules
    page.goto("/orders/?status=not_connected")
    expect(page.get_by_role("link", name="#1003")).to_be_visible()
    page.get_by_role("link", name="#1002").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Order #1002 Not connected")
    expect(page.get_by_role("heading", name="Complete order")).to_be_visible()
    page.goto("/suppressed/")
    day = today(with_year=True)
    assert [(row[0], row[-1]) for row in body_rows(page)] == [
        ("#1003 Jane Doe · 10.00 USD", f"Imported {day} as #1003"),
        ("#1002 Jane Doe · 10.00 USD", f"Imported {day} as #1002"),
    ]
    rule.refresh_from_db()
    assert (rule.is_active, rule.revoked_by) == (False, merchant[1])
    assert list(Order.objects.order_by("number").values_list("number", "status")) == [
        ("1002", "not_connected"),
        ("1003", "not_connected"),
    ]
    assert list(
        SuppressedOrder.objects.order_by("number").values_list("number", "imported_order__number")
    ) == [("1002", "1002"), ("1003", "1003")]


def test_revoking_without_also_import_leaves_the_suppressed_orders_in_the_ledger(page, merchant):
    rule = _four_xl_rule_with_two_orders_kept_out(merchant)
    log_in(page)
    page.goto("/rules/")
    expect(page.get_by_label("Also import the 2 orders suppressed under this rule")).not_to_be_checked()
    page.get_by_role("button", name=REVOKE).click()
    expect(notice(page)).to_have_text(REVOKED)
    page.goto("/suppressed/")
    assert [(row[0], row[-2], row[-1]) for row in body_rows(page)] == [
        ("#1003 Jane Doe · 10.00 USD", f"{KEPT_OUT_BY} (revoked)", "Not imported"),
        ("#1002 Jane Doe · 10.00 USD", f"{KEPT_OUT_BY} (revoked)", "Not imported"),
    ]
    rule.refresh_from_db()
    assert (rule.is_active, rule.revoked_by, Order.objects.count()) == (False, merchant[1], 0)
    assert list(SuppressedOrder.objects.order_by("number").values_list("number", "imported_at")) == [
        ("1002", None),
        ("1003", None),
    ]
