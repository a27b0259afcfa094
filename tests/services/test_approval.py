"""Approval: approve_orders (one or many) and release_due_orders for delayed approval."""

from datetime import timedelta

import pytest

from printbridge.orders import events
from printbridge.orders.errors import NotFound
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.rules import IgnoreScope, OrderStatus
from printbridge.orders.services import approve_orders, ignore_item, release_due_orders
from printbridge.orders.services.approval import ApprovalResult
from printbridge.orders.services.release import set_status
from printbridge.stores.services import update_settings
from tests.conftest import NOW, item, order

HOURS = timedelta(hours=1)
LATER = NOW + HOURS


def _row(o, *names):
    return tuple(Order.objects.values_list(*names).get(pk=o.pk))


@pytest.fixture
def manual_store(make_store, connect):
    store = make_store("Manual shop", approval_mode="manual")
    connect(store, "tshirt-m")
    return store


@pytest.fixture
def delayed_store(make_store, connect):
    store = make_store("Delayed shop", approval_mode="delayed", approval_delay_hours=24)
    connect(store, "tshirt-m")
    return store


def test_approving_a_pending_order_makes_it_ready_and_releases_its_items(
    manual_store, user, account, actor, receive, order_events, item_rows
):
    o = receive(manual_store, order("1001", item("1", "tshirt-m"))).order
    assert _row(o, "status", "release_count") == ("pending_approval", 0)
    assert approve_orders(account.pk, [o.pk], actor, now=LATER) == ApprovalResult([o.pk], {})
    assert _row(
        o, "status", "status_changed_at", "approved_at", "approved_by", "release_at", "release_count"
    ) == (
        "ready",
        LATER,
        LATER,
        user.pk,
        None,
        1,
    )
    assert item_rows(o) == [("1", "connected", "connection", 1)]
    assert order_events(o) == ["order_imported", "order_approved"]
    approved = OrderEvent.objects.get(type="order_approved")
    assert (approved.actor, approved.actor_user, approved.message) == (
        "ana@example.com",
        user,
        "Approved: ready for fulfilment",
    )


def test_bulk_approval_approves_pending_orders_and_skips_the_others_with_why(
    manual_store, store, connect, account, actor, receive, order_events
):
    connect(store, "tshirt-m")
    first = receive(manual_store, order("1", item("1", "tshirt-m"))).order
    second = receive(manual_store, order("2", item("1", "tshirt-m"))).order
    waiting = receive(store, order("3", item("1", "tshirt-5xl"))).order
    ready = receive(store, order("4", item("1", "tshirt-m"))).order
    result = approve_orders(
        account.pk, [ready.pk, second.pk, waiting.pk, first.pk, first.pk], actor, now=LATER
    )
    assert result == ApprovalResult(
        [first.pk, second.pk],
        {
            waiting.pk: "is Not connected, not pending approval",
            ready.pk: "is Ready for fulfilment, not pending approval",
        },
    )
    assert [_row(o, "status", "release_count") for o in (first, second, waiting, ready)] == [
        ("ready", 1),
        ("ready", 1),
        ("not_connected", 0),
        ("ready", 1),
    ]
    assert (order_events(waiting), order_events(ready)) == (
        ["order_imported", "order_held"],
        ["order_imported", "items_released"],
    )
    assert list(
        OrderEvent.objects.filter(type="order_approved").order_by("order_id").values_list("order", "store")
    ) == [
        (first.pk, manual_store.pk),
        (second.pk, manual_store.pk),
    ]


def test_approving_twice_skips_the_second_time_and_opens_no_new_generation(
    manual_store, account, actor, receive
):
    o = receive(manual_store, order("1", item("1", "tshirt-m"))).order
    approve_orders(account.pk, [o.pk], actor, now=LATER)
    again = approve_orders(account.pk, [o.pk], actor, now=LATER + HOURS)
    assert again == ApprovalResult([], {o.pk: "is Ready for fulfilment, not pending approval"})
    assert _row(o, "status", "approved_at", "release_count") == ("ready", LATER, 1)
    assert OrderEvent.objects.filter(type="order_approved").count() == 1


