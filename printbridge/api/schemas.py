"""Request and response bodies of the REST API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import (
    AfterValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must include a time zone, e.g. 2026-12-01T10:00:00Z")
    return value


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str
    field: str | None = None
    errors: list[dict] | None = None


# --- intake -----------------------------------------------------------------------------------------------------


class OptionIn(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    value: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class CustomerIn(Strict):
    name: Text = ""
    email: EmailStr | Literal[""] = ""


class AddressIn(Strict):
    first_name: Text = ""
    last_name: Text = ""
    company: Text = ""
    address1: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    address2: Text = ""
    city: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    state: Text = ""
    postal_code: Text = ""
    country_code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    phone: Text = ""
    email: EmailStr | Literal[""] = ""


class ItemIn(Strict):
    external_id: Id
    product_id: Id
    variant_id: Id | None = Field(
        None, description="Omit for a product without variants: the product id is used"
    )
    sku: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = ""
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    quantity: int = Field(ge=1, le=10000)
    unit_price: Money = Decimal("0")
    options: list[OptionIn] = Field(default_factory=list, max_length=20)
    type: Literal["physical", "digital", "gift_certificate"] = "physical"


class OrderIn(Strict):
    external_id: Id
    number: Id
    placed_at: Annotated[datetime, AfterValidator(_aware)]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    customer: CustomerIn = Field(default_factory=CustomerIn)
    shipping_address: AddressIn
    subtotal: Money = Decimal("0")
    total: Money = Decimal("0")
    items: list[ItemIn] = Field(min_length=1, max_length=250)

    @field_validator("items")
    @classmethod
    def _unique_item_ids(cls, items: list[ItemIn]) -> list[ItemIn]:
        seen: set[str] = set()
        duplicates = {i.external_id for i in items if i.external_id in seen or seen.add(i.external_id)}
        if duplicates:
            raise ValueError(
                f"item external_id must be unique in an order; repeated: {', '.join(sorted(duplicates))}"
            )
        return items


class IntakeOut(Schema):
    outcome: Literal["created", "updated", "unchanged", "suppressed"]
    order_id: int | None = None
    status: str | None = None
    reason: str = ""


# --- stores -----------------------------------------------------------------------------------------------------


class SettingsOut(Schema):
    import_not_connected: bool
    approval_mode: str
    approval_delay_hours: int
    partial_release: str
    notification_recipients: list[str]
    email_mode: str = Field(description="each_order | hourly | daily")
    ageing_alert_hours: int | None = Field(
        description="Alert once about an order waiting this long; null: off"
    )
    shipment_method_uid: str = Field(description="Gelato shipment method; empty: Gelato's cheapest")


class SettingsPatch(Strict):
    import_not_connected: bool | None = None
    approval_mode: Literal["instant", "delayed", "manual"] | None = None
    approval_delay_hours: Literal[6, 12, 24, 48, 72] | None = None
    partial_release: Literal["hold_all", "ship_connected_now"] | None = None
    notification_recipients: list[EmailStr] | None = Field(None, max_length=20)
    email_mode: Literal["each_order", "hourly", "daily"] | None = None
    ageing_alert_hours: int | None = Field(None, ge=1, le=720, description="null turns the alert off")
    shipment_method_uid: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{0,100}$")


class StoreOut(Schema):
    id: int
    name: str
    platform: str
    is_active: bool
    created_at: datetime
    settings: SettingsOut


class StoreIn(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    platform: Literal["custom"] = "custom"


class NewStoreOut(Schema):
    store: StoreOut
    api_key: str = Field(description="The intake key, shown once; send it as X-Store-Key")


class BlockingVariantOut(Schema):
    store_id: int
    product_id: str
    variant_id: str
    name: str
    sku: str
    orders: int
    quantity: int
    value: Decimal


# --- orders -----------------------------------------------------------------------------------------------------


class ItemOut(Schema):
    id: int
    external_id: str
    product_id: str
    variant_id: str
    sku: str
    name: str
    options: list[dict]
    quantity: int
    unit_price: Decimal
    item_type: str
    state: str
    state_label: str
    decision: str
    reason: str
    connection_id: int | None
    ignore_rule_id: int | None
    release_generation: int | None


class OrderSummaryOut(Schema):
    id: int
    store_id: int
    store_name: str
    external_id: str
    number: str
    customer_name: str
    customer_email: str
    currency: str
    total: Decimal
    placed_at: datetime
    status: str
    status_label: str


class EventOut(Schema):
    id: int
    type: str
    actor: str
    message: str
    parameters: dict
    order_id: int | None
    created_at: datetime


class SubmissionOut(Schema):
    id: int
    generation: int
    reference: str = Field(description="The provider order's reference (orderReferenceId at Gelato)")
    provider: str
    state: Literal["pending", "sending", "sent", "failed", "cancelled"]
    provider_order_id: str
    provider_status: str
    attempts: int
    last_error: str = Field(description="The provider's message when it refused this part")
    item_ids: list[int]
    retried_as: int | None = Field(
        description="A refused part that was retried: the submission that took over"
    )
    created_at: datetime
    sent_at: datetime | None


class ParcelItemOut(Schema):
    item_id: int
    external_id: str
    sku: str
    name: str
    quantity: int


class ParcelOut(Schema):
    tracking_number: str
    carrier: str
    tracking_url: str
    shipped_at: datetime
    provider_order_id: str
    store_shipment_id: str = Field(description="The shipment written back to the store (BigCommerce)")
    items: list[ParcelItemOut]


class ItemOverrideOut(Schema):
    item_id: int
    provider_product_uid: str
    files: dict[str, str]


class FulfilmentOut(Schema):
    submissions: list[SubmissionOut]
    parcels: list[ParcelOut]
    overrides: list[ItemOverrideOut]


class OrderOut(OrderSummaryOut):
    subtotal: Decimal
    shipping_address: dict
    held_since: datetime | None
    release_at: datetime | None
    approved_at: datetime | None
    release_count: int
    items: list[ItemOut]
    events: list[EventOut]
    fulfilment: FulfilmentOut


class OrderPageOut(Schema):
    items: list[OrderSummaryOut]
    next_cursor: str | None


class ConnectIn(Strict):
    provider_product_uid: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    files: dict[str, Annotated[str, StringConstraints(max_length=2000)]] = Field(
        default_factory=dict, max_length=10
    )
    connection_id: int | None = Field(
        None, description="Reuse the fulfilment product of this existing connection", validate_default=True
    )

    @field_validator("connection_id")
    @classmethod
    def _one_target(cls, connection_id: int | None, info: ValidationInfo) -> int | None:
        if bool(info.data.get("provider_product_uid")) == bool(connection_id):
            raise ValueError("give either provider_product_uid (with files) or connection_id")
        return connection_id


class IgnoreIn(Strict):
    scope: Literal["item", "variant", "product"]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class ResolutionOut(Schema):
    order_id: int
    status: str
    completed: bool
    connection_id: int | None = None
    ignore_rule_id: int | None = None
    other_waiting_orders: int = Field(
        description="Other waiting orders the same connection or rule would change"
    )


class ApproveManyIn(Strict):
    order_ids: list[int] = Field(min_length=1, max_length=1000)


class ApprovalOut(Schema):
    approved: list[int]
    skipped: dict[int, str]


# --- routing ----------------------------------------------------------------------------------------------------


class ConnectionOut(Schema):
    id: int
    store_id: int
    product_id: str
    variant_id: str
    sku: str
    label: str
    provider: str
    provider_product_uid: str
    files: dict
    created_by: str | None
    created_at: datetime
    disconnected_at: datetime | None
    needs_review: bool = Field(
        description="The store changed or deleted the variant: new orders with it wait"
    )
    review_reason: str = Field(description="What the store changed (kept after a confirmation)")
    flagged_at: datetime | None


class ConnectionIn(Strict):
    store_id: int
    product_id: Id
    variant_id: Id
    sku: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = ""
    label: Text = ""
    provider_product_uid: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)
    ]
    files: dict[str, Annotated[str, StringConstraints(max_length=2000)]] = Field(
        default_factory=dict, max_length=10
    )


class IgnoreRuleOut(Schema):
    id: int
    store_id: int
    scope: str
    product_id: str
    variant_id: str
    label: str
    reason: str
    created_by: str | None
    created_at: datetime
    revoked_at: datetime | None
    suppressed_orders: int


class IgnoreRuleIn(Strict):
    store_id: int
    scope: Literal["variant", "product"]
    product_id: Id
    variant_id: Id | None = Field(None, validate_default=True)
    label: Text = ""
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""

    @field_validator("variant_id")
    @classmethod
    def _variant_for_variant_scope(cls, variant_id: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("scope") == "variant" and not variant_id:
            raise ValueError("variant_id is required for a variant rule")
        return variant_id


class RevokeIn(Strict):
    import_suppressed: bool = False


class RevokeOut(Schema):
    rule_id: int
    revoked_at: datetime
    imported: int
    still_suppressed: int


class ChangeIn(Strict):
    store_id: int
    kind: Literal["connect", "ignore_variant", "ignore_product"]
    product_id: Id
    variant_id: Id | None = Field(None, validate_default=True)
    exclude_order_id: int | None = None

    @field_validator("variant_id")
    @classmethod
    def _variant_needed(cls, variant_id: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("kind") in ("connect", "ignore_variant") and not variant_id:
            raise ValueError("variant_id is required unless kind is ignore_product")
        return variant_id


class PreviewOrderOut(Schema):
    id: int
    number: str
    total: Decimal
    currency: str
    outcome: Literal["continues", "ignored", "still_waiting"]


class PreviewOut(Schema):
    continues: int
    ignored: int
    still_waiting: int
    orders: list[PreviewOrderOut]


class ApplyIn(Strict):
    connection_id: int | None = None
    ignore_rule_id: int | None = Field(None, validate_default=True)

    @field_validator("ignore_rule_id")
    @classmethod
    def _one_source(cls, ignore_rule_id: int | None, info: ValidationInfo) -> int | None:
        if bool(info.data.get("connection_id")) == bool(ignore_rule_id):
            raise ValueError("give either connection_id or ignore_rule_id")
        return ignore_rule_id


class AppliedOut(Schema):
    continued: int
    ignored: int
    still_waiting: int


class SuppressedOrderOut(Schema):
    id: int
    store_id: int
    external_id: str
    number: str
    customer_name: str
    placed_at: datetime
    total: Decimal
    currency: str
    reason: str
    items: list[dict]
    rule_ids: list[int]
    delivery_count: int
    created_at: datetime
    imported_at: datetime | None
    imported_order_id: int | None


class BigCommerceConnectIn(Strict):
    store_hash: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9]{1,64}$")]
    access_token: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class BigCommerceConnectedOut(Schema):
    store: StoreOut
    store_hash: str
    currency: str
    hooks_registered: int
    hook_error: str


class BackfillIn(Strict):
    since: Annotated[datetime, AfterValidator(_aware)]


class TaskQueuedOut(Schema):
    task_id: str
    detail: str


class BigCommerceSettingsIn(Strict):
    paid_status_ids: list[int] | None = Field(None, min_length=1, max_length=15)
    reconcile_every_minutes: int | None = Field(None, ge=1, le=1440)


class BigCommerceSettingsOut(Schema):
    store_hash: str
    paid_status_ids: list[int]
    reconcile_every_minutes: int
    watermark: datetime | None
    last_sync_at: datetime | None
    last_error: str
    alert: str


class GelatoKeyIn(Strict):
    api_key: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class GelatoAccountOut(Schema):
    provider: str
    order_base_url: str
    webhook_url: str = Field(description="Set this as the order status webhook in Gelato's dashboard")


# --- fulfilment: fix and retry, outbound webhook ----------------------------------------------------------------


class ShippingAddressPatch(Strict):
    """Only the fields given change; the rest of the address stays."""

    first_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    last_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    company: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    address1: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)] | None
    ) = None
    address2: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    city: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None
    state: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    postal_code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] | None = None
    country_code: (
        Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z]{2}$")] | None
    ) = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] | None = None
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)] | None = Field(
        None, description="Checked as an e-mail address; blank removes it"
    )


class ItemFulfilmentIn(Strict):
    provider_product_uid: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = Field(
        "", description="Blank: the connection's product"
    )
    files: dict[str, Annotated[str, StringConstraints(max_length=2000)]] = Field(
        default_factory=dict, max_length=10, description="{print area: http(s) URL}; empty: the connection's"
    )


class RetryOut(Schema):
    order_id: int
    status: str
    generation: int
    reference: str
    detail: str


class OutboundWebhookIn(Strict):
    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    is_active: bool = True
    rotate_secret: bool = Field(False, description="Make a new signing secret (shown once in the answer)")


class OutboundDeliveryOut(Schema):
    id: int
    message_id: str = Field(description="The webhook-id header: the same on every attempt")
    event: str
    order_id: int | None
    state: Literal["pending", "sending", "delivered", "failed"]
    attempts: int
    last_status: int | None
    last_error: str
    next_attempt_at: datetime
    created_at: datetime
    delivered_at: datetime | None


class OutboundWebhookOut(Schema):
    store_id: int
    url: str
    is_active: bool
    created_at: datetime
    updated_at: datetime
    secret: str | None = Field(
        None, description="The signing secret (whsec_…): only in the answer that made it; store it now"
    )
    deliveries: list[OutboundDeliveryOut] = Field(description="The latest events, newest first")
