"""Outbound webhooks to a custom store: written with the change, posted to a real local HTTP server with a
Standard Webhooks signature, retried with backoff, given up after N attempts, one delivery per event."""

import base64
import hashlib
import hmac
import time
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from printbridge.fulfilment.models import OutboundDelivery, Parcel, Submission
from printbridge.fulfilment.outbound import signing
from printbridge.fulfilment.outbound.sender import WebhookSender
from printbridge.fulfilment.services.outbound import save_outbound_webhook
from printbridge.fulfilment.services.outbound_delivery import backoff_seconds, deliver_due
from printbridge.fulfilment.services.sending import send_due
from printbridge.fulfilment.services.tracking import refresh
from printbridge.orders import events
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.services import cancel_from_store

POSTCODE_REFUSED = (
    "shippingAddress.postCode is required and must be a non-empty string. "
    '[{"field": "shippingAddress.postCode", "message": "shippingAddress.postCode is required and must be a '
    'non-empty string."}]'
)


@pytest.fixture
def webhook(store, account, actor, endpoint):
    return save_outbound_webhook(account.pk, store.pk, endpoint.url, actor)


def make_due():
    OutboundDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1), lease_until=None)


def independently_verified(secret: str, received) -> bool:
    """The receiver's check, written from the Standard Webhooks spec rather than with Printbridge's code."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{received.headers['webhook-id']}.{received.headers['webhook-timestamp']}.".encode()
    digest = hmac.new(key, signed + received.body, hashlib.sha256).digest()
    return received.headers["webhook-signature"] == "v1," + base64.b64encode(digest).decode()


def sent_with_webhooks(capture) -> Submission:
    with capture(execute=True):
        assert send_due().outcomes == {"sent": 1}
    return Submission.objects.select_related("store", "order").get()


def test_a_submitted_order_is_posted_once_with_a_verifiable_signature(
    ready_order,
    gelato,
    webhook,
    endpoint,
    django_capture_on_commit_callbacks,
):
    submission = sent_with_webhooks(django_capture_on_commit_callbacks)

    [received] = endpoint.received
    delivery = OutboundDelivery.objects.get()
    assert received.headers["webhook-id"] == delivery.message_id
    assert received.headers["content-type"] == "application/json"
    assert abs(int(received.headers["webhook-timestamp"]) - time.time()) < 5
    assert independently_verified(webhook.secret, received)
    signing.verify(webhook.secret, received.headers, received.body, int(time.time()))
    body = received.json
    assert (body["type"], body["data"]["order"]) == (
        "order.submitted",
        {
            "id": ready_order.pk,
            "store_id": ready_order.store_id,
            "external_id": "5001",
            "number": "5001",
            "status": "submitted",
            "status_label": "Submitted",
            "shipping_address": ready_order.shipping_address,
        },
    )
    assert [
        (s["reference"], s["state"], s["provider_order_id"])
        for s in body["data"]["fulfilment"]["submissions"]
    ] == [(submission.idempotency_key, "sent", submission.provider_order_id)]
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 1, 200)
    assert deliver_due().outcomes == {}
    assert len(endpoint.received) == 1


def test_a_tampered_body_or_an_old_timestamp_does_not_verify(
    ready_order,
    gelato,
    webhook,
    endpoint,
    django_capture_on_commit_callbacks,
):
    sent_with_webhooks(django_capture_on_commit_callbacks)
    [received] = endpoint.received
    now = int(received.headers["webhook-timestamp"])

    with pytest.raises(signing.InvalidSignature, match="no signature matches"):
        signing.verify(webhook.secret, received.headers, received.body.replace(b"5001", b"5002"), now)
    with pytest.raises(signing.InvalidSignature, match="too old"):
        signing.verify(webhook.secret, received.headers, received.body, now + 301)
    with pytest.raises(signing.InvalidSignature, match="no signature matches"):
        signing.verify(signing.new_secret(), received.headers, received.body, now)


def test_a_receiver_500_is_retried_later_with_the_same_webhook_id(
    ready_order,
    gelato,
    webhook,
    endpoint,
    django_capture_on_commit_callbacks,
):
    endpoint.statuses = [500]
    sent_with_webhooks(django_capture_on_commit_callbacks)

    delivery = OutboundDelivery.objects.get()
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 1, 500)
    assert delivery.last_error == "HTTP 500: receiver is down"
    assert 13 < wait <= 30
    assert deliver_due().outcomes == {}  # not due yet
    make_due()
    assert deliver_due().outcomes == {"delivered": 1}
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("delivered", 2, "")
    assert [(r.status, r.headers["webhook-id"]) for r in endpoint.received] == [
        (500, delivery.message_id),
        (200, delivery.message_id),
    ]
    assert all(independently_verified(webhook.secret, r) for r in endpoint.received)


def test_delivery_gives_up_after_the_last_attempt_and_alerts_the_store(
    ready_order,
    gelato,
    webhook,
    endpoint,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.OUTBOUND_WEBHOOK_MAX_ATTEMPTS = 3
    endpoint.statuses = [500, 503, 500, 200]
    sent_with_webhooks(django_capture_on_commit_callbacks)
    outcomes = []
    for _ in range(3):
        make_due()
        outcomes.append(deliver_due().outcomes)

    delivery = OutboundDelivery.objects.get()
    assert outcomes == [{"retry": 1}, {"gave_up": 1}, {}]
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("failed", 3, 500)
    assert [r.status for r in endpoint.received] == [500, 503, 500]
    assert list(
        OrderEvent.objects.filter(type="store_alert", order=ready_order).values_list("message", flat=True)
    ) == [
        f"Webhook order.submitted to {endpoint.url} not delivered after 3 attempts: HTTP 500: receiver is down"
    ]


def test_every_status_change_is_delivered_exactly_once_in_order_with_the_parcels(
    ready_order,
    gelato,
    webhook,
    endpoint,
    django_capture_on_commit_callbacks,
):
    submission = sent_with_webhooks(django_capture_on_commit_callbacks)
    for status in ("in_production", "shipped", "delivered"):
        gelato.advance(submission.provider_order_id, status)
        with django_capture_on_commit_callbacks(execute=True):
            refresh(Submission.objects.select_related("store", "order").get())
        make_due()
        assert deliver_due().outcomes == {}

    assert endpoint.events() == ["order.submitted", "order.in_production", "order.shipped", "order.delivered"]
    assert len({r.headers["webhook-id"] for r in endpoint.received}) == 4
    assert (
        list(OutboundDelivery.objects.order_by("pk").values_list("state", "attempts"))
        == [("delivered", 1)] * 4
    )
    shipped = endpoint.received[2].json["data"]
    parcels = Parcel.objects.select_related("item").order_by("pk")
    assert shipped["order"]["status"] == "shipped"
    assert sorted(
        (
            p["tracking_number"],
            p["carrier"],
            p["tracking_url"],
            [(i["external_id"], i["quantity"]) for i in p["items"]],
        )
        for p in shipped["fulfilment"]["parcels"]
    ) == sorted(
        (
            code,
            carrier,
            url,
            [(i.item.external_id, i.item.quantity) for i in parcels if i.tracking_code == code],
        )
        for code, carrier, url in {(p.tracking_code, p.carrier, p.tracking_url) for p in parcels}
    )
    assert sorted(
        (i["external_id"], i["quantity"]) for p in shipped["fulfilment"]["parcels"] for i in p["items"]
    ) == [
        ("1", 2),
        ("2", 1),
    ]


def test_a_refusal_posts_order_failed_with_the_providers_message(
    ready_order,
    gelato,
    webhook,
    endpoint,
    django_capture_on_commit_callbacks,
):
    Order.objects.filter(pk=ready_order.pk).update(
        shipping_address={**ready_order.shipping_address, "postal_code": ""}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due().outcomes == {"failed": 1}

    [received] = endpoint.received
    [part] = received.json["data"]["fulfilment"]["submissions"]
    assert (received.json["type"], received.json["data"]["order"]["status"]) == ("order.failed", "failed")
    assert (part["state"], part["last_error"]) == ("failed", POSTCODE_REFUSED)


def test_an_order_cancelled_in_the_store_before_sending_posts_order_cancelled(
    ready_order,
    gelato,
    webhook,
    endpoint,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        cancel_from_store(ready_order.store, ready_order.external_id, "cancelled", events.SYSTEM)

    assert endpoint.events() == ["order.cancelled"]
    assert endpoint.received[0].json["data"]["fulfilment"]["submissions"][0]["state"] == "cancelled"


def test_a_store_without_an_active_webhook_gets_no_events(
    ready_order,
    gelato,
    account,
    actor,
    endpoint,
    django_capture_on_commit_callbacks,
):
    save_outbound_webhook(account.pk, ready_order.store_id, endpoint.url, actor, is_active=False)
    sent_with_webhooks(django_capture_on_commit_callbacks)

    assert (OutboundDelivery.objects.count(), endpoint.received) == (0, [])


def test_a_slow_receiver_times_out_and_is_retried(ready_order, gelato, webhook, endpoint):
    endpoint.delay = 1.0
    send_due()  # the event is written; its on-commit kick does not run inside the test's transaction
    sender = WebhookSender(timeout=httpx.Timeout(0.3, connect=1))

    assert deliver_due(sender=sender).outcomes == {"retry": 1}
    delivery = OutboundDelivery.objects.get()
    assert (delivery.state, delivery.last_status, delivery.last_error) == (
        "pending",
        None,
        "no answer within 0.3 s",
    )


def test_loopback_is_refused_at_delivery_once_it_is_no_longer_allowed(
    ready_order,
    gelato,
    webhook,
    endpoint,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.PRINTBRIDGE_ALLOW_LOOPBACK_WEBHOOKS = False
    sent_with_webhooks(django_capture_on_commit_callbacks)

    delivery = OutboundDelivery.objects.get()
    assert (delivery.state, delivery.last_error) == (
        "pending",
        "127.0.0.1 resolves to 127.0.0.1, a private or reserved address",
    )
    assert endpoint.received == []


@pytest.mark.parametrize(
    ("attempt", "draw", "seconds"),
    [(1, 0.0, 15.0), (1, 1.0, 30.0), (2, 0.5, 45.0), (4, 1.0, 240.0), (30, 0.0, 10800.0), (30, 1.0, 21600.0)],
)
def test_backoff_is_exponential_with_jitter_and_capped_at_six_hours(attempt, draw, seconds):
    assert backoff_seconds(attempt, rng=lambda: draw) == seconds


def test_the_scheduler_kicks_delivery_only_while_events_are_due(ready_order, gelato, webhook, endpoint):
    from printbridge.jobs.management.commands.scheduler import enqueue_outbound_deliveries

    assert enqueue_outbound_deliveries() == 0
    send_due()  # the event is written; its on-commit kick does not run inside the test's transaction
    assert enqueue_outbound_deliveries() == 1  # tasks run inline in tests: delivered now
    assert (endpoint.events(), enqueue_outbound_deliveries()) == (["order.submitted"], 0)
