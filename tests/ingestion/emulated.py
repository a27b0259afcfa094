"""A started BigCommerce emulator with one store connected to Printbridge, for sync tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from printbridge.ingestion.services.receive import receive_webhook
from printbridge.ingestion.services.stores import connect_bigcommerce
from printbridge.integrations.bigcommerce.emulator import BigCommerceEmulator, EmulatorConfig
from printbridge.integrations.bigcommerce.webhooks import WebhookEvent
from printbridge.stores.models import BigCommerceConnection
from printbridge.stores.services import update_settings

HASH, TOKEN = "abc123", "token-abc123"
TSHIRT, WALL_ART, CAR, CANDLE, DOWNLOAD = 111, 112, 113, 115, 116


@dataclass
class Emulated:
    emulator: BigCommerceEmulator
    store: object  # the emulator's store
    connection: BigCommerceConnection

    def variant(self, sku: str) -> tuple[int, int]:
        for product_id, product in self.store.products.items():
            for v in product["variants"]:
                if v["sku"] == sku:
                    return product_id, v["id"]
        raise KeyError(sku)

    def place(self, *skus: str, status_id: int = 11, quantity: int = 1) -> int:
        return self.store.place_order([(*self.variant(s), quantity) for s in skus], status_id=status_id)

    def api_calls(self) -> list[tuple[str, str]]:
        return [r for r in self.store.requests if "/hooks" not in r[1] and not r[1].endswith("/v2/store")]

    def notify(self, *order_ids: int, scope: str = "store/order/updated") -> None:
        """What the webhook endpoint does for each delivery (the receiver has its own tests)."""
        for order_id in order_ids:
            event = WebhookEvent(
                scope, "1", f"stores/{HASH}", "order", order_id, f"h{order_id}", {"id": order_id}
            )
            receive_webhook(self.connection.store, event, None)


@pytest.fixture
def emulated(account, actor, settings, db):
    settings.PRINTBRIDGE_BASE_URL = "http://127.0.0.1:9"  # nothing listens: the emulator's deliveries fail
    emulator = BigCommerceEmulator(EmulatorConfig(port=0, time_scale=1.0, seed=7)).start()
    store = emulator.add_store(store_hash=HASH, access_token=TOKEN, plan="standard", name="Emulated shop")
    base = emulator.api_url(HASH).rsplit("/stores/", 1)[0]
    connection = connect_bigcommerce(account, HASH, TOKEN, actor, api_url=base).connection
    update_settings(account.pk, connection.store_id, {"import_not_connected": True}, actor)
    try:
        yield Emulated(emulator, store, connection)
    finally:
        emulator.stop()
