"""Routing: which store variants are connected to a fulfilment product, and which are ignored by a rule."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from printbridge.stores.models import Account, Store


class Connection(models.Model):
    """A store variant linked to a fulfilment product and its design files (one active per variant)."""

    class Provider(models.TextChoices):
        GELATO = "gelato", "Gelato"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="connections")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="connections")
    product_id = models.CharField(max_length=64)
    variant_id = models.CharField(max_length=64)
    sku = models.CharField(max_length=255, blank=True)
    label = models.CharField(max_length=300, blank=True, help_text="Store product name and options")
    provider = models.CharField(max_length=20, choices=Provider.choices, default=Provider.GELATO)
    provider_product_uid = models.CharField(max_length=300)
    files = models.JSONField(default=dict, help_text="Design file URL per print area, e.g. {'default': url}")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    disconnected_at = models.DateTimeField(null=True, blank=True)
    disconnected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "variant_id"],
                condition=Q(disconnected_at__isnull=True),
                name="connection_one_active_per_variant",
            )
        ]
        indexes = [models.Index(fields=["store", "product_id"])]

    def __str__(self) -> str:
        return f"{self.label or self.variant_id} → {self.provider_product_uid}"

    @property
    def is_active(self) -> bool:
        return self.disconnected_at is None


class IgnoreRule(models.Model):
    """Ignore a variant, or a product in all its variants, for every incoming order until revoked."""

    class Scope(models.TextChoices):
        VARIANT = "variant", "This variant for all incoming orders"
        PRODUCT = "product", "This product in all variants"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="ignore_rules")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="ignore_rules")
    scope = models.CharField(max_length=10, choices=Scope.choices)
    product_id = models.CharField(max_length=64)
    variant_id = models.CharField(max_length=64, blank=True)
    label = models.CharField(max_length=300, blank=True, help_text="Store product name (and options)")
    reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "scope", "product_id", "variant_id"],
                condition=Q(revoked_at__isnull=True),
                name="ignore_rule_one_active_per_target",
            ),
            models.CheckConstraint(
                condition=Q(scope="product", variant_id="") | Q(scope="variant") & ~Q(variant_id=""),
                name="ignore_rule_scope_matches_target",
            ),
        ]

    def __str__(self) -> str:
        target = self.label or (self.variant_id if self.scope == self.Scope.VARIANT else self.product_id)
        return f"Ignore {self.scope} {target}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
