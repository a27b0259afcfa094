"""Ageing alerts: one e-mail per order that waits longer than the store's threshold."""

from datetime import timedelta

from django.core import mail

from printbridge.notifications.ageing import queue_ageing_alerts
from printbridge.notifications.models import Notification
from printbridge.orders import rules
from printbridge.orders.models import OrderEvent
from printbridge.orders.services import ignore_item
from tests.conftest import NOW
from tests.notifications.conftest import BASE_URL, rows


def test_an_order_waiting_past_the_threshold_gets_one_alert(make_store, hold, committed):
    store = make_store("Shop", email_mode="daily", ageing_alert_hours=24)
    held = hold(store, "1001", NOW)

    with committed():
        assert queue_ageing_alerts(NOW + timedelta(hours=23, minutes=59)) == 0
        assert queue_ageing_alerts(NOW + timedelta(hours=26)) == 1
        assert queue_ageing_alerts(NOW + timedelta(hours=30)) == 0

    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Order #1001 has waited 26 h for action", ["ana@example.com"])
    ]
    assert mail.outbox[0].body == (
        "Order #1001 from Shop has waited 26 h for action.\n\n"
        "It is held as Not connected until each item below is connected or ignored:\n\n"
        "- 1 x Classic T-shirt XL [SKU TS-XL]\n\n"
        f"Complete order: {BASE_URL}/orders/{held.pk}/\n\n"
        "This is the only alert about this order (the store alerts after 24 h).\n\n"
        "--\n"
        "You receive this e-mail as a notification recipient of Shop. Change who is e-mailed and how often:\n"
        f"{BASE_URL}/stores/{store.pk}/settings/\n"
    )
    html = mail.outbox[0].alternatives[0][0]
    assert f'<a href="{BASE_URL}/orders/{held.pk}/"' in html and ">Complete order</a>" in html
    assert rows(kind="ageing_alert") == [
        (
            "ageing_alert",
            f"order:{held.pk}",
            "sent",
            ["ana@example.com"],
            "Order #1001 has waited 26 h for action",
        )
    ]


def test_no_alert_without_a_threshold(make_store, hold, committed):
    store = make_store("Shop", email_mode="daily")
    hold(store, "1001", NOW)

    with committed():
        assert queue_ageing_alerts(NOW + timedelta(days=10)) == 0

    assert (mail.outbox, rows()) == ([], [])


def test_each_store_uses_its_own_threshold(make_store, hold, committed):
    fast = make_store("Fast", email_mode="daily", ageing_alert_hours=2)
    slow = make_store("Slow", email_mode="daily", ageing_alert_hours=48)
    hold(fast, "1001", NOW)
    hold(slow, "2001", NOW)

    with committed():
        assert queue_ageing_alerts(NOW + timedelta(hours=3)) == 1

    assert [m.subject for m in mail.outbox] == ["Order #1001 has waited 3 h for action"]


def test_an_order_completed_before_its_alert_is_sent_gets_none(
    make_store, hold, actor, django_capture_on_commit_callbacks
):
    store = make_store("Shop", email_mode="daily", ageing_alert_hours=1)
    held = hold(store, "1001", NOW)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        queue_ageing_alerts(NOW + timedelta(hours=2))
    ignore_item(store.account_id, held.pk, held.items.get().pk, rules.IgnoreScope.ITEM, actor)
    for callback in queued:
        callback()

    assert mail.outbox == []
    alert = Notification.objects.get()
    assert (alert.kind, alert.status, alert.error) == (
        "ageing_alert",
        "cancelled",
        "The order no longer requires action",
    )
    assert not held.events.filter(type=OrderEvent.Type.NOTIFICATION_SENT).exists()
