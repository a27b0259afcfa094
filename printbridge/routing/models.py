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
    options = models.JSONField(
        null=True,
        blank=True,
        help_text="The variant's options when connected, [{'name', 'value'}]; null: unknown",
    )
    needs_review = models.BooleanField(
        default=False,
        help_text="The store changed or deleted the variant: new orders wait until it is cleared",
    )
    review_reason = models.CharField(
        max_length=300, blank=True, help_text="What changed, e.g. 'SKU changed …'"
    )
    review_observed = models.JSONField(
        null=True, blank=True, help_text="What the store showed: {'deleted', 'sku', 'options'}"
    )
    flagged_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text="Last confirmed still correct")
    confirmed_by = models.ForeignKey(
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


class Publication(models.Model):
    """A product Printbridge creates in the store and connects (publish). The store's product id is recorded as
    soon as the store answers, so a retry after a failure adopts that product (found by SKU) instead of creating a
    second one."""

    class State(models.TextChoices):
        PENDING = "pending", "Not created in the store yet"
        CREATED = "created", "Created in the store, not connected yet"
        PUBLISHED = "published", "Created and connected"
        FAILED = "failed", "Refused by the store; nothing was created"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="publications")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="publications")
    name = models.CharField(max_length=250)
    sku_key = models.CharField(max_length=64, help_text="SHA-256 of the sorted lower-case SKUs")
    spec = models.JSONField(help_text="What was asked: product, options, variants with SKUs, prices, files")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    store_product_id = models.CharField(max_length=64, blank=True)
    store_image_id = models.CharField(max_length=64, blank=True)
    variant_ids = models.JSONField(default=dict, blank=True, help_text="{sku: store variant id}")
    create_sent = models.BooleanField(
        default=False,
        help_text="A create was sent and not answered: the product may exist (look it up by SKU)",
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=1000, blank=True)
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="A request is publishing it until then"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "sku_key"],
                condition=~Q(state="published"),
                name="publication_one_open_per_skus",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.state})"


class CatalogCheck(models.Model):
    """'Store product N may have changed': read it from the store and compare it with its connections (drift).
    At most one pending per product; a product or SKU webhook, or the periodic check, adds one."""

    class Reason(models.TextChoices):
        WEBHOOK = "webhook"
        PERIODIC = "periodic"

    class State(models.TextChoices):
        PENDING = "pending"
        DONE = "done"
        DEAD = "dead"  # the store kept failing: given up, with the last error

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="catalog_checks")
    product_id = models.CharField(max_length=64)
    reason = models.CharField(max_length=10, choices=Reason.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    available_at = models.DateTimeField(help_text="Not run before (a backoff after a failure)")
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "product_id"],
                condition=Q(state="pending"),
                name="catalog_check_one_pending",
            )
        ]
        indexes = [models.Index(fields=["store", "state"], name="catalog_check_store_state")]

    def __str__(self) -> str:
        return f"check product {self.product_id} ({self.state})"
