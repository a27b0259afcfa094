"""A worker dies at each crash point of a store sync (after reading the orders; after importing them but before
marking the refreshes done), one after another, as a SIGKILL would
(printbridge.ingestion.services.sync.crash_point: PRINTBRIDGE_FAULT_CRASH_AT makes the worker call
os._exit(137) there). Each time the refreshes it claimed stay claimed until their lease expires; the next
worker takes the same rows over; in the end every order arrives exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from printbridge.ingestion.models import RefreshRequest, StoreLease
from printbridge.ingestion.services.receive import receive_webhook
from printbridge.ingestion.services.stores import connect_bigcommerce
from printbridge.integrations.bigcommerce.webhooks import WebhookEvent
from printbridge.orders import events
from printbridge.orders.models import Order, OrderEvent
from printbridge.stores.models import BigCommerceConnection
from printbridge.stores.services import create_account, update_settings
from tests.reliability.harness import (
    EmulatorAdmin,
    free_port,
    holder_of,
    printbridge_stack,
    start_worker,
    this_process_on,
    throwaway_database,
    wait_for,
)

HASH, TOKEN = "crash1", "crash-token"
LEASE_SECONDS = 2
LEASE = timedelta(seconds=LEASE_SECONDS)
ORDERS = 30
# crash point → (order-API calls the emulator saw by then, orders imported by then)
CRASH_POINTS = {"after_fetch": (1, 0), "after_import_before_done": (2, ORDERS)}
SYNC_TASK = "printbridge.jobs.tasks.sync_store_task"


def test_a_worker_killed_at_each_point_of_a_sync_loses_nothing_and_imports_every_order_once(
    tmp_path, settings, django_db_blocker
):
    var_dir = tmp_path / "var"
    settings.PRINTBRIDGE_BASE_URL = "http://127.0.0.1:9"  # the emulator's own webhooks go nowhere
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with (
        throwaway_database(var_dir) as url,
        django_db_blocker.unblock(),
        this_process_on(url),
        printbridge_stack(var_dir, url, settings.PRINTBRIDGE_BASE_URL, LEASE_SECONDS) as stack,
    ):
        port = free_port()
        stack.emulator(port, "--store", f"{HASH}:{TOKEN}")
        admin = EmulatorAdmin(port, HASH)
        try:
            stack.wait_http(f"{admin.url}/_emulator/health")
            placed = {str(admin.place([[111, 205, 1]])) for _ in range(ORDERS)}  # before any hook exists
            store = connect(admin)
            rows = notify(store, placed)
            waiting = RefreshRequest.objects.filter(store=store)
            due = lambda: not waiting.filter(available_at__gt=timezone.now()).exists()  # noqa: E731
            wait_for(due, 10, "the refreshes due (after the debounce)", every=0.1)
            stack.scheduler()
            crash_at_each_point(stack, admin, store, rows)
            start_worker(stack, "worker-healthy")
            wait_for(lambda: all_done(store), 30, "the healthy worker finishing the refreshes")
            # The healthy run needs no call: the killed worker had imported the orders and recorded them as seen
            # before it died, so every refresh is already current.
            assert admin.order_calls() == 2
            assert_every_order_arrived_once(store, placed, rows)
        finally:
            admin.close()


def connect(admin: EmulatorAdmin):
    account, user = create_account("Crash Prints", "crash@example.com", "s3cret-pass")
    actor = events.Actor.for_user(user)
    connection = connect_bigcommerce(account, HASH, TOKEN, actor, api_url=admin.url).connection
    update_settings(account.pk, connection.store_id, {"import_not_connected": True}, actor)
    BigCommerceConnection.objects.filter(pk=connection.pk).update(  # no scheduled reconciliation
        reconcile_every_minutes=1440, reconciled_at=timezone.now()
    )
    return connection.store


def notify(store, placed: set[str]) -> set[int]:
    """What the webhook endpoint does for store/order/created of each order: a pending refresh, one sync queued."""
    for external_id in sorted(placed):
        data = {"type": "order", "id": int(external_id)}
        event = WebhookEvent(
            "store/order/created", "1", f"stores/{HASH}", "order", int(external_id), "h", data
        )
        receive_webhook(store, event, f"created-{external_id}")
    return set(RefreshRequest.objects.filter(store=store).values_list("pk", flat=True))


def crash_at_each_point(stack, admin: EmulatorAdmin, store, rows: set[int]) -> None:
    expired_at = None
    for point, (calls, imported) in CRASH_POINTS.items():
        stack.env["PRINTBRIDGE_FAULT_CRASH_AT"] = point
        worker = start_worker(stack, f"crash-{point}")
        del stack.env["PRINTBRIDGE_FAULT_CRASH_AT"]
        assert worker.wait(timeout=30) == 137
        lease = StoreLease.objects.get(store=store)
        assert lease.holder == holder_of(worker)  # died holding the store's lease
        claimed = RefreshRequest.objects.filter(store=store, state=RefreshRequest.State.CLAIMED)
        assert set(claimed.values_list("pk", flat=True)) == rows  # the same rows, taken over
        until = set(claimed.values_list("lease_until", flat=True))
        assert len(until) == 1 and (expired_at is None or until.pop() - LEASE >= expired_at)
        expired_at = claimed.first().lease_until
        assert (admin.order_calls(), Order.objects.filter(store=store).count()) == (calls, imported)


def all_done(store) -> bool:
    return not RefreshRequest.objects.filter(store=store).exclude(state=RefreshRequest.State.DONE).exists()


def assert_every_order_arrived_once(store, placed: set[str], rows: set[int]) -> None:
    orders = Counter(Order.objects.filter(store=store).values_list("external_id", flat=True))
    assert orders == dict.fromkeys(placed, 1)
    imported = OrderEvent.objects.filter(store=store, type=OrderEvent.Type.ORDER_IMPORTED)
    assert Counter(imported.values_list("order__external_id", flat=True)) == dict.fromkeys(placed, 1)
    refreshes = RefreshRequest.objects.filter(store=store)
    assert set(refreshes.values_list("pk", flat=True)) == rows
    assert set(refreshes.values_list("state", flat=True)) == {RefreshRequest.State.DONE}
    lease = StoreLease.objects.get(store=store)
    assert (lease.holder, lease.lease_until) == ("", None)
    # django-tasks has no reaper: each crashed worker's task stays RUNNING; the leases did the work instead.
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, task_path=SYNC_TASK)
    assert sorted(t.worker_ids[-1] for t in running) == sorted(f"crash-{p}" for p in CRASH_POINTS)
