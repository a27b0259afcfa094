"""The order API's fulfilment data (submissions, parcels) and fix-then-retry: PATCH shipping-address,
PUT items/{id}/fulfilment, POST retry — success, invalid input (422), wrong state (409), another account (404),
no credentials (401), no CSRF token (403); nothing changes when the answer is an error."""

from contextlib import contextmanager

import pytest
from django.test import Client

from printbridge.fulfilment.models import ItemOverride, OutboundDelivery, OutboundWebhook, Parcel, Submission
from printbridge.fulfilment.services.sending import send_due
from printbridge.fulfilment.services.tracking import refresh
from printbridge.orders.models import Order
from tests.api.conftest import assert_invalid, assert_rejected, iso, nothing_written
from tests.fulfilment.conftest import DESIGN, MUG

FIXED_FILE = "https://example.com/designs/fixed.png"


@contextmanager
def unchanged():
    """Neither the orders' tables nor fulfilment's change."""
    models = (Submission, ItemOverride, Parcel, OutboundWebhook, OutboundDelivery)
    before = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    with nothing_written():
        yield
    assert {m.__name__: list(m.objects.order_by("pk").values()) for m in models} == before


def fail(o: Order) -> None:
    Order.objects.filter(pk=o.pk).update(shipping_address={**o.shipping_address, "postal_code": ""})
    assert send_due().outcomes == {"failed": 1}


# --- the order's fulfilment data --------------------------------------------------------------------------------


def test_the_order_shows_its_provider_order_and_parcels_with_tracking(ready_order, gelato, api):
    send_due()
    submission = Submission.objects.select_related("store", "order").get()
    gelato.advance(submission.provider_order_id, "shipped")
    refresh(submission)
    submission.refresh_from_db()
    shirt, mug = ready_order.items.order_by("pk")

    body = api.get(f"/api/v1/orders/{ready_order.pk}").json()

    assert body["fulfilment"]["submissions"] == [
        {
            "id": submission.pk,
            "generation": 1,
            "reference": submission.idempotency_key,
            "provider": "gelato",
            "state": "sent",
            "provider_order_id": submission.provider_order_id,
            "provider_status": "shipped",
            "attempts": 1,
            "last_error": "",
            "item_ids": [shirt.pk, mug.pk],
            "retried_as": None,
            "created_at": iso(submission.created_at),
            "sent_at": iso(submission.sent_at),
        }
    ]
    [package] = gelato.orders[submission.provider_order_id]["shipment"]["packages"]  # seed 2: one parcel
    parcel = Parcel.objects.order_by("pk").first()
    assert body["fulfilment"]["parcels"] == [
        {
            "tracking_number": package["trackingCode"],
            "carrier": "UPS Ground",
            "tracking_url": package["trackingUrl"],
            "shipped_at": iso(parcel.shipped_at),
            "provider_order_id": submission.provider_order_id,
            "store_shipment_id": "",
            "items": [
                {"item_id": i.pk, "external_id": i.external_id, "sku": i.sku, "name": i.name, "quantity": q}
                for i, q in ((shirt, 2), (mug, 1))
            ],
        }
    ]
    assert (body["status"], body["fulfilment"]["overrides"]) == ("shipped", [])


# --- PATCH shipping-address -------------------------------------------------------------------------------------


def test_patching_the_address_of_a_failed_order_changes_only_the_fields_given(ready_order, gelato, api):
    fail(ready_order)

    response = api.patch(
        f"/api/v1/orders/{ready_order.pk}/shipping-address", {"postal_code": "78702", "country_code": "us"}
    )

    assert response.status_code == 200
    assert response.json()["shipping_address"] == {
        "first_name": "Jane",
        "last_name": "Doe",
        "address1": "1 Main St",
        "city": "Austin",
        "postal_code": "78702",
        "country_code": "US",
    }
    assert [(e["type"], e["message"], e["actor"]) for e in response.json()["events"]][-1] == (
        "order_updated",
        "Shipping address edited: postal_code",
        "ana@example.com",
    )


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"country_code": "USA"}, "country_code", "String should match pattern '^[A-Za-z]{2}$'"),
        ({"zip": "78702"}, "zip", "Extra inputs are not permitted"),
        ({"address1": ""}, "address1", "String should have at least 1 character"),
    ],
)
def test_an_invalid_address_is_422_and_changes_nothing(ready_order, gelato, api, body, field, message):
    fail(ready_order)

    with unchanged():
        response = api.patch(f"/api/v1/orders/{ready_order.pk}/shipping-address", body)

    assert_invalid(response, field, message)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "shipping_address", "Give at least one address field to change"),
        ({"email": "nope"}, "email", "email is not a valid e-mail address"),
        ({"city": None}, "shipping_address", "Give at least one address field to change"),
    ],
)
def test_an_address_patch_the_service_refuses_is_422(ready_order, gelato, api, body, field, message):
    fail(ready_order)

    with unchanged():
        response = api.patch(f"/api/v1/orders/{ready_order.pk}/shipping-address", body)

    assert_rejected(response, field, message)


