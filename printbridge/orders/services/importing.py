"""import_order: the one way an order enters Printbridge, from any channel. Idempotent on (store, external id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import timezone

from printbridge.notifications.services import queue_action_required
from printbridge.orders import events, explain, rules
from printbridge.orders.incoming import IncomingItem, IncomingOrder
from printbridge.orders.models import Order, OrderEvent, OrderItem, SuppressedOrder
from printbridge.orders.services.release import release_now
from printbridge.orders.services.routing_facts import policy_for, routing_for
from printbridge.stores.models import Store

Event = OrderEvent.Type


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class ImportResult:
    outcome: Outcome
    order: Order | None = None
    suppressed: SuppressedOrder | None = None


def import_order(
    store: Store, incoming: IncomingOrder, actor: events.Actor, now: datetime | None = None
) -> ImportResult:
    """Create, update or suppress the order. A re-delivery updates and never duplicates; a race retries once."""
    now = now or timezone.now()
    try:
        return _import(store, incoming, actor, now)
    except IntegrityError:
        return _import(store, incoming, actor, now)


@transaction.atomic
def _import(store: Store, incoming: IncomingOrder, actor: events.Actor, now: datetime) -> ImportResult:
    existing = (
        Order.objects.select_for_update(of=("self",))
        .filter(store=store, external_id=incoming.external_id)
        .first()
    )
    if existing is not None:
        return _update_existing(existing, incoming, actor, now)
    refs = [item.ref() for item in incoming.items]
    decision = rules.decide_import(refs, routing_for(store, refs), policy_for(store), incoming.placed_at, now)
    if not decision.imported:
        return _suppress(store, incoming, decision, actor)
    with transaction.atomic():
        order = _create(store, incoming, decision, now)
    _after_create(order, decision, actor, now)
    return ImportResult(Outcome.CREATED, order=order)


def _create(store: Store, incoming: IncomingOrder, decision: rules.ImportDecision, now: datetime) -> Order:
    status = decision.status or rules.OrderStatus.NOT_CONNECTED
    order = Order.objects.create(
        account_id=store.account_id,
        store=store,
        status=status,
        status_changed_at=now,
        held_since=now if status == rules.OrderStatus.NOT_CONNECTED else None,
        release_at=decision.release_at,
        content_hash=incoming.content_hash(),
        **_order_fields(incoming),
    )
    OrderItem.objects.bulk_create(
        [_new_item(order, item, d, now) for item, d in zip(incoming.items, decision.items, strict=True)]
    )
    return order


def _after_create(order: Order, decision: rules.ImportDecision, actor: events.Actor, now: datetime) -> None:
    store = order.store
    events.record(
        Event.ORDER_IMPORTED,
        f"Imported as {order.get_status_display()}",
        actor,
        store=store,
        order=order,
        status=order.status,
        items=explain.item_summaries(order.items.all()),
    )
    if order.status == rules.OrderStatus.NOT_CONNECTED:
        _record_hold(order, actor)
    if decision.release_connected_now and release_now(order):
        events.record(
            Event.ITEMS_RELEASED,
            "Connected items released for fulfilment",
            events.SYSTEM,
            store=store,
            order=order,
            generation=order.release_count,
        )
    SuppressedOrder.objects.filter(
        store=store, external_id=order.external_id, imported_at__isnull=True
    ).update(imported_at=now, imported_order=order)


def _record_hold(order: Order, actor: events.Actor) -> None:
    waiting = list(order.items.filter(state=rules.ItemState.NOT_CONNECTED))
    names = ", ".join(item.name for item in waiting)
    events.record(
        Event.ORDER_HELD,
        f"Held: {len(waiting)} item(s) not connected ({names}); Import not connected orders is on",
        actor,
        store=order.store,
        order=order,
        items=[item.external_id for item in waiting],
    )
    queue_action_required(order)


def _order_fields(incoming: IncomingOrder) -> dict:
    return {
        "external_id": incoming.external_id,
        "number": incoming.number,
        "customer_name": incoming.customer_name,
        "customer_email": incoming.customer_email,
        "shipping_address": incoming.shipping_address,
        "currency": incoming.currency,
        "subtotal": incoming.subtotal,
        "total": incoming.total,
        "placed_at": incoming.placed_at,
    }


def _item_fields(item: IncomingItem) -> dict:
    return {
        "external_id": item.external_id,
        "product_id": item.product_id,
        "variant_id": item.variant_id,
        "sku": item.sku,
        "name": item.name,
        "options": item.options_json(),
        "quantity": item.quantity,
        "unit_price": item.unit_price,
        "item_type": item.item_type,
        "address_ref": item.address_ref,
    }


def _new_item(order: Order, item: IncomingItem, decision: rules.ItemDecision, now: datetime) -> OrderItem:
    return OrderItem(
        order=order,
        state=decision.state,
        decision=decision.decision,
        connection_id=decision.connection_id,
        ignore_rule_id=decision.rule_id,
        decided_at=now,
        **_item_fields(item),
    )


# --- re-delivery ------------------------------------------------------------------------------------------------


def _update_existing(
    order: Order, incoming: IncomingOrder, actor: events.Actor, now: datetime
) -> ImportResult:
    content_hash = incoming.content_hash()
    if order.content_hash == content_hash:
        return ImportResult(Outcome.UNCHANGED, order=order)
    changed = [name for name, value in _order_fields(incoming).items() if getattr(order, name) != value]
    for name in changed:
        setattr(order, name, getattr(incoming, name))
    order.content_hash = content_hash
    order.save()
    changed += _update_items(order, incoming, now)
    events.record(
        Event.ORDER_UPDATED,
        f"Updated by the store: {', '.join(changed) or 'no visible change'}",
        actor,
        store=order.store,
        order=order,
        changed=changed,
    )
    return ImportResult(Outcome.UPDATED, order=order)


def _update_items(order: Order, incoming: IncomingOrder, now: datetime) -> list[str]:
    """Refresh known items' details; classify items the store added after import."""
    known = {item.external_id: item for item in order.items.all()}
    added = [item for item in incoming.items if item.external_id not in known]
    changed = []
    for item in incoming.items:
        current = known.get(item.external_id)
        fields = {k: v for k, v in _item_fields(item).items() if current and getattr(current, k) != v}
        if current and fields:
            OrderItem.objects.filter(pk=current.pk).update(**fields)
            changed.append(f"item {item.external_id}: {', '.join(fields)}")
    if added:
        _add_items(order, added, now)
        changed.append(f"items added: {', '.join(i.external_id for i in added)}")
    return changed


