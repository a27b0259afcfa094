"""The real BigCommerce client's catalog writes against the emulator: create a product with its variants inline,
add an image by URL, list a product's variants, and BigCommerce's refusals as PermanentError."""

from __future__ import annotations

from decimal import Decimal

import pytest

from printbridge.integrations.bigcommerce.emulator import BigCommerceEmulator, EmulatorConfig
from printbridge.integrations.bigcommerce.payloads import NewProduct, NewVariant, ProductImage, Variant
from printbridge.integrations.errors import PermanentError

CAT_TEE = NewProduct(
    "Cat tee",
    Decimal("19.50"),
    Decimal("6"),
    description="<p>A cat</p>",
    variants=(
        NewVariant("CAT-S-RED", (("Size", "S"), ("Colour", "Red"))),
        NewVariant("CAT-M-RED", (("Size", "M"), ("Colour", "Red")), Decimal("21")),
    ),
)


@pytest.fixture
def emulator():
    emu = BigCommerceEmulator(EmulatorConfig(port=0, seed=1)).start()
    yield emu
    emu.stop()


@pytest.fixture
def store(emulator):
    return emulator.add_store(store_hash="abc123", access_token="token-abc", plan="standard")


@pytest.fixture
def client(emulator, store, connect):
    return connect(emulator.api_url("abc123"))


def test_the_create_body_carries_the_variants_inline():
    assert CAT_TEE.to_json() == {
        "name": "Cat tee",
        "type": "physical",
        "price": 19.5,
        "weight": 6.0,
        "is_visible": True,
        "description": "<p>A cat</p>",
        "variants": [
            {
                "sku": "CAT-S-RED",
                "option_values": [
                    {"option_display_name": "Size", "label": "S"},
                    {"option_display_name": "Colour", "label": "Red"},
                ],
            },
            {
                "sku": "CAT-M-RED",
                "option_values": [
                    {"option_display_name": "Size", "label": "M"},
                    {"option_display_name": "Colour", "label": "Red"},
                ],
                "price": 21.0,
            },
        ],
    }
    assert NewProduct("Poster", Decimal("9"), Decimal("1"), sku="POSTER").to_json() == {
        "name": "Poster",
        "type": "physical",
        "price": 9.0,
        "weight": 1.0,
        "is_visible": True,
        "sku": "POSTER",
    }


def test_create_a_product_then_read_its_variants_and_add_an_image(client, store):
    created = client.create_product(CAT_TEE)

    assert (created.id, created.name, created.variants) == (117, "Cat tee", ())
    variants = [
        Variant(252, 117, "CAT-S-RED", (("Size", "S"), ("Colour", "Red")), Decimal("19.5"), False),
        Variant(253, 117, "CAT-M-RED", (("Size", "M"), ("Colour", "Red")), Decimal("21.0"), False),
    ]
    assert list(client.get_product(117).variants) == variants
    assert client.list_product_variants(117) == variants
    image = client.create_product_image(117, "https://designs.example.com/cat.png")
    standard = "https://cdn.example.com/products/117/images/1/standard.jpg"
    assert image == ProductImage(1, 117, "https://designs.example.com/cat.png", standard, True)
    assert store.requests[-4:] == [
        ("POST", "/stores/abc123/v3/catalog/products"),
        ("GET", "/stores/abc123/v3/catalog/products/117?include=variants"),
        ("GET", "/stores/abc123/v3/catalog/products/117/variants?limit=250&page=1"),
        ("POST", "/stores/abc123/v3/catalog/products/117/images"),
    ]


def test_refusals_are_permanent_errors_in_bigcommerces_words(client, store):
    client.create_product(CAT_TEE)

    with pytest.raises(PermanentError) as duplicate:
        client.create_product(CAT_TEE)
    with pytest.raises(PermanentError) as invalid:
        client.create_product(NewProduct("", Decimal("1"), Decimal("1")))
    with pytest.raises(PermanentError) as missing:
        client.create_product_image(999, "https://designs.example.com/cat.png")

    assert (duplicate.value.status, duplicate.value.detail) == (
        409,
        'The product name is a duplicate {"name": "\'Cat tee\' is already used"}',
    )
    assert (invalid.value.status, invalid.value.detail) == (
        422,
        'JSON data is missing or invalid {"name": "must be a string of 1 to 250 characters"}',
    )
    assert (missing.value.status, missing.value.request) == (404, "POST /v3/catalog/products/999/images")
    assert sorted(store.products) == [111, 112, 113, 114, 115, 116, 117]
