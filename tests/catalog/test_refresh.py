"""The catalog cache refreshed from the Gelato emulator: exact catalogs, attributes and products, paging,
idempotence, the bound, removed products, the refresh state and its task, and the clear errors."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from printbridge.catalog import selectors
from printbridge.catalog.errors import NO_GELATO_KEY, NoProviderKey, ProviderUnavailable
from printbridge.catalog.models import (
    CatalogAttribute,
    CatalogAttributeValue,
    CatalogProduct,
    CatalogSync,
    ProviderCatalog,
)
from printbridge.catalog.services import refresh_catalog, request_refresh
from printbridge.orders.errors import NotFound
from printbridge.orders.models import OrderEvent
from tests.catalog.conftest import calls

COUNTS = {"canvas": 12, "mugs": 4, "posters": 16, "t-shirts": 72}
POSTER_A3 = "flat_product_pf_a3_pt_200-gsm-uncoated_cl_4-0_ct_none_prt_none_sft_none_set_none_ver"
SEARCH = "POST /v3/catalogs/{}/products:search"


def catalog_rows(account) -> dict[str, tuple[str, int, bool]]:
    rows = ProviderCatalog.objects.filter(account=account, removed_at__isnull=True)
    return {c.catalog_uid: (c.title, c.product_count, c.truncated) for c in rows}


def test_a_full_refresh_caches_every_catalog_attribute_and_product(account, gelato):
    result = refresh_catalog(account)

    assert (result.catalogs, result.products, result.truncated) == (4, 104, ())
    assert catalog_rows(account) == {
        "canvas": ("Canvas (wall art)", 12, False),
        "mugs": ("Mugs", 4, False),
        "posters": ("Posters", 16, False),
        "t-shirts": ("T-shirts", 72, False),
    }
    assert CatalogProduct.objects.filter(account=account).count() == 104
    posters = ProviderCatalog.objects.get(catalog_uid="posters")
    assert [(a.uid, a.title) for a in posters.attributes.all()] == [
        ("PaperFormat", "Paper format"),
        ("PaperType", "Paper type"),
        ("ColorType", "Color type"),
        ("CoatingType", "Coating type"),
        ("ProtectionType", "Protection type"),
        ("SpotFinishingType", "Spot finishing type"),
        ("Orientation", "Orientation"),
    ]
    orientation = posters.attributes.get(uid="Orientation")
    assert [(v.uid, v.title) for v in orientation.values.all()] == [("hor", "Landscape"), ("ver", "Portrait")]


def test_a_product_row_keeps_attributes_weight_and_dimensions(account, gelato):
    refresh_catalog(account)

    poster = CatalogProduct.objects.get(product_uid=POSTER_A3)
    assert poster.catalog.catalog_uid == "posters"
    assert poster.attributes == {
        "PaperFormat": "A3",
        "PaperType": "200-gsm-uncoated",
        "ColorType": "4-0",
        "CoatingType": "none",
        "ProtectionType": "none",
        "SpotFinishingType": "none",
        "Orientation": "ver",
    }
    assert (poster.weight, poster.weight_unit) == (Decimal("24.9480"), "grams")
    assert poster.dimensions == {
        "Thickness": {"value": "0.24", "unit": "mm"},
        "Width": {"value": "297.0", "unit": "mm"},
        "Height": {"value": "420.0", "unit": "mm"},
    }
    assert (poster.supported_countries, poster.details_fetched_at, poster.removed_at) == (None, None, None)
    assert "portrait" in poster.search_text and "a3" in poster.search_text


def test_the_refresh_pages_through_products_100_at_a_time(account, gelato):
    refresh_catalog(account)

    shirts = [path for method, path in calls(gelato) if path == "/v3/catalogs/t-shirts/products:search"]
    assert calls(gelato)[:3] == [
        ("GET", "/v3/catalogs"),
        ("POST", "/v3/catalogs/t-shirts/products:search"),
        ("GET", "/v3/catalogs/t-shirts"),
    ]
    assert len(shirts) == 1  # 72 products: one short page
    assert len(calls(gelato)) == 1 + 4 * 2  # the list, then per catalog one page and its detail


def test_a_small_page_size_still_reads_every_page(account, gelato, monkeypatch):
    from printbridge.catalog.services import catalog as catalog_service

    monkeypatch.setattr(catalog_service, "PAGE_SIZE", 10)
    refresh_catalog(account, "t-shirts")

    pages = [path for _m, path in calls(gelato) if path.endswith("products:search")]
    assert (len(pages), catalog_rows(account)) == (8, {"t-shirts": ("T-shirts", 72, False)})


def test_refreshing_twice_leaves_the_same_rows(account, gelato):
    refresh_catalog(account)
    first = list(CatalogProduct.objects.order_by("pk").values_list("pk", "product_uid"))

    refresh_catalog(account)

    assert list(CatalogProduct.objects.order_by("pk").values_list("pk", "product_uid")) == first
    assert (ProviderCatalog.objects.count(), CatalogAttribute.objects.count()) == (4, 7 + 7 + 4 + 3)
    assert CatalogAttributeValue.objects.count() == 19 + 12 + 8 + 5  # t-shirts, posters, canvas, mugs


def test_one_catalog_can_be_refreshed_alone(account, gelato):
    result = refresh_catalog(account, "mugs")

    assert (result.catalogs, result.products) == (1, 4)
    assert catalog_rows(account) == {"mugs": ("Mugs", 4, False)}
    assert calls(gelato) == [
        ("GET", "/v3/catalogs"),
        ("POST", "/v3/catalogs/mugs/products:search"),
        ("GET", "/v3/catalogs/mugs"),
    ]


def test_the_bound_cuts_a_catalog_and_says_so(account, gelato, settings):
    settings.CATALOG_REFRESH_MAX_PRODUCTS = 50

    result = refresh_catalog(account, "t-shirts")

    assert (result.products, result.truncated) == (50, ("t-shirts",))
    assert catalog_rows(account) == {"t-shirts": ("T-shirts", 50, True)}
    sync = CatalogSync.objects.get(account=account)
    assert (sync.state, sync.last_error) == ("done", "stopped at the limit in t-shirts")


def test_products_the_provider_no_longer_lists_are_marked_not_deleted(account, gelato):
    refresh_catalog(account, "mugs")
    ghost = CatalogProduct.objects.create(
        account=account,
        catalog=ProviderCatalog.objects.get(catalog_uid="mugs"),
        product_uid="mug_product_discontinued",
        seen_at=timezone.now() - timedelta(days=1),
    )

    refresh_catalog(account, "mugs")

    ghost.refresh_from_db()
    assert ghost.removed_at is not None
    assert catalog_rows(account) == {"mugs": ("Mugs", 4, False)}
    assert [p.product_uid for p in selectors.search(account, "mugs").products] == [
        "mug_product_msz_11-oz_mmat_ceramic-black_cl_4-0",
        "mug_product_msz_11-oz_mmat_ceramic-white_cl_4-0",
        "mug_product_msz_15-oz_mmat_ceramic-black_cl_4-0",
        "mug_product_msz_15-oz_mmat_ceramic-white_cl_4-0",
    ]


def test_the_refresh_records_its_state_and_an_audit_event(account, gelato):
    refresh_catalog(account)

    sync = CatalogSync.objects.get(account=account)
    assert (sync.state, sync.last_error, sync.refreshed_at == sync.finished_at) == ("done", "", True)
    event = OrderEvent.objects.get(type="catalog_refreshed")
    assert (event.account_id, event.store_id, event.actor) == (account.pk, None, "catalog")
    assert (event.message, event.parameters) == (
        "Catalog refreshed: 4 catalogs, 104 products",
        {"catalogs": 4, "products": 104},
    )


def test_without_a_gelato_key_the_refresh_says_what_to_do(account, actor):
    with pytest.raises(NoProviderKey) as refused:
        request_refresh(account, actor)

    assert (refused.value.message, refused.value.status_code) == (NO_GELATO_KEY, 409)
    assert NO_GELATO_KEY == "Add your Gelato API key in Settings first"
    assert (CatalogSync.objects.count(), OrderEvent.objects.filter(type__startswith="catalog").count()) == (
        0,
        0,
    )


def test_gelato_down_fails_the_refresh_visibly_and_keeps_the_cache(account, gelato):
    refresh_catalog(account, "mugs")
    gelato.faults.outage(5)

    with pytest.raises(ProviderUnavailable) as failed:
        refresh_catalog(account)

    assert failed.value.message.startswith("Gelato could not be reached: ")
    sync = CatalogSync.objects.get(account=account)
    assert (sync.state, sync.last_error) == ("failed", failed.value.message)
    assert (
        OrderEvent.objects.get(type="catalog_refresh_failed").message
        == f"Catalog refresh failed: {sync.last_error}"
    )
    assert catalog_rows(account) == {"mugs": ("Mugs", 4, False)}


def test_an_unknown_catalog_is_not_found(account, gelato):
    with pytest.raises(NotFound) as missing:
        refresh_catalog(account, "stickers")

    assert missing.value.message == "Gelato has no catalog 'stickers'"
    assert CatalogSync.objects.get(account=account).state == "failed"


def test_request_refresh_queues_the_task_which_refreshes_after_commit(
    account, actor, gelato, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        sync = request_refresh(account, actor, "posters")

    assert (len(queued), sync.state, sync.catalog_uid, sync.requested_by) == (
        1,
        "queued",
        "posters",
        actor.user,
    )
    assert CatalogSync.objects.get(account=account).state == "done"
    assert catalog_rows(account) == {"posters": ("Posters", 16, False)}
    requested = OrderEvent.objects.get(type="catalog_refresh_requested")
    assert (requested.actor, requested.message) == (
        "ana@example.com",
        "Refresh of the posters catalog requested",
    )


def test_a_second_request_while_one_is_queued_queues_nothing(
    account, actor, gelato, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = request_refresh(account, actor)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        second = request_refresh(account, actor)

    assert (first.pk, second.pk, second.state, queued) == (first.pk, first.pk, "queued", [])
    assert OrderEvent.objects.filter(type="catalog_refresh_requested").count() == 1


def test_a_refresh_queued_too_long_ago_is_taken_as_lost_and_queued_again(
    account, actor, gelato, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        request_refresh(account, actor)
    CatalogSync.objects.update(requested_at=timezone.now() - timedelta(minutes=16))

    with django_capture_on_commit_callbacks(execute=False) as queued:
        request_refresh(account, actor)

    assert len(queued) == 1
    assert OrderEvent.objects.filter(type="catalog_refresh_requested").count() == 2


def test_the_task_reports_a_failure_instead_of_raising(account, gelato):
    from printbridge.jobs.tasks import refresh_catalog_task

    gelato.faults.outage(5)
    result = refresh_catalog_task.enqueue(account.pk, "")

    assert result.return_value["error"].startswith("Gelato could not be reached: ")
    assert CatalogSync.objects.get(account=account).state == "failed"


def test_staleness_follows_the_setting(settings):
    now = timezone.now()
    settings.CATALOG_STALE_AFTER_HOURS = 24

    assert [
        selectors.is_stale(t, now) for t in (None, now - timedelta(hours=23), now - timedelta(hours=25))
    ] == [
        True,
        False,
        True,
    ]
