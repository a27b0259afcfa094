"""A local SMTP server for the demo and the tests: aiosmtpd on 127.0.0.1, keeping every message in a maildir.

sink = MailSink(Path("var/mailsink"), port=free_port()).start()
... send mail to 127.0.0.1:sink.port ...
sink.messages()  # parsed e-mails, oldest first
sink.stop()
"""

from __future__ import annotations

import email
import email.policy
import logging
import mailbox
import socket
import time
from email.message import EmailMessage
from pathlib import Path

logger = logging.getLogger("printbridge.mailsink")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def wait_until_listening(host: str, port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            if time.monotonic() >= deadline:
                raise RuntimeError(f"no SMTP server on {host}:{port} after {timeout:g} s") from None
            time.sleep(0.1)


def _handler(directory: Path):
    from aiosmtpd.handlers import Mailbox

    class LoggingMailbox(Mailbox):
        def handle_message(self, message) -> None:
            super().handle_message(message)
            logger.info("received %r for %s", message.get("Subject", ""), message.get("X-RcptTo", ""))

    return LoggingMailbox(directory)


class MailSink:
    def __init__(self, directory: Path, host: str = "127.0.0.1", port: int = 1025) -> None:
        self.directory, self.host, self.port = Path(directory), host, port
        self._controller = None

    def start(self) -> MailSink:
        try:
            from aiosmtpd.controller import Controller
        except ImportError:  # pragma: no cover - aiosmtpd comes with the dev extra (make demo installs it)
            raise RuntimeError("The mail sink needs aiosmtpd: pip install -e '.[dev]'") from None
        for part in ("tmp", "new", "cur"):  # a maildir, even where the directory exists already
            (self.directory / part).mkdir(parents=True, exist_ok=True)
        self._controller = Controller(_handler(self.directory), hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages(self) -> list[EmailMessage]:
        """Every message received, oldest first, parsed with the modern e-mail API (get_body, get_content)."""
        box = mailbox.Maildir(self.directory, create=False)
        keys = sorted(box.keys(), key=lambda key: (box.get_message(key).get_date(), key))
        return [email.message_from_bytes(box.get_bytes(key), policy=email.policy.default) for key in keys]
