"""Drift: the store deleted a connected variant, or changed its SKU or options, after it was connected.

A product or SKU webhook (recorded by the receiver) or the periodic check queues a CatalogCheck per store product;
the store's sync runs the pending checks under its lease, reading the products with their variants in batches
through StoreCalls (the one place that paces and retries store calls), and compares each active connection of
those products with what the store shows. A difference flags the connection as needing review, with the reason,
an audit event and one e-mail per check run; the rules then hold new orders for that variant as Not connected
("connection needs review: …"). The merchant clears it by connecting the variant again (the new connection
replaces the flagged one) or by confirming it is still correct (`confirm_connection`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from printbridge.integrations.bigcommerce import payloads as bc
from printbridge.integrations.bigcommerce.webhooks import CATALOG_SCOPES, WebhookEvent
from printbridge.integrations.errors import IntegrationError
from printbridge.notifications.services import queue_connection_review
from printbridge.orders import events
from printbridge.orders.errors import Conflict, NotFound
from printbridge.orders.services import reevaluation
from printbridge.routing import events as routing_events
from printbridge.routing.models import CatalogCheck, Connection
from printbridge.stores.models import BigCommerceConnection, Store

if TYPE_CHECKING:
    from printbridge.ingestion.services.sync import StoreCalls, SyncReport

CHECK_BATCH = 50  # products per list call: with include=variants a page stays small
CLAIM_LIMIT = 500
MAX_ATTEMPTS = 10
PERIODIC_EVERY = timedelta(hours=getattr(settings, "PRINTBRIDGE_DRIFT_CHECK_HOURS", 24))
DRIFT_ACTOR = events.Actor.system("BigCommerce catalog check")
Options = tuple[tuple[str, str], ...]


# --- comparing ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Observed:
    """What the store shows for a connected variant."""

    deleted: str = ""  # why it is gone ("variant 252 was deleted in the store"), or ""
    sku: str = ""
    options: Options = ()

    def as_json(self) -> dict:
        options = [{"name": name, "value": value} for name, value in self.options]
        return {"deleted": bool(self.deleted), "sku": self.sku, "options": options}


def observe(product: bc.Product | None, product_id: str, variant_id: str) -> Observed:
    if product is None:
        return Observed(deleted=f"product {product_id} was deleted in the store")
    variant = next((v for v in product.variants if str(v.id) == variant_id), None)
    if variant is None:
        return Observed(deleted=f"variant {variant_id} was deleted in the store")
    return Observed(sku=variant.sku, options=variant.option_values)


def compare(connection: Connection, observed: Observed) -> str:
    """Why the connection no longer matches the store, or '' when it still does."""
    if observed.deleted:
        return observed.deleted
    changes = []
    if connection.sku and observed.sku != connection.sku:
        changes.append(f"SKU changed from {connection.sku} to {observed.sku or '(none)'}")
    options = option_change(connection.options, observed.options)
    if options:
        changes.append(options)
    return "; ".join(changes)


def option_change(recorded: list[dict] | None, observed: Options) -> str:
    """Compared by option name, so order-line modifiers (text fields) recorded with the options never count. An
    option of the variant whose name is not recorded at all means the options were renamed."""
    if not recorded or not observed:
        return ""
    before = {str(o.get("name", "")).casefold(): (o.get("name"), o.get("value")) for o in recorded}
    old, new = [], []
    for name, value in observed:
        known = before.get(name.casefold())
        if known is not None and known[1] != value:
            old.append(f"{known[0]}: {known[1]}")
            new.append(f"{name}: {value}")
    if not old and not any(name.casefold() in before for name, _ in observed):
        old = [f"{o.get('name')}: {o.get('value')}" for o in recorded]
        new = [f"{name}: {value}" for name, value in observed]
    return f"options changed from {', '.join(old)} to {', '.join(new)}" if old else ""


# --- queueing checks -------------------------------------------------------------------------------------------


def product_id_of(event: WebhookEvent) -> int | None:
    """The store product a product or SKU webhook is about (a SKU event names it in data.sku.product_id)."""
    if event.scope not in CATALOG_SCOPES:
        return None
    if event.resource_type == "product":
        return event.resource_id
    sku = event.data.get("sku")
    product_id = sku.get("product_id") if isinstance(sku, dict) else None
    valid = isinstance(product_id, int) and not isinstance(product_id, bool) and product_id > 0
    return product_id if valid else None


def request_checks(
    store_id: int, product_ids: Iterable[str], reason: str, now: datetime | None = None
) -> None:
    """One pending check per product: a repeat while one waits is absorbed."""
    now = now or timezone.now()
    rows = [
        CatalogCheck(store_id=store_id, product_id=pid, reason=reason, available_at=now)
        for pid in sorted(set(product_ids))
    ]
    CatalogCheck.objects.bulk_create(rows, ignore_conflicts=True)


def note_catalog_webhook(store: Store, event: WebhookEvent) -> bool:
    """In the receiver's transaction: queue a check when the event concerns a connected product. True: the
    caller kicks the store's sync after commit."""
    product_id = product_id_of(event)
    if product_id is None:
        return False
    connected = Connection.objects.filter(
        store=store, product_id=str(product_id), disconnected_at__isnull=True
    )
    if not connected.exists():
        return False
    request_checks(store.pk, [str(product_id)], CatalogCheck.Reason.WEBHOOK)
    return True