def test_bulk_approval_with_another_accounts_order_is_not_found_and_approves_nothing(
    manual_store, account, actor, connect, receive, other_account
):
    other, other_user, other_store = other_account
    update_settings(other.pk, other_store.pk, {"approval_mode": "manual"}, events.Actor.for_user(other_user))
    connect(other_store, "tshirt-m")
    ours = receive(manual_store, order("1", item("1", "tshirt-m"))).order
    foreign = receive(other_store, order("1", item("1", "tshirt-m"))).order
    with pytest.raises(NotFound) as raised:
        approve_orders(account.pk, [ours.pk, foreign.pk], actor, now=LATER)
    assert raised.value.details == {"missing": [foreign.pk]}
    assert (_row(ours, "status", "release_count"), _row(foreign, "status", "release_count")) == (
        ("pending_approval", 0),
        ("pending_approval", 0),
    )
    assert OrderEvent.objects.filter(type="order_approved").count() == 0


def test_release_due_orders_releases_delayed_orders_when_their_time_comes(
    delayed_store, manual_store, receive, order_events, item_rows
):
    early = receive(delayed_store, order("1", item("1", "tshirt-m"), placed_at=NOW - 20 * HOURS)).order
    late = receive(delayed_store, order("2", item("1", "tshirt-m"), placed_at=NOW - 10 * HOURS)).order
    manual = receive(manual_store, order("3", item("1", "tshirt-m"), placed_at=NOW - 100 * HOURS)).order
    assert [_row(o, "status", "release_at") for o in (early, late, manual)] == [
        ("pending_approval", NOW + 4 * HOURS),
        ("pending_approval", NOW + 14 * HOURS),
        ("pending_approval", None),
    ]
    assert release_due_orders(now=NOW + 4 * HOURS - timedelta(seconds=1)) == 0
    assert release_due_orders(now=NOW + 4 * HOURS) == 1
    assert _row(early, "status", "status_changed_at", "release_at", "approved_by", "release_count") == (
        "ready",
        NOW + 4 * HOURS,
        None,
        None,
        1,
    )
    assert item_rows(early) == [("1", "connected", "connection", 1)]
    assert order_events(early) == ["order_imported", "order_released"]
    released = OrderEvent.objects.get(type="order_released")
    assert (released.actor, released.message) == ("system", "Approval delay over: ready for fulfilment")
    assert (_row(late, "status"), _row(manual, "status")) == (("pending_approval",), ("pending_approval",))
    assert release_due_orders(now=NOW + 100 * HOURS) == 1
    assert [_row(o, "status", "release_count") for o in (early, late, manual)] == [
        ("ready", 1),
        ("ready", 1),
        ("pending_approval", 0),
    ]
    assert release_due_orders(now=NOW + 200 * HOURS) == 0
    assert OrderEvent.objects.filter(type="order_released").count() == 2


def test_a_delayed_order_approved_early_is_not_released_again(
    delayed_store, account, actor, receive, order_events
):
    o = receive(delayed_store, order("1", item("1", "tshirt-m"))).order
    approve_orders(account.pk, [o.pk], actor, now=LATER)
    assert release_due_orders(now=NOW + 48 * HOURS) == 0
    assert _row(o, "status", "release_at", "release_count") == ("ready", None, 1)
    assert order_events(o) == ["order_imported", "order_approved"]


def test_approving_an_order_whose_connected_items_already_went_out_opens_no_empty_generation(
    make_store, connect, account, actor, receive, item_rows
):
    store = make_store(partial_release="ship_connected_now")
    connect(store, "tshirt-m")
    o = receive(store, order("1", item("1", "tshirt-m"), item("2", "tshirt-5xl"))).order
    update_settings(account.pk, store.pk, {"partial_release": "hold_all", "approval_mode": "manual"}, actor)
    ignore_item(account.pk, o.pk, o.items.get(external_id="2").pk, IgnoreScope.ITEM, actor, now=LATER)
    assert _row(o, "status", "release_count") == ("pending_approval", 1)
    assert approve_orders(account.pk, [o.pk], actor, now=LATER).approved == [o.pk]
    assert _row(o, "status", "release_count") == ("ready", 1)
    assert item_rows(o) == [("1", "connected", "connection", 1), ("2", "ignored", "ignored_for_order", None)]


@pytest.mark.parametrize(
    "late", [OrderStatus.PENDING_APPROVAL, OrderStatus.NOT_CONNECTED, OrderStatus.READY], ids=str
)
def test_a_late_or_repeated_status_update_never_moves_an_order_back(store, connect, receive, late):
    connect(store, "tshirt-m")
    o = receive(store, order("1", item("1", "tshirt-m"))).order
    assert set_status(o, OrderStatus.SUBMITTED, LATER) is True
    assert set_status(o, late, LATER + HOURS) is False
    assert _row(o, "status", "status_changed_at") == ("submitted", LATER)
