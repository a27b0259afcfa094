"""Stores, their intake keys and settings (/api/v1/stores…), and the account's audit log (/api/v1/events).

Another account's ids (404) and unauthenticated calls (401) are covered for every endpoint in test_auth_and_schema.
"""

import pytest

from printbridge.orders.models import OrderEvent
from printbridge.stores.models import Store, StoreSettings
from tests.api.conftest import assert_invalid, assert_rejected, intake_body, iso, nothing_written
from tests.conftest import item

DEFAULT_SETTINGS = {
    "import_not_connected": False,
    "approval_mode": "instant",
    "approval_delay_hours": 24,
    "partial_release": "hold_all",
    "notification_recipients": [],
    "email_mode": "each_order",
    "ageing_alert_hours": None,
    "shipment_method_uid": "",
}


def store_body(store: Store, **settings) -> dict:
    return {
        "id": store.pk,
        "name": store.name,
        "platform": "custom",
        "is_active": True,
        "created_at": iso(store.created_at),
        "settings": {**DEFAULT_SETTINGS, **settings},
    }


def settings_row(store: Store) -> dict:
    return StoreSettings.objects.filter(store=store).values(*DEFAULT_SETTINGS).get()


def test_list_shows_the_accounts_stores_by_name_and_not_another_accounts(
    store, make_store, api, other_tenant
):
    beta = make_store("Beta", import_not_connected=False)

    response = api.get("/api/v1/stores")

    assert response.status_code == 200
    assert response.json() == [store_body(beta), store_body(store, import_not_connected=True)]


def test_create_store_answers_201_with_a_working_intake_key(account, api, intake):
    response = api.post("/api/v1/stores", {"name": "  Pop-up shop  "})

    created = Store.objects.get(name="Pop-up shop")
    body = response.json()
    assert response.status_code == 201
    assert body == {"store": store_body(created), "api_key": body["api_key"]}
    assert body["api_key"].startswith(f"pbs_{created.api_key_prefix}_")
    assert (created.account_id, created.platform) == (account.pk, "custom")
    assert settings_row(created) == DEFAULT_SETTINGS
    assert list(OrderEvent.objects.filter(store=created).values_list("type", "message", "actor")) == [
        ("store_created", "Store Pop-up shop created", "ana@example.com")
    ]
    assert intake(created.pk, intake_body(), body["api_key"]).status_code == 200  # suppressed: setting off


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"name": "   "}, "name", "String should have at least 1 character"),
        ({}, "name", "Field required"),
        ({"name": "Shop", "platform": "bigcommerce"}, "platform", "Input should be 'custom'"),
        ({"name": "Shop", "owner": 3}, "owner", "Extra inputs are not permitted"),
    ],
    ids=["blank-name", "no-name", "not-custom", "unknown-field"],
)
def test_invalid_new_store_is_422_and_writes_nothing(store, api, body, field, message):
    with nothing_written():
        response = api.post("/api/v1/stores", body)

    assert_invalid(response, field, message)


def test_get_store_answers_the_store_with_its_settings(store, api):
    response = api.get(f"/api/v1/stores/{store.pk}")

    assert response.status_code == 200
    assert response.json() == store_body(store, import_not_connected=True)


def test_rotating_the_key_stops_the_old_one_and_returns_a_new_one(store, api, intake):
    old_key = store.api_key

    response = api.post(f"/api/v1/stores/{store.pk}/rotate-key")

    new_key = response.json()["api_key"]
    assert response.status_code == 200
    assert response.json() == {"store": store_body(store, import_not_connected=True), "api_key": new_key}
    assert new_key != old_key
    assert intake(store.pk, intake_body(), old_key).status_code == 401
    assert intake(store.pk, intake_body(), new_key).status_code == 201
    assert OrderEvent.objects.filter(store=store, type="store_key_rotated").values_list(
        "message", flat=True
    ).get() == ("Intake API key replaced; the old key stops working now")


def test_get_settings_answers_the_stores_settings(make_store, api):
    manual = make_store("Manual", approval_mode="delayed", approval_delay_hours=48)

    response = api.get(f"/api/v1/stores/{manual.pk}/settings")

    assert response.status_code == 200
    assert response.json() == {
        **DEFAULT_SETTINGS,
        "import_not_connected": True,
        "approval_mode": "delayed",
        "approval_delay_hours": 48,
    }


def test_patch_settings_changes_only_the_given_fields_and_records_the_change(store, api):
    patch = {
        "approval_mode": "delayed",
        "approval_delay_hours": 72,
        "notification_recipients": ["ops@example.com"],
    }

    response = api.patch(f"/api/v1/stores/{store.pk}/settings", patch)

    expected = {**DEFAULT_SETTINGS, "import_not_connected": True, **patch}
    assert response.status_code == 200
    assert response.json() == expected
    assert settings_row(store) == expected
    event = OrderEvent.objects.filter(store=store, type="settings_changed").latest("pk")
    assert event.message == "Settings changed: approval_mode, approval_delay_hours, notification_recipients"
    assert event.parameters == {
        "changes": {
            "approval_mode": ["instant", "delayed"],
            "approval_delay_hours": [24, 72],
            "notification_recipients": [[], ["ops@example.com"]],
        }
    }


