"""Per-store sync against the BigCommerce emulator: range list calls, paid gating, faults, leases."""

from datetime import timedelta

from django.utils import timezone

from printbridge.ingestion.models import RefreshRequest, StoreLease
from printbridge.ingestion.services.sync import id_ranges, sync_store
from printbridge.orders.models import Order
from printbridge.routing.models import Connection

sleeps: list[float] = []


def run(e, holder="worker-1"):
    return sync_store(e.connection.store_id, holder, sleep=sleeps.append)


def make_due():
    RefreshRequest.objects.update(available_at=timezone.now() - timedelta(seconds=1))


def statuses(store_id) -> dict[str, str]:
    return dict(Order.objects.filter(store_id=store_id).values_list("external_id", "status"))


def test_id_ranges_stay_narrower_than_one_page():
    assert id_ranges([100, 101, 349, 350, 1000, 5]) == [(5, 101), (349, 350), (1000, 1000)]


def test_three_hundred_webhooked_orders_are_read_with_two_list_calls(emulated):
    ids = [emulated.place("TS-M-WHT") for _ in range(300)]
    emulated.notify(*ids)
    make_due()
    before = len(emulated.api_calls())
    report = run(emulated)
    calls = emulated.api_calls()[before:]
    assert [path.split("?")[0] for _, path in calls] == ["/stores/abc123/v2/orders"] * 2
    assert report.calls == 2
    assert report.outcomes == {"created": 300}
    assert Order.objects.filter(store=emulated.connection.store).count() == 300
    assert set(RefreshRequest.objects.values_list("state", flat=True)) == {"done"}


def test_a_second_refresh_of_unchanged_orders_writes_nothing(emulated):
    order_id = emulated.place("TS-M-WHT")
    emulated.notify(order_id)
    make_due()
    run(emulated)
    emulated.notify(order_id)
    make_due()
    assert run(emulated).outcomes == {"unchanged": 1}


def test_an_unpaid_order_is_imported_when_it_becomes_paid(emulated):
    order_id = emulated.place("MUG-11-WHT", status_id=7)
    emulated.notify(order_id)
    make_due()
    assert run(emulated).outcomes == {"waiting_for_payment": 1}
    assert statuses(emulated.connection.store_id) == {}
    emulated.store.set_status(order_id, 11)
    emulated.notify(order_id)
    make_due()
    assert run(emulated).outcomes == {"created": 1}
    assert statuses(emulated.connection.store_id) == {str(order_id): "not_connected"}


def test_orders_cancelled_or_archived_before_fulfilment_are_cancelled_here(emulated, account, settings):
    store = emulated.connection.store
    cancelled, archived = emulated.place("CAR-RED"), emulated.place("CAR-BLU")
    emulated.notify(cancelled, archived)
    make_due()
    run(emulated)
    emulated.store.set_status(cancelled, 5)
    emulated.store.archive(archived)
    emulated.notify(cancelled, archived)
    make_due()
    assert run(emulated).outcomes == {"cancelled": 2}
    assert statuses(store.pk) == {str(cancelled): "cancelled", str(archived): "cancelled"}


def test_a_connected_variant_is_classified_from_the_bigcommerce_variant_id(emulated, account):
    product_id, variant_id = emulated.variant("TS-L-BLK")
    Connection.objects.create(
        account=account,
        store=emulated.connection.store,
        product_id=str(product_id),
        variant_id=str(variant_id),
        provider_product_uid="uid-l-black",
    )
    order_id = emulated.place("TS-L-BLK", quantity=2)
    emulated.notify(order_id)
    make_due()
    run(emulated)
    order = Order.objects.get(external_id=str(order_id))
    item = order.items.get()
    assert (order.status, item.state, item.quantity, item.sku) == ("ready", "connected", 2, "TS-L-BLK")
    assert item.options == [{"name": "Size", "value": "L"}, {"name": "Colour", "value": "Black"}]


def test_a_429_blocks_the_store_until_the_reset_then_the_sync_goes_on(emulated):
    order_id = emulated.place("TS-M-WHT")
    emulated.notify(order_id)
    make_due()
    emulated.emulator.faults.rate_limit_next(count=1, reset_ms=1500)
    sleeps.clear()
    report = run(emulated)
    assert report.outcomes == {"created": 1}
    assert report.calls == 2
    assert len(sleeps) == 1 and 1.3 < sleeps[0] <= 1.5
    lease = StoreLease.objects.get(store=emulated.connection.store)
    assert lease.blocked_until is not None


def test_a_500_is_retried_with_backoff_and_nothing_is_lost(emulated):
    order_id = emulated.place("TS-M-WHT")
    emulated.notify(order_id)
    make_due()
    emulated.emulator.faults.fail_next(status=500, count=2)
    sleeps.clear()
    report = run(emulated)
    assert (report.outcomes, report.calls, len(sleeps)) == ({"created": 1}, 3, 2)


def test_an_outage_longer_than_the_retries_keeps_the_refresh_for_later(emulated):
    order_id = emulated.place("TS-M-WHT")
    emulated.notify(order_id)
    make_due()
    emulated.emulator.faults.fail_next(status=503, count=6)
    report = run(emulated)
    assert report.outcomes == {}
    row = RefreshRequest.objects.get()
    assert (row.state, row.attempts, row.last_error.startswith("HTTP 503") or "503" in row.last_error) == (
        "claimed",
        1,
        True,
    )
    emulated.connection.refresh_from_db()
    assert "503" in emulated.connection.last_error
    RefreshRequest.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    assert run(emulated).outcomes == {"created": 1}
    assert list(RefreshRequest.objects.values_list("state", flat=True)) == ["done"]


def test_only_one_worker_syncs_a_store_at_a_time(emulated):
    emulated.notify(emulated.place("TS-M-WHT"))
    make_due()
    StoreLease.objects.update_or_create(
        store=emulated.connection.store,
        defaults={"holder": "worker-2", "lease_until": timezone.now() + timedelta(seconds=30)},
    )
    before = len(emulated.store.requests)
    assert run(emulated, holder="worker-1") is None
    assert len(emulated.store.requests) == before
    assert list(RefreshRequest.objects.values_list("state", flat=True)) == ["pending"]


def test_refreshes_left_claimed_by_a_dead_worker_are_taken_over_after_their_lease(emulated):
    order_id = emulated.place("TS-M-WHT")
    emulated.notify(order_id)
    RefreshRequest.objects.update(state="claimed", lease_until=timezone.now() - timedelta(seconds=1))
    assert run(emulated).outcomes == {"created": 1}
    assert list(RefreshRequest.objects.values_list("state", flat=True)) == ["done"]


def test_an_order_of_sixty_lines_is_read_in_full_through_the_products_fallback(emulated, account):
    skus = [
        v["sku"]
        for p in emulated.store.products.values()
        for v in p["variants"]
        if v["sku"].startswith("TS-")
    ]
    lines = [(*emulated.variant(sku), 1) for sku in skus[:36]] + [
        (*emulated.variant(sku), 1) for sku in skus[:24]
    ]
    order_id = emulated.store.place_order(lines)
    emulated.notify(order_id)
    make_due()
    report = run(emulated)
    assert report.outcomes == {"created": 1}
    assert Order.objects.get(external_id=str(order_id)).items.count() == 60
