from django.core.management.base import BaseCommand

from printbridge.demo.seed import DEMO_EMAIL, DEMO_PASSWORD, seed


class Command(BaseCommand):
    help = "Create the demo account, user, custom store and sample orders (once)."

    def handle(self, *args, **options):
        demo = seed()
        if demo is None:
            self.stdout.write("Demo data already present.")
            return
        self.stdout.write(
            f"Demo account '{demo.account.name}', store '{demo.store.name}' (id {demo.store.pk})."
        )
        self.stdout.write(f"Login: {DEMO_EMAIL} / {DEMO_PASSWORD}")
        self.stdout.write(f"Custom-store intake key (shown once): {demo.api_key}")
