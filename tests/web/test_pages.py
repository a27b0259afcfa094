from django.test import Client

from printbridge.orders import events
from printbridge.orders.services import import_order
from printbridge.stores.services import update_settings
from tests.conftest import NOW, item, order


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_order_page_requires_login(store):
    created = import_order(store, order("9001", item("1", "tshirt-xl")), events.SYSTEM, now=NOW).order
    response = Client().get(f"/orders/{created.pk}/")
    assert (response.status_code, response["Location"]) == (302, f"/login/?next=/orders/{created.pk}/")


def test_order_page_shows_each_item_state_and_why(store, user):
    created = import_order(
        store, order("9002", item("1", "tshirt-xl", name="Classic T-shirt")), events.SYSTEM, now=NOW
    ).order
    response = logged_in(user).get(f"/orders/{created.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1>Order #9002 <span class="pb-badge pb-status-not_connected">Not connected</span></h1>' in html
    assert '<td><span class="pb-badge pb-state-not_connected">Not connected</span></td>' in html
    assert '<h2 id="complete-order-title">Complete order</h2>' in html
    assert "Held: 1 item(s) not connected (Classic T-shirt); Import not connected orders is on" in html


def test_another_accounts_order_page_is_404(other_account, user):
    account, other_user, other_store = other_account
    update_settings(
        account.pk, other_store.pk, {"import_not_connected": True}, events.Actor.for_user(other_user)
    )
    foreign = import_order(other_store, order("9003", item("1", "mug")), events.SYSTEM, now=NOW).order
    assert logged_in(user).get(f"/orders/{foreign.pk}/").status_code == 404
    assert logged_in(other_user).get(f"/orders/{foreign.pk}/").status_code == 200


def test_home_is_the_dashboard_with_the_waiting_order_under_needs_action(store, user):
    created = import_order(
        store, order("9005", item("1", "tshirt-xl"), placed_at=NOW), events.SYSTEM, now=NOW
    ).order
    html = logged_in(user).get("/").content.decode()
    assert f'<li><a href="/orders/{created.pk}/">Order #9005</a> · Shop · waiting ' in html
    assert '<h3 id="waiting-title">Waiting longest (1 Not connected)</h3>' in html


def test_healthz_answers_ok(db):
    response = Client().get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_a_missing_page_is_the_apps_not_found_page_with_a_way_back(user):
    response = logged_in(user).get("/orders/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in html
    assert '<a href="/">Go to the dashboard</a>' in html


def test_a_form_without_its_csrf_token_explains_that_nothing_changed(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/account/switch", {"account": "1"})
    assert response.status_code == 403
    assert "<h1>This form has expired</h1>" in response.content.decode()
