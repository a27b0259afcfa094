import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from printbridge.ingestion.services import scheduling
from printbridge.jobs import tasks
from printbridge.notifications import tasks as mail_tasks

logger = logging.getLogger("printbridge.scheduler")


def kick_due_syncs() -> int:
    """Stores with due refreshes and no live lease (new work, or work a killed worker left claimed)."""
    stores = scheduling.stores_with_due_work()
    for store_id in stores:
        tasks.kick_sync(store_id)
    return len(stores)


def enqueue_reconciliations() -> int:
    stores = scheduling.claim_reconciliations()
    for store_id in stores:
        tasks.reconcile_store_task.enqueue(store_id)
    return len(stores)


def enqueue_hook_checks() -> int:
    stores = scheduling.claim_hook_checks()
    for store_id in stores:
        tasks.check_hooks_task.enqueue(store_id)
    return len(stores)


def enqueue_drift_checks() -> int:
    """The periodic catalog check (daily per store, PRINTBRIDGE_DRIFT_CHECK_HOURS): queue a check of every
    connected product and kick the store's sync, which runs it."""
    from printbridge.routing import drift

    stores = drift.claim_periodic()
    for store_id in stores:
        tasks.kick_sync(store_id)
    return len(stores)


def enqueue_releases() -> int:
    return int(tasks.enqueue_unless_waiting(tasks.release_due_orders_task))


def enqueue_sending() -> int:
    tasks.enqueue_unless_waiting(tasks.send_submissions_task)
    return 0


def enqueue_polling() -> int:
    tasks.enqueue_unless_waiting(tasks.poll_submissions_task)
    return 0


def enqueue_digests() -> int:
    tasks.enqueue_unless_waiting(mail_tasks.queue_digests_task)
    return 0


def enqueue_ageing_alerts() -> int:
    tasks.enqueue_unless_waiting(mail_tasks.queue_ageing_alerts_task)
    return 0


def enqueue_mail_retries() -> int:
    tasks.enqueue_unless_waiting(mail_tasks.send_due_notifications_task)
    return 0


def enqueue_outbound_deliveries() -> int:
    """Outbound webhook events whose next attempt is due (a queued task is kicked only when there are some)."""
    from printbridge.fulfilment.services.outbound_delivery import has_due

    if not has_due():
        return 0
    return int(tasks.enqueue_unless_waiting(tasks.deliver_outbound_webhooks_task))


def recover_design_imports() -> int:
    """Design downloads a dead worker left pending: queued again, or failed after an hour."""
    from printbridge.catalog.services.designs import recover_stale_imports

    return sum(recover_stale_imports())


def enqueue_pruning() -> int:
    """Finished task results are kept two days (failed ones 14), so the queue table stays small."""
    return int(tasks.enqueue_unless_waiting(tasks.prune_task_results_task))


# (what, seconds between runs); a job whose task still waits in the queue is not queued again
SCHEDULE = [
    (enqueue_sending, 5),
    (enqueue_outbound_deliveries, 5),
    (enqueue_polling, 60),
    (kick_due_syncs, 2),
    (enqueue_reconciliations, 30),
    (enqueue_hook_checks, 300),
    (enqueue_drift_checks, 300),
    (enqueue_releases, 60),
    (enqueue_digests, 60),  # hourly batches at :00, daily digests at PRINTBRIDGE_DIGEST_HOUR, once per period
    (enqueue_ageing_alerts, 300),
    (enqueue_mail_retries, 30),
    (enqueue_pruning, 3600),
    (recover_design_imports, 600),
]


class Command(BaseCommand):
    help = (
        "Periodic work: kick syncs with due work, reconcile stores, check webhooks, check connected products "
        "for drift (daily), release delayed orders, "
        "send e-mail digests and ageing alerts, retry e-mails that failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every periodic job once and exit")

    def handle(self, *args, once=False, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        next_run = {job: 0.0 for job, _ in SCHEDULE}
        while not stopping:
            for job, every in SCHEDULE:
                if time.monotonic() >= next_run[job]:
                    self._run(job)
                    next_run[job] = time.monotonic() + every
            if once:
                return
            time.sleep(0.5)

    def _run(self, job) -> None:
        close_old_connections()
        try:
            count = job()
        except Exception:
            logger.exception("scheduler job %s failed; it runs again next time", job.__name__)
            return
        if count:
            logger.info("%s: %d", job.__name__, count)
