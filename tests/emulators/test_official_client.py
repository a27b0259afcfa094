"""The official `bigcommerce` Python client lists and gets orders from the emulator and exchanges an app code."""

from __future__ import annotations

import bigcommerce
from bigcommerce.connection import OAuthConnection

from printbridge.integrations.bigcommerce.emulator import Line


class LoopbackConnection(OAuthConnection):
    """The official connection builds https://{host}…; the emulator speaks plain HTTP on loopback."""

    def full_path(self, url: str) -> str:
        return "http://" + self.host + self.api_path.format(self.store_hash, url)


def _official_api(emulator, store_hash: str, token: str) -> bigcommerce.api.BigcommerceApi:
    api = bigcommerce.api.BigcommerceApi(client_id="client-1", store_hash=store_hash, access_token=token)
    host = emulator.login_url.removeprefix("http://")
    api.connection = LoopbackConnection("client-1", store_hash, token, host=host)
    return api


def test_official_client_lists_and_gets_orders(emulator, store):
    for variant_id in (203, 204, 205):
        store.place_order([Line(111, variant_id, 2)])
    api = _official_api(emulator, "abc123", "token-abc")
    listed = api.Orders.all(limit=2)
    assert [order.id for order in listed] == [100, 101]
    assert [order.id for order in api.Orders.iterall()] == [100, 101, 102]
    order = api.Orders.get(101)
    assert (order.id, order.status_id, order.items_total, order.total_inc_tax) == (101, 11, 2, "43.0000")
    assert [p.sku for p in order.products()] == ["TS-XS-RED"]
    assert api.connection.rate_limit["requests_quota"] == 150
    assert api.OrderStatuses.all()[11].name == "Awaiting Fulfillment"


def test_official_client_fetches_an_app_token_with_the_code_from_an_install(emulator, store):
    emulator.apps.register("app-client", "app-secret")
    grant = emulator.apps.install(store, "app-client", "store_v2_orders store_v2_products_read_only")
    connection = LoopbackConnection("app-client", "abc123", host=emulator.login_url.removeprefix("http://"))
    reply = connection.fetch_token(
        "app-secret",
        grant["code"],
        grant["context"],
        grant["scope"],
        "https://printbridge.example.com/bigcommerce/auth",
        token_url=emulator.login_url + "/oauth2/token",
    )
    assert (reply["context"], reply["scope"]) == ("stores/abc123", grant["scope"])
    assert store.tokens[reply["access_token"]] == "app-client"
    assert connection.get("store")["id"] == "abc123"
