"""Merchant e-mails. Queued after commit; sent by a task, so a mail server outage never blocks an import."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from printbridge.stores.models import Membership, Store


def recipients_for(store: Store) -> list[str]:
    """The store's notification recipients, else the account owners' addresses."""
    configured = [r for r in store.settings.notification_recipients if r]
    if configured:
        return configured
    owners = Membership.objects.filter(account_id=store.account_id, role=Membership.Role.OWNER)
    return sorted({m.user.email for m in owners.select_related("user") if m.user.email})


def queue_action_required(order) -> None:
    from printbridge.notifications.tasks import send_action_required_task

    transaction.on_commit(partial(send_action_required_task.enqueue, order.pk))


def build_action_required(order, recipients: list[str]) -> EmailMultiAlternatives:
    context = {
        "order": order,
        "items": order.items.filter(state="not_connected"),
        "url": f"{settings.PRINTBRIDGE_BASE_URL}{reverse('order', args=[order.pk])}",
    }
    message = EmailMultiAlternatives(
        subject=f"Order #{order.number} requires action",
        body=render_to_string("notifications/action_required.txt", context),
        to=recipients,
    )
    message.attach_alternative(render_to_string("notifications/action_required.html", context), "text/html")
    return message


def queue_submission_failed(order, reason: str) -> None:
    from printbridge.notifications.tasks import send_submission_failed_task

    transaction.on_commit(partial(send_submission_failed_task.enqueue, order.pk, reason))


def build_submission_failed(order, reason: str, recipients: list[str]) -> EmailMultiAlternatives:
    context = {
        "order": order,
        "reason": reason,
        "url": f"{settings.PRINTBRIDGE_BASE_URL}{reverse('order', args=[order.pk])}",
    }
    message = EmailMultiAlternatives(
        subject=f"Order #{order.number} could not be sent to Gelato",
        body=render_to_string("notifications/submission_failed.txt", context),
        to=recipients,
    )
    message.attach_alternative(render_to_string("notifications/submission_failed.html", context), "text/html")
    return message