def claim_periodic(now: datetime | None = None) -> list[int]:
    """Live BigCommerce stores with connections and no periodic check for PERIODIC_EVERY: queue a check of every
    connected product. Returns the stores to sync."""
    now = now or timezone.now()
    live = BigCommerceConnection.objects.filter(uninstalled_at__isnull=True, store__is_active=True)
    recent = CatalogCheck.objects.filter(
        reason=CatalogCheck.Reason.PERIODIC, created_at__gt=now - PERIODIC_EVERY
    )
    stores = live.exclude(store_id__in=recent.values("store_id")).values("store_id")
    by_store: dict[int, set[str]] = {}
    active = Connection.objects.filter(store_id__in=stores, disconnected_at__isnull=True)
    for store_id, product_id in active.values_list("store_id", "product_id"):
        if product_id.isdigit():
            by_store.setdefault(store_id, set()).add(product_id)
    for store_id, product_ids in sorted(by_store.items()):
        request_checks(store_id, product_ids, CatalogCheck.Reason.PERIODIC, now)
    return sorted(by_store)


def _connected_products(store_id: int) -> set[str]:
    active = Connection.objects.filter(store_id=store_id, disconnected_at__isnull=True)
    return {pid for pid in active.values_list("product_id", flat=True) if pid.isdigit()}


def stores_with_due_checks(now: datetime | None = None):
    """Store ids with a pending check that is due (for the scheduler's sweep of stores with due work)."""
    now = now or timezone.now()
    due = CatalogCheck.objects.filter(state=CatalogCheck.State.PENDING, available_at__lte=now)
    return due.values("store_id")


# --- running checks ----------------------------------------------------------------------------------------------


def run_pending(connection: BigCommerceConnection, calls: StoreCalls, report: SyncReport) -> int:
    """Run the store's due checks (called by the sync under the store's lease). Returns how many ran."""
    due = CatalogCheck.objects.filter(
        store_id=connection.store_id, state=CatalogCheck.State.PENDING, available_at__lte=timezone.now()
    )
    rows = list(due.order_by("pk")[:CLAIM_LIMIT])
    if not rows:
        return 0
    product_ids = sorted({r.product_id for r in rows} & _connected_products(connection.store_id), key=int)
    try:
        products = _read(calls, product_ids)
    except IntegrationError as exc:
        _back_off(rows, exc)
        raise
    flagged = check_products(connection.store, product_ids, products)
    CatalogCheck.objects.filter(pk__in=[r.pk for r in rows]).update(
        state=CatalogCheck.State.DONE, done_at=timezone.now(), last_error=""
    )
    report.count("catalog_checked")
    if flagged:
        report.outcomes["connections_flagged"] = report.outcomes.get("connections_flagged", 0) + len(flagged)
    return len(rows)


