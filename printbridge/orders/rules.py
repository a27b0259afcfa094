"""The Not connected workflow as pure decisions: dataclasses in, decisions out.

Nothing here imports Django, the database or an HTTP client. Services gather the facts (the order's items, the
store's active connections and ignore rules, its settings, the clock), call these functions, and write what they
decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class ItemType(StrEnum):
    PHYSICAL = "physical"
    DIGITAL = "digital"
    GIFT_CERTIFICATE = "gift_certificate"


class ItemState(StrEnum):
    CONNECTED = "connected"
    IGNORED = "ignored"
    NOT_CONNECTED = "not_connected"
    NOT_APPLICABLE = "not_applicable"
    SKIPPED = "skipped"


class Decision(StrEnum):
    """Which rule decided an item's state."""

    CONNECTION = "connection"
    VARIANT_RULE = "variant_rule"
    PRODUCT_RULE = "product_rule"
    IGNORED_FOR_ORDER = "ignored_for_order"
    NO_CONNECTION = "no_connection"
    CONNECTION_NEEDS_REVIEW = "connection_needs_review"
    NOT_PHYSICAL = "not_physical"
    SKIPPED_SETTING_OFF = "skipped_setting_off"


class OrderStatus(StrEnum):
    NOT_CONNECTED = "not_connected"
    PENDING_APPROVAL = "pending_approval"
    READY = "ready"
    SUBMITTED = "submitted"
    IN_PRODUCTION = "in_production"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    FAILED = "failed"
    IGNORED = "ignored"
    CANCELLED = "cancelled"


STATUS_LABELS: Mapping[OrderStatus, str] = {
    OrderStatus.NOT_CONNECTED: "Not connected",
    OrderStatus.PENDING_APPROVAL: "Pending approval",
    OrderStatus.READY: "Ready for fulfilment",
    OrderStatus.SUBMITTED: "Submitted",
    OrderStatus.IN_PRODUCTION: "In production",
    OrderStatus.PARTIALLY_SHIPPED: "Partially shipped",
    OrderStatus.SHIPPED: "Shipped",
    OrderStatus.DELIVERED: "Delivered",
    OrderStatus.FAILED: "Failed",
    OrderStatus.IGNORED: "Ignored (nothing to fulfil)",
    OrderStatus.CANCELLED: "Cancelled",
}

ITEM_STATE_LABELS: Mapping[ItemState, str] = {
    ItemState.CONNECTED: "Connected",
    ItemState.IGNORED: "Ignored",
    ItemState.NOT_CONNECTED: "Not connected",
    ItemState.NOT_APPLICABLE: "Not applicable (not a physical item)",
    ItemState.SKIPPED: "Skipped (not connected; Import not connected orders is off)",
}


class ApprovalMode(StrEnum):
    INSTANT = "instant"
    DELAYED = "delayed"
    MANUAL = "manual"


class PartialRelease(StrEnum):
    HOLD_ALL = "hold_all"
    SHIP_CONNECTED_NOW = "ship_connected_now"


class IgnoreScope(StrEnum):
    ITEM = "item"
    VARIANT = "variant"
    PRODUCT = "product"


NO_CONNECTED_ITEMS_REASON = "no connected items; Import not connected orders is off"
NOTHING_TO_FULFIL_REASON = "no physical item left after ignore rules"


# --- item classification -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRef:
    product_id: str
    variant_id: str
    item_type: ItemType = ItemType.PHYSICAL


@dataclass(frozen=True)
class Review:
    """An active connection the store has drifted from (variant deleted, SKU or options changed)."""

    connection_id: int
    reason: str


@dataclass(frozen=True)
class Routing:
    """The store's active routing facts: variant id → connection id, variant id → rule id, product id → rule id,
    and variant id → the connection that needs review (such a variant is in `needs_review`, not `connections`)."""

    connections: Mapping[str, int] = field(default_factory=dict)
    variant_rules: Mapping[str, int] = field(default_factory=dict)
    product_rules: Mapping[str, int] = field(default_factory=dict)
    needs_review: Mapping[str, Review] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemDecision:
    state: ItemState
    decision: Decision
    connection_id: int | None = None
    rule_id: int | None = None
    reason: str = ""  # set when the decision needs its own words (a connection that needs review)


