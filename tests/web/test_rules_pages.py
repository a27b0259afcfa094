"""Ignore rules (list, filter, revoke with or without importing), the ledger, and connections (search,
disconnect) through the web."""

from __future__ import annotations

from printbridge.orders import events, rules
from printbridge.orders.models import Order, OrderEvent, SuppressedOrder
from printbridge.orders.services import VariantRef, ensure_ignore_rule, revoke_ignore_rule
from printbridge.routing.models import Connection, IgnoreRule
from printbridge.web.views import routing
from tests.web.routing_helpers import (
    body_rows,
    car,
    connect,
    errors,
    logged_in,
    notices,
    receive,
    texts,
    tshirt,
)

FOUR_XL = VariantRef("tshirt", "tshirt-4xl", "TSHIRT-4XL", "Classic T-shirt 4XL")


def _rule(store, actor, scope="variant", variant=FOUR_XL, reason="never printed"):
    return ensure_ignore_rule(store, rules.IgnoreScope(scope), variant, reason, actor)


def _day(when) -> str:
    return f"{when:%-d %b %Y}"


def _state():
    return (
        list(IgnoreRule.objects.order_by("pk").values_list("revoked_at", flat=True)),
        list(Connection.objects.order_by("pk").values_list("disconnected_at", flat=True)),
        list(SuppressedOrder.objects.order_by("pk").values_list("imported_at", flat=True)),
        Order.objects.count(),
        OrderEvent.objects.count(),
    )


# --- rules ------------------------------------------------------------------------------------------------------


def test_the_rules_page_lists_active_rules_and_filters_by_scope_status_and_store(
    store, make_store, user, actor
):
    four_xl = _rule(store, actor)
    cars = _rule(store, actor, "product", VariantRef("car", "car-red", label="Toy car (Colour: Red)"), "")
    second = make_store("Second shop")
    mugs = _rule(second, actor, "product", VariantRef("mug", "mug-white", label="Mug"), "")
    revoke_ignore_rule(store.account_id, mugs.pk, actor)
    receive(store, "1002", tshirt("1", "4xl"))
    client = logged_in(user)
    day = _day(four_xl.created_at)
    assert body_rows(client.get("/rules/").content.decode()) == [
        f"This product in all variants Toy car product car Shop — {day} by ana@example.com 0 Active Revoke",
        f"This variant for all incoming orders Classic T-shirt 4XL variant tshirt-4xl · product tshirt Shop "
        f"never printed {day} by ana@example.com 1 Active Also import the 1 order suppressed under this rule Revoke",
    ]
    assert [
        r.split(" Shop")[0] for r in body_rows(client.get("/rules/", {"scope": "variant"}).content.decode())
    ] == ["This variant for all incoming orders Classic T-shirt 4XL variant tshirt-4xl · product tshirt"]
    revoked = body_rows(client.get("/rules/", {"status": "revoked"}).content.decode())
    assert revoked == [
        f"This product in all variants Mug product mug Second shop — {day} by ana@example.com 0 "
        f"Revoked {day} by ana@example.com"
    ]
    assert body_rows(client.get("/rules/", {"status": "all", "store": second.pk}).content.decode()) == revoked
    assert cars.pk in IgnoreRule.objects.values_list("pk", flat=True)


def test_a_filter_the_page_does_not_offer_is_422_with_the_reason(store, user, other_account):
    client = logged_in(user)
    bad_status = client.get("/rules/", {"status": "paused"})
    assert (bad_status.status_code, errors(bad_status)) == (
        422,
        ["Check the filter: Choose a status from the list."],
    )
    foreign = client.get("/rules/", {"store": other_account[2].pk})
    assert (foreign.status_code, errors(foreign)) == (422, ["Check the filter: Choose one of your stores."])


def test_revoke_without_importing_keeps_the_ledger_and_says_what_changed(store, user, actor):
    rule = _rule(store, actor)
    receive(store, "1002", tshirt("1", "4xl"))
    client = logged_in(user)
    response = client.post(f"/rules/{rule.pk}/revoke", {})
    assert (response.status_code, response["Location"]) == (302, "/rules/")
    assert notices(client.get("/rules/")) == [
        "Revoked the ignore rule: this variant for all incoming orders — Classic T-shirt 4XL. "
        "Future orders are decided without it."
    ]
    rule.refresh_from_db()
    assert (rule.revoked_by, rule.is_active, Order.objects.count()) == (user, False, 0)
    assert list(SuppressedOrder.objects.values_list("external_id", "imported_at")) == [("1002", None)]
    event = OrderEvent.objects.get(type="ignore_rule_revoked")
    assert (event.actor, event.parameters) == ("ana@example.com", {"rule_id": rule.pk})


