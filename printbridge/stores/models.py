"""Tenancy: an Account (a merchant company) owns Stores; users reach it through a Membership."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Account(models.Model):
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "account"], name="membership_unique_user_account")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.account} ({self.role})"


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Store(models.Model):
    class Platform(models.TextChoices):
        BIGCOMMERCE = "bigcommerce", "BigCommerce"
        CUSTOM = "custom", "Custom store"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="stores")
    name = models.CharField(max_length=200)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    is_active = models.BooleanField(default=True)
    api_key_prefix = models.CharField(max_length=16, blank=True, db_index=True)
    api_key_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    def check_api_key(self, raw: str) -> bool:
        return bool(self.api_key_hash) and hmac.compare_digest(self.api_key_hash, hash_secret(raw))


DELAY_HOURS = (6, 12, 24, 48, 72)
AGEING_ALERT_MAX_HOURS = 720  # 30 days
DEFAULT_PAID_STATUS_IDS = [11, 9]  # Awaiting Fulfillment, Awaiting Shipment


class StoreSettings(models.Model):
    class ApprovalMode(models.TextChoices):
        INSTANT = "instant", "Instant"
        DELAYED = "delayed", "Delayed"
        MANUAL = "manual", "Manual"

    class PartialRelease(models.TextChoices):
        HOLD_ALL = "hold_all", "Hold the whole order until every item is resolved"
        SHIP_CONNECTED_NOW = "ship_connected_now", "Send connected items at once; the rest waits"

    class EmailMode(models.TextChoices):
        EACH_ORDER = "each_order", "Each order"
        HOURLY = "hourly", "Hourly batch"
        DAILY = "daily", "Daily digest"

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="settings")
    import_not_connected = models.BooleanField(default=False)
    approval_mode = models.CharField(
        max_length=10, choices=ApprovalMode.choices, default=ApprovalMode.INSTANT
    )
    approval_delay_hours = models.PositiveSmallIntegerField(
        choices=[(h, f"{h} hours") for h in DELAY_HOURS], default=24
    )
    partial_release = models.CharField(
        max_length=20, choices=PartialRelease.choices, default=PartialRelease.HOLD_ALL
    )
    notification_recipients = models.JSONField(default=list, blank=True)
    email_mode = models.CharField(
        max_length=12,
        choices=EmailMode.choices,
        default=EmailMode.EACH_ORDER,
        help_text="How 'requires action' e-mails go out: one per order, or an hourly or daily summary",
    )
    ageing_alert_hours = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="E-mail once when an order has waited (Not connected) this many hours; blank: off",
    )
    shipment_method_uid = models.CharField(
        max_length=100,
        blank=True,
        help_text="Gelato shipment method (e.g. 'standard', 'express'); blank: Gelato's default",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Settings of {self.store}"

    def clean(self) -> None:
        if self.approval_delay_hours not in DELAY_HOURS:
            raise ValidationError({"approval_delay_hours": f"must be one of {DELAY_HOURS}"})


class ApiToken(models.Model):
    """A personal token for scripts: acts as its user inside one account."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


def new_secret(kind: str) -> tuple[str, str]:
    """A raw secret `pb{kind}_<prefix>_<random>` and its lookup prefix."""
    prefix = secrets.token_hex(4)
    return f"pb{kind}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def default_paid_status_ids() -> list[int]:
    return list(DEFAULT_PAID_STATUS_IDS)


class BigCommerceConnection(models.Model):
    """How Printbridge reaches a BigCommerce store: its hash, token (encrypted) and webhook secret (encrypted)."""

    class InstalledVia(models.TextChoices):
        API_ACCOUNT = "api_account", "Store-level API account"
        APP = "app", "Single-click app"

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="bigcommerce")
    store_hash = models.CharField(max_length=64, unique=True)
    bc_store_id = models.CharField(max_length=32, blank=True, help_text="Numeric store id (webhook store_id)")
    api_base_url = models.URLField(max_length=300, help_text="https://api.bigcommerce.com/stores/{hash}")
    access_token_encrypted = models.TextField()
    webhook_secret_encrypted = models.TextField()
    public_id = models.CharField(max_length=40, unique=True, help_text="The store's id in its webhook URL")
    installed_via = models.CharField(
        max_length=20, choices=InstalledVia.choices, default=InstalledVia.API_ACCOUNT
    )
    store_name = models.CharField(max_length=200, blank=True)
    domain = models.CharField(max_length=300, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    weight_units = models.CharField(max_length=20, blank=True)
    dimension_units = models.CharField(max_length=20, blank=True)
    paid_status_ids = models.JSONField(default=default_paid_status_ids, help_text="Status ids that import")
    reconcile_every_minutes = models.PositiveSmallIntegerField(default=5)
    watermark = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Store time of the last full reconciliation listing (everything before seen)",
    )
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    reconciled_at = models.DateTimeField(null=True, blank=True)
    hooks_checked_at = models.DateTimeField(null=True, blank=True)
    alert = models.CharField(max_length=500, blank=True, help_text="A problem the merchant should see")
    connected_at = models.DateTimeField(auto_now_add=True)
    uninstalled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"BigCommerce store {self.store_hash}"
