"""Create a new product from the catalog: the Gelato emulator with the account's key and its catalog cached, a
ready design, and custom-store orders of T-shirts waiting as Not connected (or a BigCommerce emulator store)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from printbridge.catalog.services import refresh_catalog, upload_design
from printbridge.fulfilment.services.accounts import set_gelato_key
from printbridge.integrations.gelato.emulator import GelatoEmulator, GelatoEmulatorConfig
from printbridge.orders.incoming import IncomingItem
from printbridge.orders.services import import_order
from tests.catalog.files import png
from tests.conftest import order
from tests.ingestion.conftest import _keys  # noqa: F401 - autouse: a fresh key file per test
from tests.ingestion.emulated import emulated  # noqa: F401 - the BigCommerce emulator store fixture
from tests.web.routing_helpers import INTAKE, two_days_ago

SHIRT = "apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic_gsi_{size}_gco_{colour}_gpr_{sides}"
DESIGN_PNG = png(30, 20)


def shirt_uid(size: str, colour: str = "white", sides: str = "4-0") -> str:
    return SHIRT.format(size=size.lower(), colour=colour, sides=sides)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRINTBRIDGE_BASE_URL = "https://printbridge.example"


@pytest.fixture
def gelato(account, actor) -> Iterator[GelatoEmulator]:
    """The Gelato emulator, the account's key set to it and its catalogs cached (as a refresh leaves them)."""
    emulator = GelatoEmulator(GelatoEmulatorConfig(port=0, time_scale=1.0, seed=5)).start()
    emulator.add_account(api_key="gelato-key")
    set_gelato_key(
        account, "gelato-key", actor, order_url=emulator.order_url, product_url=emulator.product_url
    )
    refresh_catalog(account)
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def design(account, actor):
    return upload_design(account, actor, SimpleUploadedFile("cat.png", DESIGN_PNG), "Cat print")


def tee(external_id: str, size: str, product_id: str = "tshirt", quantity: int = 1) -> IncomingItem:
    """A custom store's Classic T-shirt line with its Size option."""
    return IncomingItem(
        external_id,
        product_id,
        f"{product_id}-{size.lower()}",
        "Classic T-shirt",
        quantity,
        f"TS-{size}",
        Decimal("19.00"),
        (("Size", size),),
    )


def receive(store, number: str, *items: IncomingItem):
    when = two_days_ago()
    return import_order(store, order(number, *items, placed_at=when), INTAKE, now=when).order
