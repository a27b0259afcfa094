"""Read queries for the UI and the API. Every one is scoped by account; keyset pagination for long lists."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    When,
)

from printbridge.orders import rules
from printbridge.orders.errors import InvalidInput, NotFound
from printbridge.orders.models import Order, OrderEvent, OrderItem, SuppressedOrder
from printbridge.routing.models import Connection, IgnoreRule
from printbridge.stores.models import Store

MAX_PAGE = 200
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None


def encode_cursor(placed_at: datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{placed_at.isoformat()}|{pk}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        placed_at, pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(placed_at), int(pk)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("The cursor is not one this API returned", field="cursor") from None


def store_for(account_id: int, store_id: int) -> Store:
    store = Store.objects.select_related("settings").filter(pk=store_id, account_id=account_id).first()
    if store is None:
        raise NotFound("No such store")
    return store


def stores(account_id: int) -> QuerySet[Store]:
    return Store.objects.select_related("settings").filter(account_id=account_id).order_by("name", "pk")


def orders(
    account_id: int,
    *,
    status: str | None = None,
    store_id: int | None = None,
    text: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """Newest first, keyset-paginated on (placed_at, id)."""
    limit = max(1, min(limit, MAX_PAGE))
    qs = filtered_orders(account_id, status, store_id, text)
    if cursor:
        placed_at, pk = decode_cursor(cursor)
        qs = qs.filter(Q(placed_at__lt=placed_at) | Q(placed_at=placed_at, pk__lt=pk))
    rows = list(qs.order_by("-placed_at", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1].placed_at, rows[-1].pk) if more else None)


def filtered_orders(
    account_id: int, status: str | None, store_id: int | None, text: str | None
) -> QuerySet[Order]:
    """The account's orders with a status, in a store, matching a number, customer or exact SKU (each optional)."""
    qs = Order.objects.filter(account_id=account_id).select_related("store")
    if status:
        if status not in rules.OrderStatus.__members__.values():
            raise InvalidInput(f"Unknown status {status!r}", field="status")
        qs = qs.filter(status=status)
    if store_id:
        qs = qs.filter(store_id=store_id)
    if text and text.strip():
        qs = qs.filter(_text_filter(text.strip()))
    return qs


def _text_filter(text: str) -> Q:
    sku_match = OrderItem.objects.filter(order_id=OuterRef("pk"), sku__iexact=text)
    return (
        Q(number__iexact=text.lstrip("#"))
        | Q(customer_name__icontains=text)
        | Q(customer_email__icontains=text)
        | Q(Exists(sku_match))
    )


def order_detail(account_id: int, order_id: int) -> Order:
    items = OrderItem.objects.select_related(
        "connection__created_by", "ignore_rule__created_by", "decided_by"
    ).order_by("pk")
    order = (
        Order.objects.select_related("store__settings")
        .prefetch_related(Prefetch("items", queryset=items))
        .filter(account_id=account_id, pk=order_id)
        .first()
    )
    if order is None:
        raise NotFound("No such order")
    return order


def order_events(order: Order) -> QuerySet[OrderEvent]:
    return order.events.order_by("created_at", "pk")


def blocking_variants(account_id: int, store_id: int | None = None, limit: int = 100) -> list[dict]:
    """Not-connected variants with how many waiting orders each blocks and the value of the blocked items."""
    qs = OrderItem.objects.filter(
        order__account_id=account_id,
        order__status=rules.OrderStatus.NOT_CONNECTED,
        state=rules.ItemState.NOT_CONNECTED,
    )
    if store_id:
        qs = qs.filter(order__store_id=store_id)
    value = ExpressionWrapper(
        F("quantity") * F("unit_price"), output_field=DecimalField(max_digits=14, decimal_places=2)
    )
    rows = (
        qs.values("order__store_id", "product_id", "variant_id")
        .annotate(
            orders=Count("order_id", distinct=True),
            value=Sum(value),
            units=Sum("quantity"),
            name=Max("name"),
            sku=Max("sku"),
            oldest=Min("order__held_since"),
            store_name=Max("order__store__name"),
        )
        .order_by("-orders", "-value", "variant_id")[:limit]
    )
    rows = [_blocking_row(row) for row in rows]
    labels = _variant_labels(qs, rows)
    return [{**row, "label": labels.get((row["store_id"], row["variant_id"]), row["name"])} for row in rows]


