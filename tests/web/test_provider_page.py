"""The Gelato page: set the account's API key (checked with Gelato), see the webhook URL to give Gelato."""

import pytest
from django.test import Client

from printbridge.fulfilment.models import ProviderAccount
from printbridge.integrations.gelato.emulator import GelatoEmulator, GelatoEmulatorConfig
from printbridge.stores import crypto
from tests.web.test_pages import logged_in


@pytest.fixture
def gelato(settings):
    emulator = GelatoEmulator(GelatoEmulatorConfig(port=0, time_scale=1.0, seed=2)).start()
    emulator.add_account(api_key="gelato-key")
    settings.GELATO_ORDER_URL, settings.GELATO_PRODUCT_URL = emulator.order_url, emulator.product_url
    settings.PRINTBRIDGE_BASE_URL = "https://printbridge.example"
    try:
        yield emulator
    finally:
        emulator.stop()


def test_without_a_key_the_page_says_orders_wait(user, db):
    html = logged_in(user).get("/settings/gelato/").content.decode()
    assert "No Gelato API key yet: connected orders wait until one" in html
    assert '<label for="id_api_key">Gelato API key</label>' in html


def test_a_valid_key_is_saved_encrypted_and_the_webhook_url_shown(user, account, gelato):
    client = logged_in(user)
    response = client.post("/settings/gelato/", {"api_key": " gelato-key "})
    assert (response.status_code, response["Location"]) == (302, "/settings/gelato/")
    saved = ProviderAccount.objects.get(account=account)
    assert crypto.decrypt(saved.api_key_encrypted) == "gelato-key"
    html = client.get("/settings/gelato/").content.decode()
    assert "Gelato API key saved. Connected orders are sent to Gelato from now on." in html
    assert f"<code>https://printbridge.example/webhooks/gelato/{saved.webhook_token}</code>" in html


def test_a_key_gelato_refuses_is_shown_as_the_fields_error_and_nothing_is_saved(user, account, gelato):
    response = logged_in(user).post("/settings/gelato/", {"api_key": "wrong-key"})
    assert response.status_code == 422
    assert 'id="api-key-error">Gelato refused this API key' in response.content.decode()
    assert ProviderAccount.objects.count() == 0


def test_setting_the_key_needs_the_csrf_token(user, gelato):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/settings/gelato/", {"api_key": "gelato-key"}).status_code == 403
    assert ProviderAccount.objects.count() == 0
