"""50 identical webhooks released together (reliability.md §8 row 7, G5), on PostgreSQL: every delivery is
answered 200, and they make one inbox row counting 50 deliveries, one pending refresh, one queued sync, and after
the sync one order, imported once."""

from __future__ import annotations

import json
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import close_old_connections, connections
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from printbridge.ingestion.models import RefreshRequest, WebhookDelivery
from printbridge.ingestion.services.sync import sync_store
from printbridge.integrations.bigcommerce.emulator.webhooks import payload_hash
from printbridge.orders.models import Order, OrderEvent
from printbridge.stores import crypto
from tests.ingestion.emulated import HASH, emulated  # noqa: F401 - the emulator fixture

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
DELIVERIES = 50


def post_together(count: int, path: str, body: bytes, headers: dict) -> list[int]:
    """`count` threads, each with its own client and database connection, POST at one barrier."""
    barrier = threading.Barrier(count)
    statuses: list = [None] * count

    def deliver(index: int) -> None:
        close_old_connections()
        client = Client()
        barrier.wait()
        try:
            statuses[index] = client.post(
                path, body, content_type="application/json", headers=headers
            ).status_code
        except Exception as exc:
            statuses[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.mark.parametrize(
    "webhook_id", [None, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"], ids=["by-hash", "by-webhook-id"]
)
def test_fifty_identical_webhooks_at_once_make_one_inbox_row_one_refresh_and_one_import(
    emulated,  # noqa: F811
    settings,
    webhook_id,
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    connection = emulated.connection
    order_id = emulated.place("TS-M-WHT")
    data = {"type": "order", "id": order_id}
    body = {
        "scope": "store/order/created",
        "store_id": str(emulated.store.store_id),
        "data": data,
        "hash": payload_hash(data),
        "created_at": 1561479335,
        "producer": f"stores/{HASH}",
    }
    headers = {"X-Printbridge-Secret": crypto.decrypt(connection.webhook_secret_encrypted)}
    if webhook_id:
        headers["webhook-id"] = webhook_id
    path = f"/webhooks/bigcommerce/{connection.public_id}"

    statuses = post_together(DELIVERIES, path, json.dumps(body).encode(), headers)

    assert Counter(statuses) == {200: DELIVERIES}
    delivery = WebhookDelivery.objects.get()
    assert (delivery.scope, delivery.resource_id, delivery.delivery_count) == (
        "store/order/created",
        order_id,
        DELIVERIES,
    )
    refresh = RefreshRequest.objects.get()
    assert (refresh.order_external_id, refresh.state) == (str(order_id), RefreshRequest.State.PENDING)
    assert list(DBTaskResult.objects.values_list("task_path", "args_kwargs")) == [
        ("printbridge.jobs.tasks.sync_store_task", {"args": [connection.store_id], "kwargs": {}})
    ]

    RefreshRequest.objects.update(available_at=timezone.now() - timedelta(seconds=1))  # past the debounce
    calls_before = len(emulated.api_calls())
    report = sync_store(connection.store_id, "worker-1", sleep=lambda seconds: None)

    assert report.outcomes == {"created": 1}
    assert [path.split("?")[0] for _, path in emulated.api_calls()[calls_before:]] == [
        f"/stores/{HASH}/v2/orders"
    ]
    assert list(Order.objects.values_list("external_id", flat=True)) == [str(order_id)]
    imported = OrderEvent.objects.filter(type=OrderEvent.Type.ORDER_IMPORTED)
    assert list(imported.values_list("order__external_id", flat=True)) == [str(order_id)]
    assert RefreshRequest.objects.get().state == RefreshRequest.State.DONE
