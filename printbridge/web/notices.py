"""The sentences the routing screens say after an action: what happened, and where the order went."""

from __future__ import annotations

from django.utils import timezone

from printbridge.orders import rules
from printbridge.orders.models import Order, OrderItem
from printbridge.orders.services.reevaluation import Applied

_SCOPE_WORDS = {
    "item": "this item for this order",
    "variant": "this variant for all incoming orders",
    "product": "this product in all variants",
}


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def item_label(item: OrderItem) -> str:
    return f"{item.name} ({item.options_label})" if item.options_label else item.name


def connected(item: OrderItem, provider_product_uid: str, order: Order) -> str:
    return f"Connected {item_label(item)} to {provider_product_uid}. {order_outcome(order)}"


def ignored(item: OrderItem, scope: str, order: Order) -> str:
    what = item.name if scope == "product" else item_label(item)
    return f"Ignored {what}: {_SCOPE_WORDS[scope]}. {order_outcome(order)}"


def order_outcome(order: Order) -> str:
    """Where the order stands after a Connect or Ignore, e.g. 'Order #1000 continues: 2 items sent for approval.'"""
    states = list(order.items.values_list("state", "release_generation"))
    connected_count = sum(1 for state, _ in states if state == rules.ItemState.CONNECTED)
    status, number = rules.OrderStatus(order.status), order.number
    if status == rules.OrderStatus.NOT_CONNECTED:
        waiting = sum(1 for state, _ in states if state == rules.ItemState.NOT_CONNECTED)
        released = sum(1 for state, gen in states if state == rules.ItemState.CONNECTED and gen)
        text = f"Order #{number} still waits for {plural(waiting, 'not-connected item')}."
        return text + (
            f" {plural(released, 'connected item')} already sent for fulfilment." if released else ""
        )
    if status == rules.OrderStatus.PENDING_APPROVAL:
        when = (
            f", released automatically {timezone.localtime(order.release_at):%-d %b %H:%M}"
            if order.release_at
            else "; approve the order to release it"
        )
        return f"Order #{number} continues: {plural(connected_count, 'item')} sent for approval{when}."
    if status == rules.OrderStatus.READY:
        return f"Order #{number} continues: {plural(connected_count, 'item')} released for fulfilment."
    if status == rules.OrderStatus.IGNORED:
        return f"Order #{number} has nothing left to fulfil: every item is ignored (status Ignored)."
    return f"Order #{number} is now {order.get_status_display()}."


def applied(result: Applied) -> str:
    """E.g. '3 waiting orders moved: 2 continue, 1 still waits for other items.'"""
    total = result.continued + result.ignored + result.still_waiting
    if not total:
        return "No waiting order had it any more; nothing changed."
    parts = [
        f"{result.continued} {'continues' if result.continued == 1 else 'continue'}"
        if result.continued
        else "",
        f"{result.ignored} now Ignored (nothing to fulfil)" if result.ignored else "",
        f"{result.still_waiting} still {'waits' if result.still_waiting == 1 else 'wait'} for other items"
        if result.still_waiting
        else "",
    ]
    return f"{plural(total, 'waiting order')} updated: {', '.join(p for p in parts if p)}."
