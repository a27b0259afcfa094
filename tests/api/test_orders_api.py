"""Orders: list (filters, keyset pagination), detail with each item's state and why, Connect / Ignore, approval.

Another account's ids (404) and unauthenticated calls (401) are covered for every endpoint in test_auth_and_schema.
"""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from printbridge.orders import rules
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.services import VariantRef, create_connection, ensure_ignore_rule, import_order
from printbridge.routing.models import Connection, IgnoreRule
from tests.api.conftest import assert_invalid, assert_rejected, iso, nothing_written
from tests.conftest import NOW, item, order

NOT_PENDING = "is Not connected, not pending approval"
ONE_TARGET = "Value error, give either provider_product_uid (with files) or connection_id"


def summary(o: Order) -> dict:
    return {
        "id": o.pk,
        "store_id": o.store_id,
        "store_name": o.store.name,
        "external_id": o.external_id,
        "number": o.number,
        "customer_name": o.customer_name,
        "customer_email": o.customer_email,
        "currency": o.currency,
        "total": f"{o.total:.2f}",
        "placed_at": iso(o.placed_at),
        "status": o.status,
        "status_label": o.get_status_display(),
    }


def numbers(response) -> list[str]:
    assert response.status_code == 200
    return [o["number"] for o in response.json()["items"]]


def item_states(o: Order) -> list[tuple]:
    fields = ("external_id", "state", "decision", "connection_id", "ignore_rule_id")
    return list(o.items.order_by("pk").values_list(*fields))


def event_types(o: Order) -> list[str]:
    return list(o.events.order_by("pk").values_list("type", flat=True))


def item_url(o: Order, action: str) -> str:
    return f"/api/v1/orders/{o.pk}/items/{o.items.order_by('pk').first().pk}/{action}"


# --- list and detail --------------------------------------------------------------------------------------------


def test_list_answers_this_accounts_orders_newest_first(held, api, other_tenant):
    older = held("A-1", item("1", "v-red"), placed_at=NOW - timedelta(hours=1))
    newer = held("A-2", item("1", "v-blue"))

    response = api.get("/api/v1/orders")

    assert response.status_code == 200
    assert response.json() == {"items": [summary(newer), summary(older)], "next_cursor": None}


