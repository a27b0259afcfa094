"""The orders list: filters (status incl. Not connected, store, search), keyset pages both ways, htmx partial."""

import re
from dataclasses import replace
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client

from printbridge.orders import events, rules
from printbridge.orders.models import Order
from printbridge.orders.services import import_order
from printbridge.stores.services import update_settings
from printbridge.web.views import orders_list
from tests.conftest import NOW, item, order

HOUR = timedelta(hours=1)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def numbers(html: str) -> list[str]:
    return re.findall(r'<td><a href="/orders/\d+/">#([^<]+)</a></td>', html)


def pager(html: str) -> dict[str, str]:
    """The pager's links by id, their query strings unescaped."""
    return {
        id_: unescape(href)
        for href, id_ in re.findall(
            r'<a href="([^"]+)" hx-get="[^"]+" hx-target="#orders-results" hx-push-url="true" id="([^"]+)"',
            html,
        )
    }


def _import(store, number, *items, at, customer="Jane Doe", total="10.00"):
    incoming = replace(order(number, *items, placed_at=at, total=total), customer_name=customer)
    return import_order(store, incoming, events.SYSTEM, now=at).order


@pytest.fixture
def two_stores(make_store):
    return make_store("Alpha"), make_store("Beta")


@pytest.fixture
def orders(two_stores):
    """Five orders, newest first: 105, 104 and 103 (the same minute: the higher id first), 102, 101."""
    alpha, beta = two_stores
    made = [
        _import(
            alpha, "101", item("1", "mug-red", sku="MUG-RED"), at=NOW - 4 * HOUR, customer="Max Mustermann"
        ),
        _import(beta, "102", item("1", "tshirt-s", quantity=3), at=NOW - 3 * HOUR, total="30.00"),
        _import(alpha, "103", item("1", "tshirt-m"), item("2", "mug-red", sku="MUG-RED"), at=NOW - 2 * HOUR),
        _import(beta, "104", item("1", "poster"), at=NOW - 2 * HOUR),
        _import(alpha, "105", item("1", "tote"), at=NOW - HOUR, customer="Erika Musterfrau"),
    ]
    Order.objects.filter(number__in=["102", "105"]).update(status=rules.OrderStatus.SHIPPED)
    return made


def test_the_list_shows_the_accounts_orders_newest_first_with_their_details(orders, user):
    response = logged_in(user).get("/orders/")
    html = response.content.decode()
    assert response.status_code == 200
    assert numbers(html) == ["105", "104", "103", "102", "101"]
    row = html[html.index(f'<a href="/orders/{orders[1].pk}/">#102</a>') :].split("</tr>")[0]
    assert re.sub(r"\s+", " ", row) == (
        f'<a href="/orders/{orders[1].pk}/">#102</a></td> <td><time datetime="2026-12-01T09:00:00+00:00">'
        '1 Dec 2026, 09:00</time></td> <td>Beta</td> <td>Jane Doe</td> <td class="pb-num">3</td> '
        '<td class="pb-num">30.00 USD</td> <td><span class="pb-badge pb-status-shipped">Shipped</span></td> '
    )
    assert html.count('<span class="pb-badge pb-status-not_connected">Not connected</span>') == 3
    assert "5 orders, newest first." in html
    assert pager(html) == {}


def test_the_not_connected_filter(orders, user):
    html = logged_in(user).get("/orders/", {"status": "not_connected"}).content.decode()
    assert numbers(html) == ["104", "103", "101"]
    assert '<option value="not_connected" selected>Not connected</option>' in html
    assert "3 orders matching your filters, newest first." in html


def test_the_store_filter(orders, two_stores, user):
    html = logged_in(user).get("/orders/", {"store": two_stores[1].pk}).content.decode()
    assert numbers(html) == ["104", "102"]


def test_status_and_store_filters_combine(orders, two_stores, user):
    html = logged_in(user).get("/orders/", {"store": two_stores[0].pk, "status": "shipped"}).content.decode()
    assert numbers(html) == ["105"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("MUG-RED", ["103", "101"]),
        ("mug-red", ["103", "101"]),
        ("mustermann", ["101"]),
        ("Muster", ["105", "101"]),
        ("#104", ["104"]),
        ("104", ["104"]),
        ("JANE@example.com", ["105", "104", "103", "102", "101"]),
        ("nothing-like-this", []),
    ],
)
def test_search_by_order_number_customer_or_sku(orders, user, q, expected):
    html = logged_in(user).get("/orders/", {"q": q}).content.decode()
    assert numbers(html) == expected
    if not expected:
        assert "No order matches your filters." in html


