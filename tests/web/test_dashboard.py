"""The dashboard: counts per status, the Not connected backlog chart, variants blocking orders, needs action."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from printbridge.fulfilment.models import Submission
from printbridge.orders import events, rules
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.selectors_dashboard import BacklogDay, not_connected_backlog
from printbridge.orders.services import cancel_from_store, ignore_item, import_order
from printbridge.stores.models import BigCommerceConnection
from printbridge.stores.services import create_store, update_settings
from tests.conftest import NOW, item, order

DAY = timedelta(days=1)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _held(store, number, *items, at):
    return import_order(store, order(number, *items, placed_at=at), events.SYSTEM, now=at).order


def _set_status(o, status, at):
    Order.objects.filter(pk=o.pk).update(status=status, status_changed_at=at)


def _event_at(o, event_type, at):
    OrderEvent.objects.filter(order=o, type=event_type).update(created_at=at)


def _fail(o, store, error, at):
    _set_status(o, rules.OrderStatus.FAILED, at)
    return Submission.objects.create(
        store=store,
        order=o,
        generation=1,
        idempotency_key=f"pb-{store.pk}-{o.pk}-g1",
        state=Submission.State.FAILED,
        available_at=at,
        last_error=error,
    )


# --- the backlog selector -------------------------------------------------------------------------------------


def test_the_backlog_counts_orders_waiting_at_the_end_of_each_day(store, account, actor, other_account):
    still = _held(store, "1", item("1", "a"), at=NOW - 40 * DAY)
    done = _held(store, "2", item("1", "b"), at=NOW - 10 * DAY)
    ignore_item(account.pk, done.pk, done.items.get().pk, rules.IgnoreScope.ITEM, actor, now=NOW - 5 * DAY)
    _event_at(done, OrderEvent.Type.ORDER_COMPLETED, NOW - 5 * DAY)
    cancelled = _held(store, "3", item("1", "c"), at=NOW - 2 * DAY)
    cancel_from_store(store, "3", "cancelled", events.SYSTEM, now=NOW - DAY)
    _event_at(cancelled, OrderEvent.Type.ORDER_CANCELLED, NOW - DAY)
    # No audit event took it out of Not connected: its status_changed_at says when it left
    silent = _held(store, "4", item("1", "d"), at=NOW - 3 * DAY)
    _set_status(silent, rules.OrderStatus.READY, NOW - 2 * DAY)
    long_gone = _held(store, "5", item("1", "e"), at=NOW - 40 * DAY)
    ignore_item(account.pk, long_gone.pk, long_gone.items.get().pk, rules.IgnoreScope.ITEM, actor, now=NOW)
    _event_at(long_gone, OrderEvent.Type.ORDER_COMPLETED, NOW - 35 * DAY)
    _set_status(long_gone, rules.OrderStatus.IGNORED, NOW - 35 * DAY)
    theirs_account, _their_user, their_store = other_account
    update_settings(theirs_account.pk, their_store.pk, {"import_not_connected": True}, events.SYSTEM)
    _held(their_store, "9", item("1", "z"), at=NOW - 20 * DAY)
    assert still.status == rules.OrderStatus.NOT_CONNECTED

    series = not_connected_backlog(account.pk, days=30, now=NOW)

    expected = {date(2026, 11, 2) + i * DAY: 1 for i in range(30)}
    expected.update({date(2026, 11, d): 2 for d in (21, 22, 23, 24, 25, 28, 29)})
    assert series == [BacklogDay(day, waiting) for day, waiting in expected.items()]


def test_the_backlog_is_zero_for_an_account_without_orders(account):
    series = not_connected_backlog(account.pk, days=3, now=NOW)
    assert series == [
        BacklogDay(date(2026, 11, 29), 0),
        BacklogDay(date(2026, 11, 30), 0),
        BacklogDay(date(2026, 12, 1), 0),
    ]


# --- the page -------------------------------------------------------------------------------------------------


@pytest.fixture
def shop(store, account, actor):
    """Two Not connected orders (3 units of TSHIRT-XL, 1 MUG-RED), one refused by the provider, one shipped.

    Not connected: 1001 from 3 days ago, 1002 from yesterday, 1003 from 5 to 4 days ago, 1004 from 6 to 4 days ago
    (no audit event: its status_changed_at)."""
    now = timezone.now()
    first = _held(store, "1001", item("1", "tshirt-xl", name="Classic T-shirt"), at=now - 3 * DAY)
    _held(
        store,
        "1002",
        item("1", "tshirt-xl", name="Classic T-shirt", quantity=2),
        item("2", "mug-red", product_id="mug", name="Mug"),
        at=now - DAY,
    )
    refused = _held(
        store, "1003", item("1", "poster-a2", product_id="poster", name="Poster"), at=now - 5 * DAY
    )
    ignore_item(
        account.pk, refused.pk, refused.items.get().pk, rules.IgnoreScope.ITEM, actor, now=now - 4 * DAY
    )
    _event_at(refused, OrderEvent.Type.ORDER_COMPLETED, now - 4 * DAY)
    _fail(refused, store, "Product uid poster-a2 is unknown", now - 2 * DAY)
    shipped = _held(store, "1004", item("1", "tote", product_id="tote", name="Tote"), at=now - 6 * DAY)
    _set_status(shipped, rules.OrderStatus.SHIPPED, now - 4 * DAY)
    return first


def test_the_dashboard_counts_orders_per_status_each_linking_to_the_list(shop, user):
    html = logged_in(user).get("/").content.decode()
    cards = re.findall(
        r'<a class="pb-card[^"]*" href="([^"]+)"><span class="pb-card-count[^"]*">(\d+)</span> ([^<]+)</a>',
        html,
    )
    assert cards == [
        ("/orders/", "4", "All orders"),
        ("/orders/?status=not_connected", "2", "Not connected"),
        ("/orders/?status=pending_approval", "0", "Pending approval"),
        ("/orders/?status=ready", "0", "Ready for fulfilment"),
        ("/orders/?status=submitted", "0", "Submitted"),
        ("/orders/?status=in_production", "0", "In production"),
        ("/orders/?status=partially_shipped", "0", "Partially shipped"),
        ("/orders/?status=shipped", "1", "Shipped"),
        ("/orders/?status=delivered", "0", "Delivered"),
        ("/orders/?status=failed", "1", "Failed"),
        ("/orders/?status=ignored", "0", "Ignored (nothing to fulfil)"),
        ("/orders/?status=cancelled", "0", "Cancelled"),
    ]
    assert '<a class="pb-card pb-card-alert" href="/orders/?status=not_connected">' in html


def test_the_backlog_chart_is_an_accessible_svg_with_a_table_of_the_numbers(shop, user):
    html = logged_in(user).get("/").content.decode()
    today = timezone.localdate()
    first = today - 29 * DAY
    assert 'role="img" aria-labelledby="backlog-title backlog-desc"' in html
    assert '<title id="backlog-title">Not connected orders over the last 30 days</title>' in html
    assert (
        '<desc id="backlog-desc">Orders waiting for a Connect or Ignore at the end of each day from '
        f"{first:%-d %b %Y} to today ({today:%-d %b %Y}). Now: 2. Highest: 2 on {today - 5 * DAY:%-d %b}.</desc>"
    ) in html
    assert html.count('<rect class="pb-bar') == 30
    rows = re.findall(r'<tr><td>([^<]+)</td><td class="pb-num">(\d+)</td></tr>', html)
    assert len(rows) == 30
    assert [int(n) for _, n in rows[-8:]] == [0, 1, 2, 0, 1, 1, 2, 2]
    assert rows[-1] == (f"Today ({today:%a %-d %b})", "2")


def test_variants_blocking_orders_most_blocked_first_with_their_value(shop, user):
    html = logged_in(user).get("/").content.decode()
    section = html[html.index('id="blocking-title"') : html.index('id="action-title"')]
    rows = re.findall(
        r'<td><a href="/resolve/variant/\?store=(\d+)&amp;variant=([^"]+)">([^<]+)</a><br><small>variant [^<]+</small></td>\s*'
        r'<td>([^<]+)<br><small>product ([^<]+)</small></td>\s*<td class="pb-num">(\d+)</td>\s*<td class="pb-num">([\d.]+)</td>',
        section,
    )
    store_id = str(shop.store_id)
    assert rows == [
        (store_id, "tshirt-xl", "TSHIRT-XL", "Classic T-shirt", "tshirt", "2", "30.00"),
        (store_id, "mug-red", "MUG-RED", "Mug", "mug", "1", "10.00"),
    ]
    assert '<a href="/resolve/">Resolve by variant: every blocking variant</a>' in section


def test_needs_action_lists_refused_orders_the_longest_waiting_and_store_problems(shop, user, account, actor):
    bc = create_store(account, "BC shop", "bigcommerce", actor).store
    BigCommerceConnection.objects.create(
        store=bc,
        store_hash="abc123",
        api_base_url="https://api.bigcommerce.com/stores/abc123",
        access_token_encrypted="x",
        webhook_secret_encrypted="x",
        public_id="pub-1",
        hooks_checked_at=timezone.now(),
        alert="BigCommerce had deactivated 1 webhook(s) (store/order/created)",
    )
    html = logged_in(user).get("/").content.decode()
    section = html[html.index('id="action-title"') :]
    refused = Order.objects.get(number="1003")
    assert '<h3 id="failed-title">Refused by the provider (1)</h3>' in section
    assert f'<a href="/orders/{refused.pk}/">Order #1003</a> · Shop · failed 2' in section
    assert '<small class="error">Product uid poster-a2 is unknown</small>' in section
    assert '<h3 id="waiting-title">Waiting longest (2 Not connected)</h3>' in section
    waiting = re.findall(
        r'<a href="/orders/\d+/">Order #(\d+)</a> · Shop · waiting [^·]+ · (\d+) items? not connected',
        section,
    )
    assert waiting == [("1001", "1"), ("1002", "2")]
    assert (
        '<li><a href="/stores/">BC shop</a>: BigCommerce had deactivated 1 webhook(s) (store/order/created)</li>'
        in section
    )


def test_a_retried_failure_no_longer_needs_action(shop, user):
    refused = Submission.objects.get()
    retry = Submission.objects.create(
        store=refused.store,
        order=refused.order,
        generation=2,
        idempotency_key="pb-retry",
        available_at=timezone.now(),
    )
    Submission.objects.filter(pk=refused.pk).update(retried_as=retry)
    html = logged_in(user).get("/").content.decode()
    assert '<h3 id="failed-title">Refused by the provider (0)</h3>\n  <p>No order was refused.</p>' in html


def test_another_accounts_data_never_shows(shop, user, other_account):
    theirs, their_user, their_store = other_account
    update_settings(theirs.pk, their_store.pk, {"import_not_connected": True}, events.SYSTEM)
    secret = _held(their_store, "S-1", item("1", "secret-variant", name="Secret"), at=timezone.now() - DAY)
    _fail(secret, their_store, "their refusal", timezone.now())
    _held(their_store, "S-2", item("1", "secret-variant", name="Secret"), at=timezone.now() - DAY)
    html = logged_in(user).get("/").content.decode()
    assert "SECRET-VARIANT" not in html and "their refusal" not in html and "S-2" not in html
    assert '<span class="pb-card-count">4</span> All orders' in html
    their_html = logged_in(their_user).get("/").content.decode()
    assert '<span class="pb-card-count">2</span> All orders' in their_html
    assert "TSHIRT-XL" not in their_html


def test_the_dashboard_makes_the_same_number_of_queries_for_more_orders(store, user):
    client = logged_in(user)
    now = timezone.now()
    for n in range(1, 7):
        _held(store, str(n), item("1", f"v{n}"), at=now - n * DAY)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    for n in range(7, 20):
        _held(store, str(n), item("1", f"v{n}"), at=now - n * DAY)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_an_empty_account_is_invited_to_connect_a_store(account, user):
    html = logged_in(user).get("/").content.decode()
    assert '<a href="/stores/">Connect a BigCommerce store</a> to start importing orders.' in html
    assert "<p>No order was refused.</p>" in html and "<p>No order is waiting for you.</p>" in html
    assert '<tr><td colspan="4">No variant is blocking an order.</td></tr>' in html


def test_a_user_in_no_account_sees_how_to_get_one(db):
    loner = get_user_model().objects.create_user("loner@example.com", "loner@example.com", "pw")
    client = logged_in(loner)
    response = client.get("/")
    assert response.status_code == 200
    assert "You are not a member of any account yet." in response.content.decode()
    assert client.get("/orders/").status_code == 404
