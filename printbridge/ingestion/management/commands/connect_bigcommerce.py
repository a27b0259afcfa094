import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from printbridge.ingestion.services.stores import connect_bigcommerce
from printbridge.orders import events
from printbridge.orders.errors import InvalidInput
from printbridge.stores.models import Account


class Command(BaseCommand):
    help = (
        "Connect a BigCommerce store through a store-level API account. The access token is read from "
        "--token-file or the BIGCOMMERCE_ACCESS_TOKEN environment variable (never from the command line)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--account", type=int, required=True, help="Printbridge account id")
        parser.add_argument("--store-hash", required=True)
        parser.add_argument("--token-file", help="A file holding the access token")
        parser.add_argument(
            "--api-url", help="API base, default https://api.bigcommerce.com (an emulator's URL)"
        )

    def handle(self, *args, account, store_hash, token_file=None, api_url=None, **options):
        token = (
            Path(token_file).read_text().strip()
            if token_file
            else os.environ.get("BIGCOMMERCE_ACCESS_TOKEN", "")
        )
        if not token:
            raise CommandError("Give --token-file or set BIGCOMMERCE_ACCESS_TOKEN")
        owner = Account.objects.filter(pk=account).first()
        if owner is None:
            raise CommandError(f"No account {account}")
        try:
            result = connect_bigcommerce(
                owner, store_hash, token, events.Actor.system("command line"), api_url
            )
        except InvalidInput as exc:
            raise CommandError(exc.message) from None
        c = result.connection
        self.stdout.write(
            f"Connected {c.store_name} ({c.store_hash}) as store {c.store_id}; currency {c.currency}"
        )
        if result.hook_error:
            self.stdout.write(self.style.WARNING(f"Webhooks not registered: {result.hook_error}"))
        else:
            self.stdout.write(f"Webhooks registered or re-enabled: {result.hooks_registered}")
