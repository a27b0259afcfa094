"""The BigCommerce webhook endpoint against rows 1–11 of the bad-input table (reliability reference §8)."""

import base64
import hashlib
import hmac
import time

import pytest
from django.db import OperationalError

from printbridge.ingestion.models import RefreshRequest, WebhookDelivery
from tests.ingestion.conftest import SECRET, deliver, payload


def inbox_and_queue() -> tuple[list, list]:
    inbox = list(WebhookDelivery.objects.values_list("store__name", "scope", "resource_id", "delivery_count"))
    queue = list(RefreshRequest.objects.values_list("store__name", "order_external_id", "state", "reason"))
    return inbox, queue


def test_order_created_is_recorded_and_one_refresh_is_queued(bc):
    response = deliver(bc, payload())
    assert (response.status_code, response.content) == (200, b"")
    assert inbox_and_queue() == (
        [("BC abc123", "store/order/created", 250, 1)],
        [("BC abc123", "250", "pending", "webhook")],
    )


@pytest.mark.parametrize(
    ("case", "secret"),
    [("1: no secret header", None), ("2: wrong secret of equal length", "x" * len(SECRET)), ("empty", "")],
)
def test_bad_or_missing_secret_is_401_and_writes_nothing(bc, case, secret):
    assert deliver(bc, payload(), secret=secret).status_code == 401
    assert inbox_and_queue() == ([], [])


def test_3_store_a_secret_with_producer_of_store_b_is_401(bc, bc_other):
    assert deliver(bc, payload(producer="stores/zzz999")).status_code == 401
    assert inbox_and_queue() == ([], [])


def test_4_a_body_over_64_kb_is_413_before_anything_is_written(bc):
    big = payload(padding="x" * (64 * 1024))
    assert deliver(bc, big).status_code == 413
    assert inbox_and_queue() == ([], [])


@pytest.mark.parametrize(
    ("case", "body"),
    [
        ("malformed JSON", b"{not json"),
        ("negative id", payload(order_id=-1)),
        ("id 2^63", payload(order_id=2**63)),
        ("string id", payload(order_id="250")),
        ("missing id", {**payload(), "data": {"type": "order"}}),
        ("boolean id", payload(order_id=True)),
        ("not an object", b"[1, 2]"),
    ],
)
def test_5_malformed_bodies_are_400_and_queue_nothing(bc, case, body):
    assert deliver(bc, body).status_code == 400
    assert inbox_and_queue() == ([], [])


def test_6_an_unsubscribed_scope_is_200_and_ignored(bc):
    assert deliver(bc, payload(scope="store/cart/created")).status_code == 200
    assert inbox_and_queue() == ([], [])


def test_7_fifty_identical_deliveries_make_one_inbox_row_and_one_refresh(bc):
    statuses = {deliver(bc, payload()).status_code for _ in range(50)}
    assert statuses == {200}
    assert inbox_and_queue() == (
        [("BC abc123", "store/order/created", 250, 50)],
        [("BC abc123", "250", "pending", "webhook")],
    )


def test_a_later_update_while_a_refresh_is_claimed_queues_a_new_refresh(bc):
    deliver(bc, payload())
    RefreshRequest.objects.update(state=RefreshRequest.State.CLAIMED)
    deliver(bc, payload(scope="store/order/updated"))
    assert sorted(RefreshRequest.objects.values_list("order_external_id", "state")) == [
        ("250", "claimed"),
        ("250", "pending"),
    ]


def test_a_repeated_webhook_id_is_a_permanent_duplicate(bc):
    deliver(bc, payload(), headers={"webhook-id": "msg_1"})
    RefreshRequest.objects.update(state=RefreshRequest.State.DONE)
    deliver(bc, payload(), headers={"webhook-id": "msg_1"})
    assert list(RefreshRequest.objects.values_list("state", flat=True)) == ["done"]
    assert list(WebhookDelivery.objects.values_list("dedupe_key", "delivery_count")) == [("id:msg_1", 2)]


def test_a_product_webhook_is_recorded_without_an_order_refresh(bc):
    body = {**payload(scope="store/product/updated"), "data": {"type": "product", "id": 77}}
    assert deliver(bc, body).status_code == 200
    assert inbox_and_queue() == ([("BC abc123", "store/product/updated", 77, 1)], [])


def test_9_an_uninstalled_store_is_401(bc):
    bc.uninstalled_at = bc.connected_at
    bc.save()
    assert deliver(bc, payload()).status_code == 401
    assert inbox_and_queue() == ([], [])


def test_an_unknown_store_path_is_401(bc):
    bc.public_id = "something-else"
    response = deliver(bc, payload())
    assert response.status_code == 401


@pytest.mark.parametrize(("method", "status"), [("get", 405), ("put", 405)])
def test_10_other_methods_are_405(bc, method, status):
    assert deliver(bc, payload(), method=method).status_code == status


def test_10_a_text_plain_body_is_415(bc):
    assert deliver(bc, payload(), content_type="text/plain").status_code == 415
    assert inbox_and_queue() == ([], [])


def test_11_a_database_failure_answers_503_so_bigcommerce_retries(bc, monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr(WebhookDelivery.objects, "create", fail)
    assert deliver(bc, payload()).status_code == 503
    assert inbox_and_queue() == ([], [])


def signed_headers(secret: str, body: bytes, message_id="msg_9", at: int | None = None) -> dict:
    at = at if at is not None else int(time.time())
    digest = hmac.new(secret.encode(), f"{message_id}.{at}.".encode() + body, hashlib.sha256).digest()
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(at),
        "webhook-signature": f"v1,{base64.b64encode(digest).decode()}",
    }


def test_a_valid_standard_webhooks_signature_is_accepted(bc, settings):
    settings.BIGCOMMERCE_CLIENT_SECRET = "app-client-secret"
    body = b'{"scope": "store/order/created", "store_id": "1", "data": {"type": "order", "id": 5}, "hash": "h", "producer": "stores/abc123"}'
    assert deliver(bc, body, headers=signed_headers("app-client-secret", body)).status_code == 200
    assert list(RefreshRequest.objects.values_list("order_external_id", flat=True)) == ["5"]


@pytest.mark.parametrize(
    ("case", "key", "age"), [("wrong key", "other-secret", 0), ("stale timestamp", "app-client-secret", 600)]
)
def test_a_bad_standard_webhooks_signature_is_401(bc, settings, case, key, age):
    settings.BIGCOMMERCE_CLIENT_SECRET = "app-client-secret"
    body = b'{"scope": "store/order/created", "store_id": "1", "data": {"type": "order", "id": 5}, "hash": "h", "producer": "stores/abc123"}'
    headers = signed_headers(key, body, at=int(time.time()) - age)
    assert deliver(bc, body, headers=headers).status_code == 401
    assert inbox_and_queue() == ([], [])
