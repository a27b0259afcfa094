"""Drift through the webhook path against the emulator: a variant deleted, its SKU or options changed, or the
product deleted in the store flags the connection (reason, audit event, one e-mail), new orders for it wait as
Not connected with that reason, and the merchant clears it by confirming or connecting again."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from printbridge.ingestion.models import RefreshRequest
from printbridge.notifications.models import Notification
from printbridge.orders import events
from printbridge.orders.explain import item_reason
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.services import ConnectTarget, connect_item
from printbridge.routing import drift
from printbridge.routing.models import CatalogCheck, Connection
from tests.drift.conftest import MEDIUM, PRODUCT_ID, SIZE_OPTION, SMALL, SMALL_VALUE

FLAG_FIELDS = ("variant_id", "sku", "needs_review", "review_reason")


def flags() -> list[tuple]:
    return list(Connection.objects.order_by("pk").values_list(*FLAG_FIELDS))


def catalog_reads(emulated) -> list[str]:
    return [
        path
        for method, path in emulated.store.requests
        if method == "GET" and "/v3/catalog/products?" in path
    ]


def review_events() -> list[tuple[str, str]]:
    rows = OrderEvent.objects.filter(type__in=["connection_needs_review", "connection_confirmed"]).order_by(
        "pk"
    )
    return [(e.type, e.message) for e in rows]


def test_a_deleted_variant_is_flagged_through_the_sku_webhook_with_one_email(emulated, published, webhooks):
    emulated.store.delete_variant(PRODUCT_ID, SMALL)

    assert webhooks.deliver("store/sku/deleted") == [200]

    assert flags() == [
        ("252", "CAT-S-RED", True, "variant 252 was deleted in the store"),
        ("253", "CAT-M-RED", False, ""),
    ]
    flagged = Connection.objects.get(variant_id="252")
    assert flagged.review_observed == {"deleted": True, "sku": "", "options": []}
    assert review_events() == [
        (
            "connection_needs_review",
            "Cat tee (Size: S, Colour: Red) needs review: variant 252 was deleted in the store; "
            "new orders with it wait",
        )
    ]
    assert catalog_reads(emulated) == [
        "/stores/abc123/v3/catalog/products?include=variants&id%3Ain=117&limit=250&page=1"
    ]
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("1 connected variant of Emulated shop changed in the store: review needed", ["ana@example.com"])
    ]
    assert (
        "- Cat tee (Size: S, Colour: Red) [SKU CAT-S-RED]: variant 252 was deleted in the store"
        in mail.outbox[0].body
    )
    assert list(Notification.objects.values_list("kind", "status")) == [("connection_review", "sent")]
    assert list(CatalogCheck.objects.values_list("product_id", "reason", "state")) == [
        ("117", "webhook", "done")
    ]


def test_a_changed_sku_holds_new_orders_with_the_reason_until_the_merchant_confirms(
    emulated, published, webhooks, actor, account
):
    store = emulated.connection.store
    emulated.store.update_variant(PRODUCT_ID, SMALL, {"sku": "CAT-S-RED-2"})
    webhooks.deliver("store/sku/updated")
    order_id = emulated.place("CAT-S-RED-2")

    webhooks.deliver("store/order/created")
    RefreshRequest.objects.update(available_at=timezone.now())
    webhooks.deliver("store/order/statusUpdated")  # kicks the sync again, now that the refresh is due

    order = Order.objects.get(store=store, external_id=str(order_id))
    line = order.items.get()
    assert (order.status, line.state, line.decision) == (
        "not_connected",
        "not_connected",
        "connection_needs_review",
    )
    assert line.connection_id == Connection.objects.get(variant_id="252").pk
    assert item_reason(line) == "connection needs review: SKU changed from CAT-S-RED to CAT-S-RED-2"
    assert flags()[0] == ("252", "CAT-S-RED", True, "SKU changed from CAT-S-RED to CAT-S-RED-2")

    confirmed = drift.confirm_connection(account.pk, line.connection_id, events.Actor.for_user(actor.user))

    assert flags() == [
        ("252", "CAT-S-RED-2", False, "SKU changed from CAT-S-RED to CAT-S-RED-2"),
        ("253", "CAT-M-RED", False, ""),
    ]
    assert (confirmed.applied.continued, confirmed.applied.still_waiting) == (1, 0)
    order.refresh_from_db()
    line.refresh_from_db()
    assert (order.status, line.state, line.decision) == ("ready", "connected", "connection")
    assert review_events()[-1] == (
        "connection_confirmed",
        "Confirmed Cat tee (Size: S, Colour: Red) is still correct (SKU changed from CAT-S-RED to CAT-S-RED-2)",
    )
    emulated.store.update_variant(PRODUCT_ID, SMALL, {"price": 25})
    webhooks.deliver("store/sku/updated")
    assert Connection.objects.filter(needs_review=True).count() == 0
    assert [m.subject for m in mail.outbox] == [
        "1 connected variant of Emulated shop changed in the store: review needed",
        f"Order #{order_id} requires action",
    ]


def test_a_renamed_option_value_flags_only_the_variants_that_use_it(emulated, published, webhooks):
    emulated.store.rename_option_value(PRODUCT_ID, SIZE_OPTION, SMALL_VALUE, {"label": "Small"})

    webhooks.deliver("store/product/updated")

    assert flags() == [
        ("252", "CAT-S-RED", True, "options changed from Size: S to Size: Small"),
        ("253", "CAT-M-RED", False, ""),
    ]
    assert Connection.objects.get(variant_id="252").review_observed == {
        "deleted": False,
        "sku": "CAT-S-RED",
        "options": [{"name": "Size", "value": "Small"}, {"name": "Colour", "value": "Red"}],
    }


def test_a_deleted_product_flags_every_connection_with_a_single_email(emulated, published, webhooks):
    emulated.store.delete_product(PRODUCT_ID)

    webhooks.deliver("store/product/deleted")

    assert flags() == [
        ("252", "CAT-S-RED", True, "product 117 was deleted in the store"),
        ("253", "CAT-M-RED", True, "product 117 was deleted in the store"),
    ]
    assert [m.subject for m in mail.outbox] == [
        "2 connected variants of Emulated shop changed in the store: review needed"
    ]
    body = mail.outbox[0].body
    assert "- Cat tee (Size: S, Colour: Red) [SKU CAT-S-RED]: product 117 was deleted in the store" in body
    assert "- Cat tee (Size: M, Colour: Red) [SKU CAT-M-RED]: product 117 was deleted in the store" in body


def test_the_same_drift_seen_again_sends_no_second_email(emulated, published, webhooks):
    emulated.store.update_variant(PRODUCT_ID, MEDIUM, {"sku": "CAT-M-RED-2"})
    webhooks.deliver("store/sku/updated")
    emulated.store.update_variant(PRODUCT_ID, MEDIUM, {"price": 30})

    webhooks.deliver("store/sku/updated")

    assert flags()[1] == ("253", "CAT-M-RED", True, "SKU changed from CAT-M-RED to CAT-M-RED-2")
    assert len(mail.outbox) == 1
    assert [t for t, _ in review_events()] == ["connection_needs_review"]
    assert list(CatalogCheck.objects.values_list("state", flat=True)) == ["done", "done"]


def test_a_webhook_for_a_product_nothing_is_connected_to_queues_no_check(emulated, published, webhooks):
    shirt_variant = emulated.variant("TS-M-WHT")[1]
    emulated.store.update_variant(111, shirt_variant, {"sku": "TS-M-WHITE"})

    assert webhooks.deliver("store/sku/updated") == [200]

    assert CatalogCheck.objects.count() == 0
    assert catalog_reads(emulated) == []
    assert Connection.objects.filter(needs_review=True).count() == 0


def test_connecting_the_variant_again_replaces_the_flagged_connection(
    emulated, published, webhooks, actor, account
):
    emulated.store.update_variant(PRODUCT_ID, SMALL, {"sku": "CAT-S-RED-2"})
    webhooks.deliver("store/sku/updated")
    order_id = emulated.place("CAT-S-RED-2")
    emulated.notify(order_id)
    RefreshRequest.objects.update(available_at=timezone.now())
    webhooks.deliver("store/order/created")
    order = Order.objects.get(external_id=str(order_id))
    flagged = Connection.objects.get(variant_id="252")

    target = ConnectTarget("apparel_cat_s_v2", {"front": "https://designs.example.com/cat-s-v2.png"})
    resolution = connect_item(account.pk, order.pk, order.items.get().pk, target, actor)

    flagged.refresh_from_db()
    assert flagged.disconnected_at is not None
    assert list(
        Connection.objects.filter(variant_id="252", disconnected_at__isnull=True).values_list(
            "provider_product_uid", "sku", "needs_review"
        )
    ) == [("apparel_cat_s_v2", "CAT-S-RED-2", False)]
    assert resolution.completed is True
    removed = OrderEvent.objects.get(type="connection_removed")
    assert removed.message == (
        "Replaced Cat tee (Size: S, Colour: Red), which needed review (SKU changed from CAT-S-RED to CAT-S-RED-2)"
    )
    assert removed.parameters["replaced"] is True


def test_the_periodic_check_catches_a_change_whose_webhook_was_lost(emulated, published, webhooks):
    from printbridge.jobs.management.commands.scheduler import enqueue_drift_checks

    emulated.emulator.faults.webhooks(drop=1.0)
    emulated.store.update_variant(PRODUCT_ID, MEDIUM, {"sku": "CAT-M-RED-2"})
    assert webhooks.logged("store/sku/updated", timeout=0.2) == []
    assert flags()[1][2] is False

    with webhooks.capture(execute=True):
        assert enqueue_drift_checks() == 1

    assert flags()[1] == ("253", "CAT-M-RED", True, "SKU changed from CAT-M-RED to CAT-M-RED-2")
    assert list(CatalogCheck.objects.values_list("product_id", "reason", "state")) == [
        ("117", "periodic", "done")
    ]
    assert drift.claim_periodic() == []
    assert drift.claim_periodic(timezone.now() + timedelta(hours=25)) == [emulated.connection.store_id]
