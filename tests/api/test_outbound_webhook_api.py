"""PUT/GET/DELETE /api/v1/stores/{id}/outbound-webhook: custom stores only, the secret shown once and kept
encrypted, URL rules (https; loopback only in development), another account's store is 404."""

from contextlib import contextmanager

import pytest
from django.test import Client

from printbridge.fulfilment.models import OutboundDelivery, OutboundWebhook
from printbridge.fulfilment.outbound.urls import check_url
from printbridge.fulfilment.services.outbound import save_outbound_webhook
from printbridge.orders import events
from printbridge.orders.errors import InvalidInput
from printbridge.orders.models import OrderEvent
from printbridge.stores import crypto
from printbridge.stores.models import Store
from printbridge.stores.services import create_store
from tests.api.conftest import assert_invalid, assert_rejected, iso
from tests.ingestion.conftest import _keys  # noqa: F401 - autouse: a fresh key file per test

URL = "https://shop.example.com/hooks/printbridge"


def put(api, store_id: int, body: dict):
    return api.client.put(
        f"/api/v1/stores/{store_id}/outbound-webhook",
        body,
        content_type="application/json",
        headers=api.headers,
    )


@contextmanager
def unchanged():
    def state():
        return (
            list(OutboundWebhook.objects.order_by("pk").values()),
            list(OutboundDelivery.objects.order_by("pk").values()),
            OrderEvent.objects.count(),
        )

    before = state()
    yield
    assert state() == before


def test_creating_answers_201_with_the_secret_once_and_keeps_it_encrypted(store, api):
    response = put(api, store.pk, {"url": URL})

    webhook = OutboundWebhook.objects.get()
    body = response.json()
    assert response.status_code == 201
    assert body == {
        "store_id": store.pk,
        "url": URL,
        "is_active": True,
        "created_at": iso(webhook.created_at),
        "updated_at": iso(webhook.updated_at),
        "secret": body["secret"],
        "deliveries": [],
    }
    assert body["secret"].startswith("whsec_") and len(body["secret"]) == 50
    assert crypto.decrypt(webhook.secret_encrypted) == body["secret"]
    assert body["secret"] not in webhook.secret_encrypted
    assert api.get(f"/api/v1/stores/{store.pk}/outbound-webhook").json()["secret"] is None
    assert list(OrderEvent.objects.filter(type="settings_changed", store=store).values_list("message"))[
        -1
    ] == (f"Outbound webhook set to {URL}",)


def test_putting_again_changes_the_url_and_keeps_the_secret_unless_rotated(store, api):
    first = put(api, store.pk, {"url": URL}).json()["secret"]

    changed = put(api, store.pk, {"url": URL + "/v2", "is_active": False})
    same = put(api, store.pk, {"url": URL + "/v2", "is_active": False})
    rotated = put(api, store.pk, {"url": URL + "/v2", "is_active": False, "rotate_secret": True})

    webhook = OutboundWebhook.objects.get()
    assert [(r.status_code, r.json()["secret"] is None) for r in (changed, same, rotated)] == [
        (200, True),
        (200, True),
        (200, False),
    ]
    assert (webhook.url, webhook.is_active) == (URL + "/v2", False)
    assert crypto.decrypt(webhook.secret_encrypted) == rotated.json()["secret"] != first
    assert list(
        OrderEvent.objects.filter(type="settings_changed", message__startswith="Outbound").values_list(
            "message"
        )
    ) == [
        (f"Outbound webhook set to {URL}",),
        ("Outbound webhook changed: url, is_active",),
        ("Outbound webhook changed: secret",),
    ]


def test_get_lists_the_latest_deliveries(store, api):
    put(api, store.pk, {"url": URL})
    webhook = OutboundWebhook.objects.get()
    delivery = OutboundDelivery.objects.create(
        webhook=webhook,
        store=store,
        message_id="msg_1",
        event="order.shipped",
        payload={},
        next_attempt_at=webhook.created_at,
        attempts=2,
        last_status=500,
        last_error="HTTP 500: down",
    )

    response = api.get(f"/api/v1/stores/{store.pk}/outbound-webhook")

    assert response.json()["deliveries"] == [
        {
            "id": delivery.pk,
            "message_id": "msg_1",
            "event": "order.shipped",
            "order_id": None,
            "state": "pending",
            "attempts": 2,
            "last_status": 500,
            "last_error": "HTTP 500: down",
            "next_attempt_at": iso(webhook.created_at),
            "created_at": iso(delivery.created_at),
            "delivered_at": None,
        }
    ]


