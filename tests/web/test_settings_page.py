"""The store settings page (/stores/<id>/settings/): Save Changes, field errors, the intake key, BigCommerce."""

from __future__ import annotations

import pytest
from django.test import Client

from printbridge.orders import events
from printbridge.orders.models import OrderEvent
from printbridge.stores.models import BigCommerceConnection, Store, StoreSettings
from tests.ingestion.conftest import _keys, connect  # noqa: F401 - _keys: autouse, a fresh key file per test

FIELDS = (
    "import_not_connected",
    "approval_mode",
    "approval_delay_hours",
    "partial_release",
    "notification_recipients",
    "email_mode",
    "ageing_alert_hours",
    "shipment_method_uid",
)
DEFAULTS = {
    "import_not_connected": True,
    "approval_mode": "instant",
    "approval_delay_hours": 24,
    "partial_release": "hold_all",
    "notification_recipients": [],
    "email_mode": "each_order",
    "ageing_alert_hours": None,
    "shipment_method_uid": "",
}
FORM = {
    "approval_mode": "instant",
    "approval_delay_hours": "24",
    "partial_release": "hold_all",
    "notification_recipients": "",
    "email_mode": "each_order",
    "ageing_alert_hours": "",
    "shipment_method_uid": "",
}  # "Import not connected orders" unticked: an unticked checkbox is not posted


def logged_in(user, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def saved(store: Store) -> dict:
    return StoreSettings.objects.filter(store=store).values(*FIELDS).get()


def url(store: Store, suffix: str = "") -> str:
    return f"/stores/{store.pk}/settings/{suffix}"


def test_the_page_needs_a_login(store):
    response = Client().get(url(store))
    assert (response.status_code, response["Location"]) == (302, f"/login/?next=/stores/{store.pk}/settings/")


def test_the_page_shows_the_current_settings(make_store, user):
    store = make_store(
        "Shop", notification_recipients=["ops@example.com", "lead@example.com"], ageing_alert_hours=36
    )

    response = logged_in(user).get(url(store))

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<input type="checkbox" name="import_not_connected" aria-describedby="id_import_not_connected-help" id="id_import_not_connected" checked>'
        in html
    )
    assert '<label for="id_import_not_connected">Import not connected orders</label>' in html
    assert (
        '<input type="radio" name="approval_mode" value="instant" aria-describedby="id_approval_mode-help" id="id_approval_mode_0" required checked>'
        in html
    )
    assert (
        '<input type="radio" name="email_mode" value="each_order" aria-describedby="id_email_mode-help" id="id_email_mode_0" required checked>'
        in html
    )
    assert "Daily digest: one e-mail a day at 08:00 UTC while orders wait." in html
    assert ">\nops@example.com\nlead@example.com</textarea>" in html
    assert 'name="ageing_alert_hours" value="36"' in html
    assert '<button type="submit">Save Changes</button>' in html
    assert f"Current key: <code>pbs_{store.api_key_prefix}_…</code>" in html


def test_save_changes_saves_every_field_and_redirects_with_a_notice(store, user):
    client = logged_in(user)
    form = {
        "import_not_connected": "on",
        "approval_mode": "delayed",
        "approval_delay_hours": "48",
        "partial_release": "hold_all",
        "notification_recipients": "ops@example.com, lead@example.com\nops@example.com\n\nqa@example.com",
        "email_mode": "hourly",
        "ageing_alert_hours": "36",
        "shipment_method_uid": "express",
    }

    response = client.post(url(store), form)

    assert (response.status_code, response["Location"]) == (302, url(store))
    assert saved(store) == {
        "import_not_connected": True,
        "approval_mode": "delayed",
        "approval_delay_hours": 48,
        "partial_release": "hold_all",
        "notification_recipients": ["ops@example.com", "lead@example.com", "qa@example.com"],
        "email_mode": "hourly",
        "ageing_alert_hours": 36,
        "shipment_method_uid": "express",
    }
    event = OrderEvent.objects.filter(store=store, type="settings_changed").latest("pk")
    assert (event.actor, event.message) == (
        "ana@example.com",
        "Settings changed: approval_mode, approval_delay_hours, notification_recipients, email_mode, "
        "ageing_alert_hours, shipment_method_uid",
    )
    page = client.get(url(store)).content.decode()
    assert '<ul role="status"><li>Changes saved.</li></ul>' in page


