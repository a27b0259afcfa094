"""Connect a BigCommerce store, keep its webhooks healthy, reconcile and backfill — all through the same sync."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from printbridge.ingestion.services import freshness
from printbridge.ingestion.services.sync import (
    PAGE,
    StoreCalls,
    SyncReport,
    acquire_lease,
    apply_order,
    client_for,
    release_lease,
    renew_lease,
)
from printbridge.integrations.bigcommerce.client import BigCommerceClient
from printbridge.integrations.bigcommerce.webhooks import SUBSCRIBED_SCOPES
from printbridge.integrations.errors import IntegrationError, PermanentError
from printbridge.orders import events
from printbridge.orders.errors import InvalidInput, NotFound
from printbridge.orders.models import OrderEvent
from printbridge.stores import crypto
from printbridge.stores.models import Account, BigCommerceConnection, Store, StoreSettings

SECRET_HEADER = "X-Printbridge-Secret"
OVERLAP = timedelta(minutes=5)
Event = OrderEvent.Type


def api_base_url(store_hash: str, base: str | None = None) -> str:
    return f"{(base or settings.BIGCOMMERCE_API_URL).rstrip('/')}/stores/{store_hash}"


def webhook_destination(connection: BigCommerceConnection) -> str:
    return settings.PRINTBRIDGE_BASE_URL + reverse("bigcommerce-webhook", args=[connection.public_id])


@dataclass(frozen=True)
class Connected:
    connection: BigCommerceConnection
    hooks_registered: int
    hook_error: str = ""


def connect_bigcommerce(
    account: Account, store_hash: str, access_token: str, actor: events.Actor, api_url: str | None = None
) -> Connected:
    """Validate the credentials with GET /v2/store, save the store (token encrypted), register the webhooks."""
    store_hash, access_token = store_hash.strip(), access_token.strip()
    if not store_hash.isalnum() or not access_token:
        raise InvalidInput("Give the store hash (letters and digits) and the API account's access token")
    base = api_base_url(store_hash, api_url)
    try:
        info = BigCommerceClient(store_hash, access_token, base_url=base).store_info()
    except PermanentError as exc:
        raise InvalidInput(
            f"BigCommerce refused these credentials: {exc.detail}", field="access_token"
        ) from None
    except IntegrationError as exc:
        raise InvalidInput(
            f"BigCommerce could not be reached: {exc.message}; try again", field="store_hash"
        ) from None
    connection = _save(account, store_hash, access_token, base, info, actor)
    registered, error = register_hooks(connection)
    return Connected(connection, registered, error)


@transaction.atomic
def _save(account, store_hash, access_token, base, info, actor) -> BigCommerceConnection:
    existing = BigCommerceConnection.objects.select_related("store").filter(store_hash=store_hash).first()
    if existing and existing.store.account_id != account.pk:
        raise InvalidInput("This store is connected to another account", field="store_hash")
    store = (
        existing.store
        if existing
        else Store.objects.create(
            account=account, name=info.name or store_hash, platform=Store.Platform.BIGCOMMERCE
        )
    )
    StoreSettings.objects.get_or_create(store=store)
    fields = {
        "store": store,
        "bc_store_id": str(info.store_id),
        "api_base_url": base,
        "access_token_encrypted": crypto.encrypt(access_token),
        "store_name": info.name,
        "domain": info.domain,
        "currency": info.currency,
        "weight_units": info.weight_units,
        "dimension_units": info.dimension_units,
        "uninstalled_at": None,
    }
    connection, created = BigCommerceConnection.objects.update_or_create(
        store_hash=store_hash,
        defaults=fields,
        create_defaults={
            **fields,
            "webhook_secret_encrypted": crypto.encrypt(secrets.token_urlsafe(32)),
            "public_id": secrets.token_urlsafe(16),
        },
    )
    Store.objects.filter(pk=store.pk).update(is_active=True)
    events.record(
        Event.STORE_CONNECTED,
        f"BigCommerce store {info.name} ({store_hash}) {'connected' if created else 'reconnected'}",
        actor,
        store=store,
        store_hash=store_hash,
        currency=info.currency,
    )
    return connection


def register_hooks(connection: BigCommerceConnection) -> tuple[int, str]:
    """Create or re-enable one hook per subscribed scope. Returns (hooks created or re-enabled, error)."""
    try:
        with client_for(connection) as client:
            changed = _sync_hooks(client, connection)
    except IntegrationError as exc:
        _alert(
            connection,
            f"Webhooks could not be registered ({exc.message}); reconciliation still imports orders",
        )
        return 0, exc.message
    BigCommerceConnection.objects.filter(pk=connection.pk).update(hooks_checked_at=timezone.now())
    return changed, ""


def _sync_hooks(client: BigCommerceClient, connection: BigCommerceConnection) -> int:
    destination = webhook_destination(connection)
    headers = {SECRET_HEADER: crypto.decrypt(connection.webhook_secret_encrypted)}
    ours = {h.scope: h for h in client.list_hooks() if h.destination == destination}
    changed = 0
    for scope in sorted(SUBSCRIBED_SCOPES):
        hook = ours.get(scope)
        if hook is None:
            client.create_hook(scope, destination, headers)
            changed += 1
        elif not hook.is_active or hook.headers.get(SECRET_HEADER) != headers[SECRET_HEADER]:
            client.update_hook(hook.id, is_active=True, headers=headers)
            changed += 1
    return changed


def check_hooks(store_id: int) -> int:
    """The periodic health check: re-enable hooks BigCommerce deactivated, and tell the merchant."""
    connection = BigCommerceConnection.objects.select_related("store").get(store_id=store_id)
    try:
        with client_for(connection) as client:
            inactive = [h.scope for h in client.list_hooks() if not h.is_active]
            changed = _sync_hooks(client, connection)
    except IntegrationError as exc:
        _alert(connection, f"Webhook health check failed: {exc.message}")
        return 0
    if inactive:
        _alert(
            connection,
            f"BigCommerce had deactivated {len(inactive)} webhook(s) ({', '.join(sorted(inactive))}); "
            f"re-enabled {timezone.now():%d %b %H:%M} UTC. Reconciliation imports what they missed.",
        )
    BigCommerceConnection.objects.filter(pk=connection.pk).update(hooks_checked_at=timezone.now())
    return changed


def _alert(connection: BigCommerceConnection, message: str) -> None:
    BigCommerceConnection.objects.filter(pk=connection.pk).update(alert=message[:500])
    events.record(
        Event.STORE_ALERT, message, events.Actor.system("BigCommerce health check"), store=connection.store
    )


# --- reconciliation and backfill -------------------------------------------------------------------------------


def _walk(
    connection: BigCommerceConnection,
    calls: StoreCalls,
    since: datetime,
    report: SyncReport,
    progress: Callable[[int], None] | None = None,
    on_page: Callable[[], None] | None = None,
) -> datetime | None:
    """Every order modified since `since`, page by page, through apply_order. Returns the newest date seen."""
    newest, page = None, 1
    while True:
        fetched_at, orders = calls.call(
            lambda p=page: (
                timezone.now(),
                calls.client.list_orders(
                    min_date_modified=since, sort="date_modified:asc", page=p, limit=PAGE
                ),
            )
        )
        if on_page:
            on_page()
        for order in orders:
            apply_order(connection, order, calls, report)
            newest = max(newest or order.date_modified, order.date_modified)
        freshness.record_seen(connection.store_id, orders, fetched_at)
        renew_lease(calls.lease)
        if progress:
            progress(len(orders))
        if len(orders) < PAGE:
            return newest
        page += 1


def reconcile_store(store_id: int, holder: str, now: datetime | None = None) -> SyncReport | None:
    """List what changed since the watermark (minus an overlap) and feed it to the same sync."""
    return _under_lease(store_id, holder, lambda c, calls, report: _reconcile(c, calls, report, now))


def _reconcile(connection, calls, report, now) -> None:
    now = now or timezone.now()
    since = (connection.watermark or connection.connected_at) - OVERLAP
    listed_at: list[datetime] = []  # the store's clock when it answered the first page
    newest = _walk(
        connection, calls, since, report, on_page=lambda: listed_at.append(calls.client.server_time)
    )
    fields: dict = {"reconciled_at": now}
    mark = max((t for t in (connection.watermark, newest, *listed_at[:1]) if t is not None), default=None)
    if mark and mark != connection.watermark:
        fields["watermark"] = mark
    BigCommerceConnection.objects.filter(pk=connection.pk).update(**fields)


def backfill(store_id: int, since: datetime, holder: str, progress: Callable[[int], None] | None = None):
    """Import the store's history since a date (orders placed before the store was connected)."""
    return _under_lease(store_id, holder, lambda c, calls, report: _walk(c, calls, since, report, progress))


