"""Connecting a BigCommerce store, its webhooks' health, reconciliation and backfill, against the emulator."""

from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection as db
from django.utils import timezone

from printbridge.ingestion.services.stores import backfill, check_hooks, connect_bigcommerce, reconcile_store
from printbridge.integrations.bigcommerce.webhooks import SUBSCRIBED_SCOPES
from printbridge.orders.errors import InvalidInput
from printbridge.orders.models import Order, OrderEvent
from printbridge.stores import crypto
from printbridge.stores.models import BigCommerceConnection, Store
from tests.ingestion.emulated import HASH, TOKEN


def test_connecting_saves_the_store_encrypts_the_token_and_registers_every_webhook(emulated):
    c = BigCommerceConnection.objects.select_related("store").get()
    assert (c.store.name, c.store.platform, c.store_name, c.currency) == (
        "Emulated shop",
        "bigcommerce",
        "Emulated shop",
        "USD",
    )
    assert crypto.decrypt(c.access_token_encrypted) == TOKEN
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT access_token_encrypted, webhook_secret_encrypted FROM stores_bigcommerceconnection"
        )
        assert TOKEN not in " ".join(cursor.fetchone())
    hooks = list(emulated.store.hooks.values())
    secret = crypto.decrypt(c.webhook_secret_encrypted)
    assert sorted(h["scope"] for h in hooks) == sorted(SUBSCRIBED_SCOPES)
    assert {h["destination"] for h in hooks} == {f"http://127.0.0.1:9/webhooks/bigcommerce/{c.public_id}"}
    assert all(h["headers"] == {"X-Printbridge-Secret": secret} and h["is_active"] for h in hooks)
    assert list(OrderEvent.objects.filter(type="store_connected").values_list("message", flat=True)) == [
        f"BigCommerce store Emulated shop ({HASH}) connected"
    ]


def test_a_refused_token_changes_nothing(emulated, account, actor):
    base = emulated.emulator.api_url(HASH).rsplit("/stores/", 1)[0]
    stores_before = Store.objects.count()
    with pytest.raises(InvalidInput, match="BigCommerce refused these credentials"):
        connect_bigcommerce(account, HASH, "wrong-token", actor, api_url=base)
    assert Store.objects.count() == stores_before
    assert crypto.decrypt(BigCommerceConnection.objects.get().access_token_encrypted) == TOKEN


def test_reconnecting_the_same_store_keeps_one_store_and_its_hooks(emulated, account, actor):
    base = emulated.emulator.api_url(HASH).rsplit("/stores/", 1)[0]
    result = connect_bigcommerce(account, HASH, TOKEN, actor, api_url=base)
    assert (result.hooks_registered, Store.objects.filter(platform="bigcommerce").count()) == (0, 1)
    assert len(emulated.store.hooks) == len(SUBSCRIBED_SCOPES)


def test_another_account_cannot_take_over_a_connected_store(emulated, other_account):
    account, user, _ = other_account
    from printbridge.orders import events

    base = emulated.emulator.api_url(HASH).rsplit("/stores/", 1)[0]
    with pytest.raises(InvalidInput, match="connected to another account"):
        connect_bigcommerce(account, HASH, TOKEN, events.Actor.for_user(user), api_url=base)


def test_reconciliation_finds_orders_whose_webhooks_never_came_and_advances_the_watermark(emulated):
    ids = [emulated.place("MUG-11-BLK") for _ in range(3)]
    report = reconcile_store(emulated.connection.store_id, "worker-1")
    assert report.outcomes == {"created": 3}
    assert sorted(Order.objects.values_list("external_id", flat=True)) == sorted(str(i) for i in ids)
    c = BigCommerceConnection.objects.get()
    newest = max(parsedate_to_datetime(emulated.store.order(i)["date_modified"]) for i in ids)
    assert newest <= c.watermark <= timezone.now()  # the store's clock when it answered the first page
    assert reconcile_store(emulated.connection.store_id, "worker-1").outcomes == {"unchanged": 3}


def test_reconciliation_does_not_list_a_past_burst_again_and_again(emulated):
    ids = [emulated.place("MUG-11-BLK") for _ in range(3)]
    assert reconcile_store(emulated.connection.store_id, "worker-1").outcomes == {"created": 3}
    ten_minutes_ago = format_datetime(timezone.now() - timedelta(minutes=10), usegmt=True)
    for order_id in ids:  # as if the burst was ten minutes before that run
        emulated.store.orders[order_id]["date_modified"] = ten_minutes_ago.replace("GMT", "+0000")
    before = len(emulated.api_calls())
    report = reconcile_store(emulated.connection.store_id, "worker-1")
    assert (report.outcomes, len(emulated.api_calls()) - before) == ({}, 1)  # one empty page


def test_the_health_check_re_enables_a_deactivated_hook_and_alerts_the_merchant(emulated):
    hook = next(h for h in emulated.store.hooks.values() if h["scope"] == "store/order/created")
    hook["is_active"] = False
    assert check_hooks(emulated.connection.store_id) == 1
    assert hook["is_active"] is True
    c = BigCommerceConnection.objects.get()
    assert c.alert.startswith("BigCommerce had deactivated 1 webhook(s) (store/order/created); re-enabled")
    assert OrderEvent.objects.filter(type="store_alert").count() == 1


def test_backfill_imports_history_with_progress(emulated):
    ids = [emulated.place("TS-S-RED") for _ in range(4)]
    pages = []
    report = backfill(emulated.connection.store_id, timezone.now() - timedelta(days=30), "cli", pages.append)
    assert (report.outcomes, pages) == ({"created": 4}, [4])
    assert Order.objects.count() == len(ids)


def test_the_backfill_command_prints_its_progress_and_totals(emulated):
    emulated.place("TS-S-RED")
    out = StringIO()
    call_command("backfill", store=emulated.connection.store_id, since="2026-01-01", stdout=out)
    assert "Done: 1 orders read in 1 API calls (created: 1)" in out.getvalue()


def test_the_connect_command_reads_the_token_from_a_file(emulated, account, tmp_path, other_account):
    other, _, _ = other_account
    store = emulated.emulator.add_store(store_hash="def456", access_token="tok-2", plan="pro", name="Second")
    token_file = tmp_path / "token"
    token_file.write_text("tok-2\n")
    base = emulated.emulator.api_url("def456").rsplit("/stores/", 1)[0]
    out = StringIO()
    call_command(
        "connect_bigcommerce",
        account=other.pk,
        store_hash="def456",
        token_file=str(token_file),
        api_url=base,
        stdout=out,
    )
    assert out.getvalue().splitlines()[0].startswith("Connected Second (def456) as store ")
    assert len(store.hooks) == len(SUBSCRIBED_SCOPES)