def test_keyset_pages_follow_the_cursor_to_the_end_without_repeats(held, api):
    for number, hours in zip(range(1001, 1008), (0, 1, 2, 2, 3, 4, 5), strict=True):
        held(f"E-{number}", item("1", "v-red"), number=str(number), placed_at=NOW - timedelta(hours=hours))

    pages, cursor = [], None
    while True:
        body = api.get("/api/v1/orders", limit=3, **({"cursor": cursor} if cursor else {})).json()
        pages.append([o["number"] for o in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            break

    # 1003 and 1004 were placed at the same moment: the higher id comes first.
    assert pages == [["1001", "1002", "1004"], ["1003", "1005", "1006"], ["1007"]]


@pytest.mark.parametrize("cursor", ["garbage", "Zm9v", "!!!", "MjAyNnxub3RhbmlkCg=="])
def test_a_cursor_the_api_did_not_return_is_422(api, cursor):
    assert_rejected(
        api.get("/api/v1/orders", cursor=cursor), "cursor", "The cursor is not one this API returned"
    )


def test_status_filter_keeps_only_that_status(store, held, actor, api):
    create_connection(store, VariantRef("tshirt", "v-red"), "uid-red", {}, actor)
    held("R-1", item("1", "v-red"))
    held("N-1", item("1", "v-blue"))

    assert numbers(api.get("/api/v1/orders", status="ready")) == ["R-1"]
    assert numbers(api.get("/api/v1/orders", status="not_connected")) == ["N-1"]


def test_unknown_status_or_bad_limit_is_422(api):
    assert_rejected(api.get("/api/v1/orders", status="lost"), "status", "Unknown status 'lost'")
    not_int = "Input should be a valid integer, unable to parse string as an integer"
    assert_invalid(api.get("/api/v1/orders", limit="many"), "limit", not_int)


def test_store_filter_keeps_only_that_stores_orders(held, make_store, actor, api):
    second = make_store("Second")
    held("S1-1", item("1", "v-red"))
    import_order(second, order("S2-1", item("1", "v-red")), actor)

    assert numbers(api.get("/api/v1/orders", store=second.pk)) == ["S2-1"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1002", ["1002"]),
        ("#1002", ["1002"]),
        ("BOB@shop.example.com", ["1003"]),
        ("bob@shop", ["1003"]),
        ("mug-blue", ["1002"]),
        ("Jane", ["1002", "1001"]),
        ("SHARED-SKU", []),  # another account's order has it
        ("nothing-like-this", []),
    ],
)
def test_text_search_matches_number_customer_and_sku(store, actor, api, other_tenant, text, expected):
    import_order(
        store, order("T-1", item("1", "v-red"), number="1001", placed_at=NOW - timedelta(hours=2)), actor
    )
    import_order(store, order("T-2", item("1", "v-red", sku="MUG-BLUE"), number="1002"), actor)
    bob = order("T-3", item("1", "v-red"), number="1003", placed_at=NOW - timedelta(hours=1))
    import_order(store, replace(bob, customer_name="Bob", customer_email="bob@shop.example.com"), actor)

    assert numbers(api.get("/api/v1/orders", q=text)) == expected


def test_detail_shows_each_items_state_and_why(store, held, actor, api):
    connection = create_connection(store, VariantRef("tshirt", "v-red"), "uid-tee-red", {}, actor)
    gray = VariantRef("tshirt", "v-gray", label="Gray tee")
    rule = ensure_ignore_rule(store, rules.IgnoreScope.VARIANT, gray, "", actor)
    gift = item("4", "gift-25", product_id="gift", name="Gift card", item_type="gift_certificate")
    placed = held("D-1", item("1", "v-red"), item("2", "v-blue"), item("3", "v-gray"), gift)
    by = f"by ana@example.com, {timezone.localtime(connection.created_at):%-d %b}"

    response = api.get(f"/api/v1/orders/{placed.pk}")

    body = response.json()
    placed.refresh_from_db()
    assert response.status_code == 200
    assert body["fulfilment"] == {"submissions": [], "parcels": [], "overrides": []}
    assert {k: v for k, v in body.items() if k not in ("items", "events", "fulfilment")} == {
        **summary(placed),
        "subtotal": "10.00",
        "shipping_address": placed.shipping_address,
        "held_since": iso(placed.held_since),
        "release_at": None,
        "approved_at": None,
        "release_count": 0,
    }
    assert [(i["external_id"], i["state"], i["decision"], i["reason"]) for i in body["items"]] == [
        ("1", "connected", "connection", f"connected to uid-tee-red, {by}"),
        ("2", "not_connected", "no_connection", "not connected for 0\xa0minutes"),
        ("3", "ignored", "variant_rule", f"ignored by rule: variant Gray tee, {by}"),
        ("4", "not_applicable", "not_physical", "not a physical item: nothing to fulfil"),
    ]
    assert [(i["state_label"], i["connection_id"], i["ignore_rule_id"]) for i in body["items"]] == [
        ("Connected", connection.pk, None),
        ("Not connected", None, None),
        ("Ignored", None, rule.pk),
        ("Not applicable (not a physical item)", None, None),
    ]
    assert [(e["type"], e["order_id"]) for e in body["events"]] == [
        ("order_imported", placed.pk),
        ("order_held", placed.pk),
    ]


# --- completing an order: Connect / Ignore ----------------------------------------------------------------------


def test_connect_to_a_fulfilment_product_connects_the_variant_for_future_orders(store, held, user, api):
    placed = held("C-1", item("1", "v-red"), item("2", "v-blue"))
    other = held("C-2", item("1", "v-red"))
    files = {"default": "https://cdn.example.com/red.png"}

    response = api.post(item_url(placed, "connect"), {"provider_product_uid": "uid-tee-red", "files": files})

    connection = Connection.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "order_id": placed.pk,
        "status": "not_connected",
        "completed": False,
        "connection_id": connection.pk,
        "ignore_rule_id": None,
        "other_waiting_orders": 1,
    }
    fields = ("store_id", "variant_id", "sku", "label", "provider_product_uid", "files", "created_by_id")
    assert Connection.objects.values_list(*fields).get() == (
        store.pk, "v-red", "V-RED", "Classic T-shirt", "uid-tee-red", files, user.pk
    )  # fmt: skip
    assert item_states(placed) == [
        ("1", "connected", "connection", connection.pk, None),
        ("2", "not_connected", "no_connection", None, None),
    ]
    assert item_states(other) == [("1", "not_connected", "no_connection", None, None)]
    assert event_types(placed) == ["order_imported", "order_held", "item_connected"]


