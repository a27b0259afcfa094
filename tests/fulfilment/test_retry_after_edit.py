"""A refused order: the merchant fixes the address (or an item's product and files) and retries; Gelato ends with
exactly one order, made from the fixed data, whatever fails on the way."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from printbridge.fulfilment.models import ItemOverride, Submission
from printbridge.fulfilment.services.retrying import (
    edit_shipping_address,
    retry_submission,
    set_item_fulfilment,
)
from printbridge.fulfilment.services.sending import send_due
from printbridge.orders import events
from printbridge.orders.errors import Conflict, InvalidInput, NotFound
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.services import VariantRef, cancel_from_store, create_connection, import_order
from tests.conftest import NOW, item, order
from tests.fulfilment.conftest import DESIGN, MUG, SHIRT_M
from tests.fulfilment.test_outbound_webhooks import POSTCODE_REFUSED

FIXED_FILE = "https://example.com/designs/mug-wrap.png"


def refused(ready_order) -> Submission:
    """Gelato answers 400 for the address: the order is Failed with Gelato's message."""
    Order.objects.filter(pk=ready_order.pk).update(
        shipping_address={**ready_order.shipping_address, "postal_code": "", "city": "Austn"}
    )
    assert send_due().outcomes == {"failed": 1}
    ready_order.refresh_from_db()
    return Submission.objects.get()


def snapshot(order_pk: int) -> tuple:
    o = Order.objects.get(pk=order_pk)
    return (
        o.status,
        o.shipping_address,
        o.release_count,
        list(o.items.order_by("pk").values_list("release_generation", flat=True)),
        list(Submission.objects.order_by("pk").values_list("state", "generation", "retried_as")),
        list(ItemOverride.objects.values_list("item_id", "provider_product_uid", "files")),
        OrderEvent.objects.count(),
    )


def make_due():
    Submission.objects.update(available_at=timezone.now() - timedelta(seconds=1), lease_until=None)


def test_after_fixing_the_address_a_retry_makes_exactly_one_gelato_order_with_it(
    ready_order, gelato, account, actor
):
    failed = refused(ready_order)
    assert (ready_order.status, failed.last_error) == ("failed", POSTCODE_REFUSED)

    edit_shipping_address(account.pk, ready_order.pk, {"postal_code": " 78702 ", "city": "Austin"}, actor)
    retry = retry_submission(account.pk, ready_order.pk, actor)
    assert send_due().outcomes == {"sent": 1}

    [placed] = gelato.orders.values()
    assert placed["orderReferenceId"] == f"pb-{ready_order.store_id}-{ready_order.pk}-g2"
    assert (placed["shippingAddress"]["postCode"], placed["shippingAddress"]["city"]) == ("78702", "Austin")
    assert [(i["productUid"], i["quantity"]) for i in placed["items"]] == [(SHIRT_M, 2), (MUG, 1)]
    ready_order.refresh_from_db()
    assert (ready_order.status, ready_order.release_count) == ("submitted", 2)
    assert list(
        Submission.objects.order_by("generation").values_list("generation", "state", "retried_as")
    ) == [
        (1, "failed", retry.pk),
        (2, "sent", None),
    ]
    assert list(ready_order.items.values_list("release_generation", flat=True)) == [2, 2]
    trail = list(OrderEvent.objects.filter(order=ready_order).order_by("pk").values_list("type", "message"))
    assert trail[[t for t, _ in trail].index("submission_failed") :] == [
        ("submission_failed", f"Gelato refused the order: {POSTCODE_REFUSED}"[:500]),
        ("order_updated", "Shipping address edited: postal_code, city"),
        ("submission_retried", f"Retry: queued for the provider again as {retry.idempotency_key}"),
        ("order_submitted", f"Sent to Gelato as order {placed['id']} (reference {retry.idempotency_key})"),
    ]


