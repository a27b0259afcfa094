"""Publish: the product, its options, variants and image are created in the BigCommerce emulator and every
variant is connected; a refusal creates nothing; a retry adopts what an unanswered try created."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from printbridge.catalog.publish_spec import PublishSpec, VariantSpec
from printbridge.catalog.publishing import StoreUnavailable, publish_product
from printbridge.orders.errors import Conflict, InvalidInput
from printbridge.orders.models import OrderEvent
from printbridge.routing.models import Connection, Publication
from tests.publishing.conftest import CAT_M, CAT_S, FIRST_PRODUCT_ID, catalog_calls

SEEDED = [111, 112, 113, 114, 115, 116]
HASH = "/stores/abc123"


def option_values(variant: dict) -> list[tuple[str, str]]:
    return [(v["option_display_name"], v["label"]) for v in variant["option_values"]]


def connection_rows(store) -> list[tuple]:
    fields = ("product_id", "variant_id", "sku", "label", "provider_product_uid", "files", "options")
    return list(Connection.objects.filter(store=store).order_by("pk").values_list(*fields))


def event_types(store) -> list[str]:
    """The store's audit events after it was connected and set up (store_connected, settings_changed)."""
    setup = ("store_connected", "settings_changed")
    return list(
        OrderEvent.objects.filter(store=store)
        .exclude(type__in=setup)
        .order_by("pk")
        .values_list("type", flat=True)
    )


EXPECTED_CONNECTIONS = [
    (
        "117",
        "252",
        "CAT-S-RED",
        "Cat tee (Size: S, Colour: Red)",
        "apparel_cat_s",
        {"front": "https://designs.example.com/cat-s.png"},
        [{"name": "Size", "value": "S"}, {"name": "Colour", "value": "Red"}],
    ),
    (
        "117",
        "253",
        "CAT-M-RED",
        "Cat tee (Size: M, Colour: Red)",
        "apparel_cat_m",
        {"front": "https://designs.example.com/cat-m.png"},
        [{"name": "Size", "value": "M"}, {"name": "Colour", "value": "Red"}],
    ),
]


def test_publish_creates_the_product_with_options_variants_and_image_and_connects_each_variant(
    emulated, cat_tee, actor
):
    store = emulated.connection.store

    result = publish_product(store, cat_tee, actor)

    assert (result.product_id, result.variant_ids, result.image_id, result.adopted) == (
        FIRST_PRODUCT_ID,
        {"CAT-S-RED": 252, "CAT-M-RED": 253},
        1,
        False,
    )
    product = emulated.store.products[FIRST_PRODUCT_ID]
    assert (product["name"], product["type"], product["price"], product["weight"]) == (
        "Cat tee",
        "physical",
        19.0,
        6.0,
    )
    assert [(o["display_name"], [v["label"] for v in o["option_values"]]) for o in product["options"]] == [
        ("Size", ["S", "M"]),
        ("Colour", ["Red"]),
    ]
    assert [(v["id"], v["sku"], v["price"], option_values(v)) for v in product["variants"]] == [
        (252, "CAT-S-RED", 19.0, [("Size", "S"), ("Colour", "Red")]),
        (253, "CAT-M-RED", 21.0, [("Size", "M"), ("Colour", "Red")]),
    ]
    assert [(i["id"], i["image_url"], i["is_thumbnail"]) for i in product["images"]] == [
        (1, "https://designs.example.com/cat-mockup.png", True)
    ]
    assert connection_rows(store) == EXPECTED_CONNECTIONS
    assert [c.pk for c in result.connections] == list(
        Connection.objects.order_by("pk").values_list("pk", flat=True)
    )
    publication = Publication.objects.get()
    assert (publication.state, publication.store_product_id, publication.store_image_id) == (
        "published",
        "117",
        "1",
    )
    assert (publication.variant_ids, publication.attempts, publication.create_sent) == (
        {"CAT-S-RED": 252, "CAT-M-RED": 253},
        1,
        False,
    )
    assert event_types(store) == [
        "store_product_created",
        "connection_created",
        "connection_created",
        "product_published",
    ]
    assert catalog_calls(emulated) == [
        ("POST", f"{HASH}/v3/catalog/products"),
        ("GET", f"{HASH}/v3/catalog/products/117?include=variants"),
        ("POST", f"{HASH}/v3/catalog/products/117/images"),
    ]


