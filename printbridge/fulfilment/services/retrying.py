"""After the provider refused an order: fix its shipping address or an item's product and files, then retry.

A retry never re-sends the refused submission: it opens a NEW generation for the refused items, so the new
submission has its own idempotency key (`pb-{store}-{order}-g{n+1}`) and goes through the same check-then-create
sending as any other. The refused submission stays failed and points at its retry, so one refusal is retried
once, however often the button is pressed."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from printbridge.fulfilment.models import ItemOverride, Submission
from printbridge.fulfilment.outbox import queue_submissions
from printbridge.orders import events, rules
from printbridge.orders.errors import Conflict, InvalidInput, NotFound
from printbridge.orders.models import Order, OrderEvent, OrderItem
from printbridge.orders.services.release import set_status

Event = OrderEvent.Type
S = rules.OrderStatus
EDITABLE = frozenset({S.FAILED, S.NOT_CONNECTED, S.PENDING_APPROVAL})
ADDRESS_FIELDS = {
    "first_name": 100,
    "last_name": 100,
    "company": 200,
    "address1": 300,
    "address2": 300,
    "city": 100,
    "state": 100,
    "postal_code": 20,
    "country_code": 10,  # the format check below says what is wrong
    "phone": 50,
    "email": 254,
}
ADDRESS_REQUIRED = ("address1", "city", "country_code")
MAX_FILES = 10
URL = re.compile(r"^https?://\S+$")


def _locked_order(account_id: int, order_id: int) -> Order:
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("store")
        .filter(account_id=account_id, pk=order_id)
        .first()
    )
    if order is None:
        raise NotFound("No such order")
    return order


def _check_editable(order: Order, what: str) -> None:
    if order.status not in EDITABLE:
        raise Conflict(
            f"Order #{order.number} is {order.get_status_display()}: {what} can be changed only while the "
            "order waits or after the provider refused it",
            status=order.status,
        )
    if Submission.objects.filter(order=order, state=Submission.State.SENDING).exists():
        raise Conflict(
            f"Order #{order.number} is being sent to the provider right now; try again in a minute"
        )


# --- the shipping address ---------------------------------------------------------------------------------------


def clean_address(changes: Mapping[str, object]) -> dict[str, str]:
    """The changed fields, stripped and checked; InvalidInput names the first problem."""
    if not changes:
        raise InvalidInput("Give at least one address field to change", field="shipping_address")
    cleaned = {}
    for name, value in changes.items():
        if name not in ADDRESS_FIELDS:
            raise InvalidInput(
                f"Unknown address field {name!r}; known: {', '.join(ADDRESS_FIELDS)}", field=name
            )
        if not isinstance(value, str) or len(value.strip()) > ADDRESS_FIELDS[name]:
            raise InvalidInput(
                f"{name} must be text of at most {ADDRESS_FIELDS[name]} characters", field=name
            )
        cleaned[name] = value.strip()
    _check_values(cleaned)
    return cleaned


def _check_values(cleaned: dict[str, str]) -> None:
    if "country_code" in cleaned:
        cleaned["country_code"] = cleaned["country_code"].upper()
        if not re.fullmatch(r"[A-Z]{2}", cleaned["country_code"]):
            raise InvalidInput("country_code must be a two-letter ISO code such as US", field="country_code")
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            raise InvalidInput("email is not a valid e-mail address", field="email") from None
    for name in ADDRESS_REQUIRED:
        if name in cleaned and not cleaned[name]:
            raise InvalidInput(f"{name} cannot be empty", field=name)


def _check_complete(address: Mapping[str, object]) -> None:
    missing = [name for name in ADDRESS_REQUIRED if not address.get(name)]
    if missing:
        raise InvalidInput(f"The address needs {', '.join(missing)}", field=missing[0])


def edit_shipping_address(
    account_id: int, order_id: int, changes: Mapping[str, object], actor: events.Actor
) -> Order:
    """Change some fields of the address the provider will ship to. Nothing changes on invalid input."""
    cleaned = clean_address(changes)
    with transaction.atomic():
        order = _locked_order(account_id, order_id)
        _check_editable(order, "its shipping address")
        _check_complete({**order.shipping_address, **cleaned})
        before = {name: order.shipping_address.get(name, "") for name in cleaned}
        changed = [name for name in cleaned if before[name] != cleaned[name]]
        if not changed:
            return order
        order.shipping_address = {**order.shipping_address, **cleaned}
        order.save(update_fields=["shipping_address", "updated_at"])
        events.record(
            Event.ORDER_UPDATED,
            f"Shipping address edited: {', '.join(changed)}",
            actor,
            store=order.store,
            order=order,
            changed=changed,
            before={name: before[name] for name in changed},
        )
    return order


# --- an item's product and files --------------------------------------------------------------------------------


def clean_files(files: Mapping[str, object]) -> dict[str, str]:
    if len(files) > MAX_FILES:
        raise InvalidInput(f"Give at most {MAX_FILES} files", field="files")
    cleaned = {}
    for area, url in files.items():
        if not isinstance(area, str) or not area.strip() or len(area) > 50:
            raise InvalidInput("Each file needs a print area name of at most 50 characters", field="files")
        if not isinstance(url, str) or len(url) > 2000 or not URL.match(url.strip()):
            raise InvalidInput(f"The file for {area!r} must be an http(s) URL", field=f"files.{area}")
        cleaned[area.strip()] = url.strip()
    return cleaned


def set_item_fulfilment(
    account_id: int,
    order_id: int,
    item_id: int,
    product_uid: str,
    files: Mapping[str, object],
    actor: events.Actor,
) -> ItemOverride | None:
    """This order's item is made from `product_uid` with `files` instead of its connection's (blank or empty:
    the connection's). Both blank removes the override. The store-wide connection is not changed."""
    product_uid = (product_uid or "").strip()
    if len(product_uid) > 300:
        raise InvalidInput(
            "provider_product_uid must be at most 300 characters", field="provider_product_uid"
        )
    cleaned = clean_files(files)
    with transaction.atomic():
        order = _locked_order(account_id, order_id)
        item = OrderItem.objects.filter(order=order, pk=item_id).select_related("connection").first()
        if item is None:
            raise NotFound("No such order item")
        _check_editable(order, "what an item is made of")
        if item.state != rules.ItemState.CONNECTED:
            raise Conflict(f"Item {item.name!r} is not connected: connect it to a product first")
        return _save_override(order, item, product_uid, cleaned, actor)


def _save_override(
    order: Order, item: OrderItem, product_uid: str, files: dict[str, str], actor: events.Actor
) -> ItemOverride | None:
    ItemOverride.objects.filter(item=item).delete()
    override = None
    if product_uid or files:
        override = ItemOverride.objects.create(item=item, provider_product_uid=product_uid, files=files)
    product = product_uid or f"{item.connection.provider_product_uid} (its connection's)"
    areas = ", ".join(sorted(files)) if files else "its connection's"
    events.record(
        Event.ORDER_UPDATED,
        f"Item {item.name!r} will be made as {product} with files: {areas}",
        actor,
        store=order.store,
        order=order,
        item_id=item.pk,
        provider_product_uid=product_uid,
        files=files,
    )
    return override


# --- the retry --------------------------------------------------------------------------------------------------


def retry_submission(account_id: int, order_id: int, actor: events.Actor) -> Submission:
    """Send the refused part of a failed order again, as a new generation. 409 unless the order is Failed."""
    with transaction.atomic():
        order = _locked_order(account_id, order_id)
        if order.status != S.FAILED:
            raise Conflict(
                f"Order #{order.number} is {order.get_status_display()}, not Failed: only a failed order can "
                "be retried",
                status=order.status,
            )
        failed = list(
            Submission.objects.select_for_update().filter(
                order=order, state=Submission.State.FAILED, retried_as__isnull=True
            )
        )
        if any(s.cancel_requested for s in failed):
            raise Conflict(f"Order #{order.number} was cancelled in the store: it is not sent again")
        submission = _new_generation(order, failed)
        set_status(order, S.READY, timezone.now())
        events.record(
            Event.SUBMISSION_RETRIED,
            f"Retry: queued for the provider again as {submission.idempotency_key}",
            actor,
            store=order.store,
            order=order,
            generation=submission.generation,
            replaces=[s.idempotency_key for s in failed],
        )
    return submission


def _new_generation(order: Order, failed: list[Submission]) -> Submission:
    generation = order.release_count + 1
    moved = OrderItem.objects.filter(
        order=order, state=rules.ItemState.CONNECTED, release_generation__in=[s.generation for s in failed]
    ).update(release_generation=generation)
    if not failed or not moved:
        raise Conflict(
            f"Order #{order.number} has no refused item left to send: connect its items, then retry"
        )
    order.release_count = generation
    order.save(update_fields=["release_count", "updated_at"])
    queue_submissions([order.pk])
    submission = Submission.objects.get(order=order, generation=generation)
    Submission.objects.filter(pk__in=[s.pk for s in failed]).update(retried_as=submission)
    return submission