def _under_lease(store_id: int, holder: str, work) -> SyncReport | None:
    connection = BigCommerceConnection.objects.select_related("store").get(store_id=store_id)
    lease = acquire_lease(connection, holder, timezone.now())
    if lease is None:
        return None
    calls, report = StoreCalls(client_for(connection), lease), SyncReport()
    try:
        work(connection, calls, report)
    finally:
        release_lease(lease)
        calls.client.close()
        report.calls = calls.calls
    return report


STATUS_IDS = frozenset(range(15))


def update_bigcommerce_settings(
    account_id: int,
    store_id: int,
    actor: events.Actor,
    paid_status_ids: list[int] | None = None,
    reconcile_every_minutes: int | None = None,
) -> BigCommerceConnection:
    """Which BigCommerce statuses import (default 11 and 9), and how often to reconcile (minutes)."""
    connection = (
        BigCommerceConnection.objects.select_related("store")
        .filter(store_id=store_id, store__account_id=account_id)
        .first()
    )
    if connection is None:
        raise NotFound("No such BigCommerce store")
    changes: dict = {}
    if paid_status_ids is not None:
        if (
            not paid_status_ids
            or not set(paid_status_ids) <= STATUS_IDS
            or set(paid_status_ids) & {0, 4, 5, 6}
        ):
            raise InvalidInput(
                "Paid statuses must be BigCommerce status ids other than 0, 4, 5 and 6",
                field="paid_status_ids",
            )
        changes["paid_status_ids"] = sorted(set(paid_status_ids))
    if reconcile_every_minutes is not None:
        if not 1 <= reconcile_every_minutes <= 1440:
            raise InvalidInput("Reconcile every 1 to 1440 minutes", field="reconcile_every_minutes")
        changes["reconcile_every_minutes"] = reconcile_every_minutes
    BigCommerceConnection.objects.filter(pk=connection.pk).update(**changes)
    if changes:
        events.record(
            Event.SETTINGS_CHANGED,
            f"BigCommerce settings changed: {', '.join(changes)}",
            actor,
            store=connection.store,
            changes=changes,
        )
    connection.refresh_from_db()
    return connection
