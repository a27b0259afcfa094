"""Every e-mail kind sent over real SMTP (aiosmtpd on 127.0.0.1) and read back from the server's maildir."""

from datetime import timedelta

from printbridge.demo.stack import Stack
from printbridge.notifications import digests
from printbridge.notifications.ageing import queue_ageing_alerts
from printbridge.notifications.models import Notification
from printbridge.notifications.services import queue_submission_failed
from printbridge.notifications.smtp_sink import MailSink, free_port, wait_until_listening
from tests.conftest import NOW
from tests.notifications.conftest import BASE_URL

FROM = "Printbridge <noreply@printbridge.local>"


def _parts(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def _envelope(message) -> tuple:
    return (
        message["Subject"],
        message["From"],
        message["To"],
        message["X-RcptTo"],
        message.get_content_type(),
    )


def test_requires_action_over_smtp(make_store, hold, smtp_server):
    store = make_store("Acme & Sons", notification_recipients=["ops@example.com", "lead@example.com"])

    held = hold(store, "1000")

    [message] = smtp_server.messages()
    assert _envelope(message) == (
        "Order #1000 requires action",
        FROM,
        "ops@example.com, lead@example.com",
        "ops@example.com, lead@example.com",
        "multipart/alternative",
    )
    text, html = _parts(message)
    url = f"{BASE_URL}/orders/{held.pk}/"
    assert text == (
        "Order #1000 from Acme & Sons requires action.\n\n"
        "It was imported as Not connected and is held until each item below is connected or ignored:\n\n"
        "- 1 x Classic T-shirt XL [SKU TS-XL]\n\n"
        f"Complete order: {url}\n"
    )
    assert "<strong>Acme &amp; Sons</strong>" in html
    assert "<li>1 &times; Classic T-shirt XL [SKU TS-XL]</li>" in html
    assert f'<a href="{url}" style=' in html and ">Complete order</a>" in html
    assert message["Message-ID"] == Notification.objects.get().message_id


def test_submission_failed_over_smtp(make_store, hold, committed, smtp_server):
    store = make_store("Shop", email_mode="hourly")
    held = hold(store, "1001")

    with committed():
        queue_submission_failed(held, "Unsupported country ZZ")

    [message] = smtp_server.messages()
    assert _envelope(message) == (
        "Order #1001 could not be sent to Gelato",
        FROM,
        "ana@example.com",
        "ana@example.com",
        "multipart/alternative",
    )
    text, html = _parts(message)
    assert text == (
        "Order #1001 from Shop could not be sent to Gelato.\n\n"
        "Gelato said: Unsupported country ZZ\n\n"
        "Nothing was charged. Correct the order (for example the shipping address or the design file) and "
        "retry it:\n"
        f"{BASE_URL}/orders/{held.pk}/\n\n"
        "--\n"
        "You receive this e-mail as a notification recipient of Shop. Change who is e-mailed and how often:\n"
        f"{BASE_URL}/stores/{store.pk}/settings/\n"
    )
    assert "<p>Gelato said: <strong>Unsupported country ZZ</strong></p>" in html
    assert f'<a href="{BASE_URL}/orders/{held.pk}/" style=' in html


def test_hourly_digest_over_smtp(make_store, hold, committed, smtp_server):
    store = make_store("Shop", email_mode="hourly", notification_recipients=["ops@example.com"])
    held = hold(store, "1001", NOW + timedelta(minutes=15))

    with committed():
        digests.queue_digests(NOW + timedelta(hours=1))

    [message] = smtp_server.messages()
    assert _envelope(message) == (
        "Shop hourly summary: 1 new order to complete",
        FROM,
        "ops@example.com",
        "ops@example.com",
        "multipart/alternative",
    )
    text, html = _parts(message)
    assert text.startswith(
        "Shop hourly summary, 1 Dec 12:00 to 1 Dec 13:00 UTC.\n\n"
        "Orders waiting for action (1):\n\n"
        "- #1001 (new), waiting 45 min: 1 x Classic T-shirt XL [SKU TS-XL]\n"
        f"  Complete order: {BASE_URL}/orders/{held.pk}/\n"
    )
    assert '<h1 style="font-size:20px; margin:0 0 4px">Shop hourly summary</h1>' in html
    assert (
        f'<a href="{BASE_URL}/orders/{held.pk}/" style="color:#2160d9">#1001</a> <strong>new</strong>' in html
    )


def test_ageing_alert_over_smtp(make_store, hold, committed, smtp_server):
    store = make_store("Shop", email_mode="daily", ageing_alert_hours=6)
    held = hold(store, "1001", NOW)

    with committed():
        queue_ageing_alerts(NOW + timedelta(hours=6, minutes=5))

    [message] = smtp_server.messages()
    assert _envelope(message) == (
        "Order #1001 has waited 6 h 5 min for action",
        FROM,
        "ana@example.com",
        "ana@example.com",
        "multipart/alternative",
    )
    text, html = _parts(message)
    assert text.startswith("Order #1001 from Shop has waited 6 h 5 min for action.\n\n")
    assert f"Complete order: {BASE_URL}/orders/{held.pk}/\n" in text
    assert (
        '<h1 style="font-size:20px; margin:0 0 12px">Order #1001 has waited 6 h 5 min for action</h1>' in html
    )


def test_the_mailsink_command_the_demo_starts_keeps_what_it_receives(make_store, hold, settings, tmp_path):
    port = free_port()
    stack = Stack(log_dir=tmp_path)
    stack.start("mailsink", "mailsink", "--port", str(port), "--dir", str(tmp_path / "maildir"))
    try:
        wait_until_listening("127.0.0.1", port)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        hold(make_store("Shop"), "1001")
    finally:
        stack.stop()

    received = MailSink(tmp_path / "maildir").messages()
    assert [(m["Subject"], m["To"]) for m in received] == [("Order #1001 requires action", "ana@example.com")]
    assert Notification.objects.get().status == "sent"
    assert stack.processes["mailsink"].returncode == 0
