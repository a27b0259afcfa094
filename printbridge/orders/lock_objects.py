"""The row locks every order transition runs under."""

from django.db.models import QuerySet

from printbridge.orders.models import Order
from printbridge.routing.models import IgnoreRule


def order_for_update(account_id: int, order_id: int) -> Order:
    """The order locked for this transaction; raises Order.DoesNotExist for another account's id."""
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("store__settings")
        .get(pk=order_id, account_id=account_id)
    )


def orders_for_update(account_id: int, order_ids) -> QuerySet[Order]:
    return (
        Order.objects.select_for_update(of=("self",))
        .filter(account_id=account_id, pk__in=list(order_ids))
        .order_by("pk")
    )


def ignore_rule_for_update(account_id: int, rule_id: int) -> IgnoreRule:
    return (
        IgnoreRule.objects.select_for_update(of=("self",))
        .select_related("store")
        .get(pk=rule_id, account_id=account_id)
    )