def _add_items(order: Order, added: list[IncomingItem], now: datetime) -> None:
    refs = [item.ref() for item in added]
    routing = routing_for(order.store, refs)
    decisions = [rules.classify_item(ref, routing) for ref in refs]
    if order.status != rules.OrderStatus.NOT_CONNECTED:
        decisions = list(rules.skip_not_connected(decisions))
    OrderItem.objects.bulk_create(
        [_new_item(order, i, d, now) for i, d in zip(added, decisions, strict=True)]
    )


# --- the ledger -------------------------------------------------------------------------------------------------


def _suppress(
    store: Store, incoming: IncomingOrder, decision: rules.ImportDecision, actor: events.Actor
) -> ImportResult:
    items = [explain.ledger_item(item, d) for item, d in zip(incoming.items, decision.items, strict=True)]
    fields = _ledger_fields(store, incoming, decision, items)
    row, created = SuppressedOrder.objects.get_or_create(
        store=store, external_id=incoming.external_id, defaults=fields
    )
    previous_reason = row.reason
    if not created:
        SuppressedOrder.objects.filter(pk=row.pk).update(
            **fields, delivery_count=row.delivery_count + 1, imported_at=None, imported_order=None
        )
        row.refresh_from_db()
    row.rules.set([d.rule_id for d in decision.items if d.rule_id])
    if created or previous_reason != decision.suppress_reason:
        _record_suppressed(store, incoming, decision, items, actor)
    return ImportResult(Outcome.SUPPRESSED, suppressed=row)


def _record_suppressed(store, incoming: IncomingOrder, decision, items: list, actor: events.Actor) -> None:
    events.record(
        Event.ORDER_SUPPRESSED,
        f"Order #{incoming.number} not imported: {decision.suppress_reason}",
        actor,
        store=store,
        external_id=incoming.external_id,
        number=incoming.number,
        reason=decision.suppress_reason,
        items=items,
    )


def _ledger_fields(
    store: Store, incoming: IncomingOrder, decision: rules.ImportDecision, items: list
) -> dict:
    return {
        "account_id": store.account_id,
        "number": incoming.number,
        "customer_name": incoming.customer_name,
        "placed_at": incoming.placed_at,
        "total": incoming.total,
        "currency": incoming.currency,
        "reason": decision.suppress_reason,
        "items": items,
        "payload": incoming.to_payload(),
    }
