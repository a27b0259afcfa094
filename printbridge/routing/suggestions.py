"""Connect to existing: for a variant that is not connected, the store's connected products it most likely is,
ranked by SKU equality, then by name and option similarity. Accepting one is a Connect with its connection_id
(POST /api/v1/orders/{order}/items/{item}/connect {"connection_id": …}). Reads only; scoped by store."""

from __future__ import annotations

import json
from dataclasses import dataclass
from difflib import SequenceMatcher

from printbridge.orders.errors import NotFound
from printbridge.orders.models import OrderItem
from printbridge.routing.models import Connection
from printbridge.stores.models import Store

LIMIT = 5
MIN_SCORE = 0.3  # below this (and without the same SKU) a candidate is noise
MIN_NAME = 0.5  # a different product must have a similar name: a shared colour alone is not a match
NAME_WEIGHT, OPTION_WEIGHT = 0.6, 0.4
SAME_NAME = 0.95
Options = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Wanted:
    """The variant asking for suggestions."""

    product_id: str
    variant_id: str
    sku: str
    name: str
    options: Options = ()

    @classmethod
    def of_item(cls, item: OrderItem) -> Wanted:
        options = tuple(
            (str(o.get("name", "")), str(o.get("value", ""))) for o in item.options if isinstance(o, dict)
        )
        return cls(item.product_id, item.variant_id, item.sku, item.name, options)


@dataclass(frozen=True)
class Suggestion:
    connection_id: int
    provider_product_uid: str
    files: dict
    label: str
    sku: str
    score: float
    reason: str
    same_sku: bool


def item_for(account_id: int, order_id: int, item_id: int) -> OrderItem:
    item = (
        OrderItem.objects.select_related("order__store")
        .filter(pk=item_id, order_id=order_id, order__account_id=account_id)
        .first()
    )
    if item is None:
        raise NotFound("No such order item")
    return item


def suggest_connections(store: Store, variant: Wanted, limit: int = LIMIT) -> list[Suggestion]:
    """The best `limit` fulfilment products connected in the store (one per product and files), best first."""
    candidates = Connection.objects.filter(
        store=store, disconnected_at__isnull=True, needs_review=False
    ).exclude(variant_id=variant.variant_id)
    scored = [_score(variant, c) for c in candidates.order_by("-pk")]
    ranked = sorted(
        (s for s in scored if s.same_sku or s.score >= MIN_SCORE),
        key=lambda s: (not s.same_sku, -s.score, -s.connection_id),
    )
    unique: dict[str, Suggestion] = {}
    for suggestion in ranked:
        key = json.dumps([suggestion.provider_product_uid, suggestion.files], sort_keys=True)
        unique.setdefault(key, suggestion)
    return list(unique.values())[:limit]


def _score(variant: Wanted, connection: Connection) -> Suggestion:
    name, options = split_label(connection.label, connection.options)
    same_sku = bool(variant.sku) and variant.sku.casefold() == connection.sku.casefold()
    same_product = connection.product_id == variant.product_id
    name_score = 1.0 if same_product else _similarity(variant.name, name)
    shared = _shared_options(variant.options, options)
    if name_score < MIN_NAME:
        score = 0.0
    elif variant.options:
        score = NAME_WEIGHT * name_score + OPTION_WEIGHT * len(shared) / len(variant.options)
    else:
        score = name_score
    return Suggestion(
        connection.pk,
        connection.provider_product_uid,
        connection.files,
        connection.label,
        connection.sku,
        1.0 if same_sku else round(score, 2),
        _reason(same_sku, same_product, name_score, name, shared),
        same_sku,
    )


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a.casefold().strip(), b.casefold().strip()).ratio()


def _shared_options(wanted: Options, offered: Options) -> list[tuple[str, str]]:
    have = {(n.casefold(), v.casefold()) for n, v in offered}
    return [(n, v) for n, v in wanted if (n.casefold(), v.casefold()) in have]


def _reason(same_sku: bool, same_product: bool, name_score: float, name: str, shared) -> str:
    """'same SKU', 'same product, size M', 'similar name (Classic tee), colour Red'."""
    if same_sku:
        return "same SKU"
    if same_product:
        parts = ["same product"]
    elif name_score >= SAME_NAME:
        parts = ["same name"]
    else:
        parts = [f"similar name ({name})"]
    parts += [f"{option.lower()} {value}" for option, value in shared]
    return ", ".join(parts)


def split_label(label: str, options: list[dict] | None) -> tuple[str, Options]:
    """A connection's product name and options: 'Classic T-shirt (Size: M, Colour: Red)' → the name and
    (('Size', 'M'), ('Colour', 'Red')); recorded options win over the label's."""
    name, recorded = label, None
    if options is not None:
        recorded = tuple((str(o.get("name", "")), str(o.get("value", ""))) for o in options)
    head, _, tail = label.rpartition(" (")
    if head and tail.endswith(")") and ": " in tail:
        name = head
        if recorded is None:
            pairs = [part.partition(": ") for part in tail[:-1].split(", ")]
            recorded = tuple((n, v) for n, _, v in pairs if n)
    return name, recorded or ()
