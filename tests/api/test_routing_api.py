"""Connections, ignore rules (revoke, import what they kept out), re-evaluation preview / apply, the ledger.

Another account's ids (404) and unauthenticated calls (401) are covered for every endpoint in test_auth_and_schema.
"""

import pytest

from printbridge.orders import rules
from printbridge.orders.models import Order, OrderEvent, SuppressedOrder
from printbridge.orders.services import (
    VariantRef,
    create_connection,
    disconnect,
    ensure_ignore_rule,
    import_order,
    revoke_ignore_rule,
)
from printbridge.routing.models import Connection, IgnoreRule
from tests.api.conftest import assert_invalid, connection_body, iso, nothing_written, rule_body
from tests.conftest import item, order

URL = "https://cdn.example.com/red.png"


def ignore(store, actor, variant_id: str, scope=rules.IgnoreScope.VARIANT) -> IgnoreRule:
    variant = VariantRef("tshirt", variant_id if scope == rules.IgnoreScope.VARIANT else "", label=variant_id)
    return ensure_ignore_rule(store, scope, variant, "", actor)


def results(response) -> list:
    assert response.status_code == 200
    return response.json()


# --- connections ------------------------------------------------------------------------------------------------


def test_connections_list_newest_first_filtered_by_store_and_active(
    store, make_store, actor, api, other_tenant
):
    red = create_connection(store, VariantRef("tshirt", "v-red", "TEE-RED", "Tee Red"), "uid-red", {}, actor)
    blue = create_connection(make_store("Second"), VariantRef("tshirt", "v-blue"), "uid-blue", {}, actor)
    disconnect(store.account_id, red.pk, actor)

    assert results(api.get("/api/v1/connections")) == [connection_body(blue), connection_body(red)]
    assert results(api.get("/api/v1/connections", active="true")) == [connection_body(blue)]
    assert results(api.get("/api/v1/connections", active="false")) == [connection_body(red)]
    assert results(api.get("/api/v1/connections", store=store.pk)) == [connection_body(red)]


def test_create_connection_answers_201_and_leaves_waiting_orders_for_apply(store, held, user, api):
    waiting = held("W-1", item("1", "v-red"))
    body = {
        "store_id": store.pk,
        "product_id": "tshirt",
        "variant_id": "v-red",
        "sku": "TEE-RED",
        "label": "Tee / Red",
        "provider_product_uid": " uid-tee-red ",
        "files": {"default": URL},
    }

    response = api.post("/api/v1/connections", body)

    connection = Connection.objects.get()
    assert response.status_code == 201
    assert response.json() == connection_body(connection)
    fields = ("store_id", "variant_id", "sku", "label", "provider_product_uid", "files", "created_by_id")
    assert Connection.objects.values_list(*fields).get() == (
        store.pk, "v-red", "TEE-RED", "Tee / Red", "uid-tee-red", {"default": URL}, user.pk
    )  # fmt: skip
    created = OrderEvent.objects.get(type="connection_created")
    assert created.parameters == {
        "connection_id": connection.pk,
        "variant_id": "v-red",
        "product_id": "tshirt",
    }
    assert waiting.items.values_list("state", flat=True).get() == "not_connected"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"provider_product_uid": "   "}, "provider_product_uid", "String should have at least 1 character"),
        ({"variant_id": ""}, "variant_id", "String should have at least 1 character"),
        ({"files": ["not", "a", "dict"]}, "files", "Input should be a valid dictionary"),
        (
            {"store_id": "first"},
            "store_id",
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        ({"provider": "printful"}, "provider", "Extra inputs are not permitted"),
    ],
    ids=["blank-product", "blank-variant", "files-not-dict", "store-not-int", "unknown-field"],
)
def test_invalid_connection_is_422_and_writes_nothing(store, api, change, field, message):
    body = {
        "store_id": store.pk,
        "product_id": "tshirt",
        "variant_id": "v-red",
        "provider_product_uid": "uid",
    }

    with nothing_written():
        response = api.post("/api/v1/connections", {**body, **change})

    assert_invalid(response, field, message)


def test_connecting_an_already_connected_variant_is_409_and_writes_nothing(store, actor, api):
    create_connection(store, VariantRef("tshirt", "v-red"), "uid-red", {}, actor)
    body = {
        "store_id": store.pk,
        "product_id": "tshirt",
        "variant_id": "v-red",
        "provider_product_uid": "uid-2",
    }

    with nothing_written():
        response = api.post("/api/v1/connections", body)

    assert (response.status_code, response.json()) == (409, {"detail": "Variant v-red is already connected"})


