"""The catalog and designs API (/api/v1/catalog/…, /api/v1/designs…): exact bodies, clear 4xx errors, another
account's objects 404, no credentials 401, a session write without the CSRF token 403."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.crypto import get_random_string

from printbridge.catalog.models import CatalogSync, DesignFile
from printbridge.catalog.services import refresh_catalog, upload_design
from printbridge.catalog.signing import design_token
from printbridge.orders import events
from printbridge.orders.models import OrderEvent
from printbridge.stores.services import issue_api_token
from tests.catalog.conftest import PUBLIC_IP
from tests.catalog.files import GIF, png

MUG = "mug_product_msz_11-oz_mmat_ceramic-white_cl_4-0"
MUG_BLACK = "mug_product_msz_11-oz_mmat_ceramic-black_cl_4-0"


@pytest.fixture
def cached(account, gelato):
    refresh_catalog(account)
    return gelato


def upload(api, body: bytes, file_name: str = "logo.png", **fields):
    return api.client.post(
        "/api/v1/designs", {"file": SimpleUploadedFile(file_name, body), **fields}, headers=api.headers
    )


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- catalog -------------------------------------------------------------------------------------------------------


def test_catalogs_before_any_refresh(api, db):
    response = api.get("/api/v1/catalog/catalogs")

    assert (response.status_code, response.json()) == (
        200,
        {
            "refresh": {"state": "never", "catalog_uid": "", "requested_at": None, "finished_at": None,
                        "refreshed_at": None, "stale": True, "last_error": ""},
            "catalogs": [],
        },
    )  # fmt: skip


def test_catalogs_after_a_refresh(api, cached):
    body = api.get("/api/v1/catalog/catalogs").json()

    assert (body["refresh"]["state"], body["refresh"]["stale"], body["refresh"]["last_error"]) == (
        "done",
        False,
        "",
    )
    assert [
        (c["catalog_uid"], c["title"], c["product_count"], c["truncated"], c["stale"])
        for c in body["catalogs"]
    ] == [
        ("canvas", "Canvas (wall art)", 12, False, False),
        ("mugs", "Mugs", 4, False, False),
        ("posters", "Posters", 16, False, False),
        ("t-shirts", "T-shirts", 72, False, False),
    ]


def test_search_with_filters_answers_products_and_facets(api, cached):
    response = api.get("/api/v1/catalog/catalogs/mugs/products", attr=["MugSize:11-oz"], limit=1)

    assert response.status_code == 200
    body = response.json()
    assert (body["catalog_uid"], body["total"], body["limit"], body["offset"]) == ("mugs", 2, 1, 0)
    assert body["products"] == [
        {
            "product_uid": MUG_BLACK,
            "catalog_uid": "mugs",
            "attributes": {"MugSize": "11-oz", "MugMaterial": "ceramic-black", "ColorType": "4-0"},
            "weight": "330",
            "weight_unit": "grams",
            "dimensions": {
                "Height": {"value": "95.0", "unit": "mm"},
                "Diameter": {"value": "82.0", "unit": "mm"},
            },
        }
    ]
    assert body["facets"] == [
        {"uid": "MugSize", "title": "Mug size", "values": [
            {"uid": "11-oz", "title": "11 oz", "count": 2, "selected": True},
            {"uid": "15-oz", "title": "15 oz", "count": 2, "selected": False}]},
        {"uid": "MugMaterial", "title": "Mug material", "values": [
            {"uid": "ceramic-white", "title": "Ceramic, white", "count": 1, "selected": False},
            {"uid": "ceramic-black", "title": "Ceramic, black", "count": 1, "selected": False}]},
        {"uid": "ColorType", "title": "Color type", "values": [
            {"uid": "4-0", "title": "4/0 (wrap-around print)", "count": 2, "selected": False}]},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"attr": ["MugSize"]}, "A filter is written attribute:value, not 'MugSize'"),
        ({"attr": ["Colour:red"]}, "The Mugs catalog has no attribute 'Colour'"),
        ({"limit": 0}, "limit must be 1 to 200 and offset at least 0"),
    ],
)
def test_a_bad_search_is_422_with_the_reason(api, cached, params, detail):
    response = api.get("/api/v1/catalog/catalogs/mugs/products", **params)

    assert response.status_code == 422
    assert response.json()["detail"] == detail


def test_an_unknown_catalog_is_404(api, cached):
    response = api.get("/api/v1/catalog/catalogs/stickers/products")

    assert (response.status_code, response.json()["detail"]) == (
        404,
        "No catalog 'stickers'; refresh the catalog to load it",
    )


def test_product_detail_answers_the_supported_countries(api, cached):
    response = api.get(f"/api/v1/catalog/products/{MUG}")

    assert response.status_code == 200
    body = response.json()
    assert (body["product_uid"], body["is_printable"], body["is_stockable"]) == (MUG, True, False)
    assert (len(body["supported_countries"]), "BR" in body["supported_countries"]) == (24, False)
    assert body["not_supported_countries"] == ["BR", "BY", "CU", "IN", "IR", "KP", "RU", "SY", "ZA"]


def test_refresh_is_queued_and_run_as_a_task(api, gelato, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/catalog/refresh", {"catalog_uid": "posters"})

    assert (response.status_code, response.json()["state"], response.json()["catalog_uid"]) == (
        202,
        "queued",
        "posters",
    )
    assert CatalogSync.objects.get().state == "done"
    assert api.get("/api/v1/catalog/catalogs").json()["catalogs"][0]["product_count"] == 16


def test_refresh_without_a_gelato_key_is_409(api, db):
    response = api.post("/api/v1/catalog/refresh", {})

    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Add your Gelato API key in Settings first"},
    )
    assert CatalogSync.objects.count() == 0


def test_refresh_refuses_unknown_fields(api, gelato):
    response = api.post("/api/v1/catalog/refresh", {"catalog_uid": "", "account_id": 9})

    assert (response.status_code, CatalogSync.objects.count()) == (422, 0)


def test_gelato_down_on_a_detail_view_is_502(api, cached):
    cached.faults.outage(5)

    response = api.get(f"/api/v1/catalog/products/{MUG}")

    assert response.status_code == 502
    assert response.json()["detail"].startswith("Gelato could not be reached: ")


# --- designs -------------------------------------------------------------------------------------------------------


def test_upload_a_design(api, account, user, monkeypatch):
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)  # the link's timestamp, here and in the answer
    response = upload(api, png(8, 6), "front.png")

    assert response.status_code == 201
    design = DesignFile.objects.get()
    body = response.json()
    assert body == {
        "id": design.pk, "name": "front.png", "status": "ready", "failure_reason": "", "source": "upload",
        "source_url": "", "content_type": "image/png", "size": len(png(8, 6)),
        "sha256": hashlib.sha256(png(8, 6)).hexdigest(), "width": 8, "height": 6,
        "url": f"https://printbridge.example/media/designs/{design_token(design)}/front.png",
        "created_by": "ana@example.com", "created_at": body["created_at"], "completed_at": body["completed_at"],
    }  # fmt: skip


def test_upload_with_a_name(api):
    response = upload(api, png(), "x.png", name="Back print")

    assert (response.status_code, response.json()["name"]) == (201, "Back print")


def test_upload_of_the_wrong_type_is_422(api, settings):
    response = upload(api, GIF, "logo.png")

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The file is not a PNG, JPEG or PDF (its contents say otherwise, whatever its name)",
        "field": "file",
        "errors": [{"field": "file", "message": "The file is not a PNG, JPEG or PDF (its contents say otherwise, whatever its name)"}],
    }  # fmt: skip
    assert (DesignFile.objects.count(), stored_files(settings)) == (0, [])


def test_an_upload_over_the_cap_is_dropped_while_it_streams_and_refused(api, settings):
    settings.DESIGN_MAX_BYTES = 100 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024  # so the default handlers would spill it to a temp file

    response = upload(api, png() + b"\x00" * (300 * 1024), "big.png")

    assert (response.status_code, response.json()["detail"]) == (
        422,
        "The file is larger than the 102400 bytes limit",
    )
    assert (DesignFile.objects.count(), stored_files(settings)) == (0, [])


def test_an_upload_without_a_file_is_422(api):
    response = api.client.post("/api/v1/designs", {"name": "x"}, headers=api.headers)

    assert (response.status_code, response.json()["detail"]) == (
        422,
        "Choose a PNG, JPEG or PDF file to upload",
    )


def test_import_url_is_accepted_and_fetched(api, files, dns, django_capture_on_commit_callbacks):
    dns.answer("designs.example", [PUBLIC_IP])
    files.route("designs.example", "/logo.png", body=png())

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/designs/import-url", {"url": "https://designs.example/logo.png"})

    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["source"], body["source_url"], body["url"]) == (
        "pending", "url", "https://designs.example/logo.png", None)  # fmt: skip
    fetched = api.get(f"/api/v1/designs/{body['id']}").json()
    assert (fetched["status"], fetched["size"], fetched["content_type"]) == ("ready", len(png()), "image/png")
    assert fetched["url"].startswith("https://printbridge.example/media/designs/")


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("http://designs.example/logo.png", "Only https:// links are allowed, not http:"),
        ("https://169.254.169.254/latest", "169.254.169.254 is a link-local address; only public internet addresses are allowed"),
        ("https://a@b.example/", "The link contains a user name or password (…@host); give the file's own link"),
    ],
)  # fmt: skip
def test_import_url_refuses_a_forbidden_url_with_422(api, url, detail):
    response = api.post("/api/v1/designs/import-url", {"url": url})

    assert (response.status_code, response.json()["detail"], response.json()["field"]) == (422, detail, "url")
    assert DesignFile.objects.count() == 0


def test_a_failed_import_shows_its_reason(api, files, dns, django_capture_on_commit_callbacks):
    dns.answer("designs.example", ["10.9.8.7"])

    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/designs/import-url", {"url": "https://designs.example/a.png", "name": "A"}
        ).json()

    body = api.get(f"/api/v1/designs/{created['id']}").json()
    assert (body["status"], body["failure_reason"], body["url"]) == (
        "failed",
        "designs.example resolves to 10.9.8.7, which is a private address; only public internet addresses are allowed",
        None,
    )


def test_list_designs_newest_first_and_by_status(api, account, actor):
    first = upload_design(account, actor, SimpleUploadedFile("a.png", png()))
    second = upload_design(account, actor, SimpleUploadedFile("b.png", png()))
    DesignFile.objects.create(
        account=account, name="c", source="url", source_url="https://x.example/c", status="failed"
    )

    everything = [d["name"] for d in api.get("/api/v1/designs").json()]
    ready = [d["id"] for d in api.get("/api/v1/designs", status="ready").json()]

    assert (everything, ready) == (["c", "b.png", "a.png"], [second.pk, first.pk])


# --- tenancy, authentication, CSRF --------------------------------------------------------------------------------


def test_another_accounts_objects_are_404(api, cached, other_account):
    other, other_user, _ = other_account
    theirs = upload_design(other, events.Actor.for_user(other_user), SimpleUploadedFile("t.png", png()))

    assert api.get(f"/api/v1/designs/{theirs.pk}").status_code == 404
    assert [d["id"] for d in api.get("/api/v1/designs").json()] == []
    other_api = type(api)(issue_api_token(other_user, other, "t")[1])
    assert other_api.get(f"/api/v1/catalog/products/{MUG}").status_code == 404
    assert other_api.get("/api/v1/catalog/catalogs/mugs/products").status_code == 404
    assert other_api.get("/api/v1/catalog/catalogs").json()["catalogs"] == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/catalog/catalogs"),
        ("get", "/api/v1/catalog/catalogs/mugs/products"),
        ("get", f"/api/v1/catalog/products/{MUG}"),
        ("post", "/api/v1/catalog/refresh"),
        ("get", "/api/v1/designs"),
        ("post", "/api/v1/designs"),
        ("post", "/api/v1/designs/import-url"),
        ("get", "/api/v1/designs/1"),
    ],
)
def test_without_credentials_every_endpoint_is_401(db, method, path):
    response = getattr(Client(enforce_csrf_checks=True), method)(path)

    assert (response.status_code, response.json()) == (401, {"detail": "Authentication required"})


@pytest.mark.parametrize(
    ("path", "data", "multipart"),
    [
        ("/api/v1/catalog/refresh", {}, False),
        ("/api/v1/designs/import-url", {"url": "https://designs.example/logo.png"}, False),
        ("/api/v1/designs", {"file": "FILE"}, True),
    ],
)
def test_a_session_write_without_the_csrf_token_is_403_and_writes_nothing(
    browser, gelato, path, data, multipart
):
    if multipart:
        data = {"file": SimpleUploadedFile("logo.png", png())}
        response = browser.post(path, data)
    else:
        response = browser.post(path, data, content_type="application/json")

    assert (response.status_code, response.json()) == (403, {"detail": "CSRF check Failed"})
    assert (DesignFile.objects.count(), CatalogSync.objects.count()) == (0, 0)
    assert OrderEvent.objects.filter(type__in=["design_uploaded", "catalog_refresh_requested"]).count() == 0


def test_a_session_upload_with_the_csrf_token_succeeds(browser):
    token = get_random_string(32)
    browser.cookies["csrftoken"] = token

    response = browser.post(
        "/api/v1/designs", {"file": SimpleUploadedFile("logo.png", png())}, headers={"X-CSRFToken": token}
    )

    assert (response.status_code, DesignFile.objects.count()) == (201, 1)
