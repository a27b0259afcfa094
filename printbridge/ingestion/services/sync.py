"""Per-store sync: one worker at a time (a lease in the database) drains the orders to refresh with range list
calls (250 per page, not a call per order) and hands each order to the core's import_order.

Every store API call goes through `StoreCalls.call`: it waits while the store's quota is spent
(X-Rate-Limit-Requests-Left = 0 until the reset), waits out a 429's reset, and backs off 5xx and timeouts
exponentially with full jitter, capped. Retries live here and nowhere else.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from printbridge.ingestion import translate
from printbridge.ingestion.models import RefreshRequest, StoreLease
from printbridge.ingestion.services import freshness
from printbridge.integrations.bigcommerce import payloads as bc
from printbridge.integrations.bigcommerce.client import BigCommerceClient
from printbridge.integrations.errors import PermanentError, RateLimited, RetryableError
from printbridge.orders import events
from printbridge.orders.services import cancel_from_store, import_order
from printbridge.routing import drift
from printbridge.stores import crypto
from printbridge.stores.models import BigCommerceConnection

logger = logging.getLogger("printbridge.sync")
T = TypeVar("T")

LEASE = timedelta(seconds=getattr(settings, "PRINTBRIDGE_SYNC_LEASE_SECONDS", 60))
PAGE = 250
MAX_ATTEMPTS = 6
BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0
DEFAULT_RESET = 3.0
BATCH = 1000
MAX_REFRESH_ATTEMPTS = 10
SWEEP_CREATED_MARGIN = timedelta(hours=1)
SYNC_ACTOR = events.Actor.system("BigCommerce sync")


def crash_point(name: str) -> None:
    """For the crash tests: die here like a SIGKILL (no clean-up) when PRINTBRIDGE_FAULT_CRASH_AT names this point."""
    if os.environ.get("PRINTBRIDGE_FAULT_CRASH_AT") == name:
        os._exit(137)


def backoff_seconds(attempt: int, rng: Callable[[], float] = random.random) -> float:
    """Full jitter: uniform in [0, min(cap, base * 2^attempt)]."""
    return rng() * min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt)


def client_for(connection: BigCommerceConnection) -> BigCommerceClient:
    token = crypto.decrypt(connection.access_token_encrypted)
    return BigCommerceClient(connection.store_hash, token, base_url=connection.api_base_url)


@dataclass
class StoreCalls:
    """The one place that paces and retries a store's API calls."""

    client: BigCommerceClient
    lease: StoreLease
    sleep: Callable[[float], None] = time.sleep
    calls: int = 0

    def call(self, fn: Callable[[], T]) -> T:
        for attempt in range(MAX_ATTEMPTS):
            renew_lease(self.lease)  # a slow call or a long wait never outlives the store's lease
            self._wait_for_quota()
            self.calls += 1
            try:
                return fn()
            except RateLimited as exc:
                self._block(exc.reset_seconds or DEFAULT_RESET)
            except RetryableError as exc:
                if attempt == MAX_ATTEMPTS - 1:
                    raise
                logger.info("store %s: %s; retrying", self.lease.store_id, exc)
                self.sleep(backoff_seconds(attempt))
        raise RetryableError(f"gave up after {MAX_ATTEMPTS} attempts")

    def _wait_for_quota(self) -> None:
        state = self.client.rate_limit
        if state and state.requests_left == 0 and state.time_reset_ms:
            self._block(state.time_reset_ms / 1000)
        if self.lease.blocked_until and self.lease.blocked_until > timezone.now():
            self.sleep((self.lease.blocked_until - timezone.now()).total_seconds())

    def _block(self, seconds: float) -> None:
        """No request to this store before the reset, across processes (persisted on the lease)."""
        until = timezone.now() + timedelta(seconds=seconds)
        StoreLease.objects.filter(pk=self.lease.pk).update(blocked_until=until)
        self.lease.blocked_until = until


@dataclass
class SyncReport:
    calls: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


# --- the lease -------------------------------------------------------------------------------------------------


def acquire_lease(connection: BigCommerceConnection, holder: str, now: datetime) -> StoreLease | None:
    lease, _ = StoreLease.objects.get_or_create(store_id=connection.store_id)
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(holder=holder)
    taken = StoreLease.objects.filter(free, pk=lease.pk).update(
        holder=holder, lease_until=now + LEASE, sync_requested_at=None
    )
    if not taken:
        return None
    lease.refresh_from_db()
    return lease


def renew_lease(lease: StoreLease) -> None:
    StoreLease.objects.filter(pk=lease.pk, holder=lease.holder).update(lease_until=timezone.now() + LEASE)


