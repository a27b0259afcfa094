"""Complete order from the keyboard alone: Tab to the Ignore option, Space to choose it, Enter to send it."""

from __future__ import annotations

from playwright.sync_api import expect

from printbridge.routing.models import IgnoreRule
from tests.browser.conftest import log_in
from tests.browser.helpers import actor_of, item_section, notice
from tests.web.routing_helpers import candle, connect, item_rows, receive, status, tshirt

MAX_TABS = 40


def _tab_to(page, target) -> None:
    """Press Tab until `target` has the focus (a bounded number of times, like a keyboard user would)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} was not reached with {MAX_TABS} presses of Tab")


def test_an_ignore_is_completed_with_the_keyboard_only(page, merchant):
    store = merchant[2]
    connect(store, actor_of(merchant), "tshirt-m")
    o1000 = receive(store, "1000", candle(), tshirt("2", "m")).order
    log_in(page)
    page.goto(f"/orders/{o1000.pk}/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    section = item_section(page, "Scented candle (local supplier)")
    this_order = section.get_by_label("this item for this order")
    _tab_to(page, this_order)
    page.keyboard.press("Space")
    expect(this_order).to_be_checked()
    page.keyboard.press("Tab")
    expect(section.get_by_label("Reason (optional)")).to_be_focused()
    page.keyboard.type("local supplier")
    page.keyboard.press("Tab")
    expect(section.get_by_role("button", name="Ignore", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(notice(page)).to_have_text(
        "Ignored Scented candle (local supplier): this item for this order. "
        "Order #1000 continues: 1 item released for fulfilment."
    )
    expect(notice(page)).to_be_focused()  # a screen reader user hears what happened
    assert (status(o1000), IgnoreRule.objects.count()) == (("ready", 1), 0)
    assert item_rows(o1000) == [
        ("1", "ignored", "ignored_for_order", None),
        ("2", "connected", "connection", 1),
    ]