def test_unticking_import_not_connected_and_clearing_the_alert_turn_them_off(make_store, user):
    store = make_store("Shop", ageing_alert_hours=12)

    response = logged_in(user).post(url(store), FORM)

    assert response.status_code == 302
    assert saved(store) == {**DEFAULTS, "import_not_connected": False, "ageing_alert_hours": None}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"notification_recipients": "ops@example.com, not-an-email, x@"},
            "notification_recipients",
            "Not an e-mail address: not-an-email, x@",
        ),
        (
            {"notification_recipients": ", ".join(f"u{n}@example.com" for n in range(21))},
            "notification_recipients",
            "At most 20 recipients.",
        ),
        (
            {"email_mode": "weekly"},
            "email_mode",
            "Select a valid choice. weekly is not one of the available choices.",
        ),
        (
            {"approval_mode": "sometimes"},
            "approval_mode",
            "Select a valid choice. sometimes is not one of the available choices.",
        ),
        (
            {"approval_delay_hours": "5"},
            "approval_delay_hours",
            "Select a valid choice. 5 is not one of the available choices.",
        ),
        (
            {"ageing_alert_hours": "0"},
            "ageing_alert_hours",
            "Ensure this value is greater than or equal to 1.",
        ),
        (
            {"ageing_alert_hours": "721"},
            "ageing_alert_hours",
            "Ensure this value is less than or equal to 720.",
        ),
        ({"ageing_alert_hours": "soon"}, "ageing_alert_hours", "Enter a whole number."),
        (
            {"shipment_method_uid": "next day!"},
            "shipment_method_uid",
            "Letters, digits, &#x27;-&#x27; and &#x27;_&#x27; only.",
        ),
        (
            {"approval_mode": "manual", "partial_release": "ship_connected_now"},
            "partial_release",
            "Sending connected items at once needs instant approval: choose instant approval or hold the order.",
        ),
    ],
    ids=[
        "bad-address",
        "too-many",
        "email-mode",
        "approval",
        "delay",
        "alert-zero",
        "alert-high",
        "alert-text",
        "shipment",
        "contradiction",
    ],
)
def test_invalid_input_is_422_with_the_field_error_and_saves_nothing(store, user, changes, field, message):
    events_before = OrderEvent.objects.count()

    response = logged_in(user).post(url(store), {**FORM, "import_not_connected": "on", **changes})

    html = response.content.decode()
    assert response.status_code == 422
    assert "<p><strong>Nothing was saved.</strong> Please correct:</p>" in html
    assert f'<p class="error">{message}</p>' in html
    assert f'<a href="#id_{field}-group">' in html
    assert 'aria-invalid="true"' in html
    assert saved(store) == DEFAULTS
    assert OrderEvent.objects.count() == events_before


def test_saving_without_the_csrf_token_is_refused(store, user):
    response = logged_in(user, csrf=True).post(url(store), {**FORM, "email_mode": "daily"})

    assert response.status_code == 403
    assert saved(store) == DEFAULTS


def test_another_accounts_store_is_404_and_unchanged(other_account, user):
    _, _, foreign = other_account
    before = saved(foreign)
    client = logged_in(user)

    assert client.get(url(foreign)).status_code == 404
    assert client.post(url(foreign), {**FORM, "email_mode": "daily"}).status_code == 404
    assert client.post(url(foreign, "rotate-key")).status_code == 404
    assert client.post(url(foreign, "bigcommerce"), {"paid_status_ids": ["11"]}).status_code == 404
    assert saved(foreign) == before
    foreign_key = Store.objects.get(pk=foreign.pk).api_key_hash
    assert foreign_key == foreign.api_key_hash


def test_other_methods_are_not_allowed(store, user):
    assert logged_in(user).put(url(store)).status_code == 405
    assert logged_in(user).get(url(store, "rotate-key")).status_code == 405


def test_rotate_api_key_shows_the_new_key_once_and_the_old_one_stops_working(store, user):
    old_key = store.api_key
    client = logged_in(user)

    response = client.post(url(store, "rotate-key"))

    store.refresh_from_db()
    html = response.content.decode()
    new_key = html.split('id="new-api-key" class="secret" value="', 1)[1].split('"', 1)[0]
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert new_key.startswith(f"pbs_{store.api_key_prefix}_")
    assert (store.check_api_key(new_key), store.check_api_key(old_key)) == (True, False)
    assert "copy it now; it is shown only once" in html
    assert new_key not in client.get(url(store)).content.decode()
    assert OrderEvent.objects.filter(store=store, type="store_key_rotated").count() == 1


