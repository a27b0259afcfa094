"""Re-evaluate waiting Not connected orders after a new connection or ignore rule: preview, then apply in bulk.

The work is done in chunks of orders with a constant number of queries per chunk, never a query per order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from printbridge.orders import events, rules
from printbridge.orders.errors import Conflict
from printbridge.orders.models import Order, OrderEvent, OrderItem
from printbridge.orders.services.release import chunks, start_generation
from printbridge.orders.services.routing_facts import policy_for
from printbridge.routing.models import Connection, IgnoreRule
from printbridge.stores.models import Store

Event = OrderEvent.Type


class ChangeKind(StrEnum):
    CONNECT = "connect"
    IGNORE_VARIANT = "ignore_variant"
    IGNORE_PRODUCT = "ignore_product"


class OrderOutcome(StrEnum):
    CONTINUES = "continues"
    IGNORED = "ignored"
    STILL_WAITING = "still_waiting"


@dataclass(frozen=True)
class Change:
    """A connection or ignore rule, existing or proposed, as far as re-evaluation cares."""

    kind: ChangeKind
    product_id: str
    variant_id: str = ""

    @classmethod
    def of_connection(cls, connection: Connection) -> Change:
        return cls(ChangeKind.CONNECT, connection.product_id, connection.variant_id)

    @classmethod
    def of_rule(cls, rule: IgnoreRule) -> Change:
        if rule.scope == IgnoreRule.Scope.VARIANT:
            return cls(ChangeKind.IGNORE_VARIANT, rule.product_id, rule.variant_id)
        return cls(ChangeKind.IGNORE_PRODUCT, rule.product_id)

    def matches(self, prefix: str = "") -> Q:
        if self.kind == ChangeKind.IGNORE_PRODUCT:
            return Q(**{f"{prefix}product_id": self.product_id})
        return Q(**{f"{prefix}variant_id": self.variant_id})


@dataclass(frozen=True)
class PreviewOrder:
    id: int
    number: str
    total: Decimal
    currency: str
    outcome: OrderOutcome


@dataclass(frozen=True)
class Preview:
    change: Change
    orders: list[PreviewOrder] = field(default_factory=list)

    def count(self, outcome: OrderOutcome) -> int:
        return sum(1 for o in self.orders if o.outcome == outcome)


def _waiting_items(store: Store, change: Change) -> QuerySet[OrderItem]:
    return OrderItem.objects.filter(
        change.matches(),
        order__store=store,
        order__status=rules.OrderStatus.NOT_CONNECTED,
        state=rules.ItemState.NOT_CONNECTED,
    )


def _affected_order_ids(store: Store, change: Change, exclude_order_id: int | None) -> list[int]:
    ids = _waiting_items(store, change).values_list("order_id", flat=True).distinct().order_by("order_id")
    return [i for i in ids if i != exclude_order_id]


def _outcome(change: Change, remaining: int, connected: int) -> OrderOutcome:
    if remaining:
        return OrderOutcome.STILL_WAITING
    if connected or change.kind == ChangeKind.CONNECT:
        return OrderOutcome.CONTINUES
    return OrderOutcome.IGNORED


def _tally(order_ids: list[int], change: Change | None) -> QuerySet[Order]:
    """Per order: not-connected items (besides those the change matches) and connected items (one query)."""
    untouched = Q(items__state=rules.ItemState.NOT_CONNECTED)
    if change is not None:
        untouched &= ~change.matches("items__")
    return Order.objects.filter(pk__in=order_ids).annotate(
        remaining=Count("items", filter=untouched),
        connected=Count("items", filter=Q(items__state=rules.ItemState.CONNECTED)),
    )


def preview(store: Store, change: Change, exclude_order_id: int | None = None) -> Preview:
    """The waiting orders this change would move, and where each would go. Writes nothing."""
    result: list[PreviewOrder] = []
    for chunk in chunks(_affected_order_ids(store, change, exclude_order_id)):
        for o in _tally(chunk, change).order_by("pk"):
            outcome = _outcome(change, o.remaining, o.connected)
            result.append(PreviewOrder(o.pk, o.number, o.total, o.currency, outcome))
    return Preview(change, result)


@dataclass(frozen=True)
class Applied:
    continued: int = 0
    ignored: int = 0
    still_waiting: int = 0

    def __add__(self, other: Applied) -> Applied:
        return Applied(
            self.continued + other.continued,
            self.ignored + other.ignored,
            self.still_waiting + other.still_waiting,
        )


def apply_connection(connection: Connection, actor: events.Actor, now: datetime | None = None) -> Applied:
    if connection.disconnected_at:
        raise Conflict("This connection was removed; connect the variant again first")
    return _apply(connection.store, Change.of_connection(connection), actor, now, connection=connection)


def apply_ignore_rule(rule: IgnoreRule, actor: events.Actor, now: datetime | None = None) -> Applied:
    if rule.revoked_at:
        raise Conflict("This ignore rule was revoked")
    return _apply(rule.store, Change.of_rule(rule), actor, now, rule=rule)


def _apply(store: Store, change: Change, actor: events.Actor, now: datetime | None, **source) -> Applied:
    now = now or timezone.now()
    totals = Applied()
    for chunk in chunks(_affected_order_ids(store, change, None)):
        with transaction.atomic():
            part = _apply_chunk(store, change, chunk, actor, now, **source)
        totals += part
    return totals


def _item_update(change: Change, actor: events.Actor, now: datetime, connection=None, rule=None) -> dict:
    common = {"decided_at": now, "decided_by": actor.user}
    if change.kind == ChangeKind.CONNECT:
        return {
            "state": rules.ItemState.CONNECTED,
            "decision": rules.Decision.CONNECTION,
            "connection": connection,
            **common,
        }
    decision = (
        rules.Decision.VARIANT_RULE
        if change.kind == ChangeKind.IGNORE_VARIANT
        else rules.Decision.PRODUCT_RULE
    )
    return {"state": rules.ItemState.IGNORED, "decision": decision, "ignore_rule": rule, **common}


def _apply_chunk(store: Store, change: Change, order_ids: list[int], actor, now, **source) -> Applied:
    locked = list(
        Order.objects.select_for_update(of=("self",)).filter(
            pk__in=order_ids, status=rules.OrderStatus.NOT_CONNECTED
        )
    )
    ids = [o.pk for o in locked]
    _waiting_items(store, change).filter(order_id__in=ids).update(
        **_item_update(change, actor, now, **source)
    )
    tallies = {o.pk: o for o in _tally(ids, None).only("pk")}
    policy = policy_for(store)
    groups: dict[OrderOutcome, list[Order]] = {outcome: [] for outcome in OrderOutcome}
    for order in locked:
        t = tallies[order.pk]
        groups[_outcome(change, t.remaining, t.connected)].append(order)
    _continue(groups[OrderOutcome.CONTINUES], policy, now)
    _ignore(groups[OrderOutcome.IGNORED], now)
    if (
        change.kind == ChangeKind.CONNECT
        and policy.partial_release == rules.PartialRelease.SHIP_CONNECTED_NOW
    ):
        start_generation([o.pk for o in groups[OrderOutcome.STILL_WAITING]])
    _record(store, groups, actor, change)
    return Applied(*(len(groups[o]) for o in OrderOutcome))


def _continue(orders: list[Order], policy: rules.StorePolicy, now: datetime) -> None:
    ready = []
    for order in orders:
        approval = rules.approval_for(policy, order.placed_at, now)
        order.status, order.release_at, order.status_changed_at = approval.status, approval.release_at, now
        if approval.status == rules.OrderStatus.READY:
            ready.append(order.pk)
    Order.objects.bulk_update(orders, ["status", "release_at", "status_changed_at"], batch_size=500)
    start_generation(ready)


def _ignore(orders: list[Order], now: datetime) -> None:
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(
        status=rules.OrderStatus.IGNORED, status_changed_at=now
    )


_MESSAGES = {
    OrderOutcome.CONTINUES: "Re-evaluated after {what}: order complete, continues",
    OrderOutcome.IGNORED: "Re-evaluated after {what}: every item ignored, nothing to fulfil",
    OrderOutcome.STILL_WAITING: "Re-evaluated after {what}: still waiting for other items",
}
_WHAT = {
    ChangeKind.CONNECT: "a new connection",
    ChangeKind.IGNORE_VARIANT: "a variant ignore rule",
    ChangeKind.IGNORE_PRODUCT: "a product ignore rule",
}


def _record(
    store: Store, groups: dict[OrderOutcome, list[Order]], actor: events.Actor, change: Change
) -> None:
    for outcome, orders in groups.items():
        message = _MESSAGES[outcome].format(what=_WHAT[change.kind])
        events.record_many(
            Event.ORDER_REEVALUATED, store, orders, message, actor, outcome=str(outcome), change=vars(change)
        )