def test_pages_go_forward_and_back_by_cursor(orders, user, monkeypatch):
    monkeypatch.setattr(orders_list, "PAGE_SIZE", 2)
    client = logged_in(user)
    first = client.get("/orders/").content.decode()
    assert (numbers(first), list(pager(first))) == (["105", "104"], ["orders-next"])
    second = client.get(pager(first)["orders-next"]).content.decode()
    assert (numbers(second), list(pager(second))) == (
        ["103", "102"],
        ["orders-newest", "orders-previous", "orders-next"],
    )
    third = client.get(pager(second)["orders-next"]).content.decode()
    assert (numbers(third), list(pager(third))) == (["101"], ["orders-newest", "orders-previous"])
    back = client.get(pager(third)["orders-previous"]).content.decode()
    assert (numbers(back), list(pager(back))) == (
        ["103", "102"],
        ["orders-newest", "orders-previous", "orders-next"],
    )
    start = client.get(pager(back)["orders-previous"]).content.decode()
    assert (numbers(start), list(pager(start))) == (["105", "104"], ["orders-newest", "orders-next"])
    assert pager(second)["orders-newest"] == "/orders/"


def test_pages_keep_the_filters(orders, user, monkeypatch):
    monkeypatch.setattr(orders_list, "PAGE_SIZE", 2)
    client = logged_in(user)
    first = client.get("/orders/", {"status": "not_connected"}).content.decode()
    link = pager(first)["orders-next"]
    assert link.startswith("/orders/?status=not_connected&after=")
    second = client.get(link).content.decode()
    assert numbers(second) == ["101"]
    assert pager(second)["orders-previous"].startswith("/orders/?status=not_connected&before=")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "bogus"}, "Status: There is no order status “bogus”. Choose one from the list."),
        ({"store": "abc"}, "Store: That store is not one of yours. Choose one from the list."),
        ({"q": "x" * 101}, "Search: Search for at most 100 characters."),
        (
            {"after": "not-a-cursor"},
            "This page link is out of date or broken. Start again from the newest orders.",
        ),
        (
            {"before": "bm9wZQ=="},
            "This page link is out of date or broken. Start again from the newest orders.",
        ),
    ],
)
def test_bad_filter_values_get_a_clear_message_not_a_500(orders, user, params, message):
    response = logged_in(user).get("/orders/", params)
    html = response.content.decode()
    assert response.status_code == 422
    assert '<div class="pb-error-box" role="alert">' in html
    assert f"<li>{message}</li>" in unescape(html)
    assert numbers(html) == []


def test_another_accounts_orders_and_stores_never_show(orders, user, other_account):
    theirs, their_user, their_store = other_account
    update_settings(theirs.pk, their_store.pk, {"import_not_connected": True}, events.SYSTEM)
    import_order(their_store, order("999", item("1", "mug-red", sku="MUG-RED")), events.SYSTEM, now=NOW)
    client = logged_in(user)
    assert numbers(client.get("/orders/", {"q": "MUG-RED"}).content.decode()) == ["103", "101"]
    html = client.get("/orders/").content.decode()
    assert "Other shop" not in html
    response = client.get("/orders/", {"store": their_store.pk})
    assert response.status_code == 422
    assert "That store is not one of yours." in response.content.decode()
    assert numbers(logged_in(their_user).get("/orders/").content.decode()) == ["999"]


def test_htmx_gets_the_results_partial_only(orders, user):
    response = logged_in(user).get("/orders/", {"status": "shipped"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert numbers(html) == ["105", "102"]
    assert "HX-Request" in response["Vary"]


def test_htmx_focuses_the_results_after_a_page_link(orders, user, monkeypatch):
    monkeypatch.setattr(orders_list, "PAGE_SIZE", 2)
    client = logged_in(user)
    link = pager(client.get("/orders/").content.decode())["orders-next"]
    html = client.get(link, headers={"HX-Request": "true", "HX-Trigger": "orders-next"}).content.decode()
    assert '<p id="orders-summary" tabindex="-1" autofocus>' in html


def test_htmx_bad_filters_answer_the_partial_with_the_message(orders, user):
    response = logged_in(user).get("/orders/", {"status": "bogus"}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html and '<div class="pb-error-box" role="alert">' in html


def test_a_history_restore_gets_the_full_page(orders, user):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    html = logged_in(user).get("/orders/", headers=headers).content.decode()
    assert "<html" in html and '<div id="orders-results">' in html


def test_the_filter_form_works_without_javascript_and_is_labelled(orders, user):
    html = logged_in(user).get("/orders/").content.decode()
    assert (
        '<form method="get" action="/orders/" class="pb-filters" role="search" aria-label="Filter orders"'
        in html
    )
    assert '<label for="id_status">Status</label><select name="status" id="id_status">' in html
    assert '<label for="id_store">Store</label><select name="store" id="id_store">' in html
    assert '<label for="id_q">Search</label><input type="search" name="q"' in html
    assert '<button type="submit">Show orders</button>' in html


def test_an_account_without_orders(store, user):
    html = logged_in(user).get("/orders/").content.decode()
    assert "No orders yet." in html and numbers(html) == []
