"""POST /api/v1/stores/{id}/orders: a custom store posts its orders, authenticated by its own X-Store-Key."""

from decimal import Decimal

import pytest

from printbridge.orders import rules
from printbridge.orders.models import Order, OrderEvent, OrderItem, SuppressedOrder
from printbridge.orders.services import VariantRef, create_connection, ensure_ignore_rule
from tests.api.conftest import assert_invalid, intake_body, intake_item, nothing_written
from tests.conftest import NOW

ITEM_FIELDS = (
    "external_id",
    "product_id",
    "variant_id",
    "sku",
    "name",
    "options",
    "quantity",
    "unit_price",
    "item_type",
    "state",
    "decision",
    "connection_id",
    "release_generation",
)


def items_of(order_id: int) -> list[dict]:
    return list(OrderItem.objects.filter(order_id=order_id).order_by("pk").values(*ITEM_FIELDS))


def not_connected(external_id: str, variant_id: str, **fields) -> dict:
    return {
        "external_id": external_id,
        "product_id": "tshirt",
        "variant_id": variant_id,
        "sku": variant_id.upper(),
        "name": "Classic T-shirt",
        "options": [{"name": "Color", "value": "Red"}],
        "quantity": 1,
        "unit_price": Decimal("12.50"),
        "item_type": "physical",
        "state": "not_connected",
        "decision": "no_connection",
        "connection_id": None,
        "release_generation": None,
        **fields,
    }


def test_new_order_is_created_held_and_answers_201(store, intake):
    response = intake(store.pk, intake_body(), store.api_key)

    order = Order.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "outcome": "created",
        "order_id": order.pk,
        "status": "not_connected",
        "reason": "",
    }
    assert Order.objects.values(
        "store_id", "account_id", "external_id", "number", "customer_name", "customer_email", "currency"
    ).get() == {
        "store_id": store.pk,
        "account_id": store.account_id,
        "external_id": "web-1001",
        "number": "1001",
        "customer_name": "Jane Doe",
        "customer_email": "jane@example.com",
        "currency": "USD",
    }
    assert (order.placed_at, order.subtotal, order.total) == (NOW, Decimal("25.00"), Decimal("29.00"))
    assert order.shipping_address == {
        "first_name": "Jane",
        "last_name": "Doe",
        "company": "",
        "address1": "1 Main St",
        "address2": "",
        "city": "Austin",
        "state": "",
        "postal_code": "78701",
        "country_code": "US",
        "phone": "",
        "email": "",
    }
    assert items_of(order.pk) == [not_connected("line-1", "v-red")]
    assert list(OrderEvent.objects.filter(order=order).order_by("pk").values_list("type", "actor")) == [
        ("order_imported", "custom store Shop"),
        ("order_held", "custom store Shop"),
    ]


def test_item_without_variant_id_is_keyed_by_its_product_id(store, intake):
    line = intake_item("line-1", "ignored", product_id="poster-a3", options=[])
    del line["variant_id"]

    response = intake(store.pk, intake_body(items=[line]), store.api_key)

    assert response.status_code == 201
    assert OrderItem.objects.values_list("product_id", "variant_id", "options").get() == (
        "poster-a3",
        "poster-a3",
        [],
    )


def test_order_of_connected_variants_is_ready_for_fulfilment(store, actor, intake):
    connection = create_connection(store, VariantRef("tshirt", "v-red"), "uid-tee-red", {}, actor)

    response = intake(store.pk, intake_body(), store.api_key)

    order = Order.objects.get()
    assert response.status_code == 201
    assert response.json() == {"outcome": "created", "order_id": order.pk, "status": "ready", "reason": ""}
    assert items_of(order.pk) == [
        not_connected(
            "line-1",
            "v-red",
            state="connected",
            decision="connection",
            connection_id=connection.pk,
            release_generation=1,
        )
    ]