def test_delete_connection_disconnects_it_once(store, actor, user, api):
    red = create_connection(store, VariantRef("tshirt", "v-red"), "uid-red", {}, actor)

    response = api.delete(f"/api/v1/connections/{red.pk}")

    red.refresh_from_db()
    assert response.status_code == 200
    assert response.json() == connection_body(red)
    assert (red.disconnected_by_id, red.disconnected_at is not None) == (user.pk, True)
    assert OrderEvent.objects.filter(type="connection_removed").count() == 1
    with nothing_written():
        again = api.delete(f"/api/v1/connections/{red.pk}")
    assert (again.status_code, again.json()) == (409, {"detail": "This connection was already removed"})


# --- ignore rules -----------------------------------------------------------------------------------------------


def test_ignore_rules_list_counts_the_orders_each_kept_out(store, actor, api, other_tenant):
    gray = ignore(store, actor, "v-gray")
    tees = ignore(store, actor, "", scope=rules.IgnoreScope.PRODUCT)
    import_order(store, order("S-1", item("1", "v-gray")), actor)
    revoke_ignore_rule(store.account_id, tees.pk, actor)

    # The variant rule decides before the product rule, so only it kept S-1 out.
    assert results(api.get("/api/v1/ignore-rules")) == [rule_body(tees, 0), rule_body(gray, 1)]
    assert results(api.get("/api/v1/ignore-rules", active="true")) == [rule_body(gray, 1)]
    assert results(api.get("/api/v1/ignore-rules", active="false", store=store.pk)) == [rule_body(tees, 0)]


@pytest.mark.parametrize(
    ("body", "target"),
    [
        ({"scope": "variant", "variant_id": "v-gray"}, ("variant", "tshirt", "v-gray")),
        ({"scope": "product", "variant_id": "v-gray"}, ("product", "tshirt", "")),
    ],
    ids=["variant", "product"],
)
def test_create_ignore_rule_answers_201(store, user, api, body, target):
    full = {"store_id": store.pk, "product_id": "tshirt", "label": "Tee", "reason": "sample", **body}

    response = api.post("/api/v1/ignore-rules", full)

    rule = IgnoreRule.objects.get()
    assert response.status_code == 201
    assert response.json() == rule_body(rule)
    fields = ("scope", "product_id", "variant_id", "label", "reason", "created_by_id")
    assert IgnoreRule.objects.values_list(*fields).get() == (*target, "Tee", "sample", user.pk)
    assert OrderEvent.objects.get(type="ignore_rule_created").parameters["rule_id"] == rule.pk


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"variant_id": None}, "variant_id", "Value error, variant_id is required for a variant rule"),
        ({"scope": "item"}, "scope", "Input should be 'variant' or 'product'"),
        ({"product_id": ""}, "product_id", "String should have at least 1 character"),
        ({"until": "2027"}, "until", "Extra inputs are not permitted"),
    ],
    ids=["variant-without-id", "item-scope", "blank-product", "unknown-field"],
)
def test_invalid_ignore_rule_is_422_and_writes_nothing(store, api, change, field, message):
    body = {"store_id": store.pk, "scope": "variant", "product_id": "tshirt", "variant_id": "v-gray"}

    with nothing_written():
        response = api.post("/api/v1/ignore-rules", {**body, **change})

    assert_invalid(response, field, message)


def test_revoke_keeps_suppressed_orders_out_unless_asked(store, actor, user, api):
    gray = ignore(store, actor, "v-gray")
    import_order(store, order("S-1", item("1", "v-gray")), actor)

    response = api.post(f"/api/v1/ignore-rules/{gray.pk}/revoke", {})

    gray.refresh_from_db()
    assert response.status_code == 200
    assert response.json() == {
        "rule_id": gray.pk,
        "revoked_at": iso(gray.revoked_at),
        "imported": 0,
        "still_suppressed": 0,
    }
    assert gray.revoked_by_id == user.pk
    assert (Order.objects.count(), SuppressedOrder.objects.get().imported_at) == (0, None)
    with nothing_written():
        again = api.post(f"/api/v1/ignore-rules/{gray.pk}/revoke", {"import_suppressed": True})
    assert (again.status_code, again.json()) == (409, {"detail": "This ignore rule was already revoked"})