def test_the_address_of_a_submitted_order_is_409(ready_order, gelato, api):
    send_due()

    with unchanged():
        response = api.patch(f"/api/v1/orders/{ready_order.pk}/shipping-address", {"city": "Dallas"})

    assert (response.status_code, response.json()) == (
        409,
        {
            "detail": "Order #5001 is Submitted: its shipping address can be changed only while the order waits "
            "or after the provider refused it",
            "status": "submitted",
        },
    )


# --- PUT items/{id}/fulfilment ----------------------------------------------------------------------------------


def test_an_items_product_and_files_can_be_replaced_for_this_order(ready_order, gelato, api):
    fail(ready_order)
    mug = ready_order.items.get(external_id="2")

    response = api.client.put(
        f"/api/v1/orders/{ready_order.pk}/items/{mug.pk}/fulfilment",
        {"provider_product_uid": MUG, "files": {"default": FIXED_FILE}},
        content_type="application/json",
        headers=api.headers,
    )

    assert response.status_code == 200
    assert response.json()["fulfilment"]["overrides"] == [
        {"item_id": mug.pk, "provider_product_uid": MUG, "files": {"default": FIXED_FILE}}
    ]
    assert mug.connection.files == DESIGN


def test_an_item_file_that_is_not_a_url_is_422(ready_order, gelato, api):
    fail(ready_order)
    mug = ready_order.items.get(external_id="2")

    with unchanged():
        response = api.client.put(
            f"/api/v1/orders/{ready_order.pk}/items/{mug.pk}/fulfilment",
            {"files": {"default": "designs/mug.png"}},
            content_type="application/json",
            headers=api.headers,
        )

    assert_rejected(response, "files.default", "The file for 'default' must be an http(s) URL")


# --- POST retry -------------------------------------------------------------------------------------------------


def test_retrying_a_failed_order_queues_a_new_generation(ready_order, gelato, api):
    fail(ready_order)
    api.patch(f"/api/v1/orders/{ready_order.pk}/shipping-address", {"postal_code": "78702"})

    response = api.post(f"/api/v1/orders/{ready_order.pk}/retry")

    reference = f"pb-{ready_order.store_id}-{ready_order.pk}-g2"
    assert (response.status_code, response.json()) == (
        200,
        {
            "order_id": ready_order.pk,
            "status": "ready",
            "generation": 2,
            "reference": reference,
            "detail": f"Queued for the provider as {reference}",
        },
    )
    assert send_due().outcomes == {"sent": 1}
    assert [o["shippingAddress"]["postCode"] for o in gelato.orders.values()] == ["78702"]
    submissions = api.get(f"/api/v1/orders/{ready_order.pk}").json()["fulfilment"]["submissions"]
    assert [(s["generation"], s["state"], s["item_ids"] != [], s["retried_as"]) for s in submissions] == [
        (1, "failed", False, submissions[1]["id"]),
        (2, "sent", True, None),
    ]


def test_retrying_an_order_that_is_not_failed_is_409_and_changes_nothing(ready_order, gelato, api):
    with unchanged():
        response = api.post(f"/api/v1/orders/{ready_order.pk}/retry")

    assert (response.status_code, response.json()) == (
        409,
        {
            "detail": "Order #5001 is Ready for fulfilment, not Failed: only a failed order can be retried",
            "status": "ready",
        },
    )


# --- tenancy, authentication, CSRF ------------------------------------------------------------------------------


def test_another_accounts_order_is_404_on_every_fulfilment_endpoint(ready_order, gelato, other_account):
    from printbridge.stores.services import issue_api_token
    from tests.conftest import TokenClient

    fail(ready_order)
    _, user, _ = other_account
    theirs = TokenClient(issue_api_token(user, other_account[0], "t")[1])
    item_id = ready_order.items.first().pk
    with unchanged():
        responses = [
            theirs.patch(f"/api/v1/orders/{ready_order.pk}/shipping-address", {"city": "Dallas"}),
            theirs.client.put(
                f"/api/v1/orders/{ready_order.pk}/items/{item_id}/fulfilment",
                {"files": {"default": FIXED_FILE}},
                content_type="application/json",
                headers=theirs.headers,
            ),
            theirs.post(f"/api/v1/orders/{ready_order.pk}/retry"),
            theirs.get(f"/api/v1/orders/{ready_order.pk}"),
        ]

    assert [(r.status_code, r.json()) for r in responses] == [(404, {"detail": "No such order"})] * 4


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("patch", "/api/v1/orders/{id}/shipping-address"),
        ("put", "/api/v1/orders/{id}/items/{item}/fulfilment"),
        ("post", "/api/v1/orders/{id}/retry"),
    ],
)
def test_without_credentials_it_is_401_and_without_csrf_403(ready_order, gelato, user, method, path):
    fail(ready_order)
    url = path.format(id=ready_order.pk, item=ready_order.items.first().pk)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    with unchanged():
        anonymous = getattr(Client(enforce_csrf_checks=True), method)(
            url, {}, content_type="application/json"
        )
        no_csrf = getattr(browser, method)(url, {"city": "Dallas"}, content_type="application/json")

    assert (anonymous.status_code, anonymous.json()) == (401, {"detail": "Authentication required"})
    assert (no_csrf.status_code, no_csrf.json()) == (403, {"detail": "CSRF check Failed"})
