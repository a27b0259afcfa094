import os
import signal
import subprocess
import sys
import time
import urllib.request

from django.core.management import call_command
from django.core.management.base import BaseCommand

from printbridge.demo.seed import DEMO_EMAIL, DEMO_PASSWORD

PROCESSES = {
    "web": ["runserver", "{address}", "--noreload", "--insecure"],
    "worker": ["db_worker"],
    "scheduler": ["scheduler"],
}


# The demo keeps sent e-mail as files under var/mail unless a mail server is configured.
DEMO_ENV = {
    "EMAIL_BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
}


class Command(BaseCommand):
    help = "Migrate, seed the demo data, and run web + worker + scheduler until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--address", default=os.environ.get("PRINTBRIDGE_DEMO_ADDRESS", "127.0.0.1:8000"))
        parser.add_argument(
            "--check", action="store_true", help="Start everything, check the web answers, stop"
        )

    def handle(self, *args, address, check=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        children = {name: self._spawn(cmd, address) for name, cmd in PROCESSES.items()}
        try:
            self._wait_ready(address, children)
            self.stdout.write(self.style.SUCCESS(f"\nPrintbridge is running: http://{address}/"))
            self.stdout.write(
                f"Log in as {DEMO_EMAIL} / {DEMO_PASSWORD}   (API docs: http://{address}/api/v1/docs)"
            )
            self.stdout.write("Press Ctrl-C to stop.\n")
            if not check:
                self._supervise(children)
        finally:
            self._stop(children)

    def _spawn(self, cmd, address):
        argv = [sys.executable, "-m", "printbridge.cli", *(part.format(address=address) for part in cmd)]
        return subprocess.Popen(argv, env={**os.environ, **DEMO_ENV, "PYTHONUNBUFFERED": "1"})

    def _wait_ready(self, address, children, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dead = [n for n, p in children.items() if p.poll() is not None]
            if dead:
                raise SystemExit(f"demo: {', '.join(dead)} exited; see the output above")
            try:
                with urllib.request.urlopen(f"http://{address}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"demo: the web server did not answer on http://{address}/ within {timeout} s")

    def _supervise(self, children):
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            while all(p.poll() is None for p in children.values()):
                time.sleep(1)
        except KeyboardInterrupt:
            return
        dead = [n for n, p in children.items() if p.poll() is not None]
        raise SystemExit(f"demo: {', '.join(dead)} stopped; shutting down the rest")

    def _stop(self, children):
        for p in children.values():
            if p.poll() is None:
                p.terminate()
        for p in children.values():
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