def test_the_merchant_is_emailed_once_about_the_refusal(
    ready_order, gelato, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refused(ready_order)

    assert [m.subject for m in mail.outbox] == ["Order #5001 could not be sent to Gelato"]


def test_a_500_after_gelato_made_the_retried_order_still_leaves_one_order(
    ready_order, gelato, account, actor
):
    refused(ready_order)
    edit_shipping_address(account.pk, ready_order.pk, {"postal_code": "78702"}, actor)
    retry_submission(account.pk, ready_order.pk, actor)
    gelato.faults.fail_next(status=500, count=1, after_effect=True, path_contains="/v4/orders")

    assert send_due().outcomes == {"retry": 1}
    make_due()
    assert send_due().outcomes == {"sent": 1}
    [placed] = gelato.orders.values()
    assert placed["shippingAddress"]["postCode"] == "78702"
    assert Submission.objects.get(generation=2).provider_order_id == placed["id"]


def test_retrying_twice_is_a_conflict_and_makes_one_new_submission(ready_order, gelato, account, actor):
    refused(ready_order)
    retry_submission(account.pk, ready_order.pk, actor)
    before = snapshot(ready_order.pk)

    with pytest.raises(Conflict) as raised:
        retry_submission(account.pk, ready_order.pk, actor)

    assert raised.value.message == (
        "Order #5001 is Ready for fulfilment, not Failed: only a failed order can be retried"
    )
    assert snapshot(ready_order.pk) == before
    assert Submission.objects.count() == 2


def test_an_order_that_did_not_fail_cannot_be_retried(ready_order, gelato, account, actor):
    send_due()
    before = snapshot(ready_order.pk)

    with pytest.raises(Conflict) as raised:
        retry_submission(account.pk, ready_order.pk, actor)

    assert (raised.value.message, raised.value.details) == (
        "Order #5001 is Submitted, not Failed: only a failed order can be retried",
        {"status": "submitted"},
    )
    assert snapshot(ready_order.pk) == before
    assert len(gelato.orders) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({}, "shipping_address", "Give at least one address field to change"),
        (
            {"zip": "78702"},
            "zip",
            "Unknown address field 'zip'; known: first_name, last_name, company, "
            "address1, address2, city, state, postal_code, country_code, phone, email",
        ),
        ({"country_code": "USA"}, "country_code", "country_code must be a two-letter ISO code such as US"),
        ({"city": "  "}, "city", "city cannot be empty"),
        ({"email": "not-an-address"}, "email", "email is not a valid e-mail address"),
        ({"postal_code": "9" * 21}, "postal_code", "postal_code must be text of at most 20 characters"),
        ({"phone": 5551234}, "phone", "phone must be text of at most 50 characters"),
    ],
)
def test_an_invalid_address_edit_changes_nothing(
    ready_order, gelato, account, actor, changes, field, message
):
    refused(ready_order)
    before = snapshot(ready_order.pk)

    with pytest.raises(InvalidInput) as raised:
        edit_shipping_address(account.pk, ready_order.pk, changes, actor)

    assert (raised.value.message, raised.value.details) == (message, {"field": field})
    assert snapshot(ready_order.pk) == before


def test_an_address_that_lacks_a_required_field_must_be_completed(ready_order, gelato, account, actor):
    Order.objects.filter(pk=ready_order.pk).update(shipping_address={"city": "Austin", "country_code": "US"})
    send_due()
    before = snapshot(ready_order.pk)

    with pytest.raises(InvalidInput) as raised:
        edit_shipping_address(account.pk, ready_order.pk, {"postal_code": "78701"}, actor)

    assert (raised.value.message, raised.value.details) == (
        "The address needs address1",
        {"field": "address1"},
    )
    assert snapshot(ready_order.pk) == before


def test_the_address_of_an_order_at_the_provider_cannot_be_edited(ready_order, gelato, account, actor):
    send_due()
    before = snapshot(ready_order.pk)

    with pytest.raises(Conflict) as raised:
        edit_shipping_address(account.pk, ready_order.pk, {"city": "Dallas"}, actor)

    assert raised.value.message == (
        "Order #5001 is Submitted: its shipping address can be changed only while the order waits or after "
        "the provider refused it"
    )
    assert snapshot(ready_order.pk) == before


def test_another_accounts_order_is_not_found_and_unchanged(ready_order, gelato, other_account):
    refused(ready_order)
    other, user, _ = other_account
    before = snapshot(ready_order.pk)
    actor = events.Actor.for_user(user)

    for call in (
        lambda: edit_shipping_address(other.pk, ready_order.pk, {"city": "Dallas"}, actor),
        lambda: retry_submission(other.pk, ready_order.pk, actor),
        lambda: set_item_fulfilment(other.pk, ready_order.pk, ready_order.items.first().pk, "x", {}, actor),
    ):
        with pytest.raises(NotFound) as raised:
            call()
        assert raised.value.message == "No such order"
    assert snapshot(ready_order.pk) == before


def test_an_edit_that_changes_nothing_records_nothing(ready_order, gelato, account, actor):
    refused(ready_order)
    before = snapshot(ready_order.pk)

    edit_shipping_address(account.pk, ready_order.pk, {"first_name": "Jane", "country_code": "us"}, actor)

    assert snapshot(ready_order.pk) == before


# --- a refused file, fixed for this order's item -----------------------------------------------------------------


