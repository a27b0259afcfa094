"""A BigCommerce order that Gelato ships in two parcels: one status webhook, then one poll, each bring a parcel;
BigCommerce ends with two shipments (items, quantities, tracking), Partially Shipped after the first and
Shipped after the second, and writing back again creates nothing."""

import json
from datetime import timedelta

import httpx
import pytest
from django.test import Client
from django.utils import timezone

from printbridge.fulfilment.models import Parcel, ProviderAccount, Submission
from printbridge.fulfilment.services.accounts import set_gelato_key
from printbridge.fulfilment.services.sending import send_due
from printbridge.fulfilment.services.tracking import poll_open
from printbridge.fulfilment.services.writeback import write_back
from printbridge.ingestion.models import RefreshRequest
from printbridge.ingestion.services.sync import sync_store
from printbridge.integrations.gelato.emulator import GelatoEmulator, GelatoEmulatorConfig
from printbridge.orders.models import Order
from printbridge.routing.models import Connection
from tests.fulfilment.conftest import DESIGN, MUG, SHIRT_M

PARTIALLY_SHIPPED, SHIPPED = 3, 2


@pytest.fixture
def splitting_gelato(account, actor, settings):
    """Gelato that ships every order with several items in two parcels (first half, then the rest)."""
    emulator = GelatoEmulator(
        GelatoEmulatorConfig(port=0, time_scale=1.0, seed=3, split_shipments=1.0)
    ).start()
    emulator.add_account(api_key="gelato-key")
    set_gelato_key(
        account, "gelato-key", actor, order_url=emulator.order_url, product_url=emulator.product_url
    )
    try:
        yield emulator
    finally:
        emulator.stop()


def connect(emulated, account, sku: str, uid: str) -> None:
    product_id, variant_id = emulated.variant(sku)
    Connection.objects.create(
        account=account,
        store=emulated.connection.store,
        product_id=str(product_id),
        variant_id=str(variant_id),
        provider_product_uid=uid,
        files=DESIGN,
    )


@pytest.fixture
def sent_order(emulated, account, splitting_gelato) -> tuple[int, Order, Submission]:
    """Two T-shirts and a mug ordered in BigCommerce, imported and sent to Gelato."""
    connect(emulated, account, "TS-M-WHT", SHIRT_M)
    connect(emulated, account, "MUG-11-WHT", MUG)
    bc_order_id = emulated.store.place_order(
        [(*emulated.variant("TS-M-WHT"), 2), (*emulated.variant("MUG-11-WHT"), 1)]
    )
    emulated.notify(bc_order_id)
    RefreshRequest.objects.update(available_at=timezone.now() - timedelta(seconds=1))
    sync_store(emulated.connection.store_id, "w1", sleep=lambda s: None)
    assert send_due().outcomes == {"sent": 1}
    return bc_order_id, Order.objects.get(external_id=str(bc_order_id)), Submission.objects.get()


def status_webhook(submission: Submission, status: str):
    body = {
        "id": "os_1",
        "event": "order_status_updated",
        "orderId": submission.provider_order_id,
        "storeId": None,
        "orderReferenceId": submission.idempotency_key,
        "fulfillmentStatus": status,
        "items": [],
    }
    token = ProviderAccount.objects.get().webhook_token
    return Client().post(f"/webhooks/gelato/{token}", json.dumps(body), content_type="application/json")


def shipped_items(shipment: dict) -> list[tuple[int, int]]:
    return [(i["order_product_id"], i["quantity"]) for i in shipment["items"]]


def test_two_parcels_become_two_bigcommerce_shipments_and_a_rerun_adds_none(
    emulated, sent_order, splitting_gelato, django_capture_on_commit_callbacks
):
    bc_order_id, order, submission = sent_order
    shirt, mug = order.items.order_by("pk")
    splitting_gelato.advance(submission.provider_order_id, "printed")

    assert splitting_gelato.step(submission.provider_order_id) == "printed"  # the T-shirts' parcel only
    with django_capture_on_commit_callbacks(execute=True):
        assert status_webhook(submission, "printed").status_code == 200
    first = Parcel.objects.get()
    order.refresh_from_db()
    [shipment] = emulated.store.shipments[bc_order_id]
    assert (order.status, first.item_id) == ("partially_shipped", shirt.pk)
    assert (shipment["tracking_number"], shipped_items(shipment)) == (
        first.tracking_code,
        [(int(shirt.external_id), 2)],
    )
    assert emulated.store.order(bc_order_id)["status_id"] == PARTIALLY_SHIPPED

    assert splitting_gelato.step(submission.provider_order_id) == "shipped"  # the mug's parcel
    Submission.objects.update(polled_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert poll_open() == 1
    second = Parcel.objects.exclude(pk=first.pk).get()
    order.refresh_from_db()
    shipments = emulated.store.shipments[bc_order_id]
    assert (order.status, second.item_id, second.tracking_code != first.tracking_code) == (
        "shipped",
        mug.pk,
        True,
    )
    assert [(s["tracking_number"], shipped_items(s)) for s in shipments] == [
        (first.tracking_code, [(int(shirt.external_id), 2)]),
        (second.tracking_code, [(int(mug.external_id), 1)]),
    ]
    assert emulated.store.order(bc_order_id)["status_id"] == SHIPPED
    assert sorted(Parcel.objects.values_list("store_shipment_id", flat=True)) == sorted(
        str(s["id"]) for s in shipments
    )

    again = write_back(order.pk)
    Parcel.objects.update(
        written_back_at=None
    )  # as if the marks were lost after BigCommerce made the shipments
    after_lost_marks = write_back(order.pk)

    assert (again.created, again.adopted, again.status_set) == (0, 0, None)
    assert (after_lost_marks.created, after_lost_marks.adopted, after_lost_marks.status_set) == (0, 2, None)
    assert len(emulated.store.shipments[bc_order_id]) == 2
    assert emulated.store.order(bc_order_id)["status_id"] == SHIPPED


def test_the_emulator_steps_one_parcel_at_a_time_over_http_too(splitting_gelato):
    body = {
        "orderReferenceId": "pb-step-1",
        "customerReferenceId": "pb-store-1",
        "currency": "USD",
        "items": [
            {
                "itemReferenceId": str(n),
                "productUid": uid,
                "quantity": 1,
                "files": [{"type": "default", "url": url}],
            }
            for n, (uid, url) in enumerate([(SHIRT_M, DESIGN["default"]), (MUG, DESIGN["default"])])
        ],
        "shippingAddress": {
            "firstName": "Jane",
            "lastName": "Doe",
            "addressLine1": "1 Main St",
            "city": "Austin",
            "postCode": "78701",
            "country": "US",
        },
    }
    with httpx.Client(base_url=splitting_gelato.base_url, headers={"X-API-KEY": "gelato-key"}) as http:
        order_id = http.post("/v4/orders", json=body).json()["id"]
        http.post(f"/_emulator/orders/{order_id}/advance", json={"status": "printed"})
        steps = [http.post(f"/_emulator/orders/{order_id}/step") for _ in range(5)]

    assert [(r.status_code, r.json().get("fulfillmentStatus")) for r in steps] == [
        (200, "printed"),  # the first parcel
        (200, "shipped"),  # the second
        (200, "shipped"),  # the first delivered
        (200, "delivered"),
        (422, None),
    ]
    assert steps[4].json()["message"] == f"Invalid request: order {order_id} is delivered: no step is left"
    assert [len(r.json()["shipment"]["packages"]) for r in steps[:2]] == [1, 2]