def test_a_single_variant_without_options_is_the_products_base_variant(emulated, actor):
    spec = PublishSpec(
        "Cat poster",
        Decimal("12.50"),
        Decimal("3"),
        (VariantSpec("POSTER-CAT", "poster_a3", {"default": "https://d.example.com/p.png"}),),
    )

    result = publish_product(emulated.connection.store, spec, actor)

    product = emulated.store.products[result.product_id]
    assert (product["sku"], product["base_variant_id"], product["options"]) == ("POSTER-CAT", 252, [])
    assert [(v["id"], v["sku"], v["price"]) for v in product["variants"]] == [(252, "POSTER-CAT", 12.5)]
    assert (result.variant_ids, result.image_id) == ({"POSTER-CAT": 252}, None)
    assert list(Connection.objects.values_list("variant_id", "sku", "label", "options")) == [
        ("252", "POSTER-CAT", "Cat poster", [])
    ]


def test_a_sku_the_store_already_uses_is_refused_in_bigcommerces_words_and_nothing_is_created(
    emulated, cat_tee, actor
):
    store = emulated.connection.store
    spec = dataclasses.replace(cat_tee, variants=(CAT_S, dataclasses.replace(CAT_M, sku="TS-M-WHT")))

    with pytest.raises(InvalidInput) as refused:
        publish_product(store, spec, actor)

    publication = Publication.objects.get()
    assert refused.value.message == (
        'BigCommerce refused the product: The SKU is a duplicate {"sku": "\'TS-M-WHT\' is already used"}; '
        "nothing was created"
    )
    assert refused.value.details == {"field": "variants", "publication_id": publication.pk}
    assert sorted(emulated.store.products) == SEEDED
    assert Connection.objects.count() == 0
    assert (publication.state, publication.store_product_id, publication.create_sent) == ("failed", "", False)
    assert publication.last_error == (
        'HTTP 409 POST /v3/catalog/products: The SKU is a duplicate {"sku": "\'TS-M-WHT\' is already used"}'
    )
    assert event_types(store) == ["product_publish_failed"]


def test_a_product_name_the_store_already_uses_is_refused(emulated, cat_tee, actor):
    spec = dataclasses.replace(cat_tee, name="Classic T-shirt")

    with pytest.raises(InvalidInput) as refused:
        publish_product(emulated.connection.store, spec, actor)

    assert refused.value.message == (
        "BigCommerce refused the product: The product name is a duplicate "
        '{"name": "\'Classic T-shirt\' is already used"}; nothing was created'
    )
    assert refused.value.details["field"] == "name"
    assert sorted(emulated.store.products) == SEEDED


def test_a_create_that_got_no_answer_is_adopted_by_sku_on_the_retry_never_created_twice(
    emulated, cat_tee, actor
):
    store = emulated.connection.store
    emulated.emulator.faults.fail_next(500, path_contains="/v3/catalog/products", after_effect=True)

    with pytest.raises(StoreUnavailable) as unanswered:
        publish_product(store, cat_tee, actor)

    publication = Publication.objects.get()
    assert unanswered.value.status_code == 502
    assert unanswered.value.message == (
        "BigCommerce did not answer (Injected fault: the emulator answered with an error.). Publish again: "
        "the product is looked up by SKU first and never created twice"
    )
    assert (publication.state, publication.create_sent, publication.store_product_id) == ("pending", True, "")
    assert sorted(emulated.store.products) == [*SEEDED, 117]
    assert Connection.objects.count() == 0
    before = len(emulated.store.requests)

    result = publish_product(store, cat_tee, actor)

    assert (result.product_id, result.adopted, result.variant_ids) == (
        117,
        True,
        {"CAT-S-RED": 252, "CAT-M-RED": 253},
    )
    assert sorted(emulated.store.products) == [*SEEDED, 117]
    assert [p["name"] for p in emulated.store.products.values()].count("Cat tee") == 1
    assert connection_rows(store) == EXPECTED_CONNECTIONS
    assert [r for r in emulated.store.requests[before:] if "/v3/catalog/" in r[1]] == [
        ("GET", f"{HASH}/v3/catalog/variants?sku=CAT-S-RED&limit=250&page=1"),
        ("GET", f"{HASH}/v3/catalog/products/117?include=variants"),
        ("POST", f"{HASH}/v3/catalog/products/117/images"),
    ]
    publication.refresh_from_db()
    assert (publication.state, publication.attempts, publication.create_sent) == ("published", 2, False)
    assert event_types(store) == [
        "product_publish_failed",
        "store_product_created",
        "connection_created",
        "connection_created",
        "product_published",
    ]
    assert OrderEvent.objects.get(type="store_product_created").parameters["adopted"] is True


