"""When to run a store's sync: at most one queued sync task per store; the scheduler kicks stores with due work
(a lost or crashed task is picked up again), and reconciles each store on its interval."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from printbridge.ingestion.models import RefreshRequest, StoreLease
from printbridge.ingestion.services.sync import LEASE
from printbridge.routing import drift
from printbridge.stores.models import BigCommerceConnection, Store

DEBOUNCE = timedelta(seconds=2)  # a burst of webhooks for one store collapses into one sync
HOOK_CHECK_EVERY = timedelta(hours=1)


def request_sync(store_id: int, now: datetime | None = None) -> bool:
    """Mark a sync as queued for the store; True when the caller should enqueue the task (none is queued).
    One UPDATE on the hot path (every webhook); the lease row is made on the store's first sync request."""
    now = now or timezone.now()
    stale = Q(sync_requested_at__isnull=True) | Q(sync_requested_at__lt=now - LEASE)
    if StoreLease.objects.filter(stale, store_id=store_id).update(sync_requested_at=now):
        return True
    _, created = StoreLease.objects.get_or_create(store_id=store_id, defaults={"sync_requested_at": now})
    return created


def stores_with_due_work(now: datetime | None = None) -> list[int]:
    """Active stores with a due refresh (or one a dead worker left claimed) or a due catalog check (drift), and
    no live sync lease."""
    now = now or timezone.now()
    due = Q(state=RefreshRequest.State.PENDING, available_at__lte=now) | Q(
        state=RefreshRequest.State.CLAIMED, lease_until__lt=now
    )
    busy = StoreLease.objects.filter(lease_until__gt=now).values("store_id")
    ids = (
        RefreshRequest.objects.filter(due, store__is_active=True)
        .exclude(store_id__in=busy)
        .values_list("store_id", flat=True)
        .distinct()
    )
    checks = (
        Store.objects.filter(pk__in=drift.stores_with_due_checks(now), is_active=True)
        .exclude(pk__in=busy)
        .values_list("pk", flat=True)
    )
    return sorted(set(ids) | set(checks))


def claim_reconciliations(now: datetime | None = None) -> list[int]:
    """Stores whose reconciliation interval has passed, marked as started now (a lost run retries next interval)."""
    now = now or timezone.now()
    live = BigCommerceConnection.objects.filter(uninstalled_at__isnull=True, store__is_active=True)
    due = [
        store_id
        for store_id, last, every in live.values_list("store_id", "reconciled_at", "reconcile_every_minutes")
        if last is None or last + timedelta(minutes=every) <= now
    ]
    BigCommerceConnection.objects.filter(store_id__in=due).update(reconciled_at=now)
    return due


def claim_hook_checks(now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    live = BigCommerceConnection.objects.filter(uninstalled_at__isnull=True, store__is_active=True)
    due = list(
        live.filter(
            Q(hooks_checked_at__isnull=True) | Q(hooks_checked_at__lte=now - HOOK_CHECK_EVERY)
        ).values_list("store_id", flat=True)
    )
    BigCommerceConnection.objects.filter(store_id__in=due).update(hooks_checked_at=now)
    return due
