"""Searching the cached catalog (text, attribute filters, disjunctive facet counts, paging, clear errors) and a
product's detail: supported countries fetched from Gelato on first view, then served from the cache."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from printbridge.catalog import selectors
from printbridge.catalog.errors import ProviderUnavailable
from printbridge.catalog.models import CatalogProduct
from printbridge.catalog.services import product_detail, refresh_catalog, search
from printbridge.orders.errors import InvalidInput, NotFound
from tests.catalog.conftest import calls

SHIRT = "apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic_gsi_{}_gco_{}_gpr_{}"
MUG = "mug_product_msz_11-oz_mmat_ceramic-white_cl_4-0"
SUPPORTED = [
    "AT", "AU", "BE", "BR", "CA", "CH", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IN", "IT", "JP", "MX",
    "NL", "NO", "NZ", "PL", "PT", "SE", "SG", "US", "ZA",
]  # fmt: skip


@pytest.fixture
def cached(account, gelato):
    refresh_catalog(account)
    return gelato


def facet(result, uid: str) -> dict[str, tuple[int, bool]]:
    found = next(f for f in result.facets if f.uid == uid)
    return {v.uid: (v.count, v.selected) for v in found.values}


def test_filters_and_disjunctive_facet_counts(account, cached):
    result = search(account, "t-shirts", filters={"GarmentSize": ["M", "L"], "GarmentColor": ["black"]})

    assert (result.total, [p.product_uid for p in result.products]) == (
        4,
        [SHIRT.format("l", "black", "4-0"), SHIRT.format("l", "black", "4-4"),
         SHIRT.format("m", "black", "4-0"), SHIRT.format("m", "black", "4-4")],
    )  # fmt: skip
    sizes = {s: (2, s in ("M", "L")) for s in ("XS", "S", "M", "L", "XL", "2XL", "3XL", "4XL", "5XL")}
    assert facet(result, "GarmentSize") == sizes  # counts apply the colour filter, not the size filter
    assert facet(result, "GarmentColor") == {
        "white": (4, False),
        "black": (4, True),
        "navy": (4, False),
        "red": (4, False),
    }
    assert facet(result, "GarmentPrint") == {"4-0": (2, False), "4-4": (2, False)}
    assert facet(result, "GarmentCategory") == {"t-shirt": (4, False)}
    assert [f.uid for f in result.facets if f.choosable] == ["GarmentSize", "GarmentColor", "GarmentPrint"]
    titles = [(v.uid, v.title) for v in next(f for f in result.facets if f.uid == "GarmentPrint").values]
    assert titles == [("4-0", "Front print"), ("4-4", "Front and back print")]


def test_text_matches_every_word_in_uids_values_and_titles(account, cached):
    assert search(account, "t-shirts", "Black back").total == 9
    assert search(account, "posters", "portrait").total == 8
    assert [p.product_uid for p in search(account, "posters", "a3 portrait silk").products] == [
        "flat_product_pf_a3_pt_170-gsm-coated-silk_cl_4-0_ct_none_prt_none_sft_none_set_none_ver"
    ]
    assert search(account, "posters", "nothing-like-this").total == 0


def test_paging_through_results_in_product_uid_order(account, cached):
    result = search(account, "t-shirts", limit=10, offset=70)

    assert (result.total, result.limit, result.offset) == (72, 10, 70)
    assert [p.product_uid for p in result.products] == [
        SHIRT.format("xs", "white", "4-0"),
        SHIRT.format("xs", "white", "4-4"),
    ]


def test_a_page_of_results_comes_with_its_catalog_in_one_query(account, cached, django_assert_num_queries):
    result = search(account, "t-shirts", limit=10)

    with django_assert_num_queries(0):
        assert [p.catalog.catalog_uid for p in result.products] == ["t-shirts"] * 10


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"Size": ["M"]}, "The T-shirts catalog has no attribute 'Size'"),
        ({"GarmentSize": ["XXL"]}, "GarmentSize has no value 'XXL' in the T-shirts catalog"),
    ],
)
def test_an_unknown_filter_is_invalid_input(account, cached, filters, message):
    with pytest.raises(InvalidInput) as refused:
        search(account, "t-shirts", filters=filters)

    assert (refused.value.message, refused.value.details) == (message, {"field": "attr"})


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (201, 0), (10, -1)])
def test_a_bad_page_is_invalid_input(account, cached, limit, offset):
    with pytest.raises(InvalidInput) as refused:
        search(account, "mugs", limit=limit, offset=offset)

    assert refused.value.message == "limit must be 1 to 200 and offset at least 0"


def test_filters_are_written_attribute_colon_value():
    assert selectors.parse_filters(
        ["PaperFormat:A3", "PaperFormat:A4", "PaperFormat:A3", " Orientation : ver"]
    ) == {
        "PaperFormat": ["A3", "A4"],
        "Orientation": ["ver"],
    }
    with pytest.raises(InvalidInput) as refused:
        selectors.parse_filters(["PaperFormat"])
    assert refused.value.message == "A filter is written attribute:value, not 'PaperFormat'"


def test_another_accounts_catalog_and_products_are_not_found(account, cached, other_account):
    other = other_account[0]

    with pytest.raises(NotFound):
        search(other, "mugs")
    with pytest.raises(NotFound):
        product_detail(other, MUG)
    assert selectors.catalogs(other) == []


def test_the_first_detail_view_fetches_and_caches_the_countries(account, cached):
    before = len(calls(cached))

    product = product_detail(account, MUG)

    assert calls(cached)[before:] == [("GET", f"/v3/products/{MUG}")]
    stored = CatalogProduct.objects.get(product_uid=MUG)
    expected = [c for c in SUPPORTED if c not in ("BR", "IN", "ZA")]
    assert (stored.supported_countries, stored.not_supported_countries) == (
        expected,
        ["BR", "BY", "CU", "IN", "IR", "KP", "RU", "SY", "ZA"],
    )
    assert (stored.is_printable, stored.is_stockable, product.pk) == (True, False, stored.pk)
    assert stored.details_fetched_at is not None


def test_a_second_view_is_served_from_the_cache(account, cached):
    product_detail(account, MUG)
    before = len(calls(cached))

    again = product_detail(account, MUG)

    assert (calls(cached)[before:], len(again.supported_countries)) == ([], 24)


def test_a_stale_or_refreshed_detail_is_fetched_again(account, cached, settings):
    product_detail(account, MUG)
    before = len(calls(cached))

    product_detail(account, MUG, refresh=True)
    CatalogProduct.objects.filter(product_uid=MUG).update(
        details_fetched_at=timezone.now() - timedelta(hours=25)
    )
    product_detail(account, MUG)

    assert calls(cached)[before:] == [("GET", f"/v3/products/{MUG}")] * 2


def test_a_product_the_catalog_never_listed_is_not_found(account, cached):
    with pytest.raises(NotFound) as missing:
        product_detail(account, "mug_product_unknown")

    assert missing.value.message == "No product 'mug_product_unknown' in the catalog; refresh the catalog"


def test_a_product_gelato_dropped_is_not_found(account, cached):
    CatalogProduct.objects.filter(product_uid=MUG).update(product_uid="mug_product_gone")

    with pytest.raises(NotFound) as missing:
        product_detail(account, "mug_product_gone")

    assert missing.value.message == "Gelato no longer offers mug_product_gone"


def test_gelato_down_on_first_view_caches_nothing(account, cached):
    cached.faults.outage(5)

    with pytest.raises(ProviderUnavailable):
        product_detail(account, MUG)

    assert CatalogProduct.objects.get(product_uid=MUG).supported_countries is None
