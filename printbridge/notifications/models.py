"""The e-mail outbox: one row per e-mail Printbridge decided to send, written in the transaction that decided it.

The row is the record of what was sent (subject, recipients, both bodies, status) and the guarantee that a
period's digest or an order's alert goes out once: (kind, store, period_key) is unique, so a second scheduler or
a re-run finds the row and sends nothing.
"""

from django.db import models

from printbridge.orders.models import Order
from printbridge.stores.models import Account, Store


class Notification(models.Model):
    class Kind(models.TextChoices):
        ACTION_REQUIRED = "action_required", "Order requires action"
        SUBMISSION_FAILED = "submission_failed", "Submission failed"
        DIGEST = "digest", "Digest"
        AGEING_ALERT = "ageing_alert", "Ageing alert"
        CONNECTION_REVIEW = "connection_review", "Connection needs review"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Not sent"
        EMPTY = "empty", "Nothing to report"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="notifications")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="notifications")
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    period_key = models.CharField(
        max_length=64, help_text="What this e-mail is about: 'order:12', 'hourly:2026-12-01T12', …"
    )
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    context = models.JSONField(default=dict, blank=True, help_text="What the builder needs, e.g. the reason")
    recipients = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "store", "period_key"], name="notification_once_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["account", "-id"], name="notification_account"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_key} ({self.status})"