def release_lease(lease: StoreLease) -> None:
    StoreLease.objects.filter(pk=lease.pk, holder=lease.holder).update(lease_until=None, holder="")


# --- claiming work ---------------------------------------------------------------------------------------------


def claim_due(store_id: int, now: datetime, limit: int = BATCH) -> list[RefreshRequest]:
    """Pending refreshes that are due, and claimed ones whose worker died (expired lease), now ours."""
    due = Q(state=RefreshRequest.State.PENDING, available_at__lte=now) | Q(
        state=RefreshRequest.State.CLAIMED, lease_until__lt=now
    )
    with transaction.atomic():
        rows = list(
            RefreshRequest.objects.select_for_update(skip_locked=True)
            .filter(due, store_id=store_id)
            .order_by("pk")[:limit]
        )
        RefreshRequest.objects.filter(pk__in=[r.pk for r in rows]).update(
            state=RefreshRequest.State.CLAIMED, lease_until=now + LEASE
        )
    return rows


def id_ranges(ids: Iterable[int], span: int = PAGE) -> list[tuple[int, int]]:
    """Sorted ids grouped into ranges narrower than one page, so each range is one list call."""
    ranges: list[tuple[int, int]] = []
    for order_id in sorted(set(ids)):
        if ranges and order_id - ranges[-1][0] < span:
            ranges[-1] = (ranges[-1][0], order_id)
        else:
            ranges.append((order_id, order_id))
    return ranges


# --- applying orders -------------------------------------------------------------------------------------------


def apply_order(
    connection: BigCommerceConnection, order: bc.Order, calls: StoreCalls, report: SyncReport
) -> None:
    """One BigCommerce order through the paid gate into the core (the same path for webhooks, polls, backfill)."""
    decision = translate.gate(order, connection.paid_status_ids)
    if decision == translate.Gate.WAIT:
        report.count("waiting_for_payment")
        return
    if decision == translate.Gate.CANCEL:
        why = "archived" if order.is_deleted else order.status.lower() or f"status {order.status_id}"
        result = cancel_from_store(connection.store, str(order.id), why, SYNC_ACTOR)
        report.count("cancelled" if result.cancelled else "cancel_noted")
        return
    if not order.line_items_complete:
        order = calls.call(lambda: calls.client.complete_line_items(order))
    outcome = import_order(connection.store, translate.incoming_order(order), SYNC_ACTOR).outcome
    report.count(str(outcome))


Fetched = list[tuple[datetime, list[bc.Order]]]  # each call's start time (our clock) and what it returned


def _timed_list(calls: StoreCalls, **filters) -> tuple[datetime, list[bc.Order]]:
    return calls.call(lambda: (timezone.now(), calls.client.list_orders(limit=PAGE, **filters)))


def _fetch(calls: StoreCalls, wanted: set[int]) -> Fetched:
    fetched: Fetched = []
    for low, high in id_ranges(wanted):
        fetched.append(_timed_list(calls, min_id=low, max_id=high))
    found = {o.id for _, page in fetched for o in page}
    for missing in sorted(wanted - found):  # archived orders are not listed: read them one by one
        try:
            fetched.append(calls.call(lambda m=missing: (timezone.now(), [calls.client.get_order(m)])))
        except PermanentError as exc:
            if exc.status != 404:
                raise
    return fetched


def _sweep_new(connection: BigCommerceConnection, calls: StoreCalls, report: SyncReport, rows) -> None:
    """When a refresh names an order newer than any seen, list every order after the newest seen one in full
    pages (sort by id): a burst costs one call per 250 orders, whether or not their webhooks have arrived yet.
    Their own refreshes then find them current (freshness.already_current) and cost nothing. Orders created
    before the store was connected are history (backfill's job) and are not swept."""
    wanted = _wanted(rows)
    newest = freshness.newest_seen_id(connection.store_id)
    if newest is None or not wanted or max(wanted) <= newest:
        return
    floor = connection.connected_at - SWEEP_CREATED_MARGIN
    while True:
        fetched_at, page = _timed_list(calls, min_id=newest + 1, min_date_created=floor, sort="id:asc")
        failed = _apply_all(connection, {o.id: o for o in page}, calls, report)
        freshness.record_seen(connection.store_id, [o for o in page if str(o.id) not in failed], fetched_at)
        _extend_claim(rows)
        if len(page) < PAGE:
            return
        newest = page[-1].id


def _wanted(rows: list[RefreshRequest]) -> set[int]:
    return {int(r.order_external_id) for r in rows if r.order_external_id.isdigit()}


