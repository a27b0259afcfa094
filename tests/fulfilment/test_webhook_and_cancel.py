"""Gelato status webhooks (a hint to re-read) and cancellation at every stage."""

import json

from django.test import Client

from printbridge.fulfilment.models import ProviderAccount, Submission
from printbridge.fulfilment.services.sending import send_due
from printbridge.orders import events
from printbridge.orders.models import OrderEvent
from printbridge.orders.services import cancel_from_store


def hook(token: str, body: dict):
    return Client().post(f"/webhooks/gelato/{token}", json.dumps(body), content_type="application/json")


def status_event(submission: Submission, status: str) -> dict:
    return {
        "id": "os_1",
        "event": "order_status_updated",
        "orderId": submission.provider_order_id,
        "storeId": None,
        "orderReferenceId": submission.idempotency_key,
        "fulfillmentStatus": status,
        "items": [],
    }


def test_a_status_webhook_makes_printbridge_re_read_the_order(ready_order, gelato):
    send_due()
    submission = Submission.objects.get()
    gelato.advance(submission.provider_order_id, "in_production")
    token = ProviderAccount.objects.get().webhook_token
    response = hook(token, status_event(submission, "shipped"))  # the webhook's claim is not trusted
    ready_order.refresh_from_db()
    assert (response.status_code, ready_order.status) == (200, "in_production")


def test_a_webhook_with_an_unknown_token_is_401_and_an_unknown_order_is_ignored(ready_order, gelato):
    send_due()
    submission = Submission.objects.get()
    assert hook("not-a-token", status_event(submission, "shipped")).status_code == 401
    other = {**status_event(submission, "shipped"), "orderReferenceId": "someone-else"}
    assert hook(ProviderAccount.objects.get().webhook_token, other).status_code == 200
    ready_order.refresh_from_db()
    assert ready_order.status == "submitted"


def test_cancelled_in_the_store_before_sending_nothing_reaches_gelato(ready_order, gelato):
    result = cancel_from_store(ready_order.store, ready_order.external_id, "cancelled", events.SYSTEM)
    assert result.cancelled is True
    assert Submission.objects.get().state == "cancelled"
    assert send_due().outcomes == {}
    assert gelato.orders == {}


def test_cancelled_after_sending_is_cancelled_at_gelato(
    ready_order, gelato, django_capture_on_commit_callbacks
):
    send_due()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_from_store(ready_order.store, ready_order.external_id, "cancelled", events.SYSTEM)
    ready_order.refresh_from_db()
    [placed] = gelato.orders.values()
    assert (ready_order.status, Submission.objects.get().state, placed["fulfillmentStatus"]) == (
        "cancelled",
        "cancelled",
        "canceled",
    )


def test_cancelled_after_printing_is_flagged_already_printed(
    ready_order, gelato, django_capture_on_commit_callbacks
):
    send_due()
    submission = Submission.objects.get()
    gelato.advance(submission.provider_order_id, "printed")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_from_store(ready_order.store, ready_order.external_id, "cancelled", events.SYSTEM)
    submission.refresh_from_db()
    ready_order.refresh_from_db()
    assert (submission.already_printed, submission.state, ready_order.status) == (True, "sent", "submitted")
    assert list(
        OrderEvent.objects.filter(order=ready_order, type="provider_cancel_refused").values_list(
            "message", flat=True
        )
    ) == ["Cancelled in the store, but Gelato has already printed it"]
