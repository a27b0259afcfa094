"""Writing the outbox: a Submission row per released generation, in the same transaction as the release."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from printbridge.fulfilment.models import Submission
from printbridge.orders.models import Order


def idempotency_key(store_id: int, order_id: int, generation: int) -> str:
    """Deterministic: the same generation of the same order always has the same key (Gelato orderReferenceId)."""
    return f"pb-{store_id}-{order_id}-g{generation}"


def queue_submissions(order_ids: Sequence[int]) -> int:
    """A submission for each order's current generation that has released items. Returns how many are new."""
    rows = (
        Order.objects.filter(pk__in=list(order_ids), items__release_generation=F("release_count"))
        .values_list("pk", "store_id", "release_count")
        .distinct()
    )
    now = timezone.now()
    created = Submission.objects.bulk_create(
        [
            Submission(
                store_id=store_id,
                order_id=order_id,
                generation=generation,
                available_at=now,
                idempotency_key=idempotency_key(store_id, order_id, generation),
            )
            for order_id, store_id, generation in rows
        ],
        ignore_conflicts=True,
    )
    if created:
        transaction.on_commit(_kick_sender)
    return len(created)


def _kick_sender() -> None:
    from printbridge.jobs.tasks import enqueue_unless_waiting, send_submissions_task

    enqueue_unless_waiting(send_submissions_task)