def test_patch_with_the_current_values_records_no_change(store, api):
    events_before = OrderEvent.objects.count()

    response = api.patch(f"/api/v1/stores/{store.pk}/settings", {"import_not_connected": True})

    assert (response.status_code, response.json()["import_not_connected"]) == (200, True)
    assert settings_row(store) == {**DEFAULT_SETTINGS, "import_not_connected": True}
    assert OrderEvent.objects.count() == events_before


@pytest.mark.parametrize(
    ("patch", "field", "message"),
    [
        ({"approval_delay_hours": 5}, "approval_delay_hours", "Input should be 6, 12, 24, 48 or 72"),
        ({"approval_mode": "sometimes"}, "approval_mode", "Input should be 'instant', 'delayed' or 'manual'"),
        (
            {"partial_release": "ship_all"},
            "partial_release",
            "Input should be 'hold_all' or 'ship_connected_now'",
        ),
        (
            {"notification_recipients": ["not-an-email"]},
            "notification_recipients.0",
            "value is not a valid email address: An email address must have an @-sign.",
        ),
        (
            {"import_not_connected": "perhaps"},
            "import_not_connected",
            "Input should be a valid boolean, unable to interpret input",
        ),
        ({"colour": "blue"}, "colour", "Extra inputs are not permitted"),
    ],
    ids=["delay", "mode", "partial-release", "recipient", "boolean", "unknown-field"],
)
def test_invalid_settings_are_422_and_change_nothing(store, api, patch, field, message):
    with nothing_written():
        response = api.patch(f"/api/v1/stores/{store.pk}/settings", {"approval_mode": "manual", **patch})

    assert_invalid(response, field, message)


def test_settings_that_contradict_each_other_are_422_and_change_nothing(store, api):
    patch = {"approval_mode": "manual", "partial_release": "ship_connected_now"}

    with nothing_written():
        response = api.patch(f"/api/v1/stores/{store.pk}/settings", patch)

    message = (
        "Sending connected items at once needs instant approval: choose instant approval or hold the order."
    )
    assert_rejected(response, "partial_release", message)


def test_unknown_store_is_404(api):
    response = api.get("/api/v1/stores/999999")

    assert (response.status_code, response.json()) == (404, {"detail": "No such store"})


# --- the account's audit log ------------------------------------------------------------------------------------


def test_audit_log_is_newest_first_filtered_by_order_and_limited(held, api, other_tenant):
    first = held("L-1", item("1", "v-red"))
    second = held("L-2", item("1", "v-blue"))
    mine = OrderEvent.objects.filter(account_id=first.account_id).order_by("-pk")

    everything = api.get("/api/v1/events")
    of_first = api.get("/api/v1/events", order=first.pk)
    latest = api.get("/api/v1/events", limit=1)

    assert (everything.status_code, of_first.status_code, latest.status_code) == (200, 200, 200)
    assert [e["id"] for e in everything.json()] == list(mine.values_list("pk", flat=True))
    assert [(e["type"], e["order_id"]) for e in of_first.json()] == [
        ("order_held", first.pk),
        ("order_imported", first.pk),
    ]
    event = mine.first()
    assert latest.json() == [
        {
            "id": event.pk,
            "type": "order_held",
            "actor": "ana@example.com",
            "message": "Held: 1 item(s) not connected (Classic T-shirt); Import not connected orders is on",
            "parameters": {"items": ["1"]},
            "order_id": second.pk,
            "created_at": iso(event.created_at),
        }
    ]


def test_audit_log_filter_of_the_wrong_type_is_422(api):
    message = "Input should be a valid integer, unable to parse string as an integer"
    assert_invalid(api.get("/api/v1/events", order="latest"), "order", message)


def test_blocking_variants_lists_each_not_connected_variant_with_orders_units_and_value(store, api):
    from printbridge.orders import events
    from printbridge.orders.services import import_order
    from tests.conftest import NOW, order

    import_order(store, order("b1", item("1", "v-red", quantity=2)), events.SYSTEM, now=NOW)
    import_order(
        store, order("b2", item("1", "v-red"), item("2", "v-blue", price="5.00")), events.SYSTEM, now=NOW
    )
    response = api.get(f"/api/v1/stores/{store.pk}/blocking-variants")
    assert response.status_code == 200
    assert response.json() == [
        {
            "store_id": store.pk,
            "product_id": "tshirt",
            "variant_id": "v-red",
            "name": "Classic T-shirt",
            "sku": "V-RED",
            "orders": 2,
            "quantity": 3,
            "value": "30.00",
        },
        {
            "store_id": store.pk,
            "product_id": "tshirt",
            "variant_id": "v-blue",
            "name": "Classic T-shirt",
            "sku": "V-BLUE",
            "orders": 1,
            "quantity": 1,
            "value": "5.00",
        },
    ]
