"""Connection health of an account's stores, as the Stores page and the dashboard show it (read only).

A BigCommerce store is healthy when its webhooks were checked and no alert stands, its last sync succeeded after
its last error, and the app is installed. A custom store posts its orders itself: its health is when an order
last arrived."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery

from printbridge.orders.models import Order
from printbridge.stores.models import BigCommerceConnection, Store


@dataclass(frozen=True)
class StoreHealth:
    store: Store
    connection: BigCommerceConnection | None
    last_order_at: datetime | None
    webhooks: str  # "active", "not_active", "not_checked", "uninstalled" or "not_used" (custom store)
    sync_failing: bool  # the last sync attempt failed (its error is newer than the last success)
    problems: tuple[str, ...]  # what the merchant should act on; empty when healthy

    @property
    def healthy(self) -> bool:
        return not self.problems


def stores_health(account_id: int) -> list[StoreHealth]:
    """Every store of the account, by name, with its connection health (one query)."""
    newest = Order.objects.filter(store_id=OuterRef("pk")).order_by("-pk").values("created_at")[:1]
    stores = (
        Store.objects.filter(account_id=account_id)
        .select_related("bigcommerce")
        .annotate(last_order_at=Subquery(newest))
        .order_by("name", "pk")
    )
    return [health_of(store) for store in stores]


def store_problems(account_id: int) -> list[StoreHealth]:
    return [h for h in stores_health(account_id) if h.problems]


def health_of(store: Store) -> StoreHealth:
    connection = getattr(store, "bigcommerce", None) if store.platform == Store.Platform.BIGCOMMERCE else None
    webhooks = _webhooks(connection) if store.platform == Store.Platform.BIGCOMMERCE else "not_used"
    failing = _sync_failing(connection)
    return StoreHealth(
        store,
        connection,
        getattr(store, "last_order_at", None),
        webhooks,
        failing,
        _problems(store, connection, webhooks, failing),
    )


def _webhooks(connection: BigCommerceConnection | None) -> str:
    if connection is None or connection.uninstalled_at:
        return "uninstalled"
    if connection.hooks_checked_at is None:
        return "not_active" if connection.alert else "not_checked"
    return "active"


def _sync_failing(connection: BigCommerceConnection | None) -> bool:
    if connection is None or not connection.last_error_at:
        return False
    return connection.last_sync_at is None or connection.last_error_at > connection.last_sync_at


def _problems(store, connection, webhooks: str, failing: bool) -> tuple[str, ...]:
    problems = []
    if store.platform == Store.Platform.BIGCOMMERCE and webhooks == "uninstalled":
        problems.append("The Printbridge app is not installed in this store: no orders arrive.")
    if connection is not None and connection.alert:
        problems.append(connection.alert)
    if failing:
        problems.append(f"The last sync failed: {connection.last_error}")
    return tuple(problems)