@pytest.fixture
def bad_file_order(store, actor, gelato):
    """The mug's connection points at a file path, not a URL: Gelato refuses the order."""
    create_connection(store, VariantRef("tshirt", "tshirt-m", "TS-M", "T-shirt M"), SHIRT_M, DESIGN, actor)
    create_connection(
        store, VariantRef("mug", "mug-11", "MUG", "Mug"), MUG, {"default": "designs/mug.png"}, actor
    )
    incoming = order("6001", item("1", "tshirt-m"), item("2", "mug-11", "mug", "Mug"))
    placed = import_order(store, incoming, events.SYSTEM, now=NOW).order
    assert send_due().outcomes == {"failed": 1}
    return placed


def test_after_fixing_an_items_file_a_retry_sends_it_and_leaves_the_connection_alone(
    bad_file_order, gelato, account, actor
):
    assert Submission.objects.get().last_error.startswith(
        "items[1].files[0] needs a 'type' and an http(s) 'url'."
    )
    mug = bad_file_order.items.get(external_id="2")

    set_item_fulfilment(account.pk, bad_file_order.pk, mug.pk, "", {"default": FIXED_FILE}, actor)
    retry_submission(account.pk, bad_file_order.pk, actor)
    assert send_due().outcomes == {"sent": 1}

    [placed] = gelato.orders.values()
    assert [(i["productUid"], i["files"]) for i in placed["items"]] == [
        (SHIRT_M, [{"type": "default", "url": DESIGN["default"]}]),
        (MUG, [{"type": "default", "url": FIXED_FILE}]),
    ]
    mug.refresh_from_db()
    assert mug.connection.files == {"default": "designs/mug.png"}
    assert list(
        OrderEvent.objects.filter(order=bad_file_order, type="order_updated").values_list("message")
    ) == [(f"Item 'Mug' will be made as {MUG} (its connection's) with files: default",)]


@pytest.mark.parametrize(
    ("product", "files", "field", "message"),
    [
        (
            "",
            {"default": "designs/mug.png"},
            "files.default",
            "The file for 'default' must be an http(s) URL",
        ),
        ("", {" ": FIXED_FILE}, "files", "Each file needs a print area name of at most 50 characters"),
        ("x" * 301, {}, "provider_product_uid", "provider_product_uid must be at most 300 characters"),
        ("", {f"area{n}": FIXED_FILE for n in range(11)}, "files", "Give at most 10 files"),
    ],
)
def test_an_invalid_item_fix_changes_nothing(bad_file_order, account, actor, product, files, field, message):
    before = snapshot(bad_file_order.pk)
    mug = bad_file_order.items.get(external_id="2")

    with pytest.raises(InvalidInput) as raised:
        set_item_fulfilment(account.pk, bad_file_order.pk, mug.pk, product, files, actor)

    assert (raised.value.message, raised.value.details) == (message, {"field": field})
    assert snapshot(bad_file_order.pk) == before


def test_blank_product_and_no_files_remove_the_override(bad_file_order, account, actor):
    mug = bad_file_order.items.get(external_id="2")
    set_item_fulfilment(account.pk, bad_file_order.pk, mug.pk, "", {"default": FIXED_FILE}, actor)

    assert set_item_fulfilment(account.pk, bad_file_order.pk, mug.pk, "", {}, actor) is None
    assert ItemOverride.objects.count() == 0


def test_an_item_of_another_order_is_not_found(bad_file_order, store, account, actor):
    other = import_order(store, order("6002", item("1", "tshirt-m")), events.SYSTEM, now=NOW).order
    before = snapshot(bad_file_order.pk)

    with pytest.raises(NotFound) as raised:
        set_item_fulfilment(account.pk, bad_file_order.pk, other.items.get().pk, "", {}, actor)

    assert raised.value.message == "No such order item"
    assert snapshot(bad_file_order.pk) == before


def test_a_failed_order_cancelled_in_the_store_is_cancelled_and_not_retried(
    ready_order, gelato, account, actor
):
    refused(ready_order)
    result = cancel_from_store(ready_order.store, ready_order.external_id, "cancelled", events.SYSTEM)
    assert (result.cancelled, result.order.status) == (True, "cancelled")  # Gelato holds nothing to cancel
    before = snapshot(ready_order.pk)

    with pytest.raises(Conflict) as raised:
        retry_submission(account.pk, ready_order.pk, actor)

    assert raised.value.message == "Order #5001 is Cancelled, not Failed: only a failed order can be retried"
    assert snapshot(ready_order.pk) == before
    assert gelato.orders == {}