def _read(calls: StoreCalls, product_ids: list[str]) -> dict[str, bc.Product]:
    products: dict[str, bc.Product] = {}
    for start in range(0, len(product_ids), CHECK_BATCH):
        batch = [int(pid) for pid in product_ids[start : start + CHECK_BATCH]]
        for product in calls.call(lambda b=batch: calls.client.list_products(id__in=b)):
            products[str(product.id)] = product
    return products


def _back_off(rows: list[CatalogCheck], error: Exception) -> None:
    attempts = max(r.attempts for r in rows) + 1
    batch = CatalogCheck.objects.filter(pk__in=[r.pk for r in rows])
    wait = timedelta(seconds=min(3600, 30 * 2**attempts))
    batch.update(attempts=F("attempts") + 1, last_error=str(error)[:500], available_at=timezone.now() + wait)
    batch.filter(attempts__gte=MAX_ATTEMPTS).update(state=CatalogCheck.State.DEAD)


@transaction.atomic
def check_products(
    store: Store, product_ids: list[str], products: dict[str, bc.Product], now: datetime | None = None
) -> list[Connection]:
    """Compare every active connection of these products with what the store showed (a product missing from
    `products` was deleted); flag the new differences, with one e-mail for all of them. Returns those flagged."""
    now = now or timezone.now()
    active = Connection.objects.select_for_update().filter(
        store=store, product_id__in=product_ids, disconnected_at__isnull=True
    )
    flagged = []
    for connection in active.order_by("pk"):
        observed = observe(products.get(connection.product_id), connection.product_id, connection.variant_id)
        reason = compare(connection, observed)
        if reason and not (connection.needs_review and connection.review_reason == reason[:300]):
            _flag(connection, reason, observed, now)
            flagged.append(connection)
    if flagged:
        queue_connection_review(store, flagged)
    return flagged


def _flag(connection: Connection, reason: str, observed: Observed, now: datetime) -> None:
    connection.needs_review, connection.review_reason = True, reason[:300]
    connection.review_observed, connection.flagged_at = observed.as_json(), now
    connection.save(update_fields=["needs_review", "review_reason", "review_observed", "flagged_at"])
    events.record(
        routing_events.CONNECTION_NEEDS_REVIEW,
        f"{connection.label or connection.variant_id} needs review: {reason}; new orders with it wait",
        DRIFT_ACTOR,
        store=connection.store,
        connection_id=connection.pk,
        product_id=connection.product_id,
        variant_id=connection.variant_id,
        reason=reason,
        observed=observed.as_json(),
    )


# --- clearing --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Confirmed:
    connection: Connection
    applied: reevaluation.Applied


def confirm_connection(
    account_id: int, connection_id: int, actor: events.Actor, now: datetime | None = None
) -> Confirmed:
    """'Still correct': take the store's new SKU and options as the connection's, clear the flag, then move the
    orders that waited for it (they are connected by it again)."""
    now = now or timezone.now()
    connection = _confirm(account_id, connection_id, actor, now)
    return Confirmed(connection, reevaluation.apply_connection(connection, actor, now))


@transaction.atomic
def _confirm(account_id: int, connection_id: int, actor: events.Actor, now: datetime) -> Connection:
    connection = (
        Connection.objects.select_for_update().filter(pk=connection_id, account_id=account_id).first()
    )
    if connection is None:
        raise NotFound("No such connection")
    if connection.disconnected_at:
        raise Conflict("This connection was removed")
    if not connection.needs_review:
        raise Conflict("This connection does not need review")
    observed = connection.review_observed or {}
    if observed.get("deleted"):
        raise Conflict(
            f"The store no longer has this variant ({connection.review_reason}): disconnect it, "
            "or connect the variant that replaced it"
        )
    connection.sku = observed.get("sku", connection.sku)
    connection.options = observed.get("options", connection.options)
    connection.needs_review, connection.confirmed_at, connection.confirmed_by = False, now, actor.user
    connection.save(update_fields=["sku", "options", "needs_review", "confirmed_at", "confirmed_by"])
    events.record(
        routing_events.CONNECTION_CONFIRMED,
        f"Confirmed {connection.label or connection.variant_id} is still correct ({connection.review_reason})",
        actor,
        store=connection.store,
        connection_id=connection.pk,
        variant_id=connection.variant_id,
        sku=connection.sku,
    )
    return connection