def drain(connection: BigCommerceConnection, calls: StoreCalls, report: SyncReport) -> int:
    """Process every due refresh of the store in batches. Returns how many refreshes were done."""
    done = 0
    while rows := claim_due(connection.store_id, timezone.now()):
        try:
            _sweep_new(connection, calls, report, rows)
            current = freshness.already_current(connection.store_id, _wanted(rows))
            fetched = _fetch(calls, _wanted(rows) - current)
        except (RetryableError, PermanentError) as exc:
            _put_back(rows, exc)
            raise
        for _ in current:
            report.count("already_current")
        crash_point("after_fetch")
        failed = _apply_fetched(connection, fetched, calls, report)
        crash_point("after_import_before_done")
        _finish([r for r in rows if r.order_external_id not in failed])
        _put_back([r for r in rows if r.order_external_id in failed], failed)
        renew_lease(calls.lease)
        done += len(rows)
    return done


def _apply_fetched(connection, fetched: Fetched, calls: StoreCalls, report: SyncReport) -> dict[str, str]:
    failed: dict[str, str] = {}
    for fetched_at, page in fetched:
        page_failed = _apply_all(connection, {o.id: o for o in page}, calls, report)
        freshness.record_seen(
            connection.store_id, [o for o in page if str(o.id) not in page_failed], fetched_at
        )
        failed.update(page_failed)
    return failed


def _extend_claim(rows: list[RefreshRequest]) -> None:
    RefreshRequest.objects.filter(pk__in=[r.pk for r in rows], state=RefreshRequest.State.CLAIMED).update(
        lease_until=timezone.now() + LEASE
    )


def _apply_all(
    connection, orders: dict[int, bc.Order], calls: StoreCalls, report: SyncReport
) -> dict[str, str]:
    """Apply each order on its own: one bad order never blocks the others. Returns {order id: error}."""
    failed: dict[str, str] = {}
    for order in orders.values():
        try:
            apply_order(connection, order, calls, report)
        except RetryableError:
            raise
        except Exception as exc:
            logger.exception("store %s: order %s could not be applied", connection.store_id, order.id)
            failed[str(order.id)] = f"{type(exc).__name__}: {exc}"
    return failed


def _finish(rows: list[RefreshRequest]) -> None:
    RefreshRequest.objects.filter(pk__in=[r.pk for r in rows]).update(
        state=RefreshRequest.State.DONE, done_at=timezone.now(), lease_until=None
    )


def _put_back(rows: list[RefreshRequest], error: Exception | dict[str, str]) -> None:
    """Leave claimed rows to expire into a later run after a backoff; past the attempt limit they are dead
    (shown to the operator), never silently dropped."""
    if not rows:
        return
    attempts = max(r.attempts for r in rows) + 1
    message = "; ".join(f"{k}: {v}" for k, v in error.items()) if isinstance(error, dict) else str(error)
    batch = RefreshRequest.objects.filter(pk__in=[r.pk for r in rows])
    batch.update(
        attempts=F("attempts") + 1,
        last_error=message[:500],
        lease_until=timezone.now() + timedelta(seconds=backoff_seconds(attempts) + 1),
    )
    batch.filter(attempts__gte=MAX_REFRESH_ATTEMPTS).update(state=RefreshRequest.State.DEAD)


def sync_store(store_id: int, holder: str, sleep: Callable[[float], None] = time.sleep) -> SyncReport | None:
    """Drain the store's due refreshes under its lease. None when another worker holds the lease."""
    connection = BigCommerceConnection.objects.select_related("store").get(store_id=store_id)
    if connection.uninstalled_at or not connection.store.is_active:
        return None
    lease = acquire_lease(connection, holder, timezone.now())
    if lease is None:
        # Another worker holds the store: forget this request so the next kick (a webhook, or the scheduler
        # once the lease is free) queues a sync at once instead of waiting for the marker to go stale.
        StoreLease.objects.filter(store_id=store_id).update(sync_requested_at=None)
        return None
    calls, report = StoreCalls(client_for(connection), lease, sleep), SyncReport()
    try:
        drain(connection, calls, report)
        drift.run_pending(connection, calls, report)  # catalog checks (drift of connected variants)
        _record_health(connection, error="")
    except (RetryableError, PermanentError) as exc:
        _record_health(connection, error=str(exc))
    finally:
        release_lease(lease)
        calls.client.close()
        report.calls = calls.calls
    return report


def _record_health(connection: BigCommerceConnection, error: str) -> None:
    now = timezone.now()
    fields = {"last_sync_at": now} if not error else {"last_error": error[:500], "last_error_at": now}
    BigCommerceConnection.objects.filter(pk=connection.pk).update(**fields)
