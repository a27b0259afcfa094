import json
import secrets

import pytest
from django.test import Client

from printbridge.orders import events
from printbridge.stores import crypto
from printbridge.stores.models import BigCommerceConnection, Store
from printbridge.stores.services import create_store
from tests.ingestion.emulated import emulated  # noqa: F401 - a fixture for the sync tests

SECRET = "s3cret-webhook-header-value-0123456789"


@pytest.fixture(autouse=True)
def _keys(settings, tmp_path, monkeypatch):
    """A fresh key file per test, so no test depends on another's keys."""
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("PRINTBRIDGE_FERNET_KEYS", raising=False)
    crypto.reset_cache()
    yield
    crypto.reset_cache()


def connect(account, actor, store_hash: str, secret: str = SECRET) -> BigCommerceConnection:
    store = create_store(account, f"BC {store_hash}", Store.Platform.BIGCOMMERCE, actor).store
    return BigCommerceConnection.objects.create(
        store=store,
        store_hash=store_hash,
        api_base_url=f"http://127.0.0.1:1/stores/{store_hash}",
        access_token_encrypted=crypto.encrypt("token"),
        webhook_secret_encrypted=crypto.encrypt(secret),
        public_id=secrets.token_urlsafe(16),
    )


@pytest.fixture
def bc(account, actor):
    return connect(account, actor, "abc123")


@pytest.fixture
def bc_other(other_account):
    account, user, _ = other_account
    return connect(
        account, events.Actor.for_user(user), "zzz999", secret="another-stores-secret-value-000000"
    )


def payload(order_id=250, scope="store/order/created", producer="stores/abc123", **extra) -> dict:
    return {
        "scope": scope,
        "store_id": "1025646",
        "data": {"type": "order", "id": order_id},
        "hash": "7ee67cd1cf2ca60bc1aa9e5fe957d2de373be4ca",
        "created_at": 1561479335,
        "producer": producer,
        **extra,
    }


def deliver(
    connection,
    body,
    secret: str | None = SECRET,
    content_type="application/json",
    method="post",
    headers=None,
):
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    sent = {**({"X-Printbridge-Secret": secret} if secret is not None else {}), **(headers or {})}
    url = f"/webhooks/bigcommerce/{connection.public_id}"
    if method == "get":
        return Client().get(url, headers=sent)
    return getattr(Client(), method)(url, raw, content_type=content_type, headers=sent)