def _variant_labels(items: QuerySet[OrderItem], rows: list[dict]) -> dict[tuple[int, str], str]:
    """'Classic T-shirt (Size: 5XL)' for each variant, from one of its waiting items (one query)."""
    wanted = {row["variant_id"] for row in rows}
    found: dict[tuple[int, str], str] = {}
    for store_id, variant_id, name, options in (
        items.filter(variant_id__in=wanted)
        .values_list("order__store_id", "variant_id", "name", "options")
        .order_by()
        .distinct()
    ):
        item = OrderItem(name=name, options=options)
        found.setdefault(
            (store_id, variant_id), f"{name} ({item.options_label})" if item.options_label else name
        )
    return found


def _blocking_row(row: dict) -> dict:
    store_id, units, value = row.pop("order__store_id"), row.pop("units"), row.pop("value")
    return {"store_id": store_id, **row, "quantity": units, "value": Decimal(value or 0).quantize(CENT)}


def ignore_rules(
    account_id: int, store_id: int | None = None, active: bool | None = None, scope: str | None = None
) -> QuerySet[IgnoreRule]:
    """`suppressed`: ledger orders the rule kept out; `pending`: those of them not imported since."""
    qs = IgnoreRule.objects.filter(account_id=account_id).select_related("store", "created_by", "revoked_by")
    if store_id:
        qs = qs.filter(store_id=store_id)
    if active is not None:
        qs = qs.filter(revoked_at__isnull=active)
    if scope:
        qs = qs.filter(scope=scope)
    not_imported = Q(suppressed_orders__imported_at__isnull=True)
    return qs.annotate(
        suppressed=Count("suppressed_orders"), pending=Count("suppressed_orders", filter=not_imported)
    ).order_by("-pk")


def ignore_rule(account_id: int, rule_id: int) -> IgnoreRule:
    rule = IgnoreRule.objects.select_related("store").filter(account_id=account_id, pk=rule_id).first()
    if rule is None:
        raise NotFound("No such ignore rule")
    return rule


def connections(
    account_id: int, store_id: int | None = None, active: bool | None = None, text: str | None = None
) -> QuerySet[Connection]:
    """Newest first; `text` matches the product/variant name, SKU, ids or the fulfilment product uid."""
    qs = Connection.objects.filter(account_id=account_id).select_related("store", "created_by")
    if store_id:
        qs = qs.filter(store_id=store_id)
    if active is not None:
        qs = qs.filter(disconnected_at__isnull=active)
    if text and text.strip():
        qs = qs.filter(_connection_text(text.strip()))
    return qs.order_by("-pk")


def connection_choices(
    account_id: int, text: str | None, product_id: str = "", store_id: int | None = None, limit: int = 20
) -> tuple[list[Connection], bool]:
    """Active connections to pick from, the same store product's first; and whether there are more."""
    same = Case(
        When(store_id=store_id, product_id=product_id, then=0), default=1, output_field=IntegerField()
    )
    qs = connections(account_id, active=True, text=text).annotate(same=same).order_by("same", "label", "pk")
    rows: list[Connection] = list(qs[: limit + 1])
    return rows[:limit], len(rows) > limit


def _connection_text(text: str) -> Q:
    return (
        Q(label__icontains=text)
        | Q(sku__icontains=text)
        | Q(provider_product_uid__icontains=text)
        | Q(variant_id__iexact=text)
        | Q(product_id__iexact=text)
    )


def connection(account_id: int, connection_id: int) -> Connection:
    found = Connection.objects.select_related("store").filter(account_id=account_id, pk=connection_id).first()
    if found is None:
        raise NotFound("No such connection")
    return found


