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


class StoreSettings(models.Model):
    class ApprovalMode(models.TextChoices):
        INSTANT = "instant", "Instant"
        DELAYED = "delayed", "Delayed"
        MANUAL = "manual", "Manual"

    class PartialRelease(models.TextChoices):
        HOLD_ALL = "hold_all", "Hold the whole order until every item is resolved"
        SHIP_CONNECTED_NOW = "ship_connected_now", "Send connected items at once; the rest waits"

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
