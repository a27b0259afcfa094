"""What a connection that needs review does to incoming orders (custom store, no emulator), how drift compares
a connection with the store's variant, and confirming a flagged connection over the API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from printbridge.integrations.bigcommerce import payloads as bc
from printbridge.orders import events
from printbridge.orders.incoming import IncomingItem
from printbridge.orders.models import OrderEvent, SuppressedOrder
from printbridge.orders.services import VariantRef, create_connection, import_order
from printbridge.routing import drift
from printbridge.routing.models import Connection
from printbridge.stores.models import StoreSettings
from tests.api.conftest import connection_body, iso
from tests.conftest import NOW, order

INTAKE = events.Actor.system("custom store API")
SHIRT = (("Size", "M"), ("Colour", "Red"))


def variant(variant_id: int, sku: str, options=SHIRT) -> bc.Variant:
    return bc.Variant(variant_id, 9, sku, options, Decimal("19"), False)


def product(*variants: bc.Variant) -> bc.Product:
    return bc.Product(9, "Classic T-shirt", "physical", "", True, None, None, variants)


@pytest.fixture
def shirt(store, actor):
    ref = VariantRef("9", "21", "TS-M-RED", "Classic T-shirt (Size: M, Colour: Red)", SHIRT)
    return create_connection(store, ref, "uid-tshirt-m", {"front": "https://d.example.com/m.png"}, actor)


def line(sku: str = "TS-M-RED") -> IncomingItem:
    return IncomingItem("1", "9", "21", "Classic T-shirt", 1, sku, Decimal("19"), SHIRT)


# --- comparing ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "reason"),
    [
        pytest.param(product(variant(21, "TS-M-RED")), "", id="unchanged"),
        pytest.param(
            product(variant(22, "TS-L-RED")), "variant 21 was deleted in the store", id="variant-deleted"
        ),
        pytest.param(None, "product 9 was deleted in the store", id="product-deleted"),
        pytest.param(product(variant(21, "TS-M-RED-2")), "SKU changed from TS-M-RED to TS-M-RED-2", id="sku"),
        pytest.param(
            product(variant(21, "TS-M-RED", (("Size", "Medium"), ("Colour", "Red")))),
            "options changed from Size: M to Size: Medium",
            id="option-value",
        ),
        pytest.param(
            product(variant(21, "TS-M-RED", (("Shirt size", "M"), ("Shade", "Red")))),
            "options changed from Size: M, Colour: Red to Shirt size: M, Shade: Red",
            id="options-renamed",
        ),
        pytest.param(
            product(variant(21, "TS-2", (("Size", "L"), ("Colour", "Red")))),
            "SKU changed from TS-M-RED to TS-2; options changed from Size: M to Size: L",
            id="sku-and-options",
        ),
    ],
)
def test_drift_compares_the_connection_with_the_stores_variant(shirt, shown, reason):
    assert drift.compare(shirt, drift.observe(shown, "9", "21")) == reason


def test_recorded_order_line_modifiers_never_count_as_an_option_change(shirt):
    shirt.options = [*shirt.options, {"name": "Gift message", "value": "For Mia"}]

    assert drift.compare(shirt, drift.observe(product(variant(21, "TS-M-RED")), "9", "21")) == ""


def test_a_connection_with_unknown_options_is_compared_by_sku_only(shirt):
    shirt.options = None

    shown = product(variant(21, "TS-M-RED", (("Size", "XL"),)))
    assert drift.compare(shirt, drift.observe(shown, "9", "21")) == ""


# --- incoming orders ------------------------------------------------------------------------------------------


def test_an_order_for_a_variant_whose_connection_needs_review_is_held_with_the_reason(store, shirt, api):
    drift.check_products(store, ["9"], {"9": product(variant(21, "TS-M-RED-2"))})

    imported = import_order(store, order("5001", line("TS-M-RED-2")), INTAKE, NOW).order

    item = imported.items.get()
    assert (imported.status, item.state, item.decision, item.connection_id) == (
        "not_connected",
        "not_connected",
        "connection_needs_review",
        shirt.pk,
    )
    body = api.get(f"/api/v1/orders/{imported.pk}").json()
    assert body["items"][0]["reason"] == "connection needs review: SKU changed from TS-M-RED to TS-M-RED-2"
    assert OrderEvent.objects.get(order=imported, type="order_held").message == (
        "Held: 1 item(s) not connected (Classic T-shirt); Import not connected orders is on"
    )


def test_with_import_not_connected_off_the_ledger_gives_the_review_reason(store, shirt):
    StoreSettings.objects.filter(store=store).update(import_not_connected=False)
    drift.check_products(store, ["9"], {})

    result = import_order(store, order("5002", line()), INTAKE, NOW)

    ledger = SuppressedOrder.objects.get()
    assert (result.outcome, ledger.reason) == (
        "suppressed",
        "no connected items; Import not connected orders is off",
    )
    assert [(i["state"], i["reason"]) for i in ledger.items] == [
        ("not_connected", "connection needs review: product 9 was deleted in the store")
    ]


def test_other_variants_of_the_product_stay_connected(store, shirt, actor):
    other = create_connection(
        store, VariantRef("9", "22", "TS-L-RED", "Classic T-shirt (Size: L)"), "uid-l", {}, actor
    )
    drift.check_products(store, ["9"], {"9": product(variant(22, "TS-L-RED"))})

    imported = import_order(
        store, order("5003", IncomingItem("1", "9", "22", "Classic T-shirt", 1, "TS-L-RED")), INTAKE, NOW
    ).order

    assert (imported.status, imported.items.get().connection_id) == ("ready", other.pk)


# --- confirming over the API ----------------------------------------------------------------------------------


def url(connection_id: int) -> str:
    return f"/api/v1/connections/{connection_id}/confirm"


def test_confirm_takes_the_stores_sku_and_options_and_moves_the_waiting_orders(store, shirt, api):
    drift.check_products(
        store, ["9"], {"9": product(variant(21, "TS-M-RED-2", (("Size", "Medium"), ("Colour", "Red"))))}
    )
    held = import_order(store, order("5004", line("TS-M-RED-2")), INTAKE, NOW).order

    response = api.post(url(shirt.pk))

    shirt.refresh_from_db()
    held.refresh_from_db()
    assert response.status_code == 200
    body = response.json()
    assert (body["needs_review"], body["continued"], body["still_waiting"]) == (False, 1, 0)
    assert body["connection"] == connection_body(shirt)
    assert (body["connection"]["sku"], body["connection"]["needs_review"]) == ("TS-M-RED-2", False)
    assert body["connection"]["review_reason"] == (
        "SKU changed from TS-M-RED to TS-M-RED-2; options changed from Size: M to Size: Medium"
    )
    assert body["confirmed_at"] == iso(shirt.confirmed_at)
    assert shirt.options == [{"name": "Size", "value": "Medium"}, {"name": "Colour", "value": "Red"}]
    assert (held.status, held.items.get().state) == ("ready", "connected")
    assert (
        drift.compare(
            shirt,
            drift.observe(
                product(variant(21, "TS-M-RED-2", (("Size", "Medium"), ("Colour", "Red")))), "9", "21"
            ),
        )
        == ""
    )


def test_confirm_is_409_when_nothing_needs_review_or_the_variant_is_gone(store, shirt, api):
    sound = api.post(url(shirt.pk))
    drift.check_products(store, ["9"], {"9": product()})
    gone = api.post(url(shirt.pk))

    assert (sound.status_code, sound.json()) == (409, {"detail": "This connection does not need review"})
    assert (gone.status_code, gone.json()) == (
        409,
        {
            "detail": "The store no longer has this variant (variant 21 was deleted in the store): disconnect it, "
            "or connect the variant that replaced it"
        },
    )
    shirt.refresh_from_db()
    assert (shirt.needs_review, shirt.confirmed_at) == (True, None)


def test_confirm_of_another_accounts_connection_is_404_and_changes_nothing(store, other_account, api):
    _, user, foreign = other_account
    theirs = create_connection(
        foreign, VariantRef("9", "21", "TS-M-RED"), "uid", {}, events.Actor.for_user(user)
    )
    drift.check_products(foreign, ["9"], {})

    response = api.post(url(theirs.pk))

    assert (response.status_code, response.json()) == (404, {"detail": "No such connection"})
    assert Connection.objects.get(pk=theirs.pk).needs_review is True


def test_confirm_with_a_session_needs_the_csrf_token(store, shirt, user):
    drift.check_products(store, ["9"], {})
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.post(url(shirt.pk), content_type="application/json")

    assert response.status_code == 403
    assert Connection.objects.get(pk=shirt.pk).needs_review is True