NEEDS_REVIEW_PREFIX = "connection needs review: "


def classify_item(item: ItemRef, routing: Routing) -> ItemDecision:
    """Precedence: connection → connection that needs review (held: not connected) → variant ignore rule →
    product ignore rule → not connected."""
    if item.item_type != ItemType.PHYSICAL:
        return ItemDecision(ItemState.NOT_APPLICABLE, Decision.NOT_PHYSICAL)
    if item.variant_id in routing.connections:
        return ItemDecision(
            ItemState.CONNECTED, Decision.CONNECTION, connection_id=routing.connections[item.variant_id]
        )
    if item.variant_id in routing.needs_review:
        review = routing.needs_review[item.variant_id]
        return ItemDecision(
            ItemState.NOT_CONNECTED,
            Decision.CONNECTION_NEEDS_REVIEW,
            connection_id=review.connection_id,
            reason=NEEDS_REVIEW_PREFIX + review.reason,
        )
    if item.variant_id in routing.variant_rules:
        return ItemDecision(
            ItemState.IGNORED, Decision.VARIANT_RULE, rule_id=routing.variant_rules[item.variant_id]
        )
    if item.product_id in routing.product_rules:
        return ItemDecision(
            ItemState.IGNORED, Decision.PRODUCT_RULE, rule_id=routing.product_rules[item.product_id]
        )
    return ItemDecision(ItemState.NOT_CONNECTED, Decision.NO_CONNECTION)


# --- approval ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StorePolicy:
    import_not_connected: bool = False
    approval_mode: ApprovalMode = ApprovalMode.INSTANT
    delay_hours: int = 24
    partial_release: PartialRelease = PartialRelease.HOLD_ALL


@dataclass(frozen=True)
class Approval:
    status: OrderStatus
    release_at: datetime | None = None


def approval_for(policy: StorePolicy, placed_at: datetime, now: datetime) -> Approval:
    """Where an order whose items are all resolved goes next, per the store's approval mode."""
    if policy.approval_mode == ApprovalMode.INSTANT:
        return Approval(OrderStatus.READY)
    if policy.approval_mode == ApprovalMode.MANUAL:
        return Approval(OrderStatus.PENDING_APPROVAL)
    release_at = placed_at + timedelta(hours=policy.delay_hours)
    if release_at <= now:
        return Approval(OrderStatus.READY)
    return Approval(OrderStatus.PENDING_APPROVAL, release_at)


# --- import decision --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportDecision:
    imported: bool
    items: tuple[ItemDecision, ...]
    status: OrderStatus | None = None
    release_at: datetime | None = None
    release_connected_now: bool = False
    suppress_reason: str = ""


def skip_not_connected(decisions: Iterable[ItemDecision]) -> tuple[ItemDecision, ...]:
    return tuple(
        ItemDecision(ItemState.SKIPPED, Decision.SKIPPED_SETTING_OFF)
        if d.state == ItemState.NOT_CONNECTED
        else d
        for d in decisions
    )


def decide_import(
    items: Sequence[ItemRef], routing: Routing, policy: StorePolicy, placed_at: datetime, now: datetime
) -> ImportDecision:
    """Whether and how an incoming order is imported."""
    decisions = tuple(classify_item(item, routing) for item in items)
    states = {d.state for d in decisions}
    if not states & {ItemState.CONNECTED, ItemState.NOT_CONNECTED}:
        return ImportDecision(False, decisions, suppress_reason=NOTHING_TO_FULFIL_REASON)
    if ItemState.NOT_CONNECTED in states:
        if policy.import_not_connected:
            return ImportDecision(
                True,
                decisions,
                OrderStatus.NOT_CONNECTED,
                release_connected_now=_ships_connected_now(policy, states),
            )
        if ItemState.CONNECTED not in states:
            return ImportDecision(False, decisions, suppress_reason=NO_CONNECTED_ITEMS_REASON)
        decisions = skip_not_connected(decisions)
    approval = approval_for(policy, placed_at, now)
    return ImportDecision(
        True,
        decisions,
        approval.status,
        approval.release_at,
        release_connected_now=approval.status == OrderStatus.READY,
    )


