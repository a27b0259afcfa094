"""Manual approval in the web app: Approve now on the order page, Approve selected on the orders list."""

from __future__ import annotations

import pytest
from django.test import Client

from printbridge.orders.models import Order, OrderEvent
from tests.web.routing_helpers import connect, receive, tshirt
from tests.web.test_pages import logged_in


@pytest.fixture
def manual_store(make_store, actor):
    store = make_store("Manual shop", approval_mode="manual")
    connect(store, actor, "tshirt-m")
    return store


def pending(store, number: str) -> Order:
    placed = receive(store, number, tshirt("1", "m")).order
    assert placed.status == "pending_approval"
    return placed


def statuses() -> dict[str, str]:
    return dict(Order.objects.values_list("number", "status"))


def test_an_order_waiting_for_approval_is_approved_from_its_page(manual_store, user):
    waiting = pending(manual_store, "2001")
    client = logged_in(user)
    html = client.get(f"/orders/{waiting.pk}/").content.decode()
    assert "The store approves orders by hand: nothing is sent until you approve it." in html
    response = client.post("/orders/approve", {"order": waiting.pk, "next": f"/orders/{waiting.pk}/"})
    assert (response.status_code, response["Location"]) == (302, f"/orders/{waiting.pk}/")
    assert "Approved 1 order: ready for fulfilment." in client.get(response["Location"]).content.decode()
    assert statuses() == {"2001": "ready"}
    assert OrderEvent.objects.filter(type="order_approved", actor="ana@example.com").count() == 1


def test_several_orders_are_approved_from_the_filtered_list(manual_store, user):
    first, second, third = (pending(manual_store, n) for n in ("2001", "2002", "2003"))
    client = logged_in(user)
    listing = client.get("/orders/?status=pending_approval").content.decode()
    assert listing.count('type="checkbox" name="order"') == 3
    assert "Approve selected" in listing
    back = "/orders/?status=pending_approval"
    response = client.post("/orders/approve", {"order": [first.pk, third.pk], "next": back})
    assert response["Location"] == back
    assert statuses() == {"2001": "ready", "2002": "pending_approval", "2003": "ready"}
    again = client.post("/orders/approve", {"order": [first.pk, second.pk], "next": back}, follow=True)
    html = again.content.decode()
    assert "Approved 1 order: ready for fulfilment." in html
    assert "1 order not approved: is Ready for fulfilment, not pending approval." in html


def test_the_list_offers_approval_only_when_filtered_to_pending_approval(manual_store, user):
    pending(manual_store, "2001")
    assert "Approve selected" not in logged_in(user).get("/orders/").content.decode()


def test_an_empty_or_malformed_selection_changes_nothing(manual_store, user):
    pending(manual_store, "2001")
    client = logged_in(user)
    for data in ({}, {"order": "x"}):
        html = client.post("/orders/approve", data, follow=True).content.decode()
        assert "Select between 1 and 200 orders to approve; nothing was changed." in html
    assert statuses() == {"2001": "pending_approval"}


def test_another_accounts_order_is_404_and_csrf_is_required(manual_store, user, other_account):
    waiting = pending(manual_store, "2001")
    assert logged_in(other_account[1]).post("/orders/approve", {"order": waiting.pk}).status_code == 404
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/orders/approve", {"order": waiting.pk}).status_code == 403
    assert statuses() == {"2001": "pending_approval"}


def test_a_redirect_elsewhere_is_not_followed(manual_store, user):
    waiting = pending(manual_store, "2001")
    response = logged_in(user).post("/orders/approve", {"order": waiting.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/orders/"
