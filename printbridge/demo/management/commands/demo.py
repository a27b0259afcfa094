import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from printbridge.demo import bigcommerce_demo, catalog_demo, gelato_demo
from printbridge.demo.seed import ACCOUNT_NAME, DEMO_EMAIL, DEMO_PASSWORD
from printbridge.demo.stack import Stack
from printbridge.notifications.smtp_sink import wait_until_listening
from printbridge.stores.models import Account

# The demo sends e-mail over SMTP to its own mail sink (aiosmtpd on 127.0.0.1, every message kept in the maildir
# var/mailsink) unless EMAIL_HOST names a mail server; the Mail page (/mail/) shows what was sent.
DEMO_ENV = {"EMAIL_BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")}


class Command(BaseCommand):
    help = (
        "Migrate, seed the demo data, start the BigCommerce emulator (orders generated), web, worker and "
        "scheduler, connect the emulator's store, and run until interrupted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--address", default=os.environ.get("PRINTBRIDGE_DEMO_ADDRESS", "127.0.0.1:8000"))
        parser.add_argument(
            "--emulator-port", type=int, default=int(os.environ.get("PRINTBRIDGE_DEMO_BC_PORT", 8100))
        )
        parser.add_argument(
            "--orders-per-minute", type=float, default=6.0, help="the emulator's order generator"
        )
        parser.add_argument(
            "--gelato-port", type=int, default=int(os.environ.get("PRINTBRIDGE_DEMO_GELATO_PORT", 8200))
        )
        parser.add_argument(
            "--smtp-port", type=int, default=int(os.environ.get("PRINTBRIDGE_DEMO_SMTP_PORT", 1025))
        )
        parser.add_argument("--check", action="store_true", help="Start everything, check it answers, stop")

    def handle(
        self, *args, address, emulator_port, gelato_port, orders_per_minute, smtp_port, check=False, **options
    ):
        base_url = f"http://{address}"
        settings.PRINTBRIDGE_BASE_URL = base_url
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        account = Account.objects.get(name=ACCOUNT_NAME)
        stack = Stack(env={**DEMO_ENV, **self._mail_env(smtp_port), "PRINTBRIDGE_BASE_URL": base_url})
        try:
            self._start_mailsink(stack, smtp_port)
            self._start(stack, account, address, emulator_port, orders_per_minute)
            stack.start(
                "gelato",
                "emulate",
                "gelato",
                "--port",
                str(gelato_port),
                "--time-scale",
                gelato_demo.TIME_SCALE,
                "--api-key",
                gelato_demo.API_KEY,
            )
            stack.wait_http(f"http://127.0.0.1:{gelato_port}/_emulator/health")
            self._connect(account, emulator_port, gelato_port)
            self._banner(address, emulator_port, gelato_port)
            if not check:
                self._supervise(stack)
        finally:
            stack.stop()

    def _mail_env(self, smtp_port: int) -> dict[str, str]:
        if os.environ.get("EMAIL_HOST"):
            return {}
        return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port)}

    def _start_mailsink(self, stack, smtp_port: int) -> None:
        """The local SMTP server the demo's e-mails go to (not started when EMAIL_HOST names a server)."""
        if os.environ.get("EMAIL_HOST"):
            return
        stack.start("mailsink", "mailsink", "--port", str(smtp_port))
        wait_until_listening("127.0.0.1", smtp_port)

    def _start(self, stack, account, address, emulator_port, orders_per_minute):
        first = bigcommerce_demo.first_order_id(account)
        store = f"{bigcommerce_demo.STORE_HASH}:{bigcommerce_demo.TOKEN}"
        stack.emulator(
            emulator_port,
            "--store",
            store,
            "--first-order-id",
            str(first),
            "--generate-rate",
            str(orders_per_minute),
        )
        stack.web(address)
        stack.worker()
        stack.scheduler()
        stack.wait_http(f"http://{address}/healthz")
        stack.wait_http(f"http://127.0.0.1:{emulator_port}/_emulator/health")

    def _connect(self, account, emulator_port, gelato_port):
        user = get_user_model().objects.get(email=DEMO_EMAIL)
        hook = gelato_demo.connect_demo_gelato(account, user, gelato_port)
        self.stdout.write(f"Gelato (emulator) API key set; status webhooks to {hook}")
        design = catalog_demo.prepare_catalog(account, user)
        self.stdout.write(
            f"Gelato catalog loading (the worker refreshes it); design {design.name!r} uploaded"
        )
        result = bigcommerce_demo.connect_demo_store(account, user, f"http://127.0.0.1:{emulator_port}")
        hooks = result.hook_error or f"{result.hooks_registered} webhooks registered"
        self.stdout.write(f"BigCommerce store {bigcommerce_demo.STORE_HASH} (emulator) connected: {hooks}")

    def _banner(self, address, emulator_port, gelato_port):
        self.stdout.write(self.style.SUCCESS(f"\nPrintbridge is running: http://{address}/"))
        self.stdout.write(
            f"Log in as {DEMO_EMAIL} / {DEMO_PASSWORD}   (API docs: http://{address}/api/v1/docs)"
        )
        self.stdout.write(
            f"BigCommerce emulator: http://127.0.0.1:{emulator_port}/_emulator/stores "
            "(orders arrive by webhook every few seconds)"
        )
        self.stdout.write(
            f"E-mails sent: http://{address}/mail/ (delivered over SMTP to the demo's mail sink)"
        )
        self.stdout.write("Press Ctrl-C to stop.\n")

    def _supervise(self, stack):
        import signal
        import sys
        import time

        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            while not stack.dead():
                time.sleep(1)
        except KeyboardInterrupt:
            return
        raise SystemExit(f"demo: {', '.join(stack.dead())} stopped; shutting down the rest")