def test_revoke_with_importing_imports_the_orders_the_rule_kept_out(store, user, actor):
    rule = _rule(store, actor)
    receive(store, "1002", tshirt("1", "4xl"))
    client = logged_in(user)
    client.post(f"/rules/{rule.pk}/revoke", {"import_suppressed": "on"})
    assert notices(client.get("/rules/", {"status": "revoked"})) == [
        "Revoked the ignore rule: this variant for all incoming orders — Classic T-shirt 4XL. "
        "Future orders are decided without it. Imported 1 order it had kept out."
    ]
    imported = Order.objects.get()
    assert (imported.number, imported.status) == ("1002", "not_connected")
    ledger = SuppressedOrder.objects.get()
    assert (ledger.imported_at is not None, ledger.imported_order) == (True, imported)
    assert OrderEvent.objects.get(order=imported, type="order_imported").actor == "ana@example.com"


def test_revoke_with_importing_says_which_orders_another_rule_still_keeps_out(store, user, actor):
    red = _rule(store, actor, "variant", VariantRef("car", "car-red", label="Toy car (Colour: Red)"))
    _rule(store, actor, "product", VariantRef("car", "car-red", label="Toy car"))
    receive(store, "1005", car("1", "red"))
    client = logged_in(user)
    client.post(f"/rules/{red.pk}/revoke", {"import_suppressed": "on"})
    assert notices(client.get("/rules/")) == [
        "Revoked the ignore rule: this variant for all incoming orders — Toy car (Colour: Red). Future orders are "
        "decided without it. Imported 0 orders it had kept out; 1 order stayed in the ledger (another rule or a "
        "store setting still keeps them out)."
    ]
    assert (Order.objects.count(), SuppressedOrder.objects.get().imported_at) == (0, None)


def test_revoking_twice_says_so_and_another_accounts_rule_is_404(store, user, actor, other_account):
    rule = _rule(store, actor)
    foreign = _rule(other_account[2], events.Actor.for_user(other_account[1]))
    client = logged_in(user)
    client.post(f"/rules/{rule.pk}/revoke", {})
    client.get("/rules/")
    before = _state()
    client.post(f"/rules/{rule.pk}/revoke", {"import_suppressed": "on"})
    assert notices(client.get("/rules/")) == ["This ignore rule was already revoked; nothing was changed."]
    assert client.post(f"/rules/{foreign.pk}/revoke", {"import_suppressed": "on"}).status_code == 404
    assert (_state(), IgnoreRule.objects.get(pk=foreign.pk).is_active) == (before, True)


def test_revoke_without_the_csrf_token_is_refused(store, user, actor):
    rule = _rule(store, actor)
    before = _state()
    assert logged_in(user, csrf=True).post(f"/rules/{rule.pk}/revoke", {}).status_code == 403
    assert _state() == before


# --- ledger -----------------------------------------------------------------------------------------------------


def test_the_ledger_lists_orders_not_imported_with_each_items_reason_and_the_rule(store, user, actor):
    rule = _rule(store, actor)
    result = receive(store, "1002", tshirt("1", "4xl"))
    placed = result.suppressed.placed_at
    html = logged_in(user).get("/suppressed/").content.decode()
    assert body_rows(html) == [
        f"#1002 Jane Doe · 10.00 USD Shop {placed:%-d %b %Y, %H:%M} no physical item left after ignore rules "
        "1 × Classic T-shirt 4XL SKU TSHIRT-4XL: ignored by rule: this variant for all incoming orders "
        "this variant for all incoming orders — Classic T-shirt 4XL Not imported"
    ]
    assert f'href="/rules/?status=all#rule-{rule.pk}"' in html


