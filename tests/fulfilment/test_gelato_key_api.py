from printbridge.fulfilment.models import ProviderAccount
from printbridge.integrations.gelato.emulator import GelatoEmulator, GelatoEmulatorConfig
from printbridge.stores import crypto


def test_put_gelato_key_checks_it_and_stores_it_encrypted(api, settings):
    with GelatoEmulator(GelatoEmulatorConfig(port=0)) as gelato:
        gelato.add_account(api_key="real-key")
        settings.GELATO_ORDER_URL = settings.GELATO_PRODUCT_URL = gelato.order_url
        settings.PRINTBRIDGE_BASE_URL = "https://printbridge.example"
        response = api.client.put(
            "/api/v1/providers/gelato",
            {"api_key": "real-key"},
            content_type="application/json",
            headers=api.headers,
        )
        saved = ProviderAccount.objects.get()
        assert response.status_code == 200
        assert response.json() == {
            "provider": "gelato",
            "order_base_url": gelato.order_url,
            "webhook_url": f"https://printbridge.example/webhooks/gelato/{saved.webhook_token}",
        }
        assert crypto.decrypt(saved.api_key_encrypted) == "real-key"
        refused = api.client.put(
            "/api/v1/providers/gelato",
            {"api_key": "wrong"},
            content_type="application/json",
            headers=api.headers,
        )
        assert refused.status_code == 422
        assert refused.json()["detail"].startswith("Gelato refused this API key")
        assert crypto.decrypt(ProviderAccount.objects.get().api_key_encrypted) == "real-key"
