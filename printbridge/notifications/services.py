"""Merchant e-mails. Each one is a Notification row written in the transaction that decided it and sent after
commit by a task, so a mail server outage never blocks an import; the scheduler retries what failed."""

from __future__ import annotations

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from printbridge.notifications import builders
from printbridge.notifications.models import Notification
from printbridge.orders import rules
from printbridge.stores.models import Membership, Store, StoreSettings

Kind = Notification.Kind


def recipients_for(store: Store) -> list[str]:
    """The store's notification recipients, else the account owners' addresses."""
    configured = [r for r in store.settings.notification_recipients if r]
    if configured:
        return configured
    owners = Membership.objects.filter(account_id=store.account_id, role=Membership.Role.OWNER)
    return sorted({m.user.email for m in owners.select_related("user") if m.user.email})


def queue_action_required(order) -> Notification | None:
    """'Order #N requires action' at once when the store e-mails each order; batched stores get a digest."""
    mode = StoreSettings.objects.filter(store_id=order.store_id).values_list("email_mode", flat=True).first()
    if mode != StoreSettings.EmailMode.EACH_ORDER:  # fresh: a cached store.settings may be stale
        return None
    return queue(Kind.ACTION_REQUIRED, order.store, f"order:{order.pk}", order=order)


def queue_submission_failed(order, reason: str) -> Notification | None:
    """'Order #N could not be sent to Gelato', always at once. Each failure of the order is its own e-mail."""
    failures = Notification.objects.filter(kind=Kind.SUBMISSION_FAILED, order=order).count()
    key = f"failed:{order.pk}:{failures + 1}"
    return queue(Kind.SUBMISSION_FAILED, order.store, key, order=order, context={"reason": reason})


def queue_connection_review(store: Store, connections: list) -> Notification | None:
    """'Connected variants of <store> changed': the store deleted or changed connected variants (drift), so new
    orders with them wait. One e-mail per check that flagged them, at once, listing each with its reason."""
    count = len(connections)
    subject = (
        f"{count} connected variant{'s' if count != 1 else ''} of {store.name} changed in the store: "
        "review needed"
    )
    context = {"store": store, "connections": connections, "url": builders.absolute("connections")}
    rendered = builders.render("connection_review", subject, context)
    first = connections[0]
    return queue(
        Kind.CONNECTION_REVIEW,
        store,
        f"review:{first.pk}:{first.flagged_at:%Y%m%d%H%M%S%f}",
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        context={"connections": [c.pk for c in connections]},
    )


def queue(kind: str, store: Store, period_key: str, **fields) -> Notification | None:
    """Write the e-mail's row (once per kind, store and period key) and send it after commit.

    Returns None when the row exists already: another run decided this e-mail first."""
    row = create_once(kind, store, period_key, **fields)
    if row is not None and row.status == Notification.Status.PENDING:
        transaction.on_commit(partial(_enqueue_send, row.pk))
    return row


def create_once(kind: str, store: Store, period_key: str, **fields) -> Notification | None:
    """The row, due now; None when (kind, store, period key) has one already."""
    try:
        with transaction.atomic():
            return Notification.objects.create(
                account_id=store.account_id,
                store=store,
                kind=kind,
                period_key=period_key,
                next_attempt_at=timezone.now(),
                **fields,
            )
    except IntegrityError:
        return None


def _enqueue_send(notification_id: int) -> None:
    from printbridge.notifications.tasks import send_notification_task

    send_notification_task.enqueue(notification_id)


def still_waiting(order) -> bool:
    return order is not None and order.status == rules.OrderStatus.NOT_CONNECTED
