"""Signed design links: Gelato fetches /media/designs/<token>/<name> without a login while the link is valid;
an expired link is 403, a tampered, foreign or stale one is 404."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from printbridge.catalog import signing
from printbridge.catalog.models import DesignFile
from printbridge.catalog.services import design_url, request_design_import, upload_design
from printbridge.orders.errors import Conflict
from tests.catalog.files import pdf, png

DAY = 24 * 3600


@pytest.fixture
def design(account, actor):
    return upload_design(account, actor, SimpleUploadedFile("logo.png", png(4, 4)))


def path_of(url: str) -> str:
    return url.removeprefix("https://printbridge.example")


def test_design_url_is_absolute_on_the_base_url_and_names_the_file(design, monkeypatch):
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    url = design_url(design)

    token = signing.design_token(design)
    assert url == f"https://printbridge.example/media/designs/{token}/logo.png"


def test_a_valid_link_serves_the_file_without_a_login(design):
    response = Client().get(path_of(design_url(design)))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png(4, 4)
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "image/png",
        'inline; filename="logo.png"',
    )
    assert (response["X-Content-Type-Options"], response["Content-Security-Policy"]) == ("nosniff", "sandbox")


def test_a_pdf_is_served_as_a_pdf(account, actor):
    design = upload_design(account, actor, SimpleUploadedFile("poster.pdf", pdf()))

    response = Client().get(path_of(design_url(design)))

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert b"".join(response.streaming_content) == pdf()


def test_a_link_is_valid_until_the_max_age_then_expired(design, settings, monkeypatch):
    settings.DESIGN_URL_MAX_AGE_DAYS = 7
    path = path_of(design_url(design))
    now = time.time()

    monkeypatch.setattr(time, "time", lambda: now + 7 * DAY - 60)
    assert Client().get(path).status_code == 200

    monkeypatch.setattr(time, "time", lambda: now + 7 * DAY + 60)
    expired = Client().get(path)
    assert (expired.status_code, expired.content) == (403, b"This design link has expired")


@pytest.mark.parametrize(
    "change",
    [
        lambda token, name: (token[:-1] + ("A" if token[-1] != "A" else "B"), name),  # signature
        lambda token, name: ("99" + token, name),  # signed value
        lambda token, name: (token.split(":", 1)[0], name),  # signature removed
        lambda token, name: (token, "other.png"),  # another file name
        lambda token, name: ("not-a-token", name),
    ],
    ids=["signature", "value", "unsigned", "file-name", "garbage"],
)
def test_a_tampered_link_is_404(design, change):
    token, name = change(signing.design_token(design), design.file_name)

    assert Client().get(f"/media/designs/{token}/{name}").status_code == 404


def test_a_link_signed_with_another_salt_or_key_is_404(design, settings):
    from django.core.signing import TimestampSigner

    forged = TimestampSigner(salt="something-else").sign(f"{design.pk}.{design.sha256[:16]}")
    assert Client().get(f"/media/designs/{forged}/logo.png").status_code == 404

    path = path_of(design_url(design))
    settings.SECRET_KEY = "another-secret-key-another-secret-key-another-secret"
    assert Client().get(path).status_code == 404


def test_a_link_to_replaced_contents_no_longer_works(design):
    path = path_of(design_url(design))
    DesignFile.objects.filter(pk=design.pk).update(sha256="0" * 64)

    assert Client().get(path).status_code == 404


def test_a_link_to_a_missing_file_is_404(design):
    path = path_of(design_url(design))
    design.file.storage.delete(design.file.name)

    assert Client().get(path).status_code == 404


def test_only_get_and_head_are_served(design):
    path = path_of(design_url(design))

    assert (Client().head(path).status_code, Client().post(path).status_code) == (200, 405)


def test_a_design_still_being_fetched_has_no_link(account, actor):
    pending = request_design_import(account, actor, "https://designs.example/logo.png")

    with pytest.raises(Conflict) as refused:
        design_url(pending)

    assert refused.value.message == "The design file 'logo.png' is not ready yet"
