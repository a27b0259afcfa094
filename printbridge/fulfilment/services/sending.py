"""Send the outbox to the provider exactly once per generation.

Gelato has no idempotency header, so the deterministic key is sent as orderReferenceId, and any retry (after a
timeout, a 5xx or a worker that died mid-send) first searches by it: a provider that accepted and then failed to
answer never gets a second order. Retries back off with full jitter; a breaker per provider stops calls while the
provider is down; a refusal (4xx) fails the order visibly and e-mails the merchant.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from printbridge.fulfilment import breaker, provider
from printbridge.fulfilment.models import Submission
from printbridge.fulfilment.services.outbound_delivery import record_order_change
from printbridge.ingestion.services.sync import backoff_seconds
from printbridge.integrations.errors import PermanentError, RateLimited, RetryableError
from printbridge.orders import events, rules
from printbridge.orders.models import OrderEvent
from printbridge.orders.services.release import set_status

logger = logging.getLogger("printbridge.fulfilment")
LEASE = timedelta(seconds=120)
BATCH = 20
NO_ACCOUNT_RETRY = 300
ACTOR = events.Actor.system("fulfilment")
Event = OrderEvent.Type


@dataclass
class SendReport:
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def claim(provider_name: str, now: datetime, limit: int = BATCH) -> list[Submission]:
    """Due submissions, and ones a dead worker left in 'sending' past their lease, now ours."""
    due = Q(state=Submission.State.PENDING, available_at__lte=now) | Q(
        state=Submission.State.SENDING, lease_until__lt=now
    )
    with transaction.atomic():
        rows = list(
            Submission.objects.select_for_update(skip_locked=True)
            .filter(due, provider=provider_name, cancel_requested=False)
            .order_by("pk")[:limit]
        )
        for row in rows:
            row.state, row.lease_until, row.attempts = Submission.State.SENDING, now + LEASE, row.attempts + 1
        Submission.objects.bulk_update(rows, ["state", "lease_until", "attempts"])
    return rows


def send_due(provider_name: str = "gelato", now: datetime | None = None) -> SendReport:
    report = SendReport()
    now = now or timezone.now()
    if not breaker.allows(provider_name, now):
        report.count("breaker_open")
        return report
    claimed = claim(provider_name, now)
    for index, submission in enumerate(claimed):
        if index and not breaker.allows(provider_name, timezone.now()):
            _hand_back(claimed[index:])
            report.count("breaker_open")
            break
        report.count(send_one(submission))
    return report


def send_one(submission: Submission) -> str:
    try:
        placed = _place(submission)
    except provider.NoProviderAccount as exc:
        _retry_later(submission, exc, seconds=NO_ACCOUNT_RETRY)
        return "waiting_for_provider_account"
    except RateLimited as exc:
        _retry_later(submission, exc, seconds=exc.reset_seconds)
        return "rate_limited"
    except RetryableError as exc:
        breaker.record(submission.provider, ok=False)
        _retry_later(submission, exc, seconds=backoff_seconds(submission.attempts) + 1)
        return "retry"
    except PermanentError as exc:
        breaker.record(submission.provider, ok=True)  # the provider answered: not an outage
        _fail(submission, exc)
        return "failed"
    breaker.record(submission.provider, ok=True)
    _mark_sent(submission, placed)
    return "sent"


def _place(submission: Submission):
    """Adopt the provider's order if an earlier attempt created it; otherwise create it."""
    with provider.client_for_store(submission.store) as client:
        if submission.attempts > 1:
            existing = client.find_by_reference(submission.idempotency_key)
            if existing is not None:
                return existing
        return client.create_order(provider.new_order(submission))


@transaction.atomic
def _mark_sent(submission: Submission, placed) -> None:
    Submission.objects.filter(pk=submission.pk).update(
        state=Submission.State.SENT,
        provider_order_id=placed.id,
        provider_status=placed.fulfillment_status,
        sent_at=timezone.now(),
        lease_until=None,
        last_error="",
    )
    order = submission.order.__class__.objects.select_for_update(of=("self",)).get(pk=submission.order_id)
    if set_status(order, rules.OrderStatus.SUBMITTED, timezone.now()):
        record_order_change(order)
    if Submission.objects.filter(pk=submission.pk, cancel_requested=True).exists():
        from printbridge.jobs.tasks import cancel_submission_task

        transaction.on_commit(lambda: cancel_submission_task.enqueue(submission.pk))
    events.record(
        Event.ORDER_SUBMITTED,
        f"Sent to Gelato as order {placed.id} (reference {submission.idempotency_key})",
        ACTOR,
        store=submission.store,
        order=order,
        provider_order_id=placed.id,
        generation=submission.generation,
    )


def _retry_later(submission: Submission, exc: Exception, seconds: float) -> None:
    Submission.objects.filter(pk=submission.pk).update(
        state=Submission.State.PENDING,
        available_at=timezone.now() + timedelta(seconds=seconds),
        lease_until=None,
        last_error=str(exc)[:1000],
    )


@transaction.atomic
def _fail(submission: Submission, exc: PermanentError) -> None:
    message = getattr(exc, "detail", str(exc))
    Submission.objects.filter(pk=submission.pk).update(
        state=Submission.State.FAILED, lease_until=None, last_error=str(message)[:1000]
    )
    order = submission.order.__class__.objects.select_for_update(of=("self",)).get(pk=submission.order_id)
    if set_status(order, rules.OrderStatus.FAILED, timezone.now()):
        record_order_change(order)
    events.record(
        Event.SUBMISSION_FAILED,
        f"Gelato refused the order: {message}"[:500],
        ACTOR,
        store=submission.store,
        order=order,
        generation=submission.generation,
    )
    from printbridge.notifications.services import queue_submission_failed

    queue_submission_failed(order, str(message))


def _hand_back(unsent: list[Submission]) -> None:
    """The breaker opened mid-batch: return what this worker claimed but did not send, attempt not counted."""
    Submission.objects.filter(pk__in=[s.pk for s in unsent], state=Submission.State.SENDING).update(
        state=Submission.State.PENDING, lease_until=None, attempts=F("attempts") - 1
    )
