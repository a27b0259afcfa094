"""Orders, their items, the audit trail and the ledger of orders that were not imported."""

from django.conf import settings
from django.db import models

from printbridge.orders import rules
from printbridge.routing.models import Connection, IgnoreRule
from printbridge.stores.models import Account, Store


def _choices(enum, labels=None) -> list[tuple[str, str]]:
    return [
        (member.value, (labels or {}).get(member, member.value.replace("_", " ").capitalize()))
        for member in enum
    ]


STATUS_CHOICES = _choices(rules.OrderStatus, rules.STATUS_LABELS)
ITEM_STATE_CHOICES = _choices(rules.ItemState, rules.ITEM_STATE_LABELS)


class Order(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="orders")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="orders")
    external_id = models.CharField(max_length=64)
    number = models.CharField(max_length=64)
    customer_name = models.CharField(max_length=200, blank=True)
    customer_email = models.EmailField(blank=True)
    shipping_address = models.JSONField(default=dict)
    currency = models.CharField(max_length=3)
    subtotal = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    placed_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, db_index=True)
    status_changed_at = models.DateTimeField()
    held_since = models.DateTimeField(null=True, blank=True, help_text="When the order became Not connected")
    release_at = models.DateTimeField(
        null=True, blank=True, help_text="Delayed approval: released at this time"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    release_count = models.PositiveIntegerField(default=0, help_text="Fulfilment generations released so far")
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "external_id"], name="order_unique_external_id")
        ]
        indexes = [
            models.Index(fields=["account", "-placed_at", "-id"], name="order_account_placed"),
            models.Index(fields=["store", "status"], name="order_store_status"),
            models.Index(fields=["status", "release_at"], name="order_status_release"),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"

    def get_status_display(self) -> str:
        return rules.STATUS_LABELS[rules.OrderStatus(self.status)]


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    external_id = models.CharField(max_length=64)
    product_id = models.CharField(max_length=64)
    variant_id = models.CharField(max_length=64)
    sku = models.CharField(max_length=255, blank=True)
    name = models.CharField(max_length=300)
    options = models.JSONField(default=list, help_text="[{'name': 'Size', 'value': 'M'}]")
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    item_type = models.CharField(
        max_length=20, choices=_choices(rules.ItemType), default=rules.ItemType.PHYSICAL
    )
    state = models.CharField(max_length=20, choices=ITEM_STATE_CHOICES)
    decision = models.CharField(max_length=30, choices=_choices(rules.Decision))
    connection = models.ForeignKey(
        Connection, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ignore_rule = models.ForeignKey(
        IgnoreRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    release_generation = models.PositiveIntegerField(
        null=True, blank=True, help_text="The fulfilment generation this item was released in"
    )
    address_ref = models.CharField(max_length=64, blank=True, help_text="The store's shipping address id")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "external_id"], name="item_unique_external_id")
        ]
        indexes = [
            models.Index(fields=["variant_id", "state"], name="item_variant_state"),
            models.Index(fields=["product_id", "state"], name="item_product_state"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"

    @property
    def options_label(self) -> str:
        return ", ".join(f"{o.get('name')}: {o.get('value')}" for o in self.options if isinstance(o, dict))


class OrderEvent(models.Model):
    """The audit trail: one row per state change, with who did it, why, and the rule that decided."""

    class Type(models.TextChoices):
        ORDER_IMPORTED = "order_imported"
        ORDER_HELD = "order_held"
        ORDER_UPDATED = "order_updated"
        ORDER_SUPPRESSED = "order_suppressed"
        ITEM_CONNECTED = "item_connected"
        ITEM_IGNORED = "item_ignored"
        ITEMS_RELEASED = "items_released"
        ORDER_COMPLETED = "order_completed"
        ORDER_APPROVED = "order_approved"
        ORDER_RELEASED = "order_released"
        ORDER_STATUS_CHANGED = "order_status_changed"
        ORDER_REEVALUATED = "order_reevaluated"
        CONNECTION_CREATED = "connection_created"
        CONNECTION_REMOVED = "connection_removed"
        IGNORE_RULE_CREATED = "ignore_rule_created"
        IGNORE_RULE_REVOKED = "ignore_rule_revoked"
        SETTINGS_CHANGED = "settings_changed"
        STORE_CREATED = "store_created"
        STORE_KEY_ROTATED = "store_key_rotated"
        NOTIFICATION_SENT = "notification_sent"
        ORDER_CANCELLED = "order_cancelled"
        ORDER_CANCEL_REQUESTED = "order_cancel_requested"
        STORE_CONNECTED = "store_connected"
        STORE_ALERT = "store_alert"
        STORE_INSTALLED = "store_installed"
        STORE_UNINSTALLED = "store_uninstalled"
        MEMBER_ADDED = "member_added"
        MEMBER_REMOVED = "member_removed"
        ORDER_SUBMITTED = "order_submitted"
        SUBMISSION_FAILED = "submission_failed"
        SUBMISSION_RETRIED = "submission_retried"
        PARCEL_SHIPPED = "parcel_shipped"
        SHIPMENT_WRITTEN_BACK = "shipment_written_back"
        PROVIDER_CANCELLED = "provider_cancelled"
        PROVIDER_CANCEL_REFUSED = "provider_cancel_refused"
        PROVIDER_ACCOUNT_SET = "provider_account_set"
        # the catalog and designs (printbridge/catalog/events.py)
        CATALOG_REFRESH_REQUESTED = "catalog_refresh_requested"
        CATALOG_REFRESHED = "catalog_refreshed"
        CATALOG_REFRESH_FAILED = "catalog_refresh_failed"
        DESIGN_UPLOADED = "design_uploaded"
        DESIGN_IMPORT_REQUESTED = "design_import_requested"
        DESIGN_IMPORTED = "design_imported"
        DESIGN_IMPORT_FAILED = "design_import_failed"
        # publishing and drift (printbridge/routing/events.py)
        STORE_PRODUCT_CREATED = "store_product_created"
        PRODUCT_PUBLISHED = "product_published"
        PRODUCT_PUBLISH_FAILED = "product_publish_failed"
        CONNECTION_NEEDS_REVIEW = "connection_needs_review"
        CONNECTION_CONFIRMED = "connection_confirmed"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="events")
    store = models.ForeignKey(Store, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=40, choices=Type.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=200, help_text="Who: a user's e-mail, 'system' or the intake channel")
    message = models.CharField(max_length=500)
    parameters = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["order", "created_at"]), models.Index(fields=["account", "-id"])]

    def __str__(self) -> str:
        return f"{self.type}: {self.message}"


class SuppressedOrder(models.Model):
    """The ledger: an order that was not imported, with each item's reason and the payload to import it later."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="suppressed_orders")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="suppressed_orders")
    external_id = models.CharField(max_length=64)
    number = models.CharField(max_length=64)
    customer_name = models.CharField(max_length=200, blank=True)
    placed_at = models.DateTimeField()
    total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=300)
    items = models.JSONField(
        default=list, help_text="[{external_id, name, sku, variant_id, state, reason, rule_id}]"
    )
    payload = models.JSONField(help_text="The order as received, to import it if a rule is revoked")
    rules = models.ManyToManyField(IgnoreRule, blank=True, related_name="suppressed_orders")
    delivery_count = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "external_id"], name="suppressed_unique_external_id")
        ]
        indexes = [models.Index(fields=["account", "-id"])]

    def __str__(self) -> str:
        return f"#{self.number} (not imported: {self.reason})"
