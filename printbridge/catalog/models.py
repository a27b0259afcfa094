"""The provider catalog cache (catalogs, their attributes and values, products; the refresh state per account and
provider) and the merchant's design files. Everything belongs to one account; see docs/catalog.md."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from printbridge.stores.models import Account

GELATO = "gelato"


class CatalogSync(models.Model):
    """The refresh of an account's cached catalog at one provider: queued by the UI/API, run by a task."""

    class State(models.TextChoices):
        NEVER = "never", "Never refreshed"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Refreshing"
        DONE = "done", "Up to date"
        FAILED = "failed", "Failed"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="catalog_syncs")
    provider = models.CharField(max_length=20, default=GELATO)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEVER)
    catalog_uid = models.CharField(max_length=100, blank=True, help_text="The catalog asked for; blank: all")
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True, help_text="The last refresh that succeeded")
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "provider"], name="catalog_sync_one_per_provider")
        ]

    def __str__(self) -> str:
        return f"{self.provider} catalog of account {self.account_id} ({self.state})"


class ProviderCatalog(models.Model):
    """One provider catalog (Gelato `catalogUid`, e.g. "posters") as last fetched for the account."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="provider_catalogs")
    provider = models.CharField(max_length=20, default=GELATO)
    catalog_uid = models.CharField(max_length=100)
    title = models.CharField(max_length=200, blank=True)
    product_count = models.PositiveIntegerField(default=0)
    truncated = models.BooleanField(
        default=False, help_text="The refresh stopped at CATALOG_REFRESH_MAX_PRODUCTS products"
    )
    refreshed_at = models.DateTimeField(
        null=True, blank=True, help_text="When its products were last fetched"
    )
    removed_at = models.DateTimeField(
        null=True, blank=True, help_text="Gone from the provider's catalog list"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "provider", "catalog_uid"], name="provider_catalog_unique"
            )
        ]
        ordering = ["title", "catalog_uid"]

    def __str__(self) -> str:
        return self.title or self.catalog_uid


class CatalogAttribute(models.Model):
    """A product attribute of a catalog (`productAttributeUid`, e.g. "Orientation"), in the provider's order."""

    catalog = models.ForeignKey(ProviderCatalog, on_delete=models.CASCADE, related_name="attributes")
    uid = models.CharField(max_length=100)
    title = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["catalog", "uid"], name="catalog_attribute_unique")]
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title or self.uid


class CatalogAttributeValue(models.Model):
    """A value of an attribute (`productAttributeValueUid`, e.g. "hor", titled "Landscape")."""

    attribute = models.ForeignKey(CatalogAttribute, on_delete=models.CASCADE, related_name="values")
    uid = models.CharField(max_length=100)
    title = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attribute", "uid"], name="catalog_attribute_value_unique")
        ]
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title or self.uid


class CatalogProduct(models.Model):
    """A provider product (opaque `productUid`) as found by the last refresh; the detail fields (countries,
    printable/stockable) are filled on its first detail view and refreshed when stale."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="catalog_products")
    catalog = models.ForeignKey(ProviderCatalog, on_delete=models.CASCADE, related_name="products")
    product_uid = models.CharField(max_length=300)
    attributes = models.JSONField(default=dict, help_text="{attribute uid: value uid}")
    search_text = models.TextField(blank=True, help_text="Lower-case uid, attribute values and their titles")
    weight = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    weight_unit = models.CharField(max_length=20, blank=True)
    dimensions = models.JSONField(
        default=dict, blank=True, help_text='{name: {"value": "297", "unit": "mm"}}'
    )
    supported_countries = models.JSONField(
        null=True, blank=True, help_text="null until the detail is fetched"
    )
    not_supported_countries = models.JSONField(null=True, blank=True)
    is_printable = models.BooleanField(null=True, blank=True)
    is_stockable = models.BooleanField(null=True, blank=True)
    details_fetched_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(help_text="The last refresh that listed it")
    removed_at = models.DateTimeField(null=True, blank=True, help_text="Not listed by the last refresh")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["catalog", "product_uid"], name="catalog_product_unique")
        ]
        indexes = [models.Index(fields=["account", "product_uid"], name="catalog_product_by_uid")]
        ordering = ["product_uid"]

    def __str__(self) -> str:
        return self.product_uid

    @property
    def weight_text(self) -> str:
        """The weight without trailing zeros or an exponent ("330", "24.948"); "" when unknown."""
        return "" if self.weight is None else f"{self.weight.normalize():f}"


def design_path(design: DesignFile, filename: str) -> str:
    """designs/<account>/<random>/<name>: names never collide and the path guesses nothing."""
    return f"designs/{design.account_id}/{uuid.uuid4().hex}/{filename}"


class DesignFile(models.Model):
    """A merchant's print file (PNG, JPEG or PDF): uploaded, or fetched from an https URL by a task. The provider
    gets it through a signed link (catalog.signing.design_url)."""

    class Source(models.TextChoices):
        UPLOAD = "upload", "Upload"
        URL = "url", "URL"

    class Status(models.TextChoices):
        PENDING = "pending", "Fetching"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="design_files")
    name = models.CharField(max_length=200, help_text="What the merchant calls it")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    failure_reason = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    source_url = models.CharField(max_length=2000, blank=True)
    file = models.FileField(upload_to=design_path, max_length=300, blank=True)
    content_type = models.CharField(max_length=50, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True, help_text="When it became ready or failed")

    class Meta:
        indexes = [models.Index(fields=["account", "-id"], name="design_file_by_account")]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    @property
    def file_name(self) -> str:
        """The stored file's own name (the last part of its path): the name in its signed link."""
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""
