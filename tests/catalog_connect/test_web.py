"""The web flow at /catalog/connect/: pick a catalog product, map options and choose designs, preview, confirm —
plain forms, every input labelled, another account's order 404, CSRF required."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from printbridge.catalog.models import DesignFile
from printbridge.orders.models import Order, OrderEvent
from printbridge.routing.models import Connection
from tests.catalog.files import png
from tests.catalog_connect.conftest import receive, shirt_uid, tee


@pytest.fixture
def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def waiting(store, gelato):
    first = receive(store, "1001", tee("1", "5XL"))
    receive(store, "1006", tee("1", "L"))
    return first


def flow(o) -> dict:
    return {"order": o.pk, "item": o.items.get().pk}


def choices(design, o, **extra) -> dict:
    return {
        **flow(o),
        "chosen": "1",
        "product": shirt_uid("m"),
        "map_0": "GarmentSize",
        "design_default": design.pk,
        "siblings": "on",
        **extra,
    }


def text(html: bytes) -> str:
    """The page's text, tags dropped and white space collapsed (none before punctuation)."""
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", html.decode())).split())
    return re.sub(r" ([.,;:)])", r"\1", words)


def test_step_one_offers_the_catalog_most_like_the_item_with_its_products(web, waiting):
    response = web.get("/catalog/connect/", flow(waiting))

    assert response.status_code == 200
    page = text(response.content)
    assert "For Classic T-shirt (Size: 5XL) × 1 (SKU TS-5XL) of order #1001 in Shop" in page
    assert response.context["chosen"] == "t-shirts"
    assert response.context["result"].total == 72
    first = response.context["result"].products[0]
    assert first.product_uid == shirt_uid("2XL", "black", "4-0")
    html = response.content.decode()
    item_id = waiting.items.get().pk
    assert (
        f"/catalog/connect/map?order={waiting.pk}&amp;item={item_id}&amp;product={first.product_uid}" in html
    )
    assert 'aria-label="Choose 2XL, Black, Front print"' in html


def test_step_one_filters_by_facets(web, waiting):
    response = web.get(
        "/catalog/connect/", {**flow(waiting), "attr": ["GarmentColor:navy", "GarmentPrint:4-4"]}
    )

    assert response.context["result"].total == 9
    assert {p.attributes["GarmentColor"] for p in response.context["result"].products} == {"navy"}


def test_without_a_cached_catalog_step_one_says_where_to_load_it(web, store):
    o = receive(store, "1001", tee("1", "5XL"))

    response = web.get("/catalog/connect/", flow(o))

    assert response.status_code == 200
    assert "The Gelato catalog has not been loaded yet. Load it on the Catalog page" in text(response.content)


def test_step_two_prefills_the_mapping_and_the_newest_design_and_labels_every_input(web, waiting, design):
    response = web.get("/catalog/connect/map", {**flow(waiting), "product": shirt_uid("m")})

    assert response.status_code == 200
    form = response.context["form"]
    assert (form["map_0"].value(), form["design_default"].value(), form["siblings"].value()) == (
        "GarmentSize",
        design.pk,
        True,
    )
    html = response.content.decode()
    inputs = re.findall(r'<(?:input|select)(?![^>]*type="hidden")[^>]* id="([^"]+)"', html)
    assert inputs == ["id_map_0", "id_design_default", "id_siblings", "upload-file", "upload-name"]
    assert [i for i in inputs if f'for="{i}"' not in html] == []
    assert "Connect every size and colour of Classic T-shirt" in html
    assert "Also publish as a new product" not in html  # a custom store


def test_the_preview_lists_each_variant_and_the_orders_it_releases_and_writes_nothing(web, waiting, design):
    before = OrderEvent.objects.count()

    response = web.get("/catalog/connect/preview", choices(design, waiting))

    assert response.status_code == 200
    rows = [(v.ref.label, v.product_uid) for v in response.context["plan"].variants]
    assert rows == [
        ("Classic T-shirt (Size: L)", shirt_uid("L")),
        ("Classic T-shirt (Size: 5XL)", shirt_uid("5XL")),
    ]
    page = text(response.content)
    assert "2 variants will be connected" in page
    assert "This also releases 1 other waiting order: #1006." in page
    assert (Connection.objects.count(), OrderEvent.objects.count()) == (0, before)


def test_a_preview_with_an_unmatched_size_shows_why_and_offers_no_confirm(web, store, waiting, design):
    receive(store, "1010", tee("1", "7XL"))

    response = web.get("/catalog/connect/preview", choices(design, waiting))

    page = text(response.content)
    assert "1 variant cannot be made from this catalog product" in page
    assert "No product: Size '7XL' matches no Garment size of the catalog" in page
    assert "Confirm" not in page


def test_confirm_connects_applies_and_goes_back_to_the_order_with_the_notice(web, waiting, design):
    response = web.post("/catalog/connect/confirm", {**choices(design, waiting), "apply": "on"}, follow=True)

    assert response.redirect_chain == [(f"/orders/{waiting.pk}/", 302)]
    notice = [str(m) for m in response.context["messages"]]
    assert notice == [
        "Connected 2 variants of Classic T-shirt to Gelato (T-shirts) with the design Cat print. Order #1001 "
        "continues: 1 item released for fulfilment. 1 waiting order updated: 1 continues."
    ]
    assert list(Order.objects.order_by("number").values_list("number", "status")) == [
        ("1001", "ready"),
        ("1006", "ready"),
    ]


