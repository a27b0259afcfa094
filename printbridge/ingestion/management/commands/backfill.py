import sys
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError

from printbridge.ingestion.services.stores import backfill
from printbridge.jobs.tasks import holder
from printbridge.stores.models import BigCommerceConnection


class Command(BaseCommand):
    help = "Import a BigCommerce store's orders modified since a date (history from before it was connected)."

    def add_arguments(self, parser):
        parser.add_argument("--store", type=int, required=True, help="Printbridge store id")
        parser.add_argument("--since", required=True, help="A date, e.g. 2026-11-01 (UTC)")

    def handle(self, *args, store, since, **options):
        try:
            start = datetime.fromisoformat(since).replace(tzinfo=UTC)
        except ValueError:
            raise CommandError(f"--since must be a date like 2026-11-01, not {since!r}") from None
        if not BigCommerceConnection.objects.filter(store_id=store).exists():
            raise CommandError(f"Store {store} is not a connected BigCommerce store")
        seen = [0]

        def progress(count: int) -> None:
            seen[0] += count
            bar = "#" * min(40, seen[0] // 250 + 1)
            sys.stdout.write(f"\r[{bar:<40}] {seen[0]} orders read")
            sys.stdout.flush()

        report = backfill(store, start, holder(), progress)
        if report is None:
            raise CommandError("Another worker is syncing this store right now; try again in a minute")
        outcomes = ", ".join(f"{k}: {v}" for k, v in sorted(report.outcomes.items())) or "nothing new"
        self.stdout.write(f"\nDone: {seen[0]} orders read in {report.calls} API calls ({outcomes})")
