"""Delivery: a mail server outage never blocks an import; failed sends are recorded and retried, capped."""

import itertools
from datetime import timedelta

from django.utils import timezone

from printbridge.notifications import delivery
from printbridge.notifications.models import Notification
from printbridge.notifications.smtp_sink import MailSink
from printbridge.orders.models import Order, OrderEvent
from tests.conftest import NOW


def _row() -> Notification:
    return Notification.objects.get()


def test_smtp_down_does_not_block_the_import_and_the_failure_is_recorded(make_store, hold, smtp_down):
    store = make_store("Shop")
    before = timezone.now()

    held = hold(store, "1001", NOW)

    assert Order.objects.get(pk=held.pk).status == "not_connected"
    row = _row()
    assert (row.kind, row.status, row.attempts, row.subject, row.sent_at) == (
        "action_required",
        "pending",
        1,
        "Order #1001 requires action",
        None,
    )
    assert row.error.startswith("ConnectionRefusedError: ")
    wait = (row.next_attempt_at - before).total_seconds()
    assert 60 <= wait < 70
    assert not OrderEvent.objects.filter(type="notification_sent").exists()


def test_the_scheduler_sweep_retries_when_the_server_is_back(make_store, hold, smtp_down, tmp_path):
    store = make_store("Shop")
    hold(store, "1001", NOW)
    retry_at = _row().next_attempt_at
    sink = MailSink(tmp_path / "maildir", port=smtp_down.EMAIL_PORT).start()
    try:
        assert delivery.send_due(retry_at - timedelta(seconds=1)) == {}  # not due yet
        assert delivery.send_due(retry_at) == {"sent": 1}
        assert delivery.send_due(retry_at + timedelta(hours=1)) == {}  # sent once
        received = sink.messages()
    finally:
        sink.stop()

    row = _row()
    assert (row.status, row.attempts, row.error) == ("sent", 2, "")
    assert [(m["Subject"], m["To"], m["Message-ID"]) for m in received] == [
        ("Order #1001 requires action", "ana@example.com", row.message_id)
    ]
    assert OrderEvent.objects.filter(type="notification_sent").count() == 1


def test_attempts_are_capped_and_the_last_error_kept(make_store, hold, smtp_down):
    store = make_store("Shop")
    hold(store, "1001", NOW)  # attempt 1 failed
    due_times, outcomes = [], []
    for _ in range(delivery.MAX_ATTEMPTS - 1):  # attempts 2 to 5, each when due
        due_times.append(_row().next_attempt_at)
        outcomes.append(delivery.send_due(due_times[-1]))

    row = _row()
    assert outcomes == [{"retry": 1}, {"retry": 1}, {"retry": 1}, {"failed": 1}]
    assert (row.status, row.attempts) == ("failed", delivery.MAX_ATTEMPTS)
    assert row.error.startswith("ConnectionRefusedError: ")
    assert [round((b - a).total_seconds()) for a, b in itertools.pairwise(due_times)] == [300, 900, 3600]
    assert delivery.send_due(row.next_attempt_at + timedelta(days=1)) == {}
    assert _row().attempts == delivery.MAX_ATTEMPTS


def test_a_worker_that_died_mid_send_leaves_the_email_to_the_sweep(make_store, hold, smtp_down, tmp_path):
    store = make_store("Shop")
    hold(store, "1001", NOW)
    now = timezone.now()
    Notification.objects.update(status="sending", lease_until=now + timedelta(minutes=1))
    sink = MailSink(tmp_path / "maildir", port=smtp_down.EMAIL_PORT).start()
    try:
        assert delivery.send_due(now) == {}  # still leased
        assert delivery.send_due(now + timedelta(minutes=2)) == {"sent": 1}
        assert [m["Subject"] for m in sink.messages()] == ["Order #1001 requires action"]
    finally:
        sink.stop()


def test_no_recipients_is_recorded_and_not_retried(make_store, hold, user):
    user.email = ""
    user.save()
    store = make_store("Shop")

    hold(store, "1001", NOW)

    row = _row()
    assert (row.status, row.error) == (
        "cancelled",
        "No recipients: set notification recipients in the store's settings",
    )
    assert delivery.send_due(timezone.now() + timedelta(days=1)) == {}