def test_identical_repost_answers_200_unchanged_and_writes_nothing(store, intake):
    intake(store.pk, intake_body(), store.api_key)
    order = Order.objects.get()

    with nothing_written():
        response = intake(store.pk, intake_body(), store.api_key)

    assert response.status_code == 200
    assert response.json() == {
        "outcome": "unchanged",
        "order_id": order.pk,
        "status": "not_connected",
        "reason": "",
    }


def test_changed_repost_updates_the_one_order_and_records_what_changed(store, intake):
    intake(store.pk, intake_body(), store.api_key)
    changed = intake_body(
        customer={"name": "Jane Smith", "email": "jane@example.com"},
        items=[intake_item("line-1", "v-red", quantity=3), intake_item("line-2", "v-blue")],
    )

    response = intake(store.pk, changed, store.api_key)

    order = Order.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "outcome": "updated",
        "order_id": order.pk,
        "status": "not_connected",
        "reason": "",
    }
    assert order.customer_name == "Jane Smith"
    assert items_of(order.pk) == [
        not_connected("line-1", "v-red", quantity=3),
        not_connected("line-2", "v-blue"),
    ]
    update = OrderEvent.objects.get(order=order, type="order_updated")
    assert update.message == "Updated by the store: customer_name, item line-1: quantity, items added: line-2"


def test_order_of_only_ignored_variants_is_suppressed_with_its_reason(store, actor, intake):
    rule = ensure_ignore_rule(store, rules.IgnoreScope.VARIANT, VariantRef("tshirt", "v-red"), "", actor)

    response = intake(store.pk, intake_body(), store.api_key)

    assert response.status_code == 200
    assert response.json() == {
        "outcome": "suppressed",
        "order_id": None,
        "status": None,
        "reason": "no physical item left after ignore rules",
    }
    assert Order.objects.count() == 0
    ledger = SuppressedOrder.objects.get()
    assert (ledger.external_id, ledger.number, ledger.delivery_count) == ("web-1001", "1001", 1)
    assert list(ledger.rules.values_list("pk", flat=True)) == [rule.pk]
    assert ledger.items == [
        {
            "external_id": "line-1",
            "name": "Classic T-shirt",
            "sku": "V-RED",
            "product_id": "tshirt",
            "variant_id": "v-red",
            "quantity": 1,
            "state": "ignored",
            "reason": "ignored by rule: this variant for all incoming orders",
            "rule_id": rule.pk,
        }
    ]
    assert OrderEvent.objects.filter(type="order_suppressed").values_list("message", flat=True).get() == (
        "Order #1001 not imported: no physical item left after ignore rules"
    )


def test_reposted_suppressed_order_counts_the_delivery_and_stays_out(store, actor, intake):
    ensure_ignore_rule(store, rules.IgnoreScope.PRODUCT, VariantRef("tshirt", ""), "", actor)
    intake(store.pk, intake_body(), store.api_key)

    response = intake(store.pk, intake_body(), store.api_key)

    assert (response.status_code, response.json()["outcome"]) == (200, "suppressed")
    assert Order.objects.count() == 0
    assert SuppressedOrder.objects.values_list("delivery_count", flat=True).get() == 2


def test_unconnected_order_is_suppressed_when_import_not_connected_is_off(make_store, intake):
    strict = make_store("Strict", import_not_connected=False)

    response = intake(strict.pk, intake_body(), strict.api_key)

    assert response.status_code == 200
    assert response.json()["reason"] == "no connected items; Import not connected orders is off"
    assert (Order.objects.count(), SuppressedOrder.objects.count()) == (0, 1)


@pytest.mark.parametrize(
    "key",
    [None, "", "pbs_deadbeef_not-the-key", "not-a-store-key", "pbt_deadbeef_a-user-token-shape"],
    ids=["missing", "empty", "unknown", "malformed", "user-token-shape"],
)
def test_missing_or_wrong_store_key_is_401_and_writes_nothing(store, intake, key):
    with nothing_written():
        response = intake(store.pk, intake_body(), key)

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required"}


def test_right_prefix_with_wrong_secret_is_401(store, intake):
    prefix = "_".join(store.api_key.split("_")[:2])

    with nothing_written():
        response = intake(store.pk, intake_body(), f"{prefix}_forged")

    assert response.status_code == 401


