"""Create a new product from the catalog, clicked through in Chromium: from the order's Not connected T-shirt to
a catalog product picked with filters, the size mapped, a design uploaded in the flow, every size connected, the
preview with the other waiting order, Confirm, and back on the order with the notice."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from printbridge.catalog.services import refresh_catalog
from printbridge.fulfilment.services.accounts import set_gelato_key
from printbridge.integrations.gelato.emulator import GelatoEmulator, GelatoEmulatorConfig
from printbridge.orders.models import Order
from printbridge.routing.models import Connection
from tests.browser.conftest import log_in
from tests.browser.helpers import actor_of, body_rows, item_section, notice
from tests.catalog.files import png
from tests.catalog_connect.conftest import receive, shirt_uid, tee
from tests.ingestion.conftest import _keys  # noqa: F401 - autouse: a fresh key file per test

DESIGN = png(60, 40)


@pytest.fixture
def catalog(merchant, settings, tmp_path):
    """The Gelato emulator with the merchant's key set and its catalog cached; design files in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRINTBRIDGE_BASE_URL = "https://printbridge.example"
    account = merchant[0]
    emulator = GelatoEmulator(GelatoEmulatorConfig(port=0, time_scale=1.0, seed=5)).start()
    emulator.add_account(api_key="gelato-key")
    set_gelato_key(
        account,
        "gelato-key",
        actor_of(merchant),
        order_url=emulator.order_url,
        product_url=emulator.product_url,
    )
    refresh_catalog(account)
    yield emulator
    emulator.stop()


def test_a_not_connected_t_shirt_is_connected_by_creating_a_product_from_the_catalog(page, merchant, catalog):
    store = merchant[2]
    o1001 = receive(store, "1001", tee("1", "5XL"))
    o1006 = receive(store, "1006", tee("1", "L"))
    log_in(page)
    page.goto(f"/orders/{o1001.pk}/")

    item_section(page, "Classic T-shirt (Size: 5XL)").get_by_role(
        "link", name="Create a new product from the catalog"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a new product from the catalog")
    expect(page.get_by_role("link", name="T-shirts (72)")).to_have_attribute("aria-current", "page")
    page.get_by_role("group", name="Garment color").get_by_label("White").check()
    page.get_by_role("group", name="Print sides").get_by_label("Front print", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("9 products")).to_be_visible()
    page.get_by_role("link", name="Choose M, White, Front print").click()

    expect(page.get_by_role("heading", name="2. Options and designs")).to_be_visible()
    expect(page.get_by_label("Size", exact=True)).to_have_value("GarmentSize")
    expect(page.get_by_label("Connect every size and colour of Classic T-shirt")).to_be_checked()
    page.get_by_label("Design file").set_input_files(
        {"name": "cat.png", "mimeType": "image/png", "buffer": DESIGN}
    )
    page.get_by_label("Name (optional)").fill("Cat print")
    page.get_by_role("button", name="Upload").click()
    expect(notice(page)).to_have_text("Uploaded Cat print; it is chosen for this product.")
    expect(page.get_by_label("Design: front")).to_have_value(str(_design_id()))
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("heading", name="3. Preview")).to_be_visible()
    assert body_rows(page) == [
        ["Classic T-shirt (Size: L)", "TS-L", shirt_uid("L"), "Connected"],
        ["Classic T-shirt (Size: 5XL) (this order's item)", "TS-5XL", shirt_uid("5XL"), "Connected"],
    ]
    expect(page.get_by_text("This also releases 1 other waiting order")).to_have_text(
        "This also releases 1 other waiting order: #1006."
    )
    expect(page.get_by_label("Apply it to the 1 other waiting order too")).to_be_checked()
    assert Connection.objects.count() == 0
    page.get_by_role("button", name="Confirm").click()

    expect(notice(page)).to_have_text(
        "Connected 2 variants of Classic T-shirt to Gelato (T-shirts) with the design Cat print. Order #1001 "
        "continues: 1 item released for fulfilment. 1 waiting order updated: 1 continues."
    )
    # tasks run inline here, so the order went to the Gelato emulator as the page answered
    expect(page.get_by_role("heading", level=1)).to_have_text("Order #1001 Submitted")
    assert list(
        Connection.objects.order_by("variant_id").values_list("variant_id", "provider_product_uid", "files")
    ) == [
        ("tshirt-5xl", shirt_uid("5XL"), {"default": f"design:{_design_id()}"}),
        ("tshirt-l", shirt_uid("L"), {"default": f"design:{_design_id()}"}),
    ]
    assert list(
        Order.objects.filter(pk__in=[o1001.pk, o1006.pk]).order_by("number").values_list("status", flat=True)
    ) == [
        "submitted",
        "submitted",
    ]
    sent = {o["orderReferenceId"]: o["items"][0] for o in catalog.orders.values()}
    line = sent[f"pb-{store.pk}-{o1001.pk}-g1"]
    [file] = line["files"]
    assert (line["productUid"], file["type"]) == (shirt_uid("5XL"), "default")
    served = page.request.get(urlsplit(file["url"]).path)
    assert (served.status, served.headers["content-type"], served.body()) == (200, "image/png", DESIGN)


def _design_id() -> int:
    from printbridge.catalog.models import DesignFile

    return DesignFile.objects.get().pk
