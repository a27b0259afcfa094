"""An order cancelled in the store after it went to fulfilment: cancel it at the provider if it is not printed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from printbridge.fulfilment import provider
from printbridge.fulfilment.models import Submission
from printbridge.fulfilment.services.outbound_delivery import record_order_change
from printbridge.integrations.errors import IntegrationError
from printbridge.integrations.gelato.errors import AlreadyPrinted
from printbridge.orders import events, rules
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.services.release import set_status

ACTOR = events.Actor.system("fulfilment")
Event = OrderEvent.Type


def request_cancel(order: Order) -> list[int]:
    """Called in the cancelling transaction: unsent parts are cancelled now; sent ones are cancelled at the
    provider after commit. Returns the submissions to cancel at the provider. An order the store cancelled
    before fulfilment is Cancelled already: its outbound webhook event is written here, in the same transaction."""
    Submission.objects.filter(order=order).update(cancel_requested=True)
    Submission.objects.filter(order=order, state=Submission.State.PENDING).update(
        state=Submission.State.CANCELLED
    )
    if order.status == rules.OrderStatus.CANCELLED:
        record_order_change(order)
    sent = list(
        Submission.objects.filter(
            order=order, state__in=[Submission.State.SENT, Submission.State.SENDING]
        ).values_list("pk", flat=True)
    )
    if sent:
        from printbridge.jobs.tasks import cancel_submission_task

        transaction.on_commit(lambda: [cancel_submission_task.enqueue(pk) for pk in sent])
    return sent


def cancel_at_provider(submission_id: int) -> str:
    submission = Submission.objects.select_related("store", "order").get(pk=submission_id)
    if submission.state == Submission.State.SENDING:
        return "still_sending"  # _mark_sent sees cancel_requested and queues this again
    if submission.state != Submission.State.SENT:
        return "nothing_to_cancel"
    try:
        with provider.client_for_store(submission.store) as client:
            client.cancel_order(submission.provider_order_id)
    except AlreadyPrinted as exc:
        _refused(submission, exc.detail)
        return "already_printed"
    except IntegrationError:
        raise
    _cancelled(submission)
    return "cancelled"


@transaction.atomic
def _cancelled(submission: Submission) -> None:
    Submission.objects.filter(pk=submission.pk).update(
        state=Submission.State.CANCELLED, provider_status="canceled"
    )
    order = Order.objects.select_for_update(of=("self",)).get(pk=submission.order_id)
    if set_status(order, rules.OrderStatus.CANCELLED, timezone.now()):
        record_order_change(order)
    events.record(
        Event.PROVIDER_CANCELLED,
        f"Cancelled at Gelato (order {submission.provider_order_id})",
        ACTOR,
        store=submission.store,
        order=order,
    )


@transaction.atomic
def _refused(submission: Submission, message: str) -> None:
    Submission.objects.filter(pk=submission.pk).update(already_printed=True, last_error=message[:1000])
    events.record(
        Event.PROVIDER_CANCEL_REFUSED,
        "Cancelled in the store, but Gelato has already printed it",
        ACTOR,
        store=submission.store,
        order=submission.order,
        provider_message=message[:300],
    )
