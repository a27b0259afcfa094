import logging
import signal
import time

from django.core.management.base import BaseCommand

from printbridge.jobs.tasks import release_due_orders_task

logger = logging.getLogger("printbridge.scheduler")

# (task, seconds between runs)
SCHEDULE = [(release_due_orders_task, 60)]


class Command(BaseCommand):
    help = "Enqueue periodic work for the worker: delayed approvals released when due."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue every periodic task once and exit")

    def handle(self, *args, once=False, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        next_run = {t: 0.0 for t, _ in SCHEDULE}
        while not stopping:
            now = time.monotonic()
            for task, every in SCHEDULE:
                if now >= next_run[task]:
                    task.enqueue()
                    logger.info("enqueued %s", task.name)
                    next_run[task] = now + every
            if once:
                return
            time.sleep(1)
