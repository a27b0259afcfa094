"""Create a new product from the catalog with the merchant's design, for an order item that is not connected.

The merchant picks a catalog product, says which store option decides which catalog attribute (Size → Garment
size), and picks a design per print area. create_connected_product then, for the item's variant and on request
every sibling variant of the store product (connect_plan.build says which product each is made from, or why it
has none):

1. refuses, changing nothing, when a variant to connect matches no catalog product (it says which and why);
2. with `publish` (BigCommerce stores), creates the product in the store with the same mapping and design and
   connects its variants (catalog.publishing; a retry after a failure adopts what an unanswered try created);
3. in one transaction, connects each variant to its catalog product with the design references as files (a
   design reference is signed when an order is sent: see design_refs) and Connects the order's item, so the
   order continues; each connection and the item get their audit events;
4. on request, continues the other waiting orders the new connections release (else the plan's `waiting`
   preview says which they are, for the page to offer).

Everything is checked before step 2, so a refusal changes nothing. Should step 3 fail after a publish (the item
was connected by someone else meanwhile), the published product stays, connected; publishing again adopts it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from printbridge.catalog import connect_plan, publishing
from printbridge.catalog.connect_plan import Action, ConnectSpec, Plan, PublishChoice
from printbridge.orders import events, rules
from printbridge.orders.errors import InvalidInput
from printbridge.orders.models import Order
from printbridge.orders.services import reevaluation, resolution, routing_changes
from printbridge.routing.models import Connection

__all__ = [
    "Action",
    "ConnectSpec",
    "Created",
    "Plan",
    "PublishChoice",
    "create_connected_product",
    "preview",
]


@dataclass(frozen=True)
class Created:
    plan: Plan
    connections: list[Connection]  # made now, the item's variant's among them
    resolution: resolution.Resolution  # the order's item connected; whether the order is complete
    applied: reevaluation.Applied | None  # the other waiting orders moved (None: not asked)
    published: publishing.Published | None


def preview(account_id: int, order_id: int, item_id: int, spec: ConnectSpec) -> Plan:
    """Exactly what create_connected_product would connect (each variant → catalog product, or why not), the other
    waiting orders it would release and what it would publish. Writes nothing."""
    return connect_plan.build(account_id, order_id, item_id, spec)


def create_connected_product(
    account_id: int, order_id: int, item_id: int, spec: ConnectSpec, actor: events.Actor
) -> Created:
    plan = connect_plan.build(account_id, order_id, item_id, spec)
    _refuse_problems(plan)
    published = publishing.publish_product(plan.target.store, plan.publish, actor) if plan.publish else None
    connections, resolved = _connect(account_id, plan, actor)
    applied = _apply(plan, connections, actor) if spec.apply_to_waiting else None
    return Created(plan, connections, resolved, applied, published)


def _refuse_problems(plan: Plan) -> None:
    if not plan.problems:
        return
    first = plan.problems[0]
    others = len(plan.problems) - 1
    more = f" ({others} more variant{'s' if others != 1 else ''} too)" if others else ""
    raise InvalidInput(
        f"{first.ref.label} cannot be made from this catalog product: {first.reason}{more}. Nothing was "
        "connected; map the options differently or pick another product",
        field="mapping",
        variant_id=first.ref.variant_id,
    )


@transaction.atomic
def _connect(
    account_id: int, plan: Plan, actor: events.Actor
) -> tuple[list[Connection], resolution.Resolution]:
    store, item = plan.target.store, plan.target.item
    made = [
        routing_changes.create_connection(store, v.ref, v.product_uid, plan.files, actor)
        for v in plan.to_connect
    ]
    target = resolution.ConnectTarget(plan.item_variant.product_uid, plan.files)
    resolved = resolution.connect_item(account_id, plan.target.order.pk, item.pk, target, actor)
    return made, resolved


def _apply(plan: Plan, connections: list[Connection], actor: events.Actor) -> reevaluation.Applied:
    """Move the other waiting orders, then count where the previewed ones went (an order waiting for two of the
    new variants is moved twice but counted once)."""
    for connection in connections:
        reevaluation.apply_connection(connection, actor)
    ids = [o.id for o in plan.waiting.orders]
    statuses = list(Order.objects.filter(pk__in=ids).values_list("status", flat=True))
    waiting = statuses.count(rules.OrderStatus.NOT_CONNECTED)
    ignored = statuses.count(rules.OrderStatus.IGNORED)
    return reevaluation.Applied(len(statuses) - waiting - ignored, ignored, waiting)
