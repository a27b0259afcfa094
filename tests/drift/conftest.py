"""A product published to the BigCommerce emulator (two connected variants), and delivery of the emulator's
catalog webhooks to Printbridge's real webhook endpoint, with the tasks they queue run after commit."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from printbridge.catalog.publishing import publish_product
from printbridge.stores import crypto
from tests.ingestion.conftest import _keys  # noqa: F401 - a fresh Fernet key file per test
from tests.ingestion.emulated import emulated  # noqa: F401 - the emulator and its connected store
from tests.publishing.conftest import CAT_TEE

PRODUCT_ID, SMALL, MEDIUM = 117, 252, 253
SIZE_OPTION, SMALL_VALUE = 37, 527  # the option ids the emulator gives Cat tee's Size and its value S


@pytest.fixture
def published(request, actor):
    """Cat tee: CAT-S-RED (variant 252) and CAT-M-RED (variant 253), each connected."""
    shop = request.getfixturevalue("emulated")
    return publish_product(shop.connection.store, CAT_TEE, actor)


class Webhooks:
    """The emulator fires webhooks at a port where nothing listens (they are logged); `deliver` posts the logged
    payloads of a scope to /webhooks/bigcommerce/<id> with the store's secret, as BigCommerce would."""

    def __init__(self, shop, capture) -> None:
        self.emulated, self.capture = shop, capture
        self.delivered: set[int] = set()
        connection = shop.connection
        self.url = f"/webhooks/bigcommerce/{connection.public_id}"
        self.secret = crypto.decrypt(connection.webhook_secret_encrypted)

    def logged(self, scope: str, count: int = 1, timeout: float = 5.0) -> list[tuple[int, dict]]:
        deadline = time.monotonic() + timeout
        while True:
            entries = [
                (index, entry["payload"])
                for index, entry in enumerate(list(self.emulated.store.webhook_log))
                if entry["scope"] == scope and entry["attempt"] == 1 and index not in self.delivered
            ]
            if len(entries) >= count or time.monotonic() > deadline:
                return entries
            time.sleep(0.01)

    def deliver(self, scope: str, count: int = 1) -> list[int]:
        """Deliver the next `count` logged events of the scope; returns the endpoint's status codes."""
        entries = self.logged(scope, count)
        assert len(entries) == count, f"expected {count} {scope} webhooks, the emulator logged {len(entries)}"
        statuses = []
        for index, payload in entries:
            self.delivered.add(index)
            with self.capture(execute=True):
                response = Client().post(
                    self.url,
                    json.dumps(payload),
                    content_type="application/json",
                    headers={"X-Printbridge-Secret": self.secret},
                )
            statuses.append(response.status_code)
        return statuses


@pytest.fixture
def webhooks(request, django_capture_on_commit_callbacks):
    return Webhooks(request.getfixturevalue("emulated"), django_capture_on_commit_callbacks)