def test_a_refused_confirm_re_renders_the_choices_with_the_reason(web, store, waiting, design):
    receive(store, "1010", tee("1", "7XL"))

    response = web.post("/catalog/connect/confirm", choices(design, waiting))

    assert response.status_code == 422
    assert (
        "Nothing was changed. Classic T-shirt (Size: 7XL) cannot be made from this catalog product"
        in text(response.content)
    )
    assert Connection.objects.count() == 0


def test_an_item_connected_meanwhile_is_409_with_the_way_back(web, waiting, design):
    web.post("/catalog/connect/confirm", choices(design, waiting))

    again = web.post("/catalog/connect/confirm", choices(design, waiting))

    assert again.status_code == 409
    assert "is not waiting for a Connect or Ignore" in text(again.content)
    assert f'href="/orders/{waiting.pk}/"' in again.content.decode()


def test_uploading_a_design_in_the_flow_comes_back_with_it_chosen(web, waiting, account):
    state = f"order={waiting.pk}&item={waiting.items.get().pk}&product={shirt_uid('m')}"
    upload = SimpleUploadedFile("dog.png", png(40, 40), content_type="image/png")

    response = web.post(
        "/catalog/connect/upload",
        {**flow(waiting), "state": state, "area": "default", "name": "Dog", "file": upload},
    )

    design = DesignFile.objects.get(account=account)
    assert (design.name, design.status) == ("Dog", "ready")
    assert response.status_code == 302
    assert response.url == f"/catalog/connect/map?{state}&design_default={design.pk}"
    page = web.get(response.url)
    assert page.context["form"]["design_default"].value() == str(design.pk)


def test_a_refused_upload_stays_in_the_flow_with_the_reason(web, waiting):
    state = f"order={waiting.pk}&item={waiting.items.get().pk}&product={shirt_uid('m')}"
    fake = SimpleUploadedFile("x.png", b"GIF89a not a png", content_type="image/png")

    response = web.post("/catalog/connect/upload", {**flow(waiting), "state": state, "file": fake})

    assert response.status_code == 422
    assert DesignFile.objects.count() == 0
    assert "Nothing was changed." in text(response.content)


@pytest.mark.parametrize("path", ["/catalog/connect/", "/catalog/connect/map", "/catalog/connect/preview"])
def test_another_accounts_order_is_404(path, waiting, other_account, design):
    other = Client()
    other.force_login(other_account[1])

    response = other.get(path, choices(design, waiting))

    assert response.status_code == 404


def test_a_confirm_for_another_accounts_order_is_404_and_changes_nothing(waiting, other_account, design):
    other = Client()
    other.force_login(other_account[1])

    response = other.post("/catalog/connect/confirm", choices(design, waiting))

    assert response.status_code == 404
    assert Connection.objects.count() == 0


@pytest.mark.parametrize("path", ["/catalog/connect/confirm", "/catalog/connect/upload"])
def test_posts_without_the_csrf_token_are_403_and_change_nothing(user, waiting, design, path):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(path, choices(design, waiting))

    assert response.status_code == 403
    assert (Connection.objects.count(), DesignFile.objects.count()) == (0, 1)


def test_the_pages_need_a_login(waiting):
    response = Client().get("/catalog/connect/", flow(waiting))

    assert (response.status_code, response.url.split("?")[0]) == (302, "/login/")


def test_a_bigcommerce_store_can_also_publish_the_product_from_the_page(web, emulated, gelato, design):
    from tests.catalog_connect.test_bigcommerce import import_orders

    [o] = import_orders(emulated, "TS-2XL-NVY")
    base = {**flow(o), "product": shirt_uid("m", "white", "4-4")}
    page = web.get("/catalog/connect/map", base)
    assert "Also publish as a new product in Emulated shop" in text(page.content)
    assert page.context["form"]["map_1"].value() == "GarmentColor"
    chosen = {
        **base,
        "chosen": "1",
        "map_0": "GarmentSize",
        "map_1": "GarmentColor",
        "design_default": design.pk,
        "design_back": design.pk,
        "siblings": "on",
        "publish": "on",
        "publish_name": "Cat tee",
        "publish_price": "25.00",
        "publish_sku_prefix": "CAT",
        "publish_weight": "0.3",
    }

    missing = web.post("/catalog/connect/confirm", {**chosen, "publish_name": ""})
    assert missing.status_code == 422
    assert "To publish the product, give a product name." in text(missing.content)
    assert Connection.objects.count() == 0

    response = web.post("/catalog/connect/confirm", chosen, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Connected 36 variants of Classic T-shirt to Gelato (T-shirts) with the design Cat print. Order #100 "
        "continues: 1 item released for fulfilment. Published in Emulated shop as product 117 with 36 variants "
        "connected."
    ]
    assert emulated.store.products[117]["name"] == "Cat tee"
    assert Connection.objects.count() == 72
