"""The mail page (/mail/): the account's e-mails with recipients, subject, time and status; the HTML body is shown
in a sandboxed frame. Another account's e-mail is a 404."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from printbridge.notifications.models import Notification
from printbridge.orders import events
from printbridge.orders.services import import_order
from printbridge.stores.services import update_settings
from tests.conftest import NOW, item, order


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PRINTBRIDGE_BASE_URL = "https://pb.example.com"


def links(html: str) -> list[str]:
    """The e-mails' detail links on a page."""
    return re.findall(r'href="/mail/(\d+)/"', html)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _held(store, number: str, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return import_order(store, order(number, item("1", "tshirt-xl")), events.SYSTEM, now=NOW).order


def test_the_mail_page_needs_a_login(db):
    response = Client().get("/mail/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/mail/")


def test_the_mail_page_lists_only_the_accounts_emails(
    store, user, other_account, django_capture_on_commit_callbacks
):
    account, other_user, other_store = other_account
    update_settings(
        account.pk, other_store.pk, {"import_not_connected": True}, events.Actor.for_user(other_user)
    )
    mine = _held(store, "1001", django_capture_on_commit_callbacks)
    _held(other_store, "9001", django_capture_on_commit_callbacks)
    sent = Notification.objects.get(order=mine)

    html = logged_in(user).get("/mail/").content.decode()

    assert links(html) == [str(sent.pk)]
    assert f'<td><a href="/mail/{sent.pk}/">Order #1001 requires action</a></td>' in html
    assert "<td>ana@example.com</td>" in html
    assert f"<td>Sent {sent.sent_at:%H:%M}</td>" in html
    assert "9001" not in html and "bob@example.com" not in html


def test_the_detail_shows_the_html_in_a_sandboxed_frame_and_the_text(
    store, user, django_capture_on_commit_callbacks
):
    held = _held(store, "1001", django_capture_on_commit_callbacks)
    sent = Notification.objects.get(order=held)

    response = logged_in(user).get(f"/mail/{sent.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<iframe title="The e-mail as HTML" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="&lt;base target=&quot;_blank&quot;&gt;&lt;!doctype html&gt;'
        in html
    )
    assert 'style="font-size:20px; margin:0 0 12px">Order #1001 requires action</h1>' in sent.html_body
    assert 'style="font-size:20px; margin:0 0 12px">Order #1001 requires action</h1>' not in html  # framed
    assert f"Complete order: https://pb.example.com/orders/{held.pk}/\n</pre>" in html
    assert "<dt>To</dt><dd>ana@example.com</dd>" in html
    assert f'<a href="/orders/{held.pk}/">order #1001</a>' in html


def test_markup_in_the_email_cannot_leave_the_frame(store, user):
    hostile = Notification.objects.create(
        account_id=store.account_id,
        store=store,
        kind="digest",
        period_key="hourly:x",
        subject="<b>Subject</b>",
        text_body="<script>alert(1)</script>",
        html_body='"><script>alert(1)</script>',
        status="sent",
        next_attempt_at=NOW,
    )

    html = logged_in(user).get(f"/mail/{hostile.pk}/").content.decode()

    assert (
        'srcdoc="&lt;base target=&quot;_blank&quot;&gt;&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'
        in html
    )
    assert "<h1>&lt;b&gt;Subject&lt;/b&gt;</h1>" in html
    assert '<pre style="white-space:pre-wrap">&lt;script&gt;alert(1)&lt;/script&gt;</pre>' in html
    assert "<script>alert(1)</script>" not in html


def test_another_accounts_email_is_404(other_account, user, django_capture_on_commit_callbacks):
    account, other_user, other_store = other_account
    update_settings(
        account.pk, other_store.pk, {"import_not_connected": True}, events.Actor.for_user(other_user)
    )
    foreign = Notification.objects.get(order=_held(other_store, "9001", django_capture_on_commit_callbacks))

    assert logged_in(user).get(f"/mail/{foreign.pk}/").status_code == 404
    assert logged_in(other_user).get(f"/mail/{foreign.pk}/").status_code == 200


def test_digests_with_nothing_to_report_are_not_listed(store, user):
    empty = Notification.objects.create(
        account_id=store.account_id,
        store=store,
        kind="digest",
        period_key="hourly:2026-12-01T12:00",
        status="empty",
        next_attempt_at=NOW,
    )
    client = logged_in(user)

    assert "No e-mails yet." in client.get("/mail/").content.decode()
    assert client.get(f"/mail/{empty.pk}/").status_code == 404


def test_failed_and_retrying_emails_show_why(store, user):
    Notification.objects.create(
        account_id=store.account_id,
        store=store,
        kind="digest",
        period_key="hourly:1",
        subject="Shop hourly summary: 1 new order to complete",
        recipients=["ops@example.com"],
        status="failed",
        attempts=5,
        error="ConnectionRefusedError: [Errno 111] Connection refused",
        next_attempt_at=NOW,
    )

    html = logged_in(user).get("/mail/").content.decode()

    assert "<td>Failed: ConnectionRefusedError: [Errno 111] Connection refused</td>" in html


def test_older_emails_are_on_the_next_page(store, user):
    rows = [
        Notification(
            account_id=store.account_id,
            store=store,
            kind="digest",
            period_key=f"hourly:{n}",
            subject=f"Digest {n}",
            status="sent",
            next_attempt_at=NOW,
        )
        for n in range(51)
    ]
    Notification.objects.bulk_create(rows)
    newest_first = list(Notification.objects.order_by("-pk").values_list("pk", flat=True))
    client = logged_in(user)

    first = client.get("/mail/").content.decode()
    second = client.get(f"/mail/?before={newest_first[49]}").content.decode()

    assert links(first) == [str(pk) for pk in newest_first[:50]]
    assert f'<a href="/mail/?before={newest_first[49]}">Older e-mails</a>' in first
    assert links(second) == [str(newest_first[50])]
    assert ">Digest 0</a>" in second and "Older e-mails" not in second
