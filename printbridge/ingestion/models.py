"""Ingestion: the webhook inbox, the queue of orders to refresh from the store, and per-store sync leases."""

from django.db import models
from django.db.models import Q

from printbridge.stores.models import Store


class WebhookDelivery(models.Model):
    """The inbox: one row per distinct delivery (by webhook-id when sent, else by the payload hash)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="webhook_deliveries")
    dedupe_key = models.CharField(max_length=120, help_text="'id:<webhook-id>' (permanent) or 'hash:<sha1>'")
    scope = models.CharField(max_length=100)
    resource_id = models.BigIntegerField()
    payload = models.JSONField()
    delivery_count = models.PositiveIntegerField(default=1)
    first_received_at = models.DateTimeField(auto_now_add=True)
    last_received_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "dedupe_key"], name="webhook_delivery_dedupe")
        ]
        indexes = [models.Index(fields=["store", "resource_id"], name="webhook_delivery_resource")]

    def __str__(self) -> str:
        return f"{self.scope} {self.resource_id} ×{self.delivery_count}"


class RefreshRequest(models.Model):
    """'Order N of this store may have changed': at most one pending per order; claimed under a lease."""

    class State(models.TextChoices):
        PENDING = "pending"
        CLAIMED = "claimed"
        DONE = "done"
        DEAD = "dead"

    class Reason(models.TextChoices):
        WEBHOOK = "webhook"
        RECONCILE = "reconcile"
        BACKFILL = "backfill"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="refresh_requests")
    order_external_id = models.CharField(max_length=64)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    available_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "order_external_id"],
                condition=Q(state="pending"),
                name="refresh_one_pending",
            )
        ]
        indexes = [models.Index(fields=["store", "state", "available_at"], name="refresh_store_state")]

    def __str__(self) -> str:
        return f"refresh order {self.order_external_id} ({self.state})"


class SeenOrder(models.Model):
    """The last state of a store order that the sync fetched and applied, and when the fetch started (our clock).

    A webhook received before `fetched_at` is already reflected in that state, so its refresh needs no call; one
    received later needs none either when the state explains it (the order exists for `created`, the status
    matches for `statusUpdated`). The highest id here is where the sync's sweep for new orders starts."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="seen_orders")
    order_id = models.BigIntegerField()
    status_id = models.PositiveSmallIntegerField()
    date_modified = models.DateTimeField()
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "order_id"], name="seen_order_unique")]

    def __str__(self) -> str:
        return f"order {self.order_id}: status {self.status_id} as of {self.fetched_at:%Y-%m-%d %H:%M:%S}"


class StoreLease(models.Model):
    """One worker at a time syncs a store, so the store's shared API quota holds across processes."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="sync_lease")
    holder = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    blocked_until = models.DateTimeField(null=True, blank=True, help_text="No API call before (429 / quota)")
    sync_requested_at = models.DateTimeField(null=True, blank=True, help_text="A sync task is queued")

    def __str__(self) -> str:
        return f"lease on {self.store_id} by {self.holder or 'nobody'}"
