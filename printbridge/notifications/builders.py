"""Each e-mail's subject and bodies (text and HTML), rendered from templates with absolute links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from printbridge.notifications.models import Notification
from printbridge.orders import rules

Kind = Notification.Kind


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def absolute(name: str, *args) -> str:
    return f"{settings.PRINTBRIDGE_BASE_URL}{reverse(name, args=args)}"


def age_label(delta: timedelta) -> str:
    """'35 min', '5 h 20 min', '3 days 4 h'."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} days {hours} h" if hours else f"{days} days"


def render(template: str, subject: str, context: dict) -> Rendered:
    store = context["store"]
    context = {**context, "subject": subject, "settings_url": absolute("store-settings", store.pk)}
    return Rendered(
        subject,
        render_to_string(f"notifications/{template}.txt", context),
        render_to_string(f"notifications/{template}.html", context),
    )


def render_for(notification: Notification, now: datetime | None = None) -> Rendered:
    """The e-mail of an order-level notification (action required, submission failed, ageing alert)."""
    order = notification.order
    context = {
        "store": notification.store,
        "order": order,
        "items": order.items.filter(state=rules.ItemState.NOT_CONNECTED).order_by("pk"),
        "url": absolute("order", order.pk),
    }
    if notification.kind == Kind.ACTION_REQUIRED:
        return render("action_required", f"Order #{order.number} requires action", context)
    if notification.kind == Kind.SUBMISSION_FAILED:
        context["reason"] = notification.context.get("reason", "")
        return render("submission_failed", f"Order #{order.number} could not be sent to Gelato", context)
    if notification.kind == Kind.AGEING_ALERT:
        age = notification.context.get("waited") or age_label((now or timezone.now()) - order.held_since)
        context.update(age=age, threshold=notification.context.get("hours"))
        return render("ageing_alert", f"Order #{order.number} has waited {age} for action", context)
    raise ValueError(f"{notification.kind} e-mails are rendered when they are queued")


def message(notification: Notification) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.text_body,
        to=notification.recipients,
        headers={"Message-ID": notification.message_id} if notification.message_id else None,
    )
    email.attach_alternative(notification.html_body, "text/html")
    return email