def test_connecting_the_last_waiting_item_completes_and_releases_the_order(held, api):
    placed = held("C-1", item("1", "v-red"))

    response = api.post(item_url(placed, "connect"), {"provider_product_uid": "uid-tee-red"})

    placed.refresh_from_db()
    assert (response.status_code, response.json()["status"], response.json()["completed"]) == (
        200,
        "ready",
        True,
    )
    assert (placed.status, placed.release_count) == ("ready", 1)
    assert placed.items.values_list("release_generation", flat=True).get() == 1
    assert event_types(placed) == [
        "order_imported",
        "order_held",
        "item_connected",
        "order_completed",
        "items_released",
    ]


def test_connect_reusing_a_connection_copies_its_fulfilment_product(store, held, actor, api):
    files = {"front": "https://cdn.example.com/tee.png"}
    source = create_connection(store, VariantRef("tshirt", "v-black"), "uid-tee", files, actor)
    placed = held("C-1", item("1", "v-red"))

    response = api.post(item_url(placed, "connect"), {"connection_id": source.pk})

    new = Connection.objects.get(variant_id="v-red")
    assert response.status_code == 200
    assert response.json() == {
        "order_id": placed.pk,
        "status": "ready",
        "completed": True,
        "connection_id": new.pk,
        "ignore_rule_id": None,
        "other_waiting_orders": 0,
    }
    assert (new.provider_product_uid, new.files, new.pk == source.pk) == ("uid-tee", files, False)


@pytest.mark.parametrize(
    ("scope", "status", "completed", "rule_target", "others"),
    [
        ("item", "not_connected", False, None, 0),
        ("variant", "not_connected", False, ("variant", "tshirt", "v-red"), 1),
        ("product", "ignored", True, ("product", "tshirt", ""), 2),
    ],
)
def test_ignore_resolves_the_item_for_its_scope(
    held, user, api, scope, status, completed, rule_target, others
):
    placed = held("I-1", item("1", "v-red"), item("2", "v-blue"))
    held("I-2", item("1", "v-red"))
    held("I-3", item("1", "v-green"))

    response = api.post(item_url(placed, "ignore"), {"scope": scope, "reason": "not sold"})

    rule = IgnoreRule.objects.first()
    rule_id = rule.pk if rule else None
    assert response.status_code == 200
    assert response.json() == {
        "order_id": placed.pk,
        "status": status,
        "completed": completed,
        "connection_id": None,
        "ignore_rule_id": rule_id,
        "other_waiting_orders": others,
    }
    written = IgnoreRule.objects.values_list("scope", "product_id", "variant_id", "reason", "created_by_id")
    assert list(written) == ([(*rule_target, "not sold", user.pk)] if rule_target else [])
    decision = {"item": "ignored_for_order", "variant": "variant_rule", "product": "product_rule"}[scope]
    blue = (
        ("ignored", decision, None, rule_id)
        if scope == "product"
        else ("not_connected", "no_connection", None, None)
    )
    assert item_states(placed) == [("1", "ignored", decision, None, rule_id), ("2", *blue)]


