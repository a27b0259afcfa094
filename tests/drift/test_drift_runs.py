"""Running catalog checks in the store's sync: batched reads through StoreCalls, a store that fails is retried
later (never dropped silently), and the scheduler finds stores with due checks."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from printbridge.catalog.publish_spec import PublishSpec, VariantSpec
from printbridge.catalog.publishing import publish_product
from printbridge.ingestion.services.scheduling import stores_with_due_work
from printbridge.ingestion.services.sync import sync_store
from printbridge.routing import drift
from printbridge.routing.models import CatalogCheck, Connection
from printbridge.stores.models import BigCommerceConnection
from tests.drift.conftest import PRODUCT_ID, SMALL

sleeps: list[float] = []


def run(emulated):
    return sync_store(emulated.connection.store_id, "worker-1", sleep=sleeps.append)


def test_a_failing_read_leaves_the_checks_pending_with_a_backoff_and_the_next_run_finishes_them(
    emulated, published
):
    store_id = emulated.connection.store_id
    emulated.store.update_variant(PRODUCT_ID, SMALL, {"sku": "CAT-S-RED-2"})
    drift.request_checks(store_id, ["117"], CatalogCheck.Reason.WEBHOOK)
    emulated.emulator.faults.fail_next(403, path_contains="/v3/catalog/products?")

    report = run(emulated)

    check = CatalogCheck.objects.get()
    assert (check.state, check.attempts) == ("pending", 1)
    assert (
        check.last_error
        == "HTTP 403 GET /v3/catalog/products: Injected fault: the emulator answered with an error."
    )
    assert check.available_at > timezone.now()
    assert report.outcomes == {}
    assert BigCommerceConnection.objects.get(store_id=store_id).last_error == check.last_error
    assert Connection.objects.filter(needs_review=True).count() == 0
    assert stores_with_due_work() == []

    CatalogCheck.objects.update(available_at=timezone.now() - timedelta(seconds=1))
    assert stores_with_due_work() == [store_id]
    report = run(emulated)

    assert report.outcomes == {"catalog_checked": 1, "connections_flagged": 1}
    assert list(CatalogCheck.objects.values_list("state", "last_error")) == [("done", "")]
    assert list(Connection.objects.filter(needs_review=True).values_list("variant_id", flat=True)) == ["252"]


def test_checks_of_many_products_are_read_fifty_at_a_time(emulated, actor):
    store_id = emulated.connection.store_id
    for number in range(60):
        spec = PublishSpec(f"Poster {number}", 10, 1, (VariantSpec(f"POSTER-{number}", "poster_a3"),))
        publish_product(emulated.connection.store, spec, actor)
    drift.request_checks(store_id, [str(pid) for pid in range(117, 177)], CatalogCheck.Reason.PERIODIC)
    before = len(emulated.store.requests)

    report = run(emulated)

    reads = [path for _, path in emulated.store.requests[before:] if "/v3/catalog/products?" in path]
    assert len(reads) == 2
    assert reads[0].count("%2C") == 49 and reads[1].count("%2C") == 9
    assert report.outcomes == {"catalog_checked": 1}
    assert CatalogCheck.objects.filter(state="done").count() == 60
    assert Connection.objects.filter(needs_review=True).count() == 0


def test_a_check_of_a_product_no_longer_connected_costs_no_call(emulated, published):
    Connection.objects.update(disconnected_at=timezone.now())
    drift.request_checks(emulated.connection.store_id, ["117"], CatalogCheck.Reason.WEBHOOK)
    before = len(emulated.store.requests)

    run(emulated)

    assert [r for r in emulated.store.requests[before:] if "/v3/catalog/" in r[1]] == []
    assert list(CatalogCheck.objects.values_list("state", flat=True)) == ["done"]
