"""Resolve by variant: one Connect or Ignore for a not-connected variant, applied to every order waiting for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from printbridge.orders import events, rules, selectors
from printbridge.orders.errors import InvalidInput
from printbridge.orders.services import reevaluation, routing_changes
from printbridge.orders.services.resolution import ConnectTarget, _fulfilment_product
from printbridge.routing.models import Connection, IgnoreRule


@dataclass(frozen=True)
class VariantResolution:
    applied: reevaluation.Applied
    connection: Connection | None = None
    ignore_rule: IgnoreRule | None = None


def _ref(variant: selectors.WaitingVariant) -> routing_changes.VariantRef:
    return routing_changes.VariantRef(variant.product_id, variant.variant_id, variant.sku, variant.label)


def connect_variant(
    account_id: int,
    store_id: int,
    variant_id: str,
    from_connection_id: int,
    actor: events.Actor,
    now: datetime | None = None,
) -> VariantResolution:
    """Connect the variant to the fulfilment product of an existing connection, then move every waiting order.

    If the variant was connected meanwhile, that connection is applied instead of making a second one.
    """
    now = now or timezone.now()
    variant = selectors.waiting_variant(account_id, store_id, variant_id)
    with transaction.atomic():
        connection = routing_changes.active_connection(variant.store, variant.variant_id)
        if connection is None:
            uid, files = _fulfilment_product(account_id, ConnectTarget(from_connection_id=from_connection_id))
            connection = routing_changes.create_connection(variant.store, _ref(variant), uid, files, actor)
    return VariantResolution(reevaluation.apply_connection(connection, actor, now), connection=connection)


def ignore_variant(
    account_id: int,
    store_id: int,
    variant_id: str,
    scope: rules.IgnoreScope,
    actor: events.Actor,
    reason: str = "",
    now: datetime | None = None,
) -> VariantResolution:
    """Ignore the variant (or its product in all variants) for every incoming order, then move every waiting
    order that has it."""
    if scope == rules.IgnoreScope.ITEM:
        raise InvalidInput(
            "Choose this variant or this product; a single item is ignored on its order", field="scope"
        )
    now = now or timezone.now()
    variant = selectors.waiting_variant(account_id, store_id, variant_id)
    with transaction.atomic():
        rule = routing_changes.ensure_ignore_rule(variant.store, scope, _ref(variant), reason, actor)
    return VariantResolution(reevaluation.apply_ignore_rule(rule, actor, now), ignore_rule=rule)
