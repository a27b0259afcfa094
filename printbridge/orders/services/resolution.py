"""Complete order: Connect or Ignore each not-connected item; the order continues when none is left."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from printbridge.orders import events, rules
from printbridge.orders.errors import Conflict, NotFound
from printbridge.orders.lock_objects import order_for_update
from printbridge.orders.models import Order, OrderEvent, OrderItem
from printbridge.orders.services import routing_changes
from printbridge.orders.services.release import release_now, set_status
from printbridge.orders.services.routing_facts import policy_for
from printbridge.routing.models import Connection, IgnoreRule

Event = OrderEvent.Type


@dataclass(frozen=True)
class ConnectTarget:
    """What to connect to: a provider product and its design files, or the product of an existing connection."""

    provider_product_uid: str = ""
    files: dict[str, str] = field(default_factory=dict)
    from_connection_id: int | None = None


@dataclass(frozen=True)
class Resolution:
    order: Order
    completed: bool
    connection: Connection | None = None
    ignore_rule: IgnoreRule | None = None


def _waiting_item(account_id: int, order_id: int, item_id: int) -> tuple[Order, OrderItem]:
    try:
        order = order_for_update(account_id, order_id)
        item = order.items.get(pk=item_id)
    except (Order.DoesNotExist, OrderItem.DoesNotExist):
        raise NotFound("No such order item") from None
    if order.status != rules.OrderStatus.NOT_CONNECTED or item.state != rules.ItemState.NOT_CONNECTED:
        raise Conflict(f"Item {item.name!r} of order #{order.number} is not waiting for a Connect or Ignore")
    return order, item


@transaction.atomic
def connect_item(
    account_id: int,
    order_id: int,
    item_id: int,
    target: ConnectTarget,
    actor: events.Actor,
    now: datetime | None = None,
) -> Resolution:
    """Connect the item's variant (for this and every future order) and continue the order if it is complete."""
    now = now or timezone.now()
    order, item = _waiting_item(account_id, order_id, item_id)
    connection = routing_changes.active_connection(
        order.store, item.variant_id
    ) or routing_changes.create_connection(
        order.store, routing_changes.VariantRef.of(item), *_fulfilment_product(account_id, target), actor
    )
    same_variant = order.items.filter(state=rules.ItemState.NOT_CONNECTED, variant_id=item.variant_id)
    names = list(same_variant.values_list("name", flat=True))
    same_variant.update(
        state=rules.ItemState.CONNECTED,
        decision=rules.Decision.CONNECTION,
        connection=connection,
        decided_at=now,
        decided_by=actor.user,
    )
    events.record(
        Event.ITEM_CONNECTED,
        f"Connected {', '.join(names)} to {connection.provider_product_uid}",
        actor,
        store=order.store,
        order=order,
        connection_id=connection.pk,
        variant_id=item.variant_id,
    )
    return Resolution(order, _advance(order, actor, now), connection=connection)


def _fulfilment_product(account_id: int, target: ConnectTarget) -> tuple[str, dict[str, str]]:
    if target.from_connection_id is None:
        return target.provider_product_uid, target.files
    source = Connection.objects.filter(pk=target.from_connection_id, account_id=account_id).first()
    if source is None:
        raise NotFound("No such connected product")
    return source.provider_product_uid, source.files


@transaction.atomic
def ignore_item(
    account_id: int,
    order_id: int,
    item_id: int,
    scope: rules.IgnoreScope,
    actor: events.Actor,
    reason: str = "",
    now: datetime | None = None,
) -> Resolution:
    """Ignore the item for this order only, or its variant / product for every incoming order."""
    now = now or timezone.now()
    order, item = _waiting_item(account_id, order_id, item_id)
    rule = None
    matching = Q(pk=item.pk)
    decision = rules.Decision.IGNORED_FOR_ORDER
    if scope != rules.IgnoreScope.ITEM:
        rule = routing_changes.ensure_ignore_rule(
            order.store, scope, routing_changes.VariantRef.of(item), reason, actor
        )
        matching = (
            Q(variant_id=item.variant_id)
            if scope == rules.IgnoreScope.VARIANT
            else Q(product_id=item.product_id)
        )
        decision = (
            rules.Decision.VARIANT_RULE if scope == rules.IgnoreScope.VARIANT else rules.Decision.PRODUCT_RULE
        )
    items = order.items.filter(matching, state=rules.ItemState.NOT_CONNECTED)
    names = list(items.values_list("name", flat=True))
    items.update(
        state=rules.ItemState.IGNORED,
        decision=decision,
        ignore_rule=rule,
        decided_at=now,
        decided_by=actor.user,
    )
    events.record(
        Event.ITEM_IGNORED,
        f"Ignored {', '.join(names)}: {_SCOPE_WORDS[scope]}",
        actor,
        store=order.store,
        order=order,
        scope=scope,
        rule_id=rule.pk if rule else None,
        reason=reason,
    )
    return Resolution(order, _advance(order, actor, now), ignore_rule=rule)


_SCOPE_WORDS = {
    rules.IgnoreScope.ITEM: "this item for this order",
    rules.IgnoreScope.VARIANT: "this variant for all incoming orders",
    rules.IgnoreScope.PRODUCT: "this product in all variants",
}


def _advance(order: Order, actor: events.Actor, now: datetime) -> bool:
    """Continue the order once no item is left not connected. Returns whether it was completed."""
    states = [rules.ItemState(s) for s in order.items.values_list("state", flat=True)]
    completion = rules.decide_completion(states, policy_for(order.store), order.placed_at, now)
    if completion.complete and completion.status:
        set_status(order, completion.status, now, release_at=completion.release_at)
        events.record(
            Event.ORDER_COMPLETED,
            f"Order complete: now {order.get_status_display()}",
            actor,
            store=order.store,
            order=order,
            status=order.status,
        )
    if completion.release_connected_now and release_now(order):
        events.record(
            Event.ITEMS_RELEASED,
            "Connected items released for fulfilment",
            actor,
            store=order.store,
            order=order,
            generation=order.release_count,
        )
    return completion.complete
