import pytest
from django.test import Client

from printbridge.integrations.bigcommerce.emulator import BigCommerceEmulator, EmulatorConfig
from printbridge.stores.models import BigCommerceConnection, Store
from tests.ingestion.conftest import _keys  # noqa: F401 - autouse: a fresh key file per test


@pytest.fixture
def bigcommerce(settings):
    emulator = BigCommerceEmulator(EmulatorConfig(port=0, seed=5)).start()
    store = emulator.add_store(store_hash="web123", access_token="web-token", name="Web shop")
    settings.BIGCOMMERCE_API_URL = emulator.api_url("web123").rsplit("/stores/", 1)[0]
    settings.PRINTBRIDGE_BASE_URL = "http://127.0.0.1:9"
    try:
        yield store
    finally:
        emulator.stop()


def logged_in(user, csrf=False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def test_the_connect_form_connects_the_store_and_lists_it_with_its_health(user, bigcommerce):
    client = logged_in(user)
    response = client.post(
        "/stores/connect/bigcommerce", {"store_hash": "web123", "access_token": "web-token"}
    )
    assert (response.status_code, response["Location"]) == (302, "/stores/")
    page = client.get("/stores/").content.decode()
    assert "Connected Web shop (web123); webhooks registered. New paid orders arrive within seconds." in page
    assert "<td>Web shop</td>" in page and "active (checked" in page
    assert len(bigcommerce.hooks) == 8
    assert BigCommerceConnection.objects.get().store.account.memberships.get().user == user


def test_a_refused_token_shows_the_reason_and_saves_nothing(user, bigcommerce):
    response = logged_in(user).post(
        "/stores/connect/bigcommerce", {"store_hash": "web123", "access_token": "nope"}
    )
    assert response.status_code == 422
    assert "BigCommerce refused these credentials" in response.content.decode()
    assert Store.objects.filter(platform="bigcommerce").count() == 0


def test_an_invalid_store_hash_is_a_field_error(user, bigcommerce):
    response = logged_in(user).post("/stores/connect/bigcommerce", {"store_hash": "a/b", "access_token": "x"})
    assert response.status_code == 422
    assert "The store hash is letters and digits only." in response.content.decode()
    assert bigcommerce.requests == []


def test_the_connect_form_without_its_csrf_token_is_rejected(user, bigcommerce):
    response = logged_in(user, csrf=True).post(
        "/stores/connect/bigcommerce", {"store_hash": "web123", "access_token": "web-token"}
    )
    assert response.status_code == 403
    assert Store.objects.filter(platform="bigcommerce").count() == 0
