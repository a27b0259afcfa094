import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from printbridge.notifications.smtp_sink import MailSink


class Command(BaseCommand):
    help = (
        "A local SMTP server (aiosmtpd) that keeps every message it receives in a maildir (demo and tests)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.EMAIL_PORT)
        parser.add_argument(
            "--dir", dest="directory", default=str(settings.VAR_DIR / "mailsink"), help="the maildir"
        )

    def handle(self, *args, host, port, directory, **options):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        sink = MailSink(directory, host=host, port=port).start()
        self.stdout.write(f"Mail sink listening on {host}:{port}; messages kept in the maildir {directory}")
        try:
            stop.wait()
        finally:
            sink.stop()