def test_rotating_without_the_csrf_token_is_refused(store, user):
    before = store.api_key_hash

    response = logged_in(user, csrf=True).post(url(store, "rotate-key"))

    store.refresh_from_db()
    assert (response.status_code, store.api_key_hash) == (403, before)


@pytest.fixture
def bc_store(account, actor):
    connection = connect(account, actor, "abc123")
    BigCommerceConnection.objects.filter(pk=connection.pk).update(
        store_name="Emulated shop", domain="shop.example.com"
    )
    return connection.store


def test_a_bigcommerce_store_shows_its_connection_and_import_settings(bc_store, user):
    html = logged_in(user).get(url(bc_store)).content.decode()

    assert "<dt>Store</dt><dd>Emulated shop (shop.example.com)</dd>" in html
    assert "<dt>Store hash</dt><dd><code>abc123</code></dd>" in html
    assert "<dt>Webhooks</dt><dd>not checked yet</dd>" in html
    assert (
        '<input type="checkbox" name="paid_status_ids" value="11" aria-describedby="id_paid_status_ids-help" id="id_paid_status_ids_7" checked>'
        in html
    )
    assert (
        '<input type="checkbox" name="paid_status_ids" value="1" aria-describedby="id_paid_status_ids-help" id="id_paid_status_ids_0">'
        in html
    )
    assert 'name="reconcile_every_minutes" value="5"' in html
    assert "Intake API key" not in html


def test_the_bigcommerce_form_saves_through_the_ingestion_service(bc_store, user):
    client = logged_in(user)

    response = client.post(
        url(bc_store, "bigcommerce"), {"paid_status_ids": ["11", "1"], "reconcile_every_minutes": "15"}
    )

    connection = BigCommerceConnection.objects.get(store=bc_store)
    assert (response.status_code, response["Location"]) == (302, f"{url(bc_store)}#bigcommerce")
    assert (connection.paid_status_ids, connection.reconcile_every_minutes) == ([1, 11], 15)
    event = OrderEvent.objects.filter(store=bc_store, type="settings_changed").latest("pk")
    assert event.message == "BigCommerce settings changed: paid_status_ids, reconcile_every_minutes"
    assert "BigCommerce settings saved." in client.get(url(bc_store)).content.decode()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"reconcile_every_minutes": "5"}, "Choose at least one status."),
        (
            {"paid_status_ids": ["5"], "reconcile_every_minutes": "5"},
            "Select a valid choice. 5 is not one of the available choices.",
        ),
        (
            {"paid_status_ids": ["11"], "reconcile_every_minutes": "0"},
            "Ensure this value is greater than or equal to 1.",
        ),
    ],
    ids=["no-status", "cancelled-status", "interval"],
)
def test_invalid_bigcommerce_settings_are_422_and_save_nothing(bc_store, user, form, message):
    response = logged_in(user).post(url(bc_store, "bigcommerce"), form)

    connection = BigCommerceConnection.objects.get(store=bc_store)
    assert response.status_code == 422
    assert f'<p class="error">{message}</p>' in response.content.decode()
    assert (connection.paid_status_ids, connection.reconcile_every_minutes) == ([11, 9], 5)


def test_a_custom_store_has_no_bigcommerce_form(store, user):
    response = logged_in(user).post(
        url(store, "bigcommerce"), {"paid_status_ids": ["11"], "reconcile_every_minutes": "5"}
    )
    assert response.status_code == 404


def test_the_stores_page_links_to_each_stores_settings(store, user):
    html = logged_in(user).get("/stores/").content.decode()
    assert f'<a href="/stores/{store.pk}/settings/" aria-label="Settings of Shop">Settings</a>' in html


def test_settings_changed_by_the_page_are_the_ones_the_import_uses(store, user):
    from printbridge.orders.services import import_order
    from tests.conftest import NOW, item, order

    logged_in(user).post(url(store), FORM)  # Import not connected orders: off

    result = import_order(store, order("1001", item("1", "tshirt-xl")), events.SYSTEM, now=NOW)
    assert (result.outcome, result.suppressed.reason) == (
        "suppressed",
        "no connected items; Import not connected orders is off",
    )
