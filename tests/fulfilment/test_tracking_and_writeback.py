"""Provider statuses move orders forward only; parcels merge; shipments are written back to BigCommerce once."""

from datetime import timedelta

from django.utils import timezone

from printbridge.fulfilment.models import Parcel, Submission
from printbridge.fulfilment.services.sending import send_due
from printbridge.fulfilment.services.tracking import apply, poll_open, refresh
from printbridge.fulfilment.services.writeback import write_back
from printbridge.ingestion.services.sync import sync_store
from printbridge.integrations.gelato.client import GelatoClient
from printbridge.orders.models import Order, OrderEvent
from printbridge.routing.models import Connection
from tests.fulfilment.conftest import DESIGN, SHIRT_M


def sent(ready_order, gelato) -> Submission:
    assert send_due().outcomes == {"sent": 1}
    return Submission.objects.select_related("store", "order").get()


def test_shipped_at_gelato_makes_the_order_shipped_with_its_tracking(ready_order, gelato):
    submission = sent(ready_order, gelato)
    gelato.advance(submission.provider_order_id, "shipped")
    new = refresh(submission)
    ready_order.refresh_from_db()
    assert ready_order.status == "shipped"
    assert len(new) == 2 and len({p.tracking_code for p in new}) == 1
    assert sorted(p.item.external_id for p in new) == ["1", "2"]
    assert list(
        OrderEvent.objects.filter(order=ready_order, type="parcel_shipped").values_list("message", flat=True)
    ) == [f"Shipped: tracking {new[0].tracking_code}"]


def test_a_late_in_production_update_never_moves_a_shipped_order_back(ready_order, gelato):
    submission = sent(ready_order, gelato)
    gelato.advance(submission.provider_order_id, "shipped")
    refresh(submission)
    client = GelatoClient("gelato-key", order_base_url=gelato.order_url, product_base_url=gelato.product_url)
    shipped = client.get_order(submission.provider_order_id)
    stale = shipped.__class__(**{**shipped.__dict__, "fulfillment_status": "in_production", "items": ()})
    apply(Submission.objects.get(pk=submission.pk), stale)
    ready_order.refresh_from_db()
    assert ready_order.status == "shipped"
    assert Parcel.objects.count() == 2


def test_applying_the_same_shipment_twice_keeps_one_parcel_per_item(ready_order, gelato):
    submission = sent(ready_order, gelato)
    gelato.advance(submission.provider_order_id, "shipped")
    refresh(submission)
    assert refresh(Submission.objects.select_related("store", "order").get()) == []
    assert Parcel.objects.count() == 2


def test_polling_reads_open_submissions_that_webhooks_did_not_report(ready_order, gelato):
    submission = sent(ready_order, gelato)
    gelato.advance(submission.provider_order_id, "in_production")
    Submission.objects.update(polled_at=timezone.now() - timedelta(hours=1))
    assert poll_open() == 1
    ready_order.refresh_from_db()
    assert ready_order.status == "in_production"


def test_a_custom_store_keeps_the_parcels_for_the_api_and_calls_nothing(ready_order, gelato):
    submission = sent(ready_order, gelato)
    gelato.advance(submission.provider_order_id, "shipped")
    refresh(submission)
    result = write_back(ready_order.pk)
    assert (result.created, result.adopted) == (0, 0)
    assert Parcel.objects.filter(written_back_at__isnull=True).count() == 0


def test_a_bigcommerce_order_gets_one_shipment_with_tracking_and_the_shipped_status(
    emulated, account, actor, gelato
):
    product_id, variant_id = emulated.variant("TS-M-WHT")
    Connection.objects.create(
        account=account,
        store=emulated.connection.store,
        product_id=str(product_id),
        variant_id=str(variant_id),
        provider_product_uid=SHIRT_M,
        files=DESIGN,
    )
    order_id = emulated.place("TS-M-WHT", quantity=2)
    emulated.notify(order_id)
    from printbridge.ingestion.models import RefreshRequest

    RefreshRequest.objects.update(available_at=timezone.now() - timedelta(seconds=1))
    sync_store(emulated.connection.store_id, "w1", sleep=lambda s: None)
    order = Order.objects.get(external_id=str(order_id))
    assert order.status == "ready"
    submission = sent(order, gelato)
    gelato.advance(submission.provider_order_id, "shipped")
    refresh(submission)
    result = write_back(order.pk)
    shipments = emulated.store.shipments[order_id]
    parcel = Parcel.objects.get()
    assert (result.created, len(shipments)) == (1, 1)
    assert shipments[0]["tracking_number"] == parcel.tracking_code
    assert [(i["order_product_id"], i["quantity"]) for i in shipments[0]["items"]] == [
        (int(parcel.item.external_id), 2)
    ]
    assert emulated.store.order(order_id)["status_id"] == 2
    again = write_back(order.pk)
    assert (again.created, len(emulated.store.shipments[order_id])) == (0, 1)
