"""Resolve by variant in a real browser: the queue, one variant's page, the preview, Confirm."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from printbridge.routing.models import Connection
from tests.browser.conftest import log_in
from tests.browser.helpers import actor_of, body_rows, changes, notice
from tests.web.routing_helpers import connect, item_rows, receive, status, tshirt


def test_connecting_one_variant_releases_every_order_it_blocked(page, merchant):
    _, user, store = merchant
    m = connect(store, actor_of(merchant), "tshirt-m", label="Classic T-shirt (Size: M)")
    o1006 = receive(store, "1006", tshirt("1", "5xl")).order
    o1007 = receive(store, "1007", tshirt("1", "l"), tshirt("2", "5xl")).order
    o1008 = receive(store, "1008", tshirt("1", "m"), tshirt("2", "5xl")).order
    log_in(page)
    page.goto("/resolve/")
    assert [[row[0], *row[2:4], row[-1]] for row in body_rows(page)] == [
        ["Classic T-shirt 5XL variant tshirt-5xl · product tshirt", "Browser shop", "3", "Connect Ignore"],
        ["Classic T-shirt L variant tshirt-l · product tshirt", "Browser shop", "1", "Connect Ignore"],
    ]
    page.get_by_role("link", name="Connect Classic T-shirt 5XL (TSHIRT-5XL)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Classic T-shirt 5XL")
    expect(page.get_by_role("heading", name="Waiting orders it blocks (3)")).to_be_visible()
    order_links = page.get_by_role("main").get_by_role("link", name=re.compile(r"^#\d+$"))
    assert order_links.all_inner_texts() == ["#1006", "#1007", "#1008"]
    page.get_by_label("Classic T-shirt (Size: M)").check()
    before = changes()
    page.get_by_role("button", name="Preview Connect").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Preview: connect Classic T-shirt 5XL to uid-tshirt-m"
    )
    assert page.get_by_role("main").get_by_role("listitem").all_inner_texts() == [
        "2 continue (every item resolved)",
        "0 become Ignored (nothing to fulfil)",
        "1 still waits for other items",
    ]
    assert body_rows(page) == [
        ["#1006", "10.00 USD", "Continues"],
        ["#1007", "10.00 USD", "Still waits for other items"],
        ["#1008", "10.00 USD", "Continues"],
    ]
    assert changes() == before  # a preview writes nothing
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/resolve/$"))
    expect(notice(page)).to_have_text(
        "Connected Classic T-shirt 5XL to uid-tshirt-m. 3 waiting orders updated: 2 continue, "
        "1 still waits for other items."
    )
    assert [row[0] for row in body_rows(page)] == ["Classic T-shirt L variant tshirt-l · product tshirt"]
    assert [status(o) for o in (o1006, o1007, o1008)] == [("ready", 1), ("not_connected", 0), ("ready", 1)]
    assert item_rows(o1007) == [
        ("1", "not_connected", "no_connection", None),
        ("2", "connected", "connection", None),
    ]
    five = Connection.objects.get(variant_id="tshirt-5xl")
    assert (five.provider_product_uid, five.files, five.created_by) == ("uid-tshirt-m", m.files, user)
