"""Single-click app fixtures: app credentials, stores installed through the app, and signed JWTs."""

from __future__ import annotations

import secrets
import time
import uuid

import jwt
import pytest
from django.core.cache import cache

from printbridge.orders import events
from printbridge.stores import crypto
from printbridge.stores.models import BigCommerceConnection, Store
from printbridge.stores.services import create_account, create_store
from tests.ingestion.conftest import _keys  # noqa: F401  (autouse: a fresh key file per test)

CLIENT_ID = "printbridge-test-client-id"
CLIENT_SECRET = "printbridge-test-client-secret-" + "0123456789abcdef" * 3  # 78 bytes: enough for HS512 too
OWNER_ID = 1001
DROP = object()  # a claim value that means "leave this claim out"


@pytest.fixture(autouse=True)
def _app_settings(settings):
    settings.BIGCOMMERCE_CLIENT_ID = CLIENT_ID
    settings.BIGCOMMERCE_CLIENT_SECRET = CLIENT_SECRET
    settings.BIGCOMMERCE_API_URL = "https://api.bigcommerce.test"
    settings.PRINTBRIDGE_BASE_URL = "https://printbridge.example"
    cache.clear()
    yield
    cache.clear()


def claims(store_hash="abc123", email=None, user_id=OWNER_ID, now=None, **overrides) -> dict:
    """The claims BigCommerce signs for /load, /uninstall and /remove_user; overrides replace or (DROP) remove."""
    now = int(time.time()) if now is None else now
    body = {
        "aud": CLIENT_ID,
        "iss": "bc",
        "iat": now,
        "nbf": now - 5,
        "exp": now + 86400,
        "jti": uuid.uuid4().hex,
        "sub": f"stores/{store_hash}",
        "user": {"id": user_id, "email": email or f"owner@{store_hash}.example", "locale": "en-US"},
        "owner": {"id": OWNER_ID, "email": f"owner@{store_hash}.example"},
        "url": "/",
        "channel_id": 1,
    }
    body.update(overrides)
    return {name: value for name, value in body.items() if value is not DROP}


def signed(key=CLIENT_SECRET, algorithm="HS256", **claim_overrides) -> str:
    return jwt.encode(claims(**claim_overrides), key, algorithm=algorithm)


def install(store_hash: str, owner_email: str | None = None, via=BigCommerceConnection.InstalledVia.APP):
    """A store installed through the app (as /auth leaves it), in a new account owned by `owner_email`."""
    account, owner = create_account(
        f"BigCommerce store {store_hash}", owner_email or f"owner@{store_hash}.example"
    )
    store = create_store(
        account, f"BigCommerce store {store_hash}", Store.Platform.BIGCOMMERCE, events.Actor.for_user(owner)
    ).store
    return BigCommerceConnection.objects.create(
        store=store,
        store_hash=store_hash,
        api_base_url=f"https://api.bigcommerce.test/stores/{store_hash}",
        access_token_encrypted=crypto.encrypt(f"token-{store_hash}"),
        webhook_secret_encrypted=crypto.encrypt(f"webhook-secret-{store_hash}"),
        public_id=secrets.token_urlsafe(16),
        installed_via=via,
    )


@pytest.fixture
def store_a(db):
    return install("abc123")


@pytest.fixture
def store_b(db):
    return install("bbb222")
