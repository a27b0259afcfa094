"""The merchant's orders list: filters, search and keyset pagination in both directions (Next and Previous).

Rows are newest first on (placed_at, id). `after` is the last row of the page before (Next); `before` is the
first row of the page after (Previous). Both are the opaque cursors of selectors.encode_cursor."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from printbridge.orders.errors import InvalidInput
from printbridge.orders.models import Order, OrderItem
from printbridge.orders.selectors import MAX_PAGE, decode_cursor, encode_cursor, filtered_orders

PAGE_SIZE = 50


@dataclass(frozen=True)
class OrderListPage:
    rows: list[Order]  # each with item_count: the units ordered, every line of the order
    next_cursor: str | None  # pass as `after` for the older orders
    previous_cursor: str | None  # pass as `before` for the newer orders


def order_list_page(
    account_id: int,
    *,
    status: str | None = None,
    store_id: int | None = None,
    text: str | None = None,
    after: str | None = None,
    before: str | None = None,
    limit: int = PAGE_SIZE,
) -> OrderListPage:
    limit = max(1, min(limit, MAX_PAGE))
    qs = _filtered(account_id, status, store_id, text)
    if after and before:
        raise InvalidInput("Give either after or before, not both", field="cursor")
    if before:
        return _newer_page(qs, before, limit)
    if after:
        placed_at, pk = decode_cursor(after)
        qs = qs.filter(Q(placed_at__lt=placed_at) | Q(placed_at=placed_at, pk__lt=pk))
    rows = list(qs.order_by("-placed_at", "-pk")[: limit + 1])
    more, rows = len(rows) > limit, rows[:limit]
    return OrderListPage(
        rows, _cursor(rows[-1]) if more else None, _cursor(rows[0]) if after and rows else None
    )


def _newer_page(qs: QuerySet[Order], before: str, limit: int) -> OrderListPage:
    placed_at, pk = decode_cursor(before)
    qs = qs.filter(Q(placed_at__gt=placed_at) | Q(placed_at=placed_at, pk__gt=pk))
    rows = list(qs.order_by("placed_at", "pk")[: limit + 1])
    more, rows = len(rows) > limit, rows[:limit][::-1]
    return OrderListPage(rows, _cursor(rows[-1]) if rows else None, _cursor(rows[0]) if more else None)


def _cursor(order: Order) -> str:
    return encode_cursor(order.placed_at, order.pk)


def _filtered(account_id: int, status: str | None, store_id: int | None, text: str | None) -> QuerySet[Order]:
    items = OrderItem.objects.filter(order_id=OuterRef("pk")).values("order_id").annotate(n=Sum("quantity"))
    return filtered_orders(account_id, status, store_id, text).annotate(
        item_count=Coalesce(Subquery(items.values("n")), Value(0), output_field=IntegerField())
    )
