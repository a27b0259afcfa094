"""A BigCommerce emulator store connected to Printbridge (from the ingestion tests), and a product to publish."""

from __future__ import annotations

from decimal import Decimal

import pytest

from printbridge.catalog.publish_spec import PublishSpec, VariantSpec
from tests.ingestion.conftest import _keys  # noqa: F401 - a fresh Fernet key file per test
from tests.ingestion.emulated import emulated  # noqa: F401 - the emulator and its connected store

CAT_S = VariantSpec(
    "CAT-S-RED",
    "apparel_cat_s",
    {"front": "https://designs.example.com/cat-s.png"},
    (("Size", "S"), ("Colour", "Red")),
)
CAT_M = VariantSpec(
    "CAT-M-RED",
    "apparel_cat_m",
    {"front": "https://designs.example.com/cat-m.png"},
    (("Size", "M"), ("Colour", "Red")),
    Decimal("21.00"),
)
CAT_TEE = PublishSpec(
    "Cat tee",
    Decimal("19.00"),
    Decimal("6"),
    (CAT_S, CAT_M),
    options=(("Size", ("S", "M")), ("Colour", ("Red",))),
    image_url="https://designs.example.com/cat-mockup.png",
)
FIRST_PRODUCT_ID, FIRST_VARIANT_ID = 117, 252  # after the emulator's seeded catalog


def catalog_calls(emulated_store) -> list[tuple[str, str]]:
    """The Catalog API calls the emulated store saw, as (method, path with query)."""
    return [r for r in emulated_store.store.requests if "/v3/catalog/" in r[1]]


@pytest.fixture
def cat_tee():
    return CAT_TEE
