"""Create a connected product for a BigCommerce store's waiting T-shirt: its sibling variants are read from the
store (every size and colour), each is connected to its exact Gelato product; with publishing, a new product is
created in the store with the same sizes, colours and design, and its variants are connected too."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from printbridge.catalog.connecting import (
    Action,
    ConnectSpec,
    PublishChoice,
    create_connected_product,
    preview,
)
from printbridge.catalog.publishing import StoreUnavailable
from printbridge.ingestion.models import RefreshRequest
from printbridge.ingestion.services.sync import sync_store
from printbridge.orders.errors import InvalidInput
from printbridge.orders.models import Order
from printbridge.routing.models import Connection, Publication
from tests.catalog_connect.conftest import DESIGN_PNG, shirt_uid

SIZES = ("XS", "S", "M", "L", "XL", "2XL", "3XL", "4XL", "5XL")
COLOURS = (("White", "WHT"), ("Black", "BLK"), ("Navy", "NVY"), ("Red", "RED"))
TSHIRT = 111
NEW_PRODUCT = 117  # after the emulator's seeded catalog


def import_orders(emulated, *skus: str) -> list[Order]:
    ids = [emulated.place(sku) for sku in skus]
    emulated.notify(*ids)
    RefreshRequest.objects.update(available_at=timezone.now())
    sync_store(emulated.connection.store_id, "worker-1", sleep=lambda seconds: None)
    return [Order.objects.get(store=emulated.connection.store, external_id=str(i)) for i in ids]


def spec(design, **changes) -> ConnectSpec:
    fields = {
        "product_uid": shirt_uid("m", "white", "4-4"),
        "mapping": {"Size": "GarmentSize", "Colour": "GarmentColor"},
        "designs": {"default": design.pk, "back": design.pk},
        "connect_siblings": True,
    }
    return ConnectSpec(**{**fields, **changes})


@pytest.fixture
def navy_2xl(emulated, gelato):
    [order] = import_orders(emulated, "TS-2XL-NVY")
    assert order.status == "not_connected"
    return order


def catalog_reads(emulated) -> list[tuple[str, str]]:
    return [r for r in emulated.store.requests if "/v3/catalog/" in r[1]]


def test_every_size_and_colour_read_from_the_store_is_connected_to_its_exact_product(
    emulated, navy_2xl, design, account, actor
):
    item = navy_2xl.items.get()
    emulated.store.requests.clear()

    created = create_connected_product(account.pk, navy_2xl.pk, item.pk, spec(design), actor)

    assert catalog_reads(emulated) == [
        ("GET", "/stores/abc123/v3/catalog/variants?product_id%3Ain=111&limit=250&page=1")
    ]
    expected = {
        (f"TS-{size}-{code}", shirt_uid(size, colour.lower(), "4-4"))
        for size in SIZES
        for colour, code in COLOURS
    }
    rows = set(Connection.objects.values_list("sku", "provider_product_uid"))
    assert rows == expected
    assert len(created.connections) == 36
    assert set(Connection.objects.values_list("product_id", flat=True)) == {str(TSHIRT)}
    files = {"default": f"design:{design.pk}", "back": f"design:{design.pk}"}
    assert {tuple(sorted(c.files.items())) for c in Connection.objects.all()} == {
        tuple(sorted(files.items()))
    }
    navy = Connection.objects.get(sku="TS-2XL-NVY")
    assert (navy.label, navy.options) == (
        "Classic T-shirt (Size: 2XL, Colour: Navy)",
        [{"name": "Size", "value": "2XL"}, {"name": "Colour", "value": "Navy"}],
    )
    navy_2xl.refresh_from_db()
    assert navy_2xl.status == "ready"


def test_the_preview_lists_the_variants_in_the_catalogs_size_order(emulated, navy_2xl, design, account):
    plan = preview(account.pk, navy_2xl.pk, navy_2xl.items.get().pk, spec(design))

    assert [v.ref.label for v in plan.variants][:5] == [
        "Classic T-shirt (Size: XS, Colour: White)",
        "Classic T-shirt (Size: XS, Colour: Black)",
        "Classic T-shirt (Size: XS, Colour: Navy)",
        "Classic T-shirt (Size: XS, Colour: Red)",
        "Classic T-shirt (Size: S, Colour: White)",
    ]
    assert [v.ref.sku for v in plan.variants if v.is_item] == ["TS-2XL-NVY"]
    assert {v.action for v in plan.variants} == {Action.CONNECT}
    assert Connection.objects.count() == 0


def test_other_waiting_orders_of_these_variants_are_previewed_then_applied(
    emulated, gelato, design, account, actor
):
    first, red_s, mixed = import_orders(emulated, "TS-2XL-NVY", "TS-S-RED", "TS-M-WHT")
    item = first.items.get()

    plan = preview(account.pk, first.pk, item.pk, spec(design))
    assert [(p.id, str(p.outcome)) for p in plan.waiting.orders] == [
        (red_s.pk, "continues"),
        (mixed.pk, "continues"),
    ]

    created = create_connected_product(
        account.pk, first.pk, item.pk, spec(design, apply_to_waiting=True), actor
    )

    assert (created.applied.continued, created.applied.still_waiting) == (2, 0)
    assert list(Order.objects.filter(pk__in=[red_s.pk, mixed.pk]).values_list("status", flat=True)) == [
        "ready",
        "ready",
    ]


def test_publishing_creates_the_product_in_the_store_and_connects_its_variants(
    emulated, navy_2xl, design, account, actor
):
    choice = PublishChoice("Cat tee", Decimal("25.00"), "CAT", Decimal("0.3"))

    created = create_connected_product(
        account.pk, navy_2xl.pk, navy_2xl.items.get().pk, spec(design, publish=choice), actor
    )

    product = emulated.store.products[NEW_PRODUCT]
    assert (product["name"], product["price"], product["weight"]) == ("Cat tee", 25.0, 0.3)
    skus = [v["sku"] for v in product["variants"]]
    assert skus == [f"CAT-{size}-{colour.upper()}" for size in SIZES for colour, _ in COLOURS]
    [image] = product["images"]
    path = urlsplit(image["image_url"]).path
    assert path.startswith("/media/designs/") and path.endswith("/cat.png")
    served = Client().get(path)
    assert (served.status_code, b"".join(served.streaming_content)) == (200, DESIGN_PNG)
    assert created.published.product_id == NEW_PRODUCT
    published = Connection.objects.filter(product_id=str(NEW_PRODUCT))
    assert published.count() == 36
    assert set(published.values_list("sku", "provider_product_uid")) == {
        (f"CAT-{size}-{colour.upper()}", shirt_uid(size, colour.lower(), "4-4"))
        for size in SIZES
        for colour, _ in COLOURS
    }
    assert {c.files["default"] for c in published} == {f"design:{design.pk}"}
    assert Publication.objects.get().state == "published"
    assert Connection.objects.filter(product_id=str(TSHIRT)).count() == 36


def test_publishing_a_custom_stores_product_is_refused_before_anything_is_written(
    store, gelato, design, account, actor
):
    from tests.catalog_connect.conftest import receive, tee

    o = receive(store, "1001", tee("1", "M"))
    choice = PublishChoice("Cat tee", Decimal("25.00"), "CAT")
    custom = ConnectSpec(shirt_uid("m"), {"Size": "GarmentSize"}, {"default": design.pk}, publish=choice)

    with pytest.raises(InvalidInput) as refused:
        create_connected_product(account.pk, o.pk, o.items.get().pk, custom, actor)

    assert (
        refused.value.message
        == "Publishing creates the product in a BigCommerce store; Shop is a custom store"
    )
    assert (Connection.objects.count(), Publication.objects.count()) == (0, 0)


def test_a_store_that_does_not_list_the_variants_changes_nothing(emulated, navy_2xl, design, account, actor):
    emulated.emulator.faults.fail_next(500, path_contains="/v3/catalog/variants")

    with pytest.raises(StoreUnavailable) as failed:
        create_connected_product(account.pk, navy_2xl.pk, navy_2xl.items.get().pk, spec(design), actor)

    assert failed.value.message == (
        "BigCommerce did not list the variants of Classic T-shirt (Injected fault: the emulator answered with an "
        "error.); try again, or connect this variant only"
    )
    assert failed.value.status_code == 502
    assert Connection.objects.count() == 0
    navy_2xl.refresh_from_db()
    assert navy_2xl.status == "not_connected"