def test_the_ledger_filters_by_rule_and_pages_newest_first(store, user, actor, monkeypatch, other_account):
    monkeypatch.setattr(routing, "PAGE_SIZE", 2)
    four_xl = _rule(store, actor)
    _rule(store, actor, "product", VariantRef("car", "car-red", label="Toy car"))
    for number in ("1001", "1002", "1003"):
        receive(store, number, tshirt("1", "4xl"))
    receive(store, "1004", car("1", "red"))
    client = logged_in(user)
    first = client.get("/suppressed/", {"rule": four_xl.pk}).content.decode()
    assert [r.split(" ")[0] for r in body_rows(first)] == ["#1003", "#1002"]
    older = SuppressedOrder.objects.get(external_id="1002").pk
    link = f'<a href="?rule={four_xl.pk}&amp;before={older}">Older →</a>'
    assert link in first
    second = client.get("/suppressed/", {"rule": four_xl.pk, "before": older}).content.decode()
    assert ([r.split(" ")[0] for r in body_rows(second)], "Older →" in second) == (["#1001"], False)
    everything = client.get("/suppressed/").content.decode()
    assert [r.split(" ")[0] for r in body_rows(everything)] == ["#1004", "#1003"]
    foreign = _rule(other_account[2], events.Actor.for_user(other_account[1]))
    refused = client.get("/suppressed/", {"rule": foreign.pk})
    assert (refused.status_code, errors(refused)) == (
        422,
        ["Check the filter: Choose one of your ignore rules."],
    )


# --- connections ------------------------------------------------------------------------------------------------


def test_the_connections_page_lists_and_searches_connections(store, user, actor):
    m = connect(store, actor, "tshirt-m", label="Classic T-shirt (Size: M)")
    connect(store, actor, "mug-white", "mug", label="White mug")
    client = logged_in(user)
    day = _day(m.created_at)
    assert body_rows(client.get("/connections/", {"q": "TSHIRT-M"}).content.decode()) == [
        f"Classic T-shirt (Size: M) SKU TSHIRT-M · variant tshirt-m Shop Gelato: uid-tshirt-m default: file "
        f"{day} by ana@example.com Connected Disconnect…"
    ]
    everything = body_rows(client.get("/connections/").content.decode())
    assert [r.split(" SKU")[0] for r in everything] == ["White mug", "Classic T-shirt (Size: M)"]
    assert body_rows(client.get("/connections/", {"status": "disconnected"}).content.decode()) == [
        "No connections match."
    ]


def test_disconnect_asks_first_then_disconnects_and_says_what_it_means(store, user, actor):
    m = connect(store, actor, "tshirt-m", label="Classic T-shirt (Size: M)")
    client = logged_in(user)
    confirm = client.get(f"/connections/{m.pk}/disconnect").content.decode()
    assert texts(confirm, "h1") == ["Disconnect Classic T-shirt (Size: M)?"]
    assert texts(confirm, "p")[1] == (
        "Future orders with this variant will be Not connected again. Orders already decided keep their decision."
    )
    assert m.disconnected_at is None and Connection.objects.get().is_active
    response = client.post(f"/connections/{m.pk}/disconnect")
    assert (response.status_code, response["Location"]) == (302, "/connections/")
    assert notices(client.get("/connections/")) == [
        "Disconnected Classic T-shirt (Size: M) from uid-tshirt-m. Future orders with it will be Not connected; "
        "orders already decided keep their decision."
    ]
    m.refresh_from_db()
    assert (m.is_active, m.disconnected_by) == (False, user)
    assert (
        OrderEvent.objects.get(type="connection_removed").message == "Disconnected Classic T-shirt (Size: M)"
    )
    again = client.post(f"/connections/{m.pk}/disconnect")
    assert (again.status_code, notices(client.get("/connections/"))) == (
        302,
        ["This connection was already removed; nothing was changed."],
    )


def test_another_accounts_connection_is_404_and_disconnect_needs_the_csrf_token(
    store, user, actor, other_account
):
    foreign = connect(other_account[2], events.Actor.for_user(other_account[1]), "tshirt-m")
    mine = connect(store, actor, "tshirt-m")
    client = logged_in(user)
    before = _state()
    answers = [
        client.get(f"/connections/{foreign.pk}/disconnect").status_code,
        client.post(f"/connections/{foreign.pk}/disconnect").status_code,
        logged_in(user, csrf=True).post(f"/connections/{mine.pk}/disconnect").status_code,
    ]
    assert (answers, _state()) == ([404, 404, 403], before)
