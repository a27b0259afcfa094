"""Fulfilment: the provider account, the submission outbox (one row per order generation), parcels with
tracking, each provider's circuit breaker, per-item overrides made before a retry, and the outbound webhook
(a custom store's endpoint and its delivery outbox)."""

from django.db import models

from printbridge.orders.models import Order, OrderItem
from printbridge.stores.models import Account, Store


class ProviderAccount(models.Model):
    """An account's credentials at a print provider (Gelato first). The API key is encrypted at rest."""

    class Provider(models.TextChoices):
        GELATO = "gelato", "Gelato"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="provider_accounts")
    provider = models.CharField(max_length=20, choices=Provider.choices, default=Provider.GELATO)
    api_key_encrypted = models.TextField()
    order_base_url = models.URLField(default="https://order.gelatoapis.com")
    product_base_url = models.URLField(default="https://product.gelatoapis.com")
    webhook_token = models.CharField(
        max_length=40, unique=True, help_text="The account's id in its webhook URL"
    )
    webhook_secret_encrypted = models.TextField(help_text="Sent back by the provider in a header")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "provider"], name="provider_account_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} for {self.account}"


class Submission(models.Model):
    """The outbox: a released part of an order, to be sent once. The key is its orderReferenceId at Gelato."""

    class State(models.TextChoices):
        PENDING = "pending"  # to send (again, after a backoff)
        SENDING = "sending"  # claimed by a worker under a lease
        SENT = "sent"  # the provider has it (provider_order_id set)
        FAILED = "failed"  # the provider refused it: shown to the merchant, can be retried after an edit
        CANCELLED = "cancelled"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="submissions")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="submissions")
    generation = models.PositiveIntegerField()
    idempotency_key = models.CharField(max_length=100, unique=True)
    provider = models.CharField(max_length=20, default="gelato")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    available_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    provider_order_id = models.CharField(max_length=100, blank=True)
    provider_status = models.CharField(max_length=30, blank=True)
    cancel_requested = models.BooleanField(default=False)
    already_printed = models.BooleanField(default=False, help_text="A cancel came too late (provider 409)")
    last_error = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)
    retried_as = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A failed submission's retry: the new generation that took its items",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "generation"], name="submission_one_per_generation")
        ]
        indexes = [models.Index(fields=["state", "available_at"], name="submission_due")]

    def __str__(self) -> str:
        return f"{self.idempotency_key} ({self.state})"


class Parcel(models.Model):
    """One tracked shipment of one item (several parcels per item are merged, never overwritten)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="parcels")
    item = models.ForeignKey(OrderItem, on_delete=models.CASCADE, related_name="parcels")
    tracking_code = models.CharField(max_length=100)
    tracking_url = models.URLField(max_length=500, blank=True)
    carrier = models.CharField(max_length=200, blank=True, help_text="The provider's shipment method name")
    carrier_uid = models.CharField(max_length=100, blank=True)
    shipped_at = models.DateTimeField(auto_now_add=True)
    store_shipment_id = models.CharField(
        max_length=64, blank=True, help_text="The shipment written to the store"
    )
    written_back_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "item", "tracking_code"], name="parcel_unique_tracking"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} ({self.carrier})"


class ProviderBreaker(models.Model):
    """A circuit breaker per provider, shared by every worker process."""

    provider = models.CharField(max_length=20, unique=True)
    failures = models.PositiveIntegerField(default=0)
    calls = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(null=True, blank=True)
    open_until = models.DateTimeField(null=True, blank=True)
    probe_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.provider} breaker"


class ItemOverride(models.Model):
    """This order's item goes to the provider with another product and/or files than its connection's (an edit
    made after the provider refused the order; the store-wide connection is left alone)."""

    item = models.OneToOneField(OrderItem, on_delete=models.CASCADE, related_name="fulfilment_override")
    provider_product_uid = models.CharField(max_length=300, blank=True, help_text="Blank: the connection's")
    files = models.JSONField(default=dict, blank=True, help_text="{area: url}; empty: the connection's")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Override of item {self.item_id}"


class OutboundWebhook(models.Model):
    """A custom store's endpoint for order status changes (Standard Webhooks signing; the secret is encrypted)."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="outbound_webhook")
    url = models.URLField(max_length=500)
    secret_encrypted = models.TextField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Webhook of {self.store} to {self.url}"


class OutboundDelivery(models.Model):
    """The outbound outbox: one event for one endpoint, written with the change it reports, sent by a task."""

    class State(models.TextChoices):
        PENDING = "pending"  # to send (again, after a backoff)
        SENDING = "sending"  # claimed by a worker under a lease
        DELIVERED = "delivered"  # the receiver answered 2xx
        FAILED = "failed"  # gave up after the last attempt

    webhook = models.ForeignKey(OutboundWebhook, on_delete=models.CASCADE, related_name="deliveries")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="outbound_deliveries")
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(
        max_length=40, unique=True, help_text="webhook-id: the same on every attempt"
    )
    event = models.CharField(max_length=50)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The receiver's last answer"
    )
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbound_due")]

    def __str__(self) -> str:
        return f"{self.event} {self.message_id} ({self.state})"
