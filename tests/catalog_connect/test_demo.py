"""The demo prepares the flow: the Gelato emulator's catalog is refreshed by a task and the demo design (a PNG in
the package) is uploaded once."""

from __future__ import annotations

import pytest

from printbridge.catalog.models import CatalogSync, DesignFile, ProviderCatalog
from printbridge.demo import catalog_demo
from printbridge.fulfilment.services.accounts import set_gelato_key
from printbridge.integrations.gelato.emulator import GelatoEmulator, GelatoEmulatorConfig


@pytest.fixture
def keyed_gelato(account, actor):
    emulator = GelatoEmulator(GelatoEmulatorConfig(port=0, time_scale=1.0, seed=5)).start()
    emulator.add_account(api_key="demo-gelato-key")
    set_gelato_key(
        account, "demo-gelato-key", actor, order_url=emulator.order_url, product_url=emulator.product_url
    )
    yield emulator
    emulator.stop()


def test_the_demo_loads_the_catalog_and_uploads_its_design_once(
    account, user, keyed_gelato, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        design = catalog_demo.prepare_catalog(account, user)

    assert (design.name, design.status, design.content_type, design.width, design.height) == (
        "Printbridge demo design",
        "ready",
        "image/png",
        480,
        480,
    )
    assert CatalogSync.objects.get(account=account).state == "done"
    assert sorted(ProviderCatalog.objects.filter(account=account).values_list("catalog_uid", flat=True)) == [
        "canvas",
        "mugs",
        "posters",
        "t-shirts",
    ]
    again = catalog_demo.prepare_catalog(account, user)
    assert (again.pk, DesignFile.objects.count()) == (design.pk, 1)