def test_revoke_with_import_suppressed_imports_what_the_rule_kept_out(make_store, actor, api):
    strict = make_store("Strict", import_not_connected=False)
    gray = ignore(strict, actor, "v-gray")
    import_order(strict, order("S-1", item("1", "v-gray")), actor)
    import_order(strict, order("S-2", item("1", "v-gray"), item("2", "v-black")), actor)
    create_connection(strict, VariantRef("tshirt", "v-black"), "uid-black", {}, actor)

    response = api.post(f"/api/v1/ignore-rules/{gray.pk}/revoke", {"import_suppressed": True})

    imported = Order.objects.get()
    gray.refresh_from_db()
    assert response.status_code == 200
    assert response.json() == {
        "rule_id": gray.pk,
        "revoked_at": iso(gray.revoked_at),
        "imported": 1,
        "still_suppressed": 1,
    }
    assert (imported.external_id, imported.status) == ("S-2", "ready")
    assert list(imported.items.order_by("pk").values_list("state", flat=True)) == ["skipped", "connected"]
    ledger = SuppressedOrder.objects.order_by("pk")
    assert [(s.external_id, s.imported_order_id, s.reason) for s in ledger] == [
        ("S-1", None, rules.NO_CONNECTED_ITEMS_REASON),
        ("S-2", imported.pk, rules.NO_CONNECTED_ITEMS_REASON),
    ]


def test_invalid_revoke_is_422_and_writes_nothing(store, actor, api):
    gray = ignore(store, actor, "v-gray")

    with nothing_written():
        response = api.post(f"/api/v1/ignore-rules/{gray.pk}/revoke", {"import_suppressed": "perhaps"})

    assert_invalid(
        response, "import_suppressed", "Input should be a valid boolean, unable to interpret input"
    )


# --- re-evaluation ----------------------------------------------------------------------------------------------


@pytest.fixture
def waiting(held):
    """A waits only for v-red; B waits for v-red and v-blue; C only for v-blue (product tshirt)."""
    return (
        held("A", item("1", "v-red")),
        held("B", item("1", "v-red"), item("2", "v-blue")),
        held("C", item("1", "v-blue")),
    )


@pytest.mark.parametrize(
    ("change", "outcomes"),
    [
        ({"kind": "connect", "variant_id": "v-red"}, {"A": "continues", "B": "still_waiting"}),
        ({"kind": "ignore_variant", "variant_id": "v-red"}, {"A": "ignored", "B": "still_waiting"}),
        ({"kind": "ignore_product"}, {"A": "ignored", "B": "ignored", "C": "ignored"}),
        ({"kind": "connect", "variant_id": "v-red", "exclude_order_id": "A"}, {"B": "still_waiting"}),
    ],
    ids=["connect", "ignore-variant", "ignore-product", "excluding-an-order"],
)
def test_preview_tells_where_each_waiting_order_would_go_and_writes_nothing(
    store, api, waiting, change, outcomes
):
    ids = {o.number: o.pk for o in waiting}
    if "exclude_order_id" in change:
        change = {**change, "exclude_order_id": ids[change["exclude_order_id"]]}

    with nothing_written():
        response = api.post(
            "/api/v1/reevaluate/preview", {"store_id": store.pk, "product_id": "tshirt", **change}
        )

    counted = {o: list(outcomes.values()).count(o) for o in ("continues", "ignored", "still_waiting")}
    orders = [
        {"id": ids[number], "number": number, "total": "10.00", "currency": "USD", "outcome": outcome}
        for number, outcome in outcomes.items()
    ]
    assert response.status_code == 200
    assert response.json() == {**counted, "orders": orders}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"kind": "connect"},
            "variant_id",
            "Value error, variant_id is required unless kind is ignore_product",
        ),
        ({"kind": "delete"}, "kind", "Input should be 'connect', 'ignore_variant' or 'ignore_product'"),
        ({"kind": "ignore_product", "store_id": None}, "store_id", "Input should be a valid integer"),
    ],
    ids=["connect-without-variant", "unknown-kind", "no-store"],
)
def test_invalid_preview_is_422(store, api, waiting, change, field, message):
    with nothing_written():
        response = api.post(
            "/api/v1/reevaluate/preview", {"store_id": store.pk, "product_id": "tshirt", **change}
        )

    assert_invalid(response, field, message)


