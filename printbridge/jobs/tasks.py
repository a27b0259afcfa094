"""Task definitions. Each task calls one service; at-least-once comes from the rows the services claim under
leases (refresh requests, store leases), not from the task queue, so a task lost with a killed worker is
simply run again by the scheduler."""

import os
import socket
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from printbridge.ingestion.services import scheduling, stores, sync
from printbridge.orders.services import release_due_orders


def holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue_unless_waiting(task_function) -> bool:
    """Enqueue an argument-less task unless one is already waiting in the database queue. A burst of releases
    then queues one send, not one per order, and the scheduler's ticks don't pile up behind a busy worker. A
    task that has started no longer counts as waiting, so work committed after it started always gets a run.
    Two callers racing may both enqueue: harmless, as the tasks claim their rows themselves."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.ready().filter(task_path=task_function.module_path)
    if isinstance(task_function.get_backend(), DatabaseBackend) and queued.exists():
        return False
    task_function.enqueue()
    return True


@task()
def prune_task_results_task(min_age_days: int = 2) -> int:
    """Delete finished task results older than `min_age_days` (failed ones are kept 14 days, for the operator)."""
    from datetime import timedelta

    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    finished = DBTaskResult.objects.successful().filter(finished_at__lt=now - timedelta(days=min_age_days))
    failed = DBTaskResult.objects.failed().filter(finished_at__lt=now - timedelta(days=14))
    return finished.delete()[0] + failed.delete()[0]


@task()
def release_due_orders_task() -> int:
    """Release delayed orders whose approval delay is over."""
    return release_due_orders()


@task()
def sync_store_task(store_id: int) -> dict:
    report = sync.sync_store(store_id, holder())
    return {"skipped": True} if report is None else {"calls": report.calls, **report.outcomes}


@task()
def reconcile_store_task(store_id: int) -> dict:
    report = stores.reconcile_store(store_id, holder())
    return {"skipped": True} if report is None else {"calls": report.calls, **report.outcomes}


@task()
def check_hooks_task(store_id: int) -> int:
    return stores.check_hooks(store_id)


@task()
def backfill_task(store_id: int, since_iso: str) -> dict:
    report = stores.backfill(store_id, datetime.fromisoformat(since_iso), holder())
    return {"skipped": True} if report is None else {"calls": report.calls, **report.outcomes}


@task()
def send_submissions_task() -> dict:
    """Send due submissions to the provider (the scheduler re-runs this; the outbox rows make it safe)."""
    from printbridge.fulfilment.services.sending import send_due

    return send_due().outcomes


@task()
def write_back_task(order_id: int) -> dict:
    from printbridge.fulfilment.services.writeback import write_back

    result = write_back(order_id)
    return {"created": result.created, "adopted": result.adopted, "status_set": result.status_set}


@task()
def poll_submissions_task() -> int:
    from printbridge.fulfilment.services.tracking import poll_open

    return poll_open()


@task()
def refresh_submission_task(submission_id: int) -> int:
    from printbridge.fulfilment.models import Submission
    from printbridge.fulfilment.services.tracking import refresh

    return len(refresh(Submission.objects.select_related("store", "order").get(pk=submission_id)))


@task()
def cancel_submission_task(submission_id: int) -> str:
    from printbridge.fulfilment.services.cancelling import cancel_at_provider

    return cancel_at_provider(submission_id)


@task()
def deliver_outbound_webhooks_task() -> dict:
    """Post due outbound webhook events to custom stores (the scheduler re-runs this; the rows make it safe)."""
    from printbridge.fulfilment.services.outbound_delivery import deliver_due

    return deliver_due().outcomes


@task()
def refresh_catalog_task(account_id: int, catalog_uid: str = "") -> dict:
    """Refresh the account's cached Gelato catalog; a failure is recorded on the refresh state, not raised."""
    from printbridge.catalog.services import refresh_catalog
    from printbridge.orders.errors import ServiceError
    from printbridge.stores.models import Account

    try:
        result = refresh_catalog(Account.objects.get(pk=account_id), catalog_uid)
    except ServiceError as exc:
        return {"error": exc.message}
    return {"catalogs": result.catalogs, "products": result.products, "truncated": list(result.truncated)}


@task()
def import_design_task(design_id: int) -> str:
    """Fetch a design from its URL (SSRF-safe); the design ends ready or failed with the reason."""
    from printbridge.catalog.services import import_design

    design = import_design(design_id)
    return design.status if design else "missing"


def kick_sync(store_id: int) -> None:
    """Queue one sync of the store unless one is queued already (called after the webhook's commit)."""
    if not scheduling.request_sync(store_id):
        return
    backend = sync_store_task.get_backend()
    if backend.supports_defer:
        sync_store_task.using(run_after=timezone.now() + scheduling.DEBOUNCE).enqueue(store_id)
    else:
        sync_store_task.enqueue(store_id)


def kick_sync_on_commit(store_id: int) -> None:
    transaction.on_commit(lambda: kick_sync(store_id))
