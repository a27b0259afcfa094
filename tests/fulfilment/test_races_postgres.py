"""Fulfilment races on PostgreSQL (real row locks): two retries at once, two delivery workers at once."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction

from printbridge.fulfilment.models import OutboundDelivery, Submission
from printbridge.fulfilment.services.outbound import save_outbound_webhook
from printbridge.fulfilment.services.outbound_delivery import deliver_due, record_order_change
from printbridge.fulfilment.services.retrying import retry_submission
from printbridge.fulfilment.services.sending import send_due
from printbridge.orders.models import Order
from tests.services.test_races_postgres import run_together

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _tasks_wait(settings):
    """Commits are real here: queue tasks without running them, so each test runs the workers itself."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_two_retries_at_once_make_one_new_submission_and_one_gelato_order(
    ready_order, gelato, account, actor
):
    Order.objects.filter(pk=ready_order.pk).update(
        shipping_address={**ready_order.shipping_address, "postal_code": ""}
    )
    assert send_due().outcomes == {"failed": 1}
    Order.objects.filter(pk=ready_order.pk).update(shipping_address={**ready_order.shipping_address})

    results = run_together(2, lambda: retry_submission(account.pk, ready_order.pk, actor))

    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Submission"]
    assert list(Submission.objects.order_by("generation").values_list("generation", "state")) == [
        (1, "failed"),
        (2, "pending"),
    ]
    assert send_due().outcomes == {"sent": 1}
    assert [o["orderReferenceId"] for o in gelato.orders.values()] == [
        f"pb-{ready_order.store_id}-{ready_order.pk}-g2"
    ]


def test_two_delivery_workers_at_once_post_each_event_once(ready_order, store, account, actor, endpoint):
    save_outbound_webhook(account.pk, store.pk, endpoint.url, actor)
    with transaction.atomic():
        for _ in range(6):
            record_order_change(ready_order, "order.submitted")

    results = run_together(2, lambda: deliver_due().outcomes)

    assert sum(Counter(r).get("delivered", 0) for r in results) == 6
    assert sorted(r.headers["webhook-id"] for r in endpoint.received) == sorted(
        OutboundDelivery.objects.values_list("message_id", flat=True)
    )
    assert len(endpoint.received) == 6
