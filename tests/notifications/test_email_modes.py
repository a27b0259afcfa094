"""How 'requires action' e-mails go out per the store's e-mail mode: each order at once, or hourly / daily digests."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from printbridge.jobs.management.commands import scheduler
from printbridge.notifications import digests
from printbridge.notifications.models import Notification
from printbridge.notifications.services import queue_submission_failed
from printbridge.orders.models import OrderEvent
from tests.conftest import NOW, item
from tests.notifications.conftest import BASE_URL, fail_submission, rows

HOUR = timedelta(hours=1)


def test_each_order_mode_sends_one_requires_action_email_per_held_order(make_store, hold):
    store = make_store("Shop", notification_recipients=["ops@example.com"])

    held = hold(store, "1001")

    assert [(m.subject, m.to) for m in mail.outbox] == [("Order #1001 requires action", ["ops@example.com"])]
    assert rows() == [
        ("action_required", f"order:{held.pk}", "sent", ["ops@example.com"], "Order #1001 requires action")
    ]
    event = OrderEvent.objects.get(order=held, type="notification_sent")
    assert event.message == "E-mailed 'Order #1001 requires action' to 1 recipient"


def test_hourly_mode_sends_nothing_when_the_order_is_held(make_store, hold):
    store = make_store("Shop", email_mode="hourly")

    held = hold(store, "1001", NOW + timedelta(minutes=10))

    assert mail.outbox == []
    assert rows() == []
    assert list(OrderEvent.objects.filter(order=held).values_list("type", flat=True)) == [
        "order_imported",
        "order_held",
    ]


def test_hourly_mode_sends_one_digest_at_the_hour_listing_waiting_orders_and_blocking_variants(
    make_store, hold, committed
):
    store = make_store("Shop", email_mode="hourly")
    old = hold(store, "1001", NOW - timedelta(hours=30))
    new = hold(store, "1002", NOW + timedelta(minutes=10))
    two = hold(
        store,
        "1003",
        NOW + timedelta(minutes=20),
        item("1", "tshirt-xl", name="Classic T-shirt XL", sku="TS-XL"),
        item("2", "mug-11", "mug", "Mug", quantity=2, sku="MUG", price="7.50"),
    )

    with committed():
        queued = digests.queue_digests(NOW + HOUR + timedelta(seconds=30))

    assert queued == 1
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Shop hourly summary: 2 new orders to complete", ["ana@example.com"])
    ]
    assert mail.outbox[0].body == (
        "Shop hourly summary, 1 Dec 12:00 to 1 Dec 13:00 UTC.\n\n"
        "Orders waiting for action (3):\n\n"
        f"- #1001, waiting 31 h: 1 x Classic T-shirt XL [SKU TS-XL]\n"
        f"  Complete order: {BASE_URL}/orders/{old.pk}/\n\n"
        f"- #1002 (new), waiting 50 min: 1 x Classic T-shirt XL [SKU TS-XL]\n"
        f"  Complete order: {BASE_URL}/orders/{new.pk}/\n\n"
        f"- #1003 (new), waiting 40 min: 1 x Classic T-shirt XL [SKU TS-XL]; 2 x Mug [SKU MUG]\n"
        f"  Complete order: {BASE_URL}/orders/{two.pk}/\n\n"
        "Variants blocking orders:\n\n"
        "- Classic T-shirt XL [SKU TS-XL]: blocks 3 orders, 30.00 USD\n"
        f"  Connect or ignore it on order #1001: {BASE_URL}/orders/{old.pk}/\n\n"
        "- Mug [SKU MUG]: blocks 1 order, 15.00 USD\n"
        f"  Connect or ignore it on order #1003: {BASE_URL}/orders/{two.pk}/\n\n"
        "--\n"
        "You receive this e-mail as a notification recipient of Shop. Change who is e-mailed and how often:\n"
        f"{BASE_URL}/stores/{store.pk}/settings/\n"
    )
    html, mime = mail.outbox[0].alternatives[0]
    assert mime == "text/html"
    assert (
        f'<a href="{BASE_URL}/orders/{new.pk}/" style="color:#2160d9">#1002</a> <strong>new</strong>' in html
    )
    digest = Notification.objects.get()
    assert (digest.kind, digest.period_key, digest.status) == ("digest", "hourly:2026-12-01T12:00", "sent")
    assert (digest.period_start, digest.period_end) == (NOW, NOW + HOUR)
    event = OrderEvent.objects.get(type="notification_sent")
    assert (event.store, event.order, event.message) == (
        store,
        None,
        "E-mailed 'Shop hourly summary: 2 new orders to complete' to 1 recipient",
    )


def test_the_scheduler_running_twice_in_the_hour_sends_the_digest_once(make_store, hold, committed):
    store = make_store("Shop", email_mode="hourly")
    hold(store, "1001", NOW + timedelta(minutes=10))

    with committed():
        first = digests.queue_digests(NOW + HOUR)
    with committed():
        second = digests.queue_digests(NOW + HOUR + timedelta(minutes=59))

    assert (first, second) == (1, 0)
    assert [m.subject for m in mail.outbox] == ["Shop hourly summary: 1 new order to complete"]
    assert rows(store=store) == [
        ("digest", "hourly:2026-12-01T12:00", "sent", ["ana@example.com"], mail.outbox[0].subject)
    ]


def test_an_hour_with_nothing_new_sends_no_digest_and_is_decided_once(make_store, hold, committed):
    store = make_store("Shop", email_mode="hourly")
    hold(store, "1001", NOW - timedelta(hours=5))  # still waiting, but not new this hour

    with committed():
        assert digests.queue_digests(NOW + HOUR) == 0
        assert digests.queue_digests(NOW + HOUR + timedelta(minutes=1)) == 0

    assert mail.outbox == []
    assert rows(store=store) == [("digest", "hourly:2026-12-01T12:00", "empty", [], "")]


def test_each_order_stores_get_no_digest(make_store, hold, committed):
    store = make_store("Shop")
    hold(store, "1001", NOW + timedelta(minutes=10))
    mail.outbox.clear()

    with committed():
        assert digests.queue_digests(NOW + HOUR) == 0

    assert mail.outbox == []
    assert rows(kind="digest") == []


def test_an_hour_missed_by_the_scheduler_is_reported_in_the_next_digest(make_store, hold, committed):
    store = make_store("Shop", email_mode="hourly")
    with committed():
        digests.queue_digests(NOW - timedelta(hours=2))  # the 09:00-10:00 digest: nothing to say
    missed = hold(
        store, "1001", NOW - timedelta(minutes=90)
    )  # held 10:30; the scheduler was down until 13:00

    with committed():
        assert digests.queue_digests(NOW + HOUR) == 1

    assert [m.subject for m in mail.outbox] == ["Shop hourly summary: 1 new order to complete"]
    assert mail.outbox[0].body.startswith(
        "Shop hourly summary, 1 Dec 10:00 to 1 Dec 13:00 UTC.\n\n"
        "Orders waiting for action (1):\n\n"
        f"- #1001 (new), waiting 2 h 30 min: 1 x Classic T-shirt XL [SKU TS-XL]\n"
        f"  Complete order: {BASE_URL}/orders/{missed.pk}/\n"
    )


def test_daily_mode_sends_one_digest_at_the_configured_hour(make_store, hold, committed, settings):
    settings.PRINTBRIDGE_DIGEST_HOUR = 6
    store = make_store("Shop", email_mode="daily")
    waiting = hold(store, "1001", NOW)
    failed = hold(store, "1002", NOW + HOUR)
    fail_submission(failed, "Unsupported country ZZ", NOW + 2 * HOUR)
    next_morning = NOW.replace(hour=6) + timedelta(days=1)

    with committed():
        assert digests.queue_digests(NOW + 3 * HOUR) == 0  # not the digest hour
        assert digests.queue_digests(next_morning + timedelta(minutes=1)) == 1
        assert digests.queue_digests(next_morning + timedelta(minutes=2)) == 0

    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Shop daily digest: 1 order waiting, 1 failed submission", ["ana@example.com"])
    ]
    assert mail.outbox[0].body == (
        "Shop daily digest, 1 Dec 06:00 to 2 Dec 06:00 UTC.\n\n"
        "Orders waiting for action (1):\n\n"
        f"- #1001 (new), waiting 18 h 1 min: 1 x Classic T-shirt XL [SKU TS-XL]\n"
        f"  Complete order: {BASE_URL}/orders/{waiting.pk}/\n\n"
        "Variants blocking orders:\n\n"
        "- Classic T-shirt XL [SKU TS-XL]: blocks 1 order, 10.00 USD\n"
        f"  Connect or ignore it on order #1001: {BASE_URL}/orders/{waiting.pk}/\n\n"
        "Submissions that failed (1):\n\n"
        "- #1002: Gelato said: Unsupported country ZZ\n"
        f"  Open the order: {BASE_URL}/orders/{failed.pk}/\n\n"
        "--\n"
        "You receive this e-mail as a notification recipient of Shop. Change who is e-mailed and how often:\n"
        f"{BASE_URL}/stores/{store.pk}/settings/\n"
    )
    assert rows(kind="digest")[0][:3] == ("digest", "daily:2026-12-02", "sent")


def test_a_daily_digest_hour_long_past_is_not_sent_late(make_store, hold, committed):
    store = make_store("Shop", email_mode="daily")
    hold(store, "1001", NOW - timedelta(days=1))

    with committed():
        assert digests.queue_digests(NOW) == 0  # 12:00: the 08:00 digest is four hours late

    assert (mail.outbox, rows()) == ([], [])


def test_submission_failed_is_emailed_at_once_whatever_the_mode(make_store, hold, committed):
    store = make_store("Shop", email_mode="daily")
    held = hold(store, "1001")

    with committed():
        queue_submission_failed(held, "Unsupported country ZZ")

    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Order #1001 could not be sent to Gelato", ["ana@example.com"])
    ]
    assert "Gelato said: Unsupported country ZZ" in mail.outbox[0].body
    assert rows() == [
        (
            "submission_failed",
            f"failed:{held.pk}:1",
            "sent",
            ["ana@example.com"],
            "Order #1001 could not be sent to Gelato",
        )
    ]


def test_the_scheduler_job_run_twice_at_the_hour_sends_one_digest(make_store, hold, committed, monkeypatch):
    store = make_store("Shop", email_mode="hourly")
    hold(store, "1001", NOW + timedelta(minutes=10))
    monkeypatch.setattr(timezone, "now", lambda: NOW + HOUR + timedelta(seconds=5))

    with committed():
        scheduler.enqueue_digests()
        scheduler.enqueue_digests()
        scheduler.enqueue_mail_retries()

    assert [m.subject for m in mail.outbox] == ["Shop hourly summary: 1 new order to complete"]
    assert rows(kind="digest") == [
        ("digest", "hourly:2026-12-01T12:00", "sent", ["ana@example.com"], mail.outbox[0].subject)
    ]