def test_an_image_refused_after_the_product_was_created_keeps_the_product_and_the_retry_continues(
    emulated, cat_tee, actor
):
    store = emulated.connection.store
    emulated.emulator.faults.fail_next(400, path_contains="/images")

    with pytest.raises(InvalidInput) as refused:
        publish_product(store, cat_tee, actor)

    publication = Publication.objects.get()
    assert (
        refused.value.message
        == "BigCommerce refused the image: Injected fault: the emulator answered with an error."
    )
    assert refused.value.details == {"field": "image_url", "publication_id": publication.pk}
    assert (publication.state, publication.store_product_id, publication.store_image_id) == (
        "created",
        "117",
        "",
    )
    assert Connection.objects.count() == 0

    result = publish_product(store, cat_tee, actor)

    assert (result.product_id, result.adopted, result.image_id) == (117, True, 1)
    assert sorted(emulated.store.products) == [*SEEDED, 117]
    assert connection_rows(store) == EXPECTED_CONNECTIONS


def test_invalid_specs_are_refused_before_anything_is_sent(emulated, cat_tee, actor):
    store = emulated.connection.store
    twice = dataclasses.replace(cat_tee, variants=(CAT_S, dataclasses.replace(CAT_M, sku="cat-s-red")))
    same_options = dataclasses.replace(
        cat_tee, variants=(CAT_S, dataclasses.replace(CAT_M, options=CAT_S.options))
    )
    unknown_value = dataclasses.replace(
        cat_tee, variants=(CAT_S, dataclasses.replace(CAT_M, options=(("Size", "XL"), ("Colour", "Red"))))
    )
    no_product = dataclasses.replace(
        cat_tee, variants=(dataclasses.replace(CAT_S, provider_product_uid=" "),)
    )
    cases = [
        (twice, "variants.1.sku", "SKU cat-s-red is given twice: every variant needs its own SKU"),
        (same_options, "variants.1.options", "Variant CAT-M-RED: another variant has the same option values"),
        (
            unknown_value,
            "variants.1.options",
            "Variant CAT-M-RED: Size: XL is not one of the option's values",
        ),
        (
            no_product,
            "variants.0.provider_product_uid",
            "Variant CAT-S-RED: choose the fulfilment product it is made from",
        ),
        (dataclasses.replace(cat_tee, name=" "), "name", "Give the product a name of 1 to 250 characters"),
        (
            dataclasses.replace(cat_tee, image_url="file:///etc/passwd"),
            "image_url",
            "The image URL must be an http(s) URL of at most 255 characters",
        ),
    ]
    for spec, field, message in cases:
        with pytest.raises(InvalidInput) as invalid:
            publish_product(store, spec, actor)
        assert (invalid.value.details, invalid.value.message) == ({"field": field}, message)
    assert catalog_calls(emulated) == []
    assert (Publication.objects.count(), Connection.objects.count()) == (0, 0)


def test_publishing_needs_a_connected_bigcommerce_store(store, cat_tee, actor):
    with pytest.raises(Conflict) as refused:
        publish_product(store, cat_tee, actor)

    assert (
        refused.value.message
        == "Publishing creates the product in a BigCommerce store: connect the store first"
    )
    assert Publication.objects.count() == 0


def test_an_api_account_without_the_products_modify_scope_is_told_so(emulated, cat_tee, actor):
    emulated.emulator.faults.fail_next(403, path_contains="/v3/catalog/products")

    with pytest.raises(Conflict) as refused:
        publish_product(emulated.connection.store, cat_tee, actor)

    assert refused.value.message == (
        "The store's API account may not create products (BigCommerce said: Injected fault: the emulator "
        "answered with an error.); give it the Products modify scope"
    )
    assert (Publication.objects.get().state, sorted(emulated.store.products)) == ("failed", SEEDED)


def test_a_publication_another_request_is_working_on_is_a_conflict_and_sends_nothing(
    emulated, cat_tee, actor
):
    publish_product(emulated.connection.store, dataclasses.replace(cat_tee, name="Cat tee"), actor)
    Publication.objects.update(state="created", lease_until=timezone.now() + timedelta(minutes=1))
    before = len(emulated.store.requests)

    with pytest.raises(Conflict) as busy:
        publish_product(emulated.connection.store, cat_tee, actor)

    assert busy.value.message == "This product is being published by another request; try again in a minute"
    assert emulated.store.requests[before:] == []
    assert Publication.objects.get().attempts == 1