def suppressed_orders(
    account_id: int, store_id: int | None = None, rule_id: int | None = None, limit: int = 200
) -> QuerySet[SuppressedOrder]:
    qs = SuppressedOrder.objects.filter(account_id=account_id)
    if store_id:
        qs = qs.filter(store_id=store_id)
    if rule_id:
        qs = qs.filter(rules__pk=rule_id)
    return qs.prefetch_related("rules").order_by("-pk")[: max(1, min(limit, 1000))]


def events(account_id: int, order_id: int | None = None, limit: int = 200) -> QuerySet[OrderEvent]:
    qs = OrderEvent.objects.filter(account_id=account_id).select_related("order")
    if order_id:
        qs = qs.filter(order_id=order_id)
    return qs.order_by("-pk")[: max(1, min(limit, 1000))]


# --- merchant pages: keyset pages by id, newest first ----------------------------------------------------------


def _by_id_page(qs: QuerySet, before: int | None, limit: int) -> Page:
    """Newest first, keyset-paginated on id: `before` is the last id of the previous page."""
    limit = max(1, min(limit, MAX_PAGE))
    if before:
        qs = qs.filter(pk__lt=before)
    rows = list(qs.order_by("-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, str(rows[-1].pk) if more else None)


def connections_page(
    account_id: int,
    *,
    text: str | None = None,
    active: bool | None = None,
    before: int | None = None,
    limit: int = 50,
) -> Page:
    return _by_id_page(connections(account_id, active=active, text=text), before, limit)


def suppressed_page(
    account_id: int,
    *,
    store_id: int | None = None,
    rule_id: int | None = None,
    before: int | None = None,
    limit: int = 50,
) -> Page:
    qs = SuppressedOrder.objects.filter(account_id=account_id).select_related("store", "imported_order")
    if store_id:
        qs = qs.filter(store_id=store_id)
    if rule_id:
        qs = qs.filter(rules__pk=rule_id)
    return _by_id_page(qs.prefetch_related("rules"), before, limit)


def events_page(
    account_id: int,
    *,
    event_type: str | None = None,
    order_number: str | None = None,
    actor: str | None = None,
    before: int | None = None,
    limit: int = 50,
) -> Page:
    qs = OrderEvent.objects.filter(account_id=account_id).select_related("order", "store")
    if event_type:
        qs = qs.filter(type=event_type)
    if order_number:
        qs = qs.filter(order__number__iexact=order_number.strip().lstrip("#"))
    if actor:
        qs = qs.filter(actor__icontains=actor.strip())
    return _by_id_page(qs, before, limit)


# --- resolve by variant -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingVariant:
    """A store variant that at least one waiting Not connected order has as a not-connected item."""

    store: Store
    product_id: str
    variant_id: str
    sku: str
    name: str
    label: str


def _waiting_items(account_id: int, store_id: int, variant_id: str) -> QuerySet[OrderItem]:
    return OrderItem.objects.filter(
        order__account_id=account_id,
        order__store_id=store_id,
        order__status=rules.OrderStatus.NOT_CONNECTED,
        state=rules.ItemState.NOT_CONNECTED,
        variant_id=variant_id,
    )


def waiting_variant(account_id: int, store_id: int, variant_id: str) -> WaitingVariant:
    """The variant as the oldest waiting item names it; NotFound when no waiting order of the account has it."""
    store = store_for(account_id, store_id)
    found = _waiting_items(account_id, store.pk, variant_id).order_by("order__held_since", "pk").first()
    if found is None:
        raise NotFound("No waiting order has this variant")
    label = f"{found.name} ({found.options_label})" if found.options_label else found.name
    return WaitingVariant(store, found.product_id, found.variant_id, found.sku, found.name, label[:300])


def orders_waiting_for(variant: WaitingVariant, limit: int = 100) -> list[Order]:
    """The waiting orders the variant blocks, longest waiting first."""
    ids = _waiting_items(variant.store.account_id, variant.store.pk, variant.variant_id).values("order_id")
    return list(Order.objects.filter(pk__in=ids).order_by("held_since", "pk")[:limit])
