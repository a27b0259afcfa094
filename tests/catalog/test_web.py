"""The catalog and designs pages: browse with facet filters (a GET form), product detail, refresh, upload and
fetch-from-link forms; login required, another account's objects 404, a POST without the CSRF token 403."""

from __future__ import annotations

import html
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from printbridge.catalog.models import CatalogSync, DesignFile
from printbridge.catalog.services import refresh_catalog, upload_design
from printbridge.catalog.signing import design_path
from printbridge.catalog.uploads import too_large_uploads
from printbridge.orders import events
from tests.catalog.conftest import PUBLIC_IP
from tests.catalog.files import GIF, png

MUG = "mug_product_msz_11-oz_mmat_ceramic-white_cl_4-0"


@pytest.fixture
def cached(account, gelato):
    refresh_catalog(account)
    return gelato


def text(response) -> str:
    """The page's visible text, whitespace collapsed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def product_links(response) -> list[str]:
    return re.findall(r'href="/catalog/products/([^/"]+)/"', response.content.decode())


# --- catalog -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/catalog/", f"/catalog/products/{MUG}/", "/designs/"])
def test_the_pages_need_a_login(db, path):
    response = Client().get(path)

    assert (response.status_code, response["Location"]) == (302, f"/login/?next={path}")


def test_before_any_refresh_the_page_offers_to_load_the_catalog(web, gelato):
    response = web.get("/catalog/")

    assert response.status_code == 200
    assert "The catalog has not been loaded yet." in text(response)
    assert "Load the catalog from Gelato" in text(response)
    assert "Add your Gelato API key in Settings first" not in text(response)


def test_without_a_key_the_page_says_to_add_it(web, db):
    response = web.get("/catalog/")

    assert (
        "Add your Gelato API key in Settings first ( Gelato settings ); then load the catalog here."
        in text(response)
    )
    assert 'disabled aria-disabled="true"' in response.content.decode()


def test_the_first_catalog_is_shown_with_its_facets(web, cached):
    response = web.get("/catalog/")

    assert response.status_code == 200
    page = text(response)
    assert "Canvas (wall art) (12) Mugs (4) Posters (16) T-shirts (72)" in page
    assert "12 products" in page
    assert len(product_links(response)) == 12
    assert 'name="attr" value="CanvasFrame:wood-fsc-slim"' in response.content.decode()
    assert "ColorType:4-0" not in response.content.decode()  # a single-valued attribute is no filter


def test_facet_filters_and_text_narrow_the_list(web, cached):
    response = web.get(
        "/catalog/", {"catalog": "t-shirts", "attr": ["GarmentSize:M", "GarmentColor:navy"], "q": "back"}
    )

    assert response.status_code == 200
    assert "1 product" in text(response)
    assert product_links(response) == [
        "apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic_gsi_m_gco_navy_gpr_4-4"
    ]
    markup = response.content.decode()
    assert 'value="GarmentSize:M" id="f-garmentsize-3" checked' in markup
    assert 'value="GarmentColor:navy" id="f-garmentcolor-3" checked' in markup


def test_pages_of_fifty(web, cached):
    first = web.get("/catalog/", {"catalog": "t-shirts"})
    second = web.get("/catalog/", {"catalog": "t-shirts", "page": "2"})

    assert (len(product_links(first)), len(product_links(second))) == (50, 22)
    assert "72 products · page 2 of 2" in text(second)
    assert set(product_links(first)).isdisjoint(product_links(second))


def test_a_bad_filter_is_422_with_the_reason(web, cached):
    response = web.get("/catalog/", {"catalog": "mugs", "attr": "Colour:red"})

    assert response.status_code == 422
    assert "The Mugs catalog has no attribute 'Colour'" in text(response)


def test_an_unknown_catalog_is_404(web, cached):
    assert web.get("/catalog/", {"catalog": "stickers"}).status_code == 404


def test_a_stale_catalog_says_so(web, cached, settings):
    settings.CATALOG_STALE_AFTER_HOURS = 0

    response = web.get("/catalog/", {"catalog": "mugs"})

    assert "it may be out of date. Refresh it from Gelato." in text(response)


def test_refresh_queues_the_task_and_comes_back(web, gelato, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post("/catalog/refresh", {"catalog": "posters"})

    assert (response.status_code, response["Location"]) == (302, "/catalog/?catalog=posters")
    assert CatalogSync.objects.get().state == "done"
    page = web.get(response["Location"])
    assert "Refreshing the catalog from Gelato; reload this page in a moment to see it." in text(page)
    assert len(product_links(page)) == 16


def test_refreshing_everything_from_a_tab_comes_back_to_that_tab(
    web, gelato, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post("/catalog/refresh", {"show": "mugs"})

    assert (response.status_code, response["Location"]) == (302, "/catalog/?catalog=mugs")
    assert CatalogSync.objects.get().catalog_uid == ""
    assert len(product_links(web.get(response["Location"]))) == 4


def test_refresh_without_a_key_shows_the_error(web, db):
    response = web.post("/catalog/refresh", follow=True)

    assert "Add your Gelato API key in Settings first" in text(response)
    assert CatalogSync.objects.count() == 0


def test_a_failed_refresh_is_shown(web, cached):
    CatalogSync.objects.update(state="failed", last_error="Gelato could not be reached: timed out")

    assert "The last refresh failed" in text(web.get("/catalog/"))
    assert "Gelato could not be reached: timed out" in text(web.get("/catalog/"))


def test_the_product_page_shows_attributes_and_countries(web, cached):
    response = web.get(f"/catalog/products/{MUG}/")

    assert response.status_code == 200
    page = text(response)
    assert (
        "Mug size 11 oz Mug material Ceramic, white Color type 4/0 (wrap-around print) Weight 330 grams"
        in page
    )
    assert "Height 95.0 mm Diameter 82.0 mm" in page
    assert "Ships to 24 countries: AT, AU, BE, CA, CH," in page
    assert "Not shipped to: BR, BY, CU, IN, IR, KP, RU, SY, ZA." in page


def test_the_product_page_with_gelato_down_shows_the_cached_data_and_the_error(web, cached):
    cached.faults.outage(5)

    response = web.get(f"/catalog/products/{MUG}/")

    assert response.status_code == 200
    assert "Gelato could not be reached" in text(response)
    assert "Not fetched from Gelato yet." in text(response)


def test_another_accounts_product_is_404(cached, other_account):
    client = Client()
    client.force_login(other_account[1])

    assert client.get(f"/catalog/products/{MUG}/").status_code == 404


# --- designs -----------------------------------------------------------------------------------------------------


def test_the_designs_page_lists_this_accounts_files(web, account, actor, other_account, monkeypatch):
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)  # the signed link's timestamp, here and on the page
    mine = upload_design(account, actor, SimpleUploadedFile("front.png", png(30, 20)))
    other, other_user, _ = other_account
    upload_design(other, events.Actor.for_user(other_user), SimpleUploadedFile("theirs.png", png()))

    response = web.get("/designs/")

    assert response.status_code == 200
    page = text(response)
    assert "front.png image/png" in page and "30 × 20 Ready" in page
    assert "theirs.png" not in page
    assert f'href="{design_path(mine)}"' in response.content.decode()
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_uploading_from_the_page(web, account):
    response = web.post("/designs/upload", {"file": SimpleUploadedFile("logo.png", png()), "name": "Logo"})

    assert (response.status_code, response["Location"]) == (302, "/designs/")
    assert list(DesignFile.objects.values_list("name", "status")) == [("Logo", "ready")]
    assert "Uploaded Logo." in text(web.get("/designs/"))


def test_a_refused_upload_is_422_with_the_reason(web):
    response = web.post("/designs/upload", {"file": SimpleUploadedFile("logo.png", GIF)})

    assert response.status_code == 422
    assert "Nothing was added. The file is not a PNG, JPEG or PDF" in text(response)
    assert DesignFile.objects.count() == 0


def test_an_upload_over_the_cap_is_refused_on_the_page(web, settings):
    settings.DESIGN_MAX_BYTES = 1024

    response = web.post("/designs/upload", {"file": SimpleUploadedFile("big.png", png() + b"\x00" * 4096)})

    assert response.status_code == 422
    assert "The file is larger than the 1024 bytes limit" in text(response)


def test_fetching_from_a_link_on_the_page(web, files, dns, django_capture_on_commit_callbacks):
    dns.answer("designs.example", [PUBLIC_IP])
    files.route("designs.example", "/logo.png", body=png())

    with django_capture_on_commit_callbacks(execute=True):
        response = web.post("/designs/import-url", {"url": "https://designs.example/logo.png", "name": ""})

    assert (response.status_code, response["Location"]) == (302, "/designs/")
    assert list(DesignFile.objects.values_list("name", "status")) == [("logo.png", "ready")]


def test_a_pending_design_makes_the_list_poll(web, account, actor):
    DesignFile.objects.create(
        account=account, name="x.png", source="url", source_url="https://a.example/x.png", status="pending"
    )

    response = web.get("/designs/")

    assert 'hx-trigger="every 3s"' in response.content.decode()
    assert "Fetching…" in text(response)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://designs.example/logo.png", "Only https:// links are allowed, not http:"),
        (
            "https://10.0.0.1/logo.png",
            "10.0.0.1 is a private address; only public internet addresses are allowed",
        ),
        ("", "This field is required."),
    ],
)
def test_a_forbidden_link_is_422_with_the_reason(web, url, message):
    response = web.post("/designs/import-url", {"url": url})

    assert response.status_code == 422
    assert message in text(response)
    assert DesignFile.objects.count() == 0


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/catalog/refresh", {}),
        ("/designs/import-url", {"url": "https://designs.example/logo.png"}),
        ("/designs/upload", {"file": "FILE"}),
    ],
)
def test_a_post_without_the_csrf_token_is_403_and_changes_nothing(browser, gelato, path, data):
    if "file" in data:
        data = {"file": SimpleUploadedFile("logo.png", png())}

    response = browser.post(path, data)

    assert response.status_code == 403
    assert (DesignFile.objects.count(), CatalogSync.objects.count()) == (0, 0)


# --- the upload handler -------------------------------------------------------------------------------------------


def test_the_upload_handler_drops_a_file_past_the_cap_while_it_arrives(settings):
    settings.DESIGN_MAX_BYTES = 1000
    request = RequestFactory().post(
        "/designs/upload",
        {"file": SimpleUploadedFile("big.png", b"\x00" * 5000), "small": SimpleUploadedFile("s.png", png())},
    )

    assert (sorted(request.FILES), too_large_uploads(request)) == (["small"], ["file"])
    assert request.FILES["small"].read() == png()
