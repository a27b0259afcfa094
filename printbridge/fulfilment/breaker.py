"""A circuit breaker per provider, in the database so that every worker process shares it.

Closed: calls go through; failures are counted in a window. Open (≥ THRESHOLD of at least MIN_CALLS calls
failed in the window): no calls until the cooldown ends; then one probe at a time. A 429 is back-pressure, not
a failure, and is never recorded here."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from printbridge.fulfilment.models import ProviderBreaker

WINDOW = timedelta(seconds=60)
COOLDOWN = timedelta(seconds=30)
MIN_CALLS = 5
THRESHOLD = 0.5


def allows(provider: str, now: datetime | None = None) -> bool:
    """Closed; or open, cooled down, and this caller takes the one probe (a probe lost with its worker
    expires after a cooldown)."""
    now = now or timezone.now()
    state, _ = ProviderBreaker.objects.get_or_create(provider=provider)
    if state.open_until is None:
        return True
    if state.open_until > now or (state.probe_at is not None and state.probe_at > now - COOLDOWN):
        return False
    return _take_probe(provider, state.probe_at, now)


def _take_probe(provider: str, previous_probe: datetime | None, now: datetime) -> bool:
    """Atomically become the probe (compare-and-set on probe_at)."""
    return bool(
        ProviderBreaker.objects.filter(provider=provider, probe_at=previous_probe).update(probe_at=now)
        if previous_probe is not None
        else ProviderBreaker.objects.filter(provider=provider, probe_at__isnull=True).update(probe_at=now)
    )


@transaction.atomic
def record(provider: str, ok: bool, now: datetime | None = None) -> None:
    now = now or timezone.now()
    state, _ = ProviderBreaker.objects.select_for_update().get_or_create(provider=provider)
    if state.open_until is not None:  # the probe's outcome closes or re-opens the breaker
        _after_probe(state, ok, now)
        return
    if state.window_started_at is None or state.window_started_at < now - WINDOW:
        state.window_started_at, state.calls, state.failures = now, 0, 0
    state.calls += 1
    state.failures += 0 if ok else 1
    if state.calls >= MIN_CALLS and state.failures / state.calls >= THRESHOLD:
        state.open_until = now + COOLDOWN
    state.save()


def _after_probe(state: ProviderBreaker, ok: bool, now: datetime) -> None:
    if ok:
        state.open_until = state.probe_at = state.window_started_at = None
        state.calls = state.failures = 0
    else:
        state.open_until, state.probe_at = now + COOLDOWN, None
    state.save()


def is_open(provider: str) -> bool:
    return ProviderBreaker.objects.filter(provider=provider, open_until__isnull=False).exists()
