"""Two schedulers deciding the same digest or alert at the same moment send it once (PostgreSQL: real commits
and a real unique constraint between concurrent transactions)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail

from printbridge.notifications import ageing, digests
from printbridge.notifications.models import Notification
from printbridge.orders import events
from printbridge.orders.services import import_order
from tests.conftest import NOW, item, order
from tests.services.test_races_postgres import run_together

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def both_collect_first(monkeypatch):
    """Hold each caller after it has read what to report, until the other has too: both then insert."""
    barrier = threading.Barrier(2)
    collect = digests.collect

    def collect_then_wait(*args):
        result = collect(*args)
        barrier.wait(timeout=10)
        return result

    monkeypatch.setattr(digests, "collect", collect_then_wait)


def test_two_schedulers_racing_send_one_hourly_digest(make_store, both_collect_first):
    store = make_store("Shop", email_mode="hourly")
    import_order(store, order("1001", item("1", "tshirt-xl")), events.SYSTEM, now=NOW + timedelta(minutes=5))

    results = run_together(2, lambda: digests.queue_digests(NOW + timedelta(hours=1)))

    assert sorted(results) == [0, 1]
    assert [m.subject for m in mail.outbox] == ["Shop hourly summary: 1 new order to complete"]
    assert list(Notification.objects.values_list("kind", "period_key", "status")) == [
        ("digest", "hourly:2026-12-01T12:00", "sent")
    ]


def test_two_schedulers_racing_send_one_ageing_alert(make_store):
    store = make_store("Shop", email_mode="daily", ageing_alert_hours=1)
    held = import_order(store, order("1001", item("1", "tshirt-xl")), events.SYSTEM, now=NOW).order

    results = run_together(8, lambda: ageing.queue_ageing_alerts(NOW + timedelta(hours=2)))

    assert sum(results) == 1
    assert [m.subject for m in mail.outbox] == ["Order #1001 has waited 2 h for action"]
    assert list(Notification.objects.filter(kind="ageing_alert").values_list("period_key", "status")) == [
        (f"order:{held.pk}", "sent")
    ]