def test_apply_connection_moves_every_waiting_order(store, actor, api, waiting):
    red = create_connection(store, VariantRef("tshirt", "v-red"), "uid-red", {}, actor)

    response = api.post("/api/v1/reevaluate/apply", {"connection_id": red.pk})

    assert (response.status_code, response.json()) == (
        200,
        {"continued": 1, "ignored": 0, "still_waiting": 1},
    )
    assert list(Order.objects.order_by("pk").values_list("number", "status")) == [
        ("A", "ready"),
        ("B", "not_connected"),
        ("C", "not_connected"),
    ]
    assert list(waiting[1].items.order_by("pk").values_list("state", "connection_id")) == [
        ("connected", red.pk),
        ("not_connected", None),
    ]
    reevaluated = OrderEvent.objects.filter(type="order_reevaluated").order_by("order_id")
    assert [(e.order.number, e.message) for e in reevaluated] == [
        ("A", "Re-evaluated after a new connection: order complete, continues"),
        ("B", "Re-evaluated after a new connection: still waiting for other items"),
    ]


def test_apply_ignore_rule_ignores_orders_left_with_nothing_to_fulfil(store, actor, api, waiting):
    blue = ignore(store, actor, "v-blue")

    response = api.post("/api/v1/reevaluate/apply", {"ignore_rule_id": blue.pk})

    assert (response.status_code, response.json()) == (
        200,
        {"continued": 0, "ignored": 1, "still_waiting": 1},
    )
    assert list(Order.objects.order_by("pk").values_list("number", "status")) == [
        ("A", "not_connected"),
        ("B", "not_connected"),
        ("C", "ignored"),
    ]


@pytest.mark.parametrize("body", [{}, {"connection_id": 1, "ignore_rule_id": 1}], ids=["neither", "both"])
def test_apply_needs_exactly_one_source(api, waiting, body):
    with nothing_written():
        response = api.post("/api/v1/reevaluate/apply", body)

    assert_invalid(response, "ignore_rule_id", "Value error, give either connection_id or ignore_rule_id")


def test_applying_a_removed_connection_or_revoked_rule_is_409(store, actor, api, waiting):
    red = create_connection(store, VariantRef("tshirt", "v-red"), "uid-red", {}, actor)
    disconnect(store.account_id, red.pk, actor)
    blue = ignore(store, actor, "v-blue")
    revoke_ignore_rule(store.account_id, blue.pk, actor)

    with nothing_written():
        removed = api.post("/api/v1/reevaluate/apply", {"connection_id": red.pk})
        revoked = api.post("/api/v1/reevaluate/apply", {"ignore_rule_id": blue.pk})

    assert (removed.status_code, revoked.status_code) == (409, 409)
    assert removed.json() == {"detail": "This connection was removed; connect the variant again first"}
    assert revoked.json() == {"detail": "This ignore rule was revoked"}


# --- the ledger of suppressed orders -------------------------------------------------------------------------------


def test_ledger_lists_this_accounts_suppressed_orders_with_their_reasons(store, actor, api, other_tenant):
    gray = ignore(store, actor, "v-gray")
    kept_out = import_order(store, order("S-1", item("1", "v-gray")), actor).suppressed

    response = api.get("/api/v1/suppressed-orders")

    assert results(response) == [
        {
            "id": kept_out.pk,
            "store_id": store.pk,
            "external_id": "S-1",
            "number": "S-1",
            "customer_name": "Jane Doe",
            "placed_at": iso(kept_out.placed_at),
            "total": "10.00",
            "currency": "USD",
            "reason": rules.NOTHING_TO_FULFIL_REASON,
            "items": kept_out.items,
            "rule_ids": [gray.pk],
            "delivery_count": 1,
            "created_at": iso(kept_out.created_at),
            "imported_at": None,
            "imported_order_id": None,
        }
    ]
    assert [s["id"] for s in results(api.get("/api/v1/suppressed-orders", rule=gray.pk))] == [kept_out.pk]
    assert results(api.get("/api/v1/suppressed-orders", rule=gray.pk + 1000)) == []


NOT_INT = "Input should be a valid integer, unable to parse string as an integer"


@pytest.mark.parametrize(
    ("path", "params", "field", "message"),
    [
        (
            "/connections",
            {"active": "maybe"},
            "active",
            "Input should be a valid boolean, unable to interpret input",
        ),
        ("/ignore-rules", {"store": "first"}, "store", NOT_INT),
        ("/suppressed-orders", {"limit": "all"}, "limit", NOT_INT),
    ],
    ids=["connections", "ignore-rules", "ledger"],
)
def test_list_filters_of_the_wrong_type_are_422(api, path, params, field, message):
    assert_invalid(api.get("/api/v1" + path, **params), field, message)
