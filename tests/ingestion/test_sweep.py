"""The sync's sweep for new orders (full pages from the newest seen id) and refreshes that need no call because
the state the sync last applied already explains their webhooks."""

from datetime import timedelta

from django.utils import timezone

from printbridge.ingestion.models import RefreshRequest, SeenOrder
from printbridge.ingestion.services.receive import receive_webhook
from printbridge.integrations.bigcommerce.webhooks import WebhookEvent
from printbridge.orders.models import Order
from printbridge.stores.models import BigCommerceConnection
from tests.ingestion.emulated import HASH
from tests.ingestion.test_sync import make_due, run, statuses

CREATED, STATUS, UPDATED = "store/order/created", "store/order/statusUpdated", "store/order/updated"


def deliver(e, order_id: int, scope: str, new_status: int | None = None) -> None:
    data = {"type": "order", "id": order_id}
    if new_status is not None:
        data["status"] = {"previous_status_id": 0, "new_status_id": new_status}
    digest = f"{scope}-{order_id}-{new_status}"
    event = WebhookEvent(scope, "1", f"stores/{HASH}", "order", order_id, digest, data)
    receive_webhook(e.connection.store, event, webhook_id=digest)


def order_paths(e, before: int) -> list[str]:
    return [path.split("?")[0] for _, path in e.api_calls()[before:]]


def test_a_burst_is_read_in_full_pages_before_its_webhooks_arrive(emulated):
    ids = [emulated.place("TS-M-WHT") for _ in range(600)]
    deliver(emulated, ids[0], CREATED)
    make_due()
    assert run(emulated).outcomes == {"created": 1}  # nothing seen yet: read by its id
    deliver(emulated, ids[1], CREATED)  # newer than anything seen: sweep every newer order
    make_due()
    before = len(emulated.api_calls())
    report = run(emulated)
    assert order_paths(emulated, before) == ["/stores/abc123/v2/orders"] * 3  # 250 + 250 + 99
    assert report.outcomes == {"created": 599, "already_current": 1}
    assert Order.objects.filter(store=emulated.connection.store).count() == 600
    for order_id in ids[2:]:  # the burst's webhooks arrive late: each is explained by what was read
        deliver(emulated, order_id, CREATED)
        deliver(emulated, order_id, STATUS, new_status=11)
    make_due()
    before = len(emulated.api_calls())
    assert run(emulated).outcomes == {"already_current": 598}
    assert order_paths(emulated, before) == []
    assert set(RefreshRequest.objects.values_list("state", flat=True)) == {"done"}


def test_a_later_webhook_the_state_does_not_explain_reads_the_order_again(emulated):
    first, second, third = (emulated.place("MUG-11-WHT") for _ in range(3))
    deliver(emulated, first, CREATED)
    deliver(emulated, second, CREATED)
    deliver(emulated, third, CREATED)
    make_due()
    run(emulated)
    emulated.store.set_status(first, 5)  # cancelled: statusUpdated to a status the sync has not seen
    deliver(emulated, first, STATUS, new_status=5)
    deliver(emulated, second, UPDATED)  # any change: always read
    deliver(emulated, third, STATUS, new_status=11)  # the status the sync has: explained
    make_due()
    before = len(emulated.api_calls())
    report = run(emulated)
    assert order_paths(emulated, before) == ["/stores/abc123/v2/orders"]  # one range call for both
    assert report.outcomes == {"cancelled": 1, "unchanged": 1, "already_current": 1}
    assert statuses(emulated.connection.store_id)[str(first)] == "cancelled"
    seen = dict(SeenOrder.objects.values_list("order_id", "status_id"))
    assert seen == {first: 5, second: 11, third: 11}


def test_orders_created_before_the_store_was_connected_are_not_swept(emulated):
    old = [emulated.place("TS-M-WHT") for _ in range(3)]
    BigCommerceConnection.objects.filter(pk=emulated.connection.pk).update(
        connected_at=timezone.now() + timedelta(hours=2)  # as if the store were connected after these orders
    )
    deliver(emulated, old[0], CREATED)
    make_due()
    run(emulated)
    deliver(emulated, old[2], UPDATED)  # an old order's change names it: read by id, nothing else swept
    make_due()
    assert run(emulated).outcomes == {"created": 1}
    assert set(statuses(emulated.connection.store_id)) == {str(old[0]), str(old[2])}