def test_personal_api_token_cannot_post_orders(store, api):
    with nothing_written():
        response = api.post(f"/api/v1/stores/{store.pk}/orders", intake_body())

    assert response.status_code == 401


def test_key_of_an_inactive_store_is_401(store, intake):
    type(store).objects.filter(pk=store.pk).update(is_active=False)

    with nothing_written():
        response = intake(store.pk, intake_body(), store.api_key)

    assert response.status_code == 401


def test_store_key_posting_to_another_stores_url_is_404(store, make_store, intake):
    second = make_store("Second")

    with nothing_written():
        response = intake(second.pk, intake_body(), store.api_key)

    assert response.status_code == 404
    assert response.json() == {"detail": "No such store"}


def test_store_key_posting_to_another_accounts_store_is_404(store, other_tenant, intake):
    with nothing_written():
        response = intake(other_tenant.store.pk, intake_body(), store.api_key)

    assert response.status_code == 404
    assert response.json() == {"detail": "No such store"}


def _without(body: dict, name: str) -> dict:
    return {k: v for k, v in body.items() if k != name}


INVALID = {
    "naive placed_at": (
        intake_body(placed_at="2026-12-01T12:00:00"),
        "placed_at",
        "Value error, must include a time zone, e.g. 2026-12-01T10:00:00Z",
    ),
    "lowercase currency": (
        intake_body(currency="usd"),
        "currency",
        "String should match pattern '^[A-Z]{3}$'",
    ),
    "zero quantity": (
        intake_body(items=[intake_item("line-1", "v-red", quantity=0)]),
        "items.0.quantity",
        "Input should be greater than or equal to 1",
    ),
    "duplicate item external ids": (
        intake_body(items=[intake_item("line-1", "v-red"), intake_item("line-1", "v-blue")]),
        "items",
        "Value error, item external_id must be unique in an order; repeated: line-1",
    ),
    "unknown extra field": (intake_body(gift_note="hi"), "gift_note", "Extra inputs are not permitted"),
    "unknown item field": (
        intake_body(items=[intake_item("line-1", "v-red", colour="red")]),
        "items.0.colour",
        "Extra inputs are not permitted",
    ),
    "empty items": (
        intake_body(items=[]),
        "items",
        "List should have at least 1 item after validation, not 0",
    ),
    "bad country code": (
        intake_body(shipping_address={"address1": "1 Main St", "city": "Austin", "country_code": "USA"}),
        "shipping_address.country_code",
        "String should match pattern '^[A-Z]{2}$'",
    ),
    "missing address": (_without(intake_body(), "shipping_address"), "shipping_address", "Field required"),
    "negative total": (intake_body(total="-1"), "total", "Input should be greater than or equal to 0"),
}


@pytest.mark.parametrize(("body", "field", "message"), INVALID.values(), ids=INVALID.keys())
def test_invalid_order_is_422_naming_the_field_and_writes_nothing(store, intake, body, field, message):
    with nothing_written():
        response = intake(store.pk, body, store.api_key)

    assert_invalid(response, field, message)


def test_invalid_repost_leaves_the_imported_order_untouched(store, intake):
    intake(store.pk, intake_body(), store.api_key)

    with nothing_written():
        response = intake(store.pk, intake_body(currency="eur"), store.api_key)

    assert_invalid(response, "currency", "String should match pattern '^[A-Z]{3}$'")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"external_id": "web-1001",', "The request body is not valid JSON"),
        ("[1, 2]", "Input should be a valid dictionary or object to extract fields from"),
    ],
    ids=["not-json", "not-an-object"],
)
def test_body_that_is_not_an_order_object_is_422_and_writes_nothing(store, client, raw, message):
    url = f"/api/v1/stores/{store.pk}/orders"

    with nothing_written():
        response = client.post(
            url, raw, content_type="application/json", headers={"X-Store-Key": store.api_key}
        )

    assert_invalid(response, None, message)
