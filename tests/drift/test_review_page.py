"""The connections page shows a connection that needs review, why, and confirms it ('Still correct')."""

from __future__ import annotations

import pytest
from django.test import Client

from printbridge.orders.services import VariantRef, create_connection, import_order
from printbridge.routing import drift
from tests.conftest import NOW, order
from tests.drift.test_review_rules import INTAKE, SHIRT, line, product, variant
from tests.web.test_pages import logged_in


@pytest.fixture
def shirt(store, actor):
    ref = VariantRef("9", "21", "TS-M-RED", "Classic T-shirt (Size: M, Colour: Red)", SHIRT)
    return create_connection(store, ref, "uid-tshirt-m", {"front": "https://d.example.com/m.png"}, actor)


CHANGED = product(variant(21, "TS-M-RED-2", (("Size", "Medium"), ("Colour", "Red"))))
REASON = "SKU changed from TS-M-RED to TS-M-RED-2; options changed from Size: M to Size: Medium"


def test_a_flagged_connection_is_shown_with_its_reason_and_a_confirm_button(store, shirt, user):
    drift.check_products(store, ["9"], {"9": CHANGED})
    html = logged_in(user).get("/connections/").content.decode()
    assert '<span class="pb-badge pb-status-failed">Needs review</span>' in html
    assert f"<small>{REASON} (" in html
    assert f'action="/connections/{shirt.pk}/confirm"' in html


def test_still_correct_confirms_it_and_releases_the_orders_it_held(store, shirt, user):
    drift.check_products(store, ["9"], {"9": CHANGED})
    held = import_order(store, order("5004", line("TS-M-RED-2")), INTAKE, NOW).order
    client = logged_in(user)
    response = client.post(f"/connections/{shirt.pk}/confirm")
    assert (response.status_code, response["Location"]) == (302, "/connections/")
    page = client.get("/connections/").content.decode()
    assert (
        "Confirmed Classic T-shirt (Size: M, Colour: Red) → uid-tshirt-m. 1 waiting order updated: 1 continues."
        in page
    )
    shirt.refresh_from_db()
    held.refresh_from_db()
    assert (shirt.needs_review, shirt.sku, held.status) == (False, "TS-M-RED-2", "ready")


def test_confirming_a_sound_connection_says_so_and_changes_nothing(store, shirt, user):
    client = logged_in(user)
    client.post(f"/connections/{shirt.pk}/confirm")
    assert (
        "This connection does not need review; nothing was changed."
        in client.get("/connections/").content.decode()
    )
    shirt.refresh_from_db()
    assert shirt.confirmed_at is None


def test_another_account_cannot_confirm_and_csrf_is_required(store, shirt, other_account):
    drift.check_products(store, ["9"], {"9": CHANGED})
    assert logged_in(other_account[1]).post(f"/connections/{shirt.pk}/confirm").status_code == 404
    client = Client(enforce_csrf_checks=True)
    client.force_login(other_account[1])
    assert client.post(f"/connections/{shirt.pk}/confirm").status_code == 403
    shirt.refresh_from_db()
    assert shirt.needs_review is True