def test_delete_removes_it_and_then_it_is_404(store, api):
    put(api, store.pk, {"url": URL})

    deleted = api.delete(f"/api/v1/stores/{store.pk}/outbound-webhook")
    after = api.get(f"/api/v1/stores/{store.pk}/outbound-webhook")
    again = api.delete(f"/api/v1/stores/{store.pk}/outbound-webhook")

    assert (deleted.status_code, deleted.content) == (204, b"")
    assert OutboundWebhook.objects.count() == 0
    assert [(r.status_code, r.json()) for r in (after, again)] == [
        (404, {"detail": "This store has no outbound webhook"})
    ] * 2
    assert OrderEvent.objects.filter(message=f"Outbound webhook to {URL} removed").count() == 1


def test_a_bigcommerce_store_cannot_have_one(account, actor, api):
    bigcommerce = create_store(account, "BC", Store.Platform.BIGCOMMERCE, actor).store

    with unchanged():
        response = put(api, bigcommerce.pk, {"url": URL})

    assert_rejected(
        response,
        "store_id",
        "Outbound webhooks are for custom stores; a BigCommerce store gets its shipments written back to "
        "BigCommerce instead",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://shop.example.com/hooks", "The URL must use https://"),
        ("http://127.0.0.1:8080/hooks", "Loopback addresses are only allowed in development"),
        ("https://localhost/hooks", "Loopback addresses are only allowed in development"),
        ("https://10.1.2.3/hooks", "The URL must not point to a private or reserved address"),
        ("https://[fd00::1]/hooks", "The URL must not point to a private or reserved address"),
        ("https://169.254.169.254/latest", "The URL must not point to a private or reserved address"),
        ("https://user:pw@shop.example.com/", "The URL must not contain a user name or password"),
        (
            "ftp://shop.example.com/",
            "Give an absolute https:// URL, e.g. https://shop.example.com/hooks/printbridge",
        ),
        (
            "shop.example.com/hooks",
            "Give an absolute https:// URL, e.g. https://shop.example.com/hooks/printbridge",
        ),
        ("https://shop.example.com:99999/", "The URL's port is not valid"),
    ],
)
def test_an_unsafe_url_is_422_and_nothing_is_saved(store, api, settings, url, message):
    settings.DEBUG = False
    settings.PRINTBRIDGE_ALLOW_LOOPBACK_WEBHOOKS = False

    with unchanged():
        response = put(api, store.pk, {"url": url})

    assert_rejected(response, "url", message)


def test_a_missing_or_unknown_field_is_422(store, api):
    with unchanged():
        missing = put(api, store.pk, {})
        unknown = put(api, store.pk, {"url": URL, "events": ["order.shipped"]})

    assert_invalid(missing, "url", "Field required")
    assert_invalid(unknown, "events", "Extra inputs are not permitted")


@pytest.mark.parametrize(("debug", "allowed"), [(True, False), (False, True)])
def test_loopback_is_allowed_with_debug_or_the_setting(settings, debug, allowed):
    settings.DEBUG, settings.PRINTBRIDGE_ALLOW_LOOPBACK_WEBHOOKS = debug, allowed

    assert check_url(" http://127.0.0.1:8080/hooks ") == "http://127.0.0.1:8080/hooks"
    assert check_url("http://localhost/hooks") == "http://localhost/hooks"
    with pytest.raises(InvalidInput, match="must use https"):
        check_url("http://shop.example.com/hooks")


def test_another_accounts_store_is_404_and_unchanged(api, other_account):
    account, user, theirs = other_account
    save_outbound_webhook(account.pk, theirs.pk, URL, events.Actor.for_user(user))

    with unchanged():
        responses = [
            put(api, theirs.pk, {"url": URL + "/mine"}),
            api.get(f"/api/v1/stores/{theirs.pk}/outbound-webhook"),
            api.delete(f"/api/v1/stores/{theirs.pk}/outbound-webhook"),
        ]

    assert [(r.status_code, r.json()) for r in responses] == [
        (404, {"detail": "No such store"}),
        (404, {"detail": "This store has no outbound webhook"}),
        (404, {"detail": "This store has no outbound webhook"}),
    ]


@pytest.mark.parametrize("method", ["put", "get", "delete"])
def test_without_credentials_it_is_401(store, method):
    with unchanged():
        response = getattr(Client(enforce_csrf_checks=True), method)(
            f"/api/v1/stores/{store.pk}/outbound-webhook", {"url": URL}, content_type="application/json"
        )

    assert (response.status_code, response.json()) == (401, {"detail": "Authentication required"})


def test_a_session_write_without_the_csrf_token_is_403(store, user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    with unchanged():
        response = browser.put(
            f"/api/v1/stores/{store.pk}/outbound-webhook", {"url": URL}, content_type="application/json"
        )

    assert (response.status_code, response.json()) == (403, {"detail": "CSRF check Failed"})
