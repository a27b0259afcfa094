"""/api/v1/stores/bigcommerce (connect), /{id}/bigcommerce (settings) and /{id}/backfill, against the emulator."""

import pytest

from printbridge.integrations.bigcommerce.emulator import BigCommerceEmulator, EmulatorConfig
from printbridge.stores.models import BigCommerceConnection, Store
from tests.ingestion.conftest import _keys  # noqa: F401 - autouse: a fresh key file per test


@pytest.fixture
def bigcommerce(settings):
    emulator = BigCommerceEmulator(EmulatorConfig(port=0, seed=6)).start()
    store = emulator.add_store(store_hash="api123", access_token="api-token", name="API shop")
    settings.BIGCOMMERCE_API_URL = emulator.api_url("api123").rsplit("/stores/", 1)[0]
    settings.PRINTBRIDGE_BASE_URL = "http://127.0.0.1:9"
    try:
        yield store
    finally:
        emulator.stop()


@pytest.fixture
def connected(api, bigcommerce):
    response = api.post("/api/v1/stores/bigcommerce", {"store_hash": "api123", "access_token": "api-token"})
    assert response.status_code == 201
    return response.json()


def test_connect_answers_201_with_the_store_and_registers_webhooks(connected, bigcommerce):
    assert {k: connected[k] for k in ("store_hash", "currency", "hooks_registered", "hook_error")} == {
        "store_hash": "api123",
        "currency": "USD",
        "hooks_registered": 8,
        "hook_error": "",
    }
    assert (connected["store"]["name"], connected["store"]["platform"]) == ("API shop", "bigcommerce")
    assert len(bigcommerce.hooks) == 8


def test_connect_with_a_refused_token_is_422_and_writes_nothing(api, bigcommerce):
    response = api.post("/api/v1/stores/bigcommerce", {"store_hash": "api123", "access_token": "wrong"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("BigCommerce refused these credentials")
    assert Store.objects.filter(platform="bigcommerce").count() == 0


def test_connect_with_a_malformed_hash_is_422_before_any_call(api, bigcommerce):
    response = api.post("/api/v1/stores/bigcommerce", {"store_hash": "../x", "access_token": "t"})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "store_hash")
    assert bigcommerce.requests == []


def test_patch_bigcommerce_settings_changes_paid_statuses_and_interval(api, connected):
    store_id = connected["store"]["id"]
    response = api.patch(
        f"/api/v1/stores/{store_id}/bigcommerce",
        {"paid_status_ids": [11, 9, 10, 11], "reconcile_every_minutes": 2},
    )
    assert response.status_code == 200
    assert (response.json()["paid_status_ids"], response.json()["reconcile_every_minutes"]) == (
        [9, 10, 11],
        2,
    )
    assert BigCommerceConnection.objects.get().paid_status_ids == [9, 10, 11]


@pytest.mark.parametrize(
    "body", [{"paid_status_ids": [5]}, {"paid_status_ids": [99]}, {"reconcile_every_minutes": 0}]
)
def test_patch_bigcommerce_settings_rejects_bad_values_and_changes_nothing(api, connected, body):
    store_id = connected["store"]["id"]
    response = api.patch(f"/api/v1/stores/{store_id}/bigcommerce", body)
    assert response.status_code == 422
    c = BigCommerceConnection.objects.get()
    assert (c.paid_status_ids, c.reconcile_every_minutes) == ([11, 9], 5)


def test_another_accounts_bigcommerce_store_is_404(api, other_account):
    store = other_account[2]
    assert (
        api.patch(f"/api/v1/stores/{store.pk}/bigcommerce", {"reconcile_every_minutes": 3}).status_code == 404
    )
    assert (
        api.post(f"/api/v1/stores/{store.pk}/backfill", {"since": "2026-11-01T00:00:00Z"}).status_code == 404
    )


def test_backfill_is_queued_and_runs_in_the_worker(
    api, connected, bigcommerce, django_capture_on_commit_callbacks
):
    product_id, variant = 114, bigcommerce.products[114]["variants"][0]["id"]
    bigcommerce.place_order([(product_id, variant, 1)])
    response = api.post(
        f"/api/v1/stores/{connected['store']['id']}/backfill", {"since": "2026-11-01T00:00:00Z"}
    )
    assert response.status_code == 202
    assert response.json()["detail"] == "Backfill since 2026-11-01 queued"
    from printbridge.orders.models import SuppressedOrder

    assert SuppressedOrder.objects.count() == 1  # the setting is off: not connected → in the ledger


def test_backfill_of_a_custom_store_is_422(api, store):
    response = api.post(f"/api/v1/stores/{store.pk}/backfill", {"since": "2026-11-01T00:00:00Z"})
    assert (response.status_code, response.json()["detail"]) == (
        422,
        "Only BigCommerce stores can be backfilled",
    )
