"""E-mail test helpers: held and failed orders at given times, running after-commit work, a real SMTP server."""

from __future__ import annotations

from datetime import datetime

import pytest

from printbridge.fulfilment.models import Submission
from printbridge.notifications.models import Notification
from printbridge.notifications.smtp_sink import MailSink, free_port
from printbridge.orders import events
from printbridge.orders.models import Order
from printbridge.orders.services import import_order
from tests.conftest import NOW, item, order

BASE_URL = "https://pb.example.com"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PRINTBRIDGE_BASE_URL = BASE_URL


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the after-commit work (queued e-mail tasks) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def hold(committed):
    """Import an order with one not-connected item into `store`, placed and held at `at`."""

    def _hold(store, number: str, at: datetime = NOW, *items) -> Order:
        lines = items or (item("1", "tshirt-xl", name="Classic T-shirt XL", sku="TS-XL"),)
        with committed():
            return import_order(store, order(number, *lines, placed_at=at), events.SYSTEM, now=at).order

    return _hold


def fail_submission(order_row: Order, reason: str, at: datetime) -> None:
    """The state Gelato's refusal leaves (see fulfilment.services.sending._fail), at a chosen time."""
    Order.objects.filter(pk=order_row.pk).update(status="failed", status_changed_at=at)
    Submission.objects.create(
        store=order_row.store,
        order=order_row,
        generation=1,
        idempotency_key=f"pb-{order_row.store_id}-{order_row.pk}-g1",
        state=Submission.State.FAILED,
        available_at=at,
        last_error=reason,
    )


def rows(**filters) -> list[tuple]:
    """Notification rows as (kind, period key, status, recipients, subject), oldest first."""
    fields = ("kind", "period_key", "status", "recipients", "subject")
    return list(Notification.objects.filter(**filters).order_by("pk").values_list(*fields))


@pytest.fixture
def smtp_server(tmp_path, settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1 at a free port; Django's SMTP backend points at it."""
    sink = MailSink(tmp_path / "maildir", port=free_port()).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def smtp_down(settings):
    """Django's SMTP backend pointed at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 2
    return settings