@pytest.mark.parametrize(
    ("action", "body", "field", "message"),
    [
        ("connect", {}, "connection_id", ONE_TARGET),
        ("connect", {"provider_product_uid": "uid", "connection_id": 5}, "connection_id", ONE_TARGET),
        (
            "connect",
            {"provider_product_uid": "uid", "colour": "red"},
            "colour",
            "Extra inputs are not permitted",
        ),
        ("ignore", {"scope": "everything"}, "scope", "Input should be 'item', 'variant' or 'product'"),
        ("ignore", {}, "scope", "Field required"),
    ],
    ids=[
        "connect-no-target",
        "connect-two-targets",
        "connect-unknown-field",
        "ignore-bad-scope",
        "ignore-no-scope",
    ],
)
def test_invalid_connect_or_ignore_is_422_and_writes_nothing(held, api, action, body, field, message):
    placed = held("V-1", item("1", "v-red"))

    with nothing_written():
        response = api.post(item_url(placed, action), body)

    assert_invalid(response, field, message)


@pytest.mark.parametrize(
    ("action", "body"), [("connect", {"provider_product_uid": "uid"}), ("ignore", {"scope": "variant"})]
)
def test_an_item_no_longer_waiting_is_409_and_unchanged(held, api, action, body):
    placed = held("W-1", item("1", "v-red"), item("2", "v-blue"))
    api.post(item_url(placed, action), body)

    with nothing_written():
        response = api.post(item_url(placed, action), body)

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Item 'Classic T-shirt' of order #W-1 is not waiting for a Connect or Ignore"
    }


# --- approval ---------------------------------------------------------------------------------------------------


@pytest.fixture
def pending(make_store, actor):
    """Orders of a store with manual approval whose items are all connected: they wait for a person."""
    manual = make_store("Manual", approval_mode="manual")
    create_connection(manual, VariantRef("tshirt", "v-red"), "uid-red", {}, actor)
    return lambda external_id: import_order(manual, order(external_id, item("1", "v-red")), actor).order


def test_approving_one_pending_order_makes_it_ready(pending, user, api):
    waiting = pending("P-1")
    assert waiting.status == "pending_approval"

    response = api.post(f"/api/v1/orders/{waiting.pk}/approve")

    waiting.refresh_from_db()
    assert response.status_code == 200
    assert response.json() == {"approved": [waiting.pk], "skipped": {}}
    assert (waiting.status, waiting.approved_by_id, waiting.release_count) == ("ready", user.pk, 1)
    assert waiting.approved_at == waiting.status_changed_at
    assert waiting.items.values_list("release_generation", flat=True).get() == 1
    approved = OrderEvent.objects.get(order=waiting, type="order_approved")
    assert (approved.message, approved.actor) == ("Approved: ready for fulfilment", "ana@example.com")


def test_approving_an_order_that_is_not_pending_skips_it_with_why(held, api):
    waiting = held("N-1", item("1", "v-red"))

    with nothing_written():
        response = api.post(f"/api/v1/orders/{waiting.pk}/approve")

    assert response.status_code == 200
    assert response.json() == {"approved": [], "skipped": {str(waiting.pk): NOT_PENDING}}


def test_approving_many_approves_the_pending_and_skips_the_rest(pending, held, api):
    first, second = pending("P-1"), pending("P-2")
    waiting = held("N-1", item("1", "v-blue"))

    response = api.post("/api/v1/orders/approve", {"order_ids": [second.pk, waiting.pk, first.pk, first.pk]})

    assert response.status_code == 200
    assert response.json() == {"approved": [first.pk, second.pk], "skipped": {str(waiting.pk): NOT_PENDING}}
    assert list(Order.objects.order_by("pk").values_list("number", "status")) == [
        ("P-1", "ready"),
        ("P-2", "ready"),
        ("N-1", "not_connected"),
    ]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"order_ids": []}, "order_ids", "List should have at least 1 item after validation, not 0"),
        (
            {"order_ids": ["x"]},
            "order_ids.0",
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        ({}, "order_ids", "Field required"),
        ({"order_ids": [1], "force": True}, "force", "Extra inputs are not permitted"),
    ],
    ids=["empty", "not-an-id", "missing", "unknown-field"],
)
def test_invalid_approve_many_is_422_and_writes_nothing(pending, api, body, field, message):
    pending("P-1")

    with nothing_written():
        response = api.post("/api/v1/orders/approve", body)

    assert_invalid(response, field, message)
