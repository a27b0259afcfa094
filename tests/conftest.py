"""Shared fixtures. The network is blocked except loopback; tasks run inline; e-mail goes to the outbox."""

from __future__ import annotations

import logging
import socket
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import Client

from printbridge.orders import events
from printbridge.orders.incoming import IncomingItem, IncomingOrder
from printbridge.stores.services import create_account, create_store, issue_api_token, update_settings

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ADDRESS = {
    "first_name": "Jane",
    "last_name": "Doe",
    "address1": "1 Main St",
    "city": "Austin",
    "postal_code": "78701",
    "country_code": "US",
}

_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host not in {"127.0.0.1", "::1", "localhost"} and not host.startswith("/"):
        raise OSError(f"tests may not reach the network: {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_console_log_handler():
    """pytest captures log records itself. The project's console handler (settings.LOGGING) holds the stream that
    was stderr when logging was configured (at setup, or again by a test running a management command), which
    pytest closes later; background threads (the SMTP test server, emulators) logging through it then printed
    'Logging error' tracebacks. So the root logger has no plain stream handler during a test."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if type(h) is logging.StreamHandler]:
        root.removeHandler(handler)


@pytest.fixture(autouse=True)
def _block_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def item(
    external_id: str,
    variant_id: str,
    product_id: str = "tshirt",
    name: str = "Classic T-shirt",
    quantity: int = 1,
    item_type: str = "physical",
    sku: str = "",
    price: str = "10.00",
) -> IncomingItem:
    from printbridge.orders.rules import ItemType

    return IncomingItem(
        external_id,
        product_id,
        variant_id,
        name,
        quantity,
        sku or variant_id.upper(),
        Decimal(price),
        (),
        ItemType(item_type),
    )


def order(
    external_id: str,
    *items: IncomingItem,
    placed_at: datetime = NOW,
    number: str | None = None,
    total: str = "10.00",
) -> IncomingOrder:
    return IncomingOrder(
        external_id,
        number or external_id,
        placed_at,
        "USD",
        tuple(items),
        "Jane Doe",
        "jane@example.com",
        dict(ADDRESS),
        Decimal(total),
        Decimal(total),
    )


@pytest.fixture
def owner_account(db):
    account, user = create_account("Acme Prints", "ana@example.com", "s3cret-pass")
    return account, user


@pytest.fixture
def account(owner_account):
    return owner_account[0]


@pytest.fixture
def user(owner_account):
    return owner_account[1]


@pytest.fixture
def actor(user):
    return events.Actor.for_user(user)


@pytest.fixture
def make_store(account, actor):
    def _make(name: str = "Shop", import_not_connected: bool = True, **settings):
        new = create_store(account, name, "custom", actor)
        update_settings(
            account.pk, new.store.pk, {"import_not_connected": import_not_connected, **settings}, actor
        )
        new.store.refresh_from_db()
        new.store.api_key = new.api_key
        return new.store

    return _make


@pytest.fixture
def store(make_store):
    return make_store()


@pytest.fixture
def other_account(db):
    """A second tenant with its own store, to prove isolation."""
    account, user = create_account("Other Co", "bob@example.com", "s3cret-pass")
    new = create_store(account, "Other shop", "custom", events.Actor.for_user(user))
    return account, user, new.store


@pytest.fixture
def api_token(user, account):
    return issue_api_token(user, account, "tests")[1]


@pytest.fixture
def api(api_token):
    """A Django test client sending the personal token; call api.get/post/patch/delete with JSON."""
    return TokenClient(api_token)


class TokenClient:
    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path, body=None, headers=None):
        return self.client.post(
            path, body or {}, content_type="application/json", headers={**self.headers, **(headers or {})}
        )

    def patch(self, path, body):
        return self.client.patch(path, body, content_type="application/json", headers=self.headers)

    def delete(self, path):
        return self.client.delete(path, headers=self.headers)


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests cannot run on SQLite: say so instead of failing (make test deselects them)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    reason = "needs PostgreSQL (set DATABASE_URL=postgres://…); make test reports that it did not run these"
    for test in items:
        if "postgres_only" in test.keywords:
            test.add_marker(pytest.mark.skip(reason=reason))