def _ships_connected_now(policy: StorePolicy, states: set[ItemState]) -> bool:
    return policy.partial_release == PartialRelease.SHIP_CONNECTED_NOW and ItemState.CONNECTED in states


def policy_error(policy: StorePolicy) -> str | None:
    """A reason the settings cannot be saved together, or None."""
    if (
        policy.partial_release == PartialRelease.SHIP_CONNECTED_NOW
        and policy.approval_mode != ApprovalMode.INSTANT
    ):
        return "Sending connected items at once needs instant approval: choose instant approval or hold the order."
    return None


# --- completing a Not connected order ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    complete: bool
    status: OrderStatus | None = None
    release_at: datetime | None = None
    release_connected_now: bool = False


def decide_completion(
    states: Iterable[ItemState], policy: StorePolicy, placed_at: datetime, now: datetime
) -> Completion:
    """After a Connect or Ignore on a Not connected order: does it continue, and where to?"""
    present = set(states)
    if ItemState.NOT_CONNECTED in present:
        return Completion(False, release_connected_now=_ships_connected_now(policy, present))
    if ItemState.CONNECTED not in present:
        return Completion(True, OrderStatus.IGNORED)
    approval = approval_for(policy, placed_at, now)
    return Completion(True, approval.status, approval.release_at, approval.status == OrderStatus.READY)


# --- status transitions -----------------------------------------------------------------------------------------

_FORWARD_RANK: Mapping[OrderStatus, int] = {
    OrderStatus.NOT_CONNECTED: 0,
    OrderStatus.PENDING_APPROVAL: 1,
    OrderStatus.READY: 2,
    OrderStatus.SUBMITTED: 3,
    OrderStatus.IN_PRODUCTION: 4,
    OrderStatus.PARTIALLY_SHIPPED: 5,
    OrderStatus.SHIPPED: 6,
    OrderStatus.DELIVERED: 7,
}
TERMINAL_STATUSES = frozenset({OrderStatus.DELIVERED, OrderStatus.IGNORED, OrderStatus.CANCELLED})
CANCELLABLE_STATUSES = frozenset(
    {
        OrderStatus.NOT_CONNECTED,
        OrderStatus.PENDING_APPROVAL,
        OrderStatus.READY,
        OrderStatus.SUBMITTED,
        OrderStatus.IN_PRODUCTION,
        OrderStatus.FAILED,
    }
)
WAITING_STATUSES = frozenset({OrderStatus.NOT_CONNECTED, OrderStatus.PENDING_APPROVAL})
HELD_STATUSES = WAITING_STATUSES
_RELEASES_FROM: Mapping[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.NOT_CONNECTED: frozenset(
        {OrderStatus.PENDING_APPROVAL, OrderStatus.READY, OrderStatus.IGNORED, OrderStatus.CANCELLED}
    ),
    OrderStatus.PENDING_APPROVAL: frozenset({OrderStatus.READY, OrderStatus.CANCELLED}),
}


def can_transition(old: OrderStatus, new: OrderStatus) -> bool:
    """Statuses only move forward: a late or repeated update never moves an order back."""
    if old in TERMINAL_STATUSES or old == new:
        return False
    if old in HELD_STATUSES:
        # A held or unapproved order moves only by a release (or is ignored / cancelled): never straight to a
        # provider status, so a held order is never shown as sent.
        return new in _RELEASES_FROM[old]
    if new == OrderStatus.CANCELLED:
        return old in CANCELLABLE_STATUSES
    if new == OrderStatus.IGNORED:
        return old == OrderStatus.NOT_CONNECTED
    if new == OrderStatus.FAILED:
        return old in {OrderStatus.READY, OrderStatus.SUBMITTED}
    if old == OrderStatus.FAILED:
        return new in {
            OrderStatus.READY,
            *(s for s, r in _FORWARD_RANK.items() if r >= _FORWARD_RANK[OrderStatus.SUBMITTED]),
        }
    return _FORWARD_RANK[new] > _FORWARD_RANK[old]
