"""The app shell and the orders list in a real browser: htmx updates in place, keyboard use, no JavaScript."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from printbridge.orders import events, rules
from printbridge.orders.models import Order
from printbridge.orders.services import import_order
from printbridge.stores.services import create_account
from printbridge.web.views import orders_list
from tests.browser.conftest import log_in
from tests.conftest import item, order


def _orders(store, count: int) -> None:
    """Orders 1001… placed an hour apart, the newest last; every third one shipped."""
    now = timezone.now()
    for n in range(count):
        placed = now - timedelta(hours=count - n)
        made = import_order(
            store, order(str(1001 + n), item("1", f"v{n}"), placed_at=placed), events.SYSTEM, now=placed
        )
        if n % 3 == 0:
            Order.objects.filter(pk=made.order.pk).update(status=rules.OrderStatus.SHIPPED)


def _numbers(page) -> list[str]:
    return [t.strip("#") for t in page.locator("#orders-results tbody tr td:first-child a").all_inner_texts()]


def test_filters_and_pages_update_the_list_in_place(page, merchant, monkeypatch):
    monkeypatch.setattr(orders_list, "PAGE_SIZE", 2)
    _orders(merchant[2], 7)  # 1001, 1004 and 1007 shipped
    log_in(page)
    page.goto("/orders/")
    page.evaluate("window.samePage = true")
    assert _numbers(page) == ["1007", "1006"]
    page.get_by_label("Status").select_option("not_connected")
    expect(page).to_have_url(re.compile(r"/orders/\?status=not_connected"))
    expect(page.locator("#orders-summary")).to_have_text(re.compile("2 orders matching your filters"))
    assert _numbers(page) == ["1006", "1005"]
    page.get_by_role("link", name="Next page").click()
    expect(page.locator("#orders-summary")).to_be_focused()
    assert _numbers(page) == ["1003", "1002"]
    expect(page).to_have_url(re.compile(r"status=not_connected&after="))
    page.get_by_label("Search").fill("1002")
    expect(page.locator("#orders-summary")).to_have_text(re.compile("1 order matching your filters"))
    assert _numbers(page) == ["1002"]
    assert page.evaluate("window.samePage") is True  # no full page load on the way
    page.go_back()
    expect(page).to_have_url(re.compile(r"status=not_connected&after="))
    expect(page.locator("#orders-results tbody tr")).to_have_count(2)


def test_the_filter_form_works_without_javascript(chromium, live_server, merchant):
    _orders(merchant[2], 4)
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page)
        page.goto("/orders/")
        page.get_by_label("Status").select_option("shipped")
        page.get_by_role("button", name="Show orders").click()
        expect(page).to_have_url(re.compile(r"/orders/\?status=shipped&store=&q="))
        assert _numbers(page) == ["1004", "1001"]
    finally:
        context.close()


def test_the_skip_link_and_the_account_switcher_work_from_the_keyboard(page, merchant):
    create_account("Second Co", "ana@example.com")
    log_in(page)
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    account = page.get_by_label("Account")
    account.focus()
    account.select_option(label="Second Co")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Switch")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard — Second Co")
    expect(page.get_by_role("status").first).to_have_text("You are now working in Second Co.")
    expect(page.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
