"""Another account's pages answer 404 in the browser, and an order action posted without its CSRF token is
refused and changes nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from printbridge.orders import events, rules
from printbridge.orders.services import VariantRef, ensure_ignore_rule, import_order
from printbridge.stores.models import StoreSettings
from printbridge.stores.services import update_settings
from tests.browser.conftest import log_in
from tests.browser.helpers import changes
from tests.conftest import item, order
from tests.web.routing_helpers import candle, item_rows, line, receive, status


@pytest.fixture
def foreign(other_account):
    """Bob's account: a Not connected order and an ignore rule, in his own store."""
    account, bob, store = other_account
    actor = events.Actor.for_user(bob)
    update_settings(account.pk, store.pk, {"import_not_connected": True}, actor)
    held = import_order(store, order("9003", item("1", "mug-white", "mug", "Mug")), events.SYSTEM).order
    rule = ensure_ignore_rule(store, rules.IgnoreScope.PRODUCT, VariantRef("car", "car-red"), "", actor)
    return store, held, rule


def _not_found(response, page) -> None:
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")


def test_another_accounts_order_store_settings_and_rule_are_not_found(page, merchant, foreign):
    store, held, rule = foreign
    before = (changes(), StoreSettings.objects.get(store=store).import_not_connected)
    log_in(page)
    _not_found(page.goto(f"/orders/{held.pk}/"), page)
    _not_found(page.goto(f"/stores/{store.pk}/settings/"), page)
    _not_found(page.goto(f"/resolve/variant/?store={store.pk}&variant=mug-white"), page)
    token = {"X-CSRFToken": _csrf_token(page)}
    answers = [
        page.request.post(f"/rules/{rule.pk}/revoke", headers=token, form={"import_suppressed": "on"}).status,
        page.request.post(
            f"/orders/{held.pk}/items/{line(held, '1').pk}/ignore", headers=token, form={"scope": "item"}
        ).status,
        page.request.post(
            f"/stores/{store.pk}/settings/", headers=token, form={"import_not_connected": ""}
        ).status,
    ]
    assert answers == [404, 404, 404]  # with a valid CSRF token: refused because it is Bob's
    page.goto("/rules/?status=all")
    expect(page.get_by_text("No ignore rules match.")).to_be_visible()
    assert (changes(), StoreSettings.objects.get(store=store).import_not_connected) == before


def _csrf_token(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def test_an_order_action_posted_without_its_csrf_token_is_refused_and_changes_nothing(page, merchant):
    o1000 = receive(merchant[2], "1000", candle()).order
    ignore_url = f"/orders/{o1000.pk}/items/{line(o1000, '1').pk}/ignore"
    log_in(page)
    page.goto(f"/orders/{o1000.pk}/")
    before = changes()
    forged = page.request.post(ignore_url, form={"scope": "item"})  # the session cookie, no token
    assert (forged.status, "This form has expired" in forged.text()) == (403, True)
    assert changes() == before
    assert (status(o1000), item_rows(o1000)) == (
        ("not_connected", 0),
        [("1", "not_connected", "no_connection", None)],
    )
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Order #1000 Not connected")
    genuine = page.request.post(
        ignore_url, headers={"X-CSRFToken": _csrf_token(page)}, form={"scope": "item"}
    )
    assert (genuine.status, genuine.url.endswith(f"/orders/{o1000.pk}/"), status(o1000)) == (
        200,
        True,
        ("ignored", 0),
    )  # the same post with its token is accepted (and redirected back to the order)
