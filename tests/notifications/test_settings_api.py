"""The e-mail settings through the JSON API (PATCH /api/v1/stores/{id}/settings)."""

import pytest

from printbridge.orders.errors import InvalidInput
from printbridge.orders.models import OrderEvent
from printbridge.stores.models import StoreSettings
from printbridge.stores.services import update_settings
from tests.api.conftest import assert_invalid, nothing_written

EMAIL_FIELDS = ("email_mode", "ageing_alert_hours", "shipment_method_uid")


def _row(store) -> tuple:
    return StoreSettings.objects.filter(store=store).values_list(*EMAIL_FIELDS).get()


def test_patch_sets_the_email_mode_alert_and_shipment_method(store, api):
    response = api.patch(
        f"/api/v1/stores/{store.pk}/settings",
        {"email_mode": "daily", "ageing_alert_hours": 48, "shipment_method_uid": "express"},
    )

    assert response.status_code == 200
    assert {k: response.json()[k] for k in EMAIL_FIELDS} == {
        "email_mode": "daily",
        "ageing_alert_hours": 48,
        "shipment_method_uid": "express",
    }
    assert _row(store) == ("daily", 48, "express")
    event = OrderEvent.objects.filter(store=store, type="settings_changed").latest("pk")
    assert event.parameters == {
        "changes": {
            "email_mode": ["each_order", "daily"],
            "ageing_alert_hours": [None, 48],
            "shipment_method_uid": ["", "express"],
        }
    }


def test_null_turns_the_ageing_alert_off_and_leaves_other_fields_alone(make_store, api):
    store = make_store("Shop", email_mode="hourly", ageing_alert_hours=12)

    response = api.patch(
        f"/api/v1/stores/{store.pk}/settings", {"ageing_alert_hours": None, "email_mode": None}
    )

    assert (response.status_code, response.json()["ageing_alert_hours"]) == (200, None)
    assert _row(store) == ("hourly", None, "")


@pytest.mark.parametrize(
    ("patch", "field", "message"),
    [
        ({"email_mode": "weekly"}, "email_mode", "Input should be 'each_order', 'hourly' or 'daily'"),
        ({"ageing_alert_hours": 0}, "ageing_alert_hours", "Input should be greater than or equal to 1"),
        ({"ageing_alert_hours": 721}, "ageing_alert_hours", "Input should be less than or equal to 720"),
        (
            {"shipment_method_uid": "next day"},
            "shipment_method_uid",
            "String should match pattern '^[A-Za-z0-9_-]{0,100}$'",
        ),
    ],
    ids=["mode", "alert-zero", "alert-high", "shipment"],
)
def test_invalid_email_settings_are_422_and_change_nothing(store, api, patch, field, message):
    with nothing_written():
        response = api.patch(f"/api/v1/stores/{store.pk}/settings", patch)

    assert_invalid(response, field, message)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email_mode": "weekly"}, "email_mode", "Unknown e-mail mode"),
        (
            {"ageing_alert_hours": 0},
            "ageing_alert_hours",
            "The ageing alert is 1 to 720 hours, or blank for none",
        ),
        (
            {"ageing_alert_hours": True},
            "ageing_alert_hours",
            "The ageing alert is 1 to 720 hours, or blank for none",
        ),
        (
            {"notification_recipients": [f"u{n}@example.com" for n in range(21)]},
            "notification_recipients",
            "At most 20 notification recipients",
        ),
        (
            {"shipment_method_uid": "next day"},
            "shipment_method_uid",
            "The shipment method is letters, digits, '-' and '_' only (up to 100)",
        ),
    ],
    ids=["mode", "alert-zero", "alert-bool", "recipients", "shipment"],
)
def test_the_service_refuses_invalid_email_settings_itself(store, actor, changes, field, message):
    with nothing_written(), pytest.raises(InvalidInput) as refused:
        update_settings(store.account_id, store.pk, changes, actor)

    assert (refused.value.message, refused.value.details) == (message, {"field": field})
