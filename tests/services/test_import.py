"""import_order: the import decision written to the database, the ledger, re-deliveries and the e-mail."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from printbridge.orders.models import Order, OrderEvent, OrderItem, SuppressedOrder
from printbridge.orders.rules import NO_CONNECTED_ITEMS_REASON, NOTHING_TO_FULFIL_REASON
from printbridge.orders.services import Outcome
from tests.conftest import NOW, item, order

HOURS = timedelta(hours=1)


def _fields(o, *names):
    o.refresh_from_db()
    return tuple(getattr(o, name) for name in names)


def test_order_with_every_item_connected_is_ready_and_released_as_generation_1(
    store, connect, receive, order_events, item_rows
):
    connection = connect(store, "tshirt-m")
    result = receive(store, order("1001", item("1", "tshirt-m")))
    assert result.outcome == Outcome.CREATED
    assert _fields(
        result.order, "status", "status_changed_at", "held_since", "release_at", "release_count"
    ) == (
        "ready",
        NOW,
        None,
        None,
        1,
    )
    assert item_rows(result.order) == [("1", "connected", "connection", 1)]
    assert result.order.items.get().connection_id == connection.pk
    assert order_events(result.order) == ["order_imported", "items_released"]
    imported, released = OrderEvent.objects.filter(order=result.order).order_by("pk")
    assert (imported.actor, imported.message, imported.parameters) == (
        "custom store API",
        "Imported as Ready for fulfilment",
        {"status": "ready", "items": [{"item": "1", "state": "connected", "decision": "connection"}]},
    )
    assert (released.actor, released.message, released.parameters) == (
        "system",
        "Connected items released for fulfilment",
        {"generation": 1},
    )


def test_not_connected_item_with_setting_on_holds_every_item_and_emails_requires_action(
    store, connect, receive, order_events, item_rows, settings, django_capture_on_commit_callbacks
):
    settings.PRINTBRIDGE_BASE_URL = "https://pb.example.com"
    connect(store, "tshirt-m")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = receive(store, order("1001", item("1", "tshirt-m"), item("2", "tshirt-5xl")))
    assert len(callbacks) == 1
    assert _fields(result.order, "status", "held_since", "release_count") == ("not_connected", NOW, 0)
    assert item_rows(result.order) == [
        ("1", "connected", "connection", None),
        ("2", "not_connected", "no_connection", None),
    ]
    assert order_events(result.order) == ["order_imported", "order_held", "notification_sent"]
    held = OrderEvent.objects.get(order=result.order, type="order_held")
    assert (held.message, held.parameters) == (
        "Held: 1 item(s) not connected (Classic T-shirt); Import not connected orders is on",
        {"items": ["2"]},
    )
    assert [(m.subject, m.to) for m in mail.outbox] == [("Order #1001 requires action", ["ana@example.com"])]
    assert mail.outbox[0].body == (
        "Order #1001 from Shop requires action.\n\n"
        "It was imported as Not connected and is held until each item below is connected or ignored:\n\n"
        "- 1 x Classic T-shirt [SKU TSHIRT-5XL]\n\n"
        f"Complete order: https://pb.example.com{reverse('order', args=[result.order.pk])}\n"
    )


def test_requires_action_email_goes_to_the_configured_recipients(
    make_store, receive, django_capture_on_commit_callbacks
):
    store = make_store(notification_recipients=["ops@example.com", "lead@example.com"])
    with django_capture_on_commit_callbacks(execute=True):
        receive(store, order("1001", item("1", "tshirt-5xl")))
    assert [m.to for m in mail.outbox] == [["ops@example.com", "lead@example.com"]]


def test_ship_connected_now_releases_connected_items_of_a_held_order(
    make_store, connect, receive, order_events, item_rows, django_capture_on_commit_callbacks
):
    store = make_store(partial_release="ship_connected_now")
    connect(store, "tshirt-m")
    with django_capture_on_commit_callbacks(execute=True):
        result = receive(store, order("1001", item("1", "tshirt-m"), item("2", "tshirt-5xl")))
    assert _fields(result.order, "status", "release_count") == ("not_connected", 1)
    assert item_rows(result.order) == [
        ("1", "connected", "connection", 1),
        ("2", "not_connected", "no_connection", None),
    ]
    assert order_events(result.order) == [
        "order_imported",
        "order_held",
        "items_released",
        "notification_sent",
    ]
    assert [m.subject for m in mail.outbox] == ["Order #1001 requires action"]


def test_setting_off_imports_connected_items_and_marks_not_connected_ones_skipped(
    make_store, connect, receive, order_events, item_rows, django_capture_on_commit_callbacks
):
    store = make_store(import_not_connected=False)
    connect(store, "tshirt-m")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = receive(store, order("1001", item("1", "tshirt-m"), item("2", "tshirt-5xl")))
    assert (result.outcome, len(callbacks), mail.outbox) == (Outcome.CREATED, 1, [])  # the outbox sender
    assert _fields(result.order, "status", "held_since", "release_count") == ("ready", None, 1)
    assert item_rows(result.order) == [
        ("1", "connected", "connection", 1),
        ("2", "skipped", "skipped_setting_off", None),
    ]
    assert order_events(result.order) == ["order_imported", "items_released"]
    assert SuppressedOrder.objects.count() == 0


def test_setting_off_with_no_connected_item_is_not_imported_and_ledgered(make_store, receive, account):
    store = make_store(import_not_connected=False)
    result = receive(
        store,
        order("1001", item("1", "tshirt-5xl"), item("2", "ebook", "ebook", "Ebook", item_type="digital")),
    )
    assert (result.outcome, result.order, Order.objects.count()) == (Outcome.SUPPRESSED, None, 0)
    row = SuppressedOrder.objects.get()
    assert row == result.suppressed
    assert (row.account, row.store, row.external_id, row.number, row.reason, row.delivery_count) == (
        account,
        store,
        "1001",
        "1001",
        NO_CONNECTED_ITEMS_REASON,
        1,
    )
    assert (row.placed_at, row.total, row.currency, row.customer_name, row.imported_at) == (
        NOW,
        Decimal("10.00"),
        "USD",
        "Jane Doe",
        None,
    )
    assert row.items == [
        {"external_id": "1", "name": "Classic T-shirt", "sku": "TSHIRT-5XL", "product_id": "tshirt",
         "variant_id": "tshirt-5xl", "quantity": 1, "state": "not_connected", "reason": "not connected",
         "rule_id": None},
        {"external_id": "2", "name": "Ebook", "sku": "EBOOK", "product_id": "ebook", "variant_id": "ebook",
         "quantity": 1, "state": "not_applicable", "reason": "not a physical item: nothing to fulfil",
         "rule_id": None},
    ]  # fmt: skip
    assert list(row.rules.all()) == []
    event = OrderEvent.objects.get(type="order_suppressed")
    assert (event.order, event.store, event.actor, event.message) == (
        None,
        store,
        "custom store API",
        f"Order #1001 not imported: {NO_CONNECTED_ITEMS_REASON}",
    )
    assert event.parameters == {
        "external_id": "1001",
        "number": "1001",
        "reason": NO_CONNECTED_ITEMS_REASON,
        "items": row.items,
    }


def test_order_with_only_ignored_variants_is_not_imported_and_the_ledger_names_the_rule(
    store, ignore, receive
):
    rule = ignore(store, "variant", "tshirt", "tshirt-4xl")
    result = receive(store, order("1002", item("1", "tshirt-4xl")))
    assert (result.outcome, Order.objects.count()) == (Outcome.SUPPRESSED, 0)
    row = SuppressedOrder.objects.get()
    assert row.reason == NOTHING_TO_FULFIL_REASON
    assert [(i["state"], i["reason"], i["rule_id"]) for i in row.items] == [
        ("ignored", "ignored by rule: this variant for all incoming orders", rule.pk)
    ]
    assert list(row.rules.all()) == [rule]
    assert OrderEvent.objects.filter(type="order_suppressed").count() == 1


def test_order_of_only_digital_and_gift_certificate_items_is_not_imported(store, receive):
    result = receive(
        store,
        order("1003", item("1", "ebook", "ebook", item_type="digital"), item("2", "gift", "gift", item_type="gift_certificate")),
    )  # fmt: skip
    assert (result.outcome, Order.objects.count()) == (Outcome.SUPPRESSED, 0)
    row = SuppressedOrder.objects.get()
    assert (row.reason, [i["state"] for i in row.items]) == (
        NOTHING_TO_FULFIL_REASON,
        ["not_applicable", "not_applicable"],
    )


def test_digital_item_of_an_imported_order_is_not_applicable_and_never_released(
    store, connect, receive, item_rows
):
    connect(store, "tshirt-m")
    result = receive(
        store, order("1004", item("1", "tshirt-m"), item("2", "ebook", "ebook", item_type="digital"))
    )
    assert item_rows(result.order) == [
        ("1", "connected", "connection", 1),
        ("2", "not_applicable", "not_physical", None),
    ]


@pytest.mark.parametrize(
    ("mode", "placed_at", "expected"),
    [
        pytest.param(
            "manual", NOW - 100 * HOURS, ("pending_approval", None, 0), id="manual-waits-for-a-user"
        ),
        pytest.param(
            "delayed", NOW - 2 * HOURS, ("pending_approval", NOW + 22 * HOURS, 0), id="delayed-waits"
        ),
        pytest.param("delayed", NOW - 30 * HOURS, ("ready", None, 1), id="delayed-already-past-due"),
    ],
)
def test_connected_order_follows_the_approval_mode(
    make_store, connect, receive, item_rows, mode, placed_at, expected
):
    store = make_store(approval_mode=mode, approval_delay_hours=24)
    connect(store, "tshirt-m")
    result = receive(store, order("1005", item("1", "tshirt-m"), placed_at=placed_at))
    assert _fields(result.order, "status", "release_at", "release_count") == expected
    assert item_rows(result.order) == [("1", "connected", "connection", expected[2] or None)]


def test_redelivery_of_the_same_payload_is_unchanged_and_writes_nothing(store, receive):
    first = receive(store, order("1001", item("1", "tshirt-5xl")))
    events_before = OrderEvent.objects.count()
    again = receive(store, order("1001", item("1", "tshirt-5xl")), now=NOW + HOURS)
    assert (again.outcome, again.order.pk) == (Outcome.UNCHANGED, first.order.pk)
    assert (Order.objects.count(), OrderItem.objects.count(), OrderEvent.objects.count()) == (
        1,
        1,
        events_before,
    )
    assert _fields(again.order, "status_changed_at", "held_since") == (NOW, NOW)


def test_redelivery_with_a_changed_payload_updates_the_order_without_duplicating_it(
    store, receive, order_events
):
    first = receive(store, order("1001", item("1", "tshirt-5xl", quantity=1)))
    again = receive(store, order("1001", item("1", "tshirt-5xl", quantity=3), total="30.00"), now=NOW + HOURS)
    assert (again.outcome, again.order.pk, Order.objects.count(), OrderItem.objects.count()) == (
        Outcome.UPDATED,
        first.order.pk,
        1,
        1,
    )
    assert _fields(again.order, "status", "subtotal", "total") == (
        "not_connected",
        Decimal("30.00"),
        Decimal("30.00"),
    )
    assert again.order.items.get().quantity == 3
    assert order_events(again.order) == ["order_imported", "order_held", "order_updated"]
    updated = OrderEvent.objects.get(type="order_updated")
    assert (updated.message, updated.parameters) == (
        "Updated by the store: subtotal, total, item 1: quantity",
        {"changed": ["subtotal", "total", "item 1: quantity"]},
    )


def test_item_added_by_the_store_to_a_held_order_is_classified_and_waits(store, connect, receive, item_rows):
    connect(store, "tshirt-m")
    receive(store, order("1001", item("1", "tshirt-5xl")))
    again = receive(
        store, order("1001", item("1", "tshirt-5xl"), item("2", "tshirt-m"), item("3", "tshirt-l"))
    )
    assert again.outcome == Outcome.UPDATED
    assert item_rows(again.order) == [
        ("1", "not_connected", "no_connection", None),
        ("2", "connected", "connection", None),
        ("3", "not_connected", "no_connection", None),
    ]


def test_item_added_to_an_order_that_already_went_on_is_skipped_not_held(store, connect, receive, item_rows):
    connect(store, "tshirt-m")
    receive(store, order("1001", item("1", "tshirt-m")))
    again = receive(store, order("1001", item("1", "tshirt-m"), item("2", "tshirt-5xl")))
    assert _fields(again.order, "status", "release_count") == ("ready", 1)
    assert item_rows(again.order) == [
        ("1", "connected", "connection", 1),
        ("2", "skipped", "skipped_setting_off", None),
    ]


def test_redelivery_of_a_suppressed_order_counts_the_delivery_without_a_second_event(store, ignore, receive):
    ignore(store, "variant", "tshirt", "tshirt-4xl")
    receive(store, order("1002", item("1", "tshirt-4xl")))
    again = receive(store, order("1002", item("1", "tshirt-4xl")), now=NOW + HOURS)
    assert again.outcome == Outcome.SUPPRESSED
    assert list(SuppressedOrder.objects.values_list("external_id", "delivery_count")) == [("1002", 2)]
    assert OrderEvent.objects.filter(type="order_suppressed").count() == 1


def test_redelivery_after_a_connection_imports_a_suppressed_order_and_closes_its_ledger_row(
    make_store, connect, receive, item_rows
):
    store = make_store(import_not_connected=False)
    receive(store, order("1001", item("1", "tshirt-5xl")))
    connect(store, "tshirt-5xl")
    result = receive(store, order("1001", item("1", "tshirt-5xl")), now=NOW + HOURS)
    assert (result.outcome, _fields(result.order, "status")) == (Outcome.CREATED, ("ready",))
    assert item_rows(result.order) == [("1", "connected", "connection", 1)]
    row = SuppressedOrder.objects.get()
    assert (row.imported_at, row.imported_order) == (NOW + HOURS, result.order)


def test_same_external_id_in_another_store_is_another_order(store, make_store, receive):
    other = make_store("Second shop")
    first = receive(store, order("1001", item("1", "tshirt-5xl")))
    second = receive(other, order("1001", item("1", "tshirt-5xl")))
    assert (first.outcome, second.outcome) == (Outcome.CREATED, Outcome.CREATED)
    assert sorted(Order.objects.values_list("store__name", "external_id")) == [
        ("Second shop", "1001"),
        ("Shop", "1001"),
    ]
