"""Audit events: every state change writes one in the same transaction (who, what, why, which rule)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from printbridge.orders.models import Order, OrderEvent
from printbridge.stores.models import Store


@dataclass(frozen=True)
class Actor:
    """Who caused a change: a user, or a named system channel."""

    label: str
    user: Any = None

    @classmethod
    def for_user(cls, user) -> Actor:
        return cls(label=user.email or user.get_username(), user=user)

    @classmethod
    def system(cls, channel: str = "system") -> Actor:
        return cls(label=channel)


SYSTEM = Actor.system()


def record(
    event_type: str,
    message: str,
    actor: Actor,
    *,
    store: Store | None,
    order: Order | None = None,
    account_id: int | None = None,
    **parameters: Any,
) -> OrderEvent:
    """An audit row. Events about a store name it; account-wide ones (store=None) give account_id."""
    fields = _fields(event_type, message, actor, store, order, parameters)
    if store is None:
        fields["account_id"] = account_id
    return OrderEvent.objects.create(**fields)


def record_many(
    event_type: str, store: Store, orders: Iterable[Order], message: str, actor: Actor, **parameters: Any
) -> list[OrderEvent]:
    """One event per order of one store, in a single bulk insert."""
    rows = [OrderEvent(**_fields(event_type, message, actor, store, o, parameters)) for o in orders]
    return OrderEvent.objects.bulk_create(rows, batch_size=500)


def _fields(event_type, message, actor, store, order, parameters) -> dict[str, Any]:
    return {
        "account_id": store.account_id if store else None,
        "store": store,
        "order": order,
        "type": event_type,
        "actor": actor.label,
        "actor_user": actor.user,
        "message": message[:500],
        "parameters": parameters,
    }
