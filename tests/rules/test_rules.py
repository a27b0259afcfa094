"""The seed's rules, table-driven: pure functions, no database."""

from datetime import UTC, datetime, timedelta

import pytest

from printbridge.orders.rules import (
    NO_CONNECTED_ITEMS_REASON,
    NOTHING_TO_FULFIL_REASON,
    Approval,
    ApprovalMode,
    Completion,
    Decision,
    ImportDecision,
    ItemDecision,
    ItemRef,
    ItemState,
    ItemType,
    OrderStatus,
    PartialRelease,
    Review,
    Routing,
    StorePolicy,
    approval_for,
    can_transition,
    classify_item,
    decide_completion,
    decide_import,
    policy_error,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
HOURS = timedelta(hours=1)

M = ItemRef("tshirt", "tshirt-m")
XL4 = ItemRef("tshirt", "tshirt-4xl")
XL5 = ItemRef("tshirt", "tshirt-5xl")
CANDLE = ItemRef("candle", "candle")
RED_CAR = ItemRef("car", "car-red")
BLUE_CAR = ItemRef("car", "car-blue")
WALL_ART = ItemRef("wall-art", "wall-art-a3")
EBOOK = ItemRef("ebook", "ebook-pdf", ItemType.DIGITAL)
GIFT = ItemRef("gift", "gift-50", ItemType.GIFT_CERTIFICATE)

SEED_ROUTING = Routing(
    connections={"tshirt-m": 1, "wall-art-a3": 2},
    variant_rules={"tshirt-4xl": 7},
    product_rules={"car": 9},
)

CONNECTED_M = ItemDecision(ItemState.CONNECTED, Decision.CONNECTION, connection_id=1)
CONNECTED_ART = ItemDecision(ItemState.CONNECTED, Decision.CONNECTION, connection_id=2)
IGNORED_4XL = ItemDecision(ItemState.IGNORED, Decision.VARIANT_RULE, rule_id=7)
IGNORED_CAR = ItemDecision(ItemState.IGNORED, Decision.PRODUCT_RULE, rule_id=9)
NOT_CONNECTED = ItemDecision(ItemState.NOT_CONNECTED, Decision.NO_CONNECTION)
SKIPPED = ItemDecision(ItemState.SKIPPED, Decision.SKIPPED_SETTING_OFF)
NOT_PHYSICAL = ItemDecision(ItemState.NOT_APPLICABLE, Decision.NOT_PHYSICAL)
SKU_CHANGED = Review(4, "SKU changed from TS-M to TS-M-2")
REVIEW_M = ItemDecision(
    ItemState.NOT_CONNECTED,
    Decision.CONNECTION_NEEDS_REVIEW,
    connection_id=4,
    reason="connection needs review: SKU changed from TS-M to TS-M-2",
)
REVIEW_ROUTING = Routing(connections={"wall-art-a3": 2}, needs_review={"tshirt-m": SKU_CHANGED})

HOLD = StorePolicy(import_not_connected=True)
HOLD_SHIP_NOW = StorePolicy(import_not_connected=True, partial_release=PartialRelease.SHIP_CONNECTED_NOW)
HOLD_MANUAL = StorePolicy(import_not_connected=True, approval_mode=ApprovalMode.MANUAL)
OFF = StorePolicy(import_not_connected=False)
OFF_MANUAL = StorePolicy(import_not_connected=False, approval_mode=ApprovalMode.MANUAL)
OFF_DELAYED = StorePolicy(import_not_connected=False, approval_mode=ApprovalMode.DELAYED, delay_hours=24)
INSTANT = StorePolicy(approval_mode=ApprovalMode.INSTANT)
MANUAL = StorePolicy(approval_mode=ApprovalMode.MANUAL)
DELAYED_24 = StorePolicy(approval_mode=ApprovalMode.DELAYED, delay_hours=24)
DELAYED_6 = StorePolicy(approval_mode=ApprovalMode.DELAYED, delay_hours=6)


@pytest.mark.parametrize(
    ("item", "routing", "expected"),
    [
        pytest.param(M, Routing(connections={"tshirt-m": 1}), CONNECTED_M, id="connection-connects"),
        pytest.param(
            M,
            Routing({"tshirt-m": 1}, {"tshirt-m": 5}, {"tshirt": 6}),
            CONNECTED_M,
            id="connection-beats-variant-and-product-rules",
        ),
        pytest.param(
            M,
            Routing(variant_rules={"tshirt-m": 5}, product_rules={"tshirt": 6}),
            ItemDecision(ItemState.IGNORED, Decision.VARIANT_RULE, rule_id=5),
            id="variant-rule-beats-product-rule",
        ),
        pytest.param(
            M,
            Routing(product_rules={"tshirt": 6}),
            ItemDecision(ItemState.IGNORED, Decision.PRODUCT_RULE, rule_id=6),
            id="product-rule-ignores-every-variant",
        ),
        pytest.param(M, Routing(), NOT_CONNECTED, id="nothing-applies-not-connected"),
        pytest.param(
            M,
            Routing({"tshirt-l": 1}, {"tshirt-4xl": 5}, {"car": 6}),
            NOT_CONNECTED,
            id="other-variants-and-products-do-not-apply",
        ),
        pytest.param(EBOOK, Routing(), NOT_PHYSICAL, id="digital-not-applicable"),
        pytest.param(
            EBOOK, Routing(connections={"ebook-pdf": 3}), NOT_PHYSICAL, id="digital-even-if-connected"
        ),
        pytest.param(
            M, Routing(needs_review={"tshirt-m": SKU_CHANGED}), REVIEW_M, id="connection-needing-review-holds"
        ),
        pytest.param(
            M,
            Routing(
                variant_rules={"tshirt-m": 5},
                product_rules={"tshirt": 6},
                needs_review={"tshirt-m": SKU_CHANGED},
            ),
            REVIEW_M,
            id="connection-needing-review-beats-ignore-rules",
        ),
        pytest.param(
            M,
            Routing(connections={"tshirt-l": 1}, needs_review={"tshirt-l": SKU_CHANGED}),
            NOT_CONNECTED,
            id="other-variants-review-does-not-apply",
        ),
        pytest.param(
            EBOOK,
            Routing(needs_review={"ebook-pdf": SKU_CHANGED}),
            NOT_PHYSICAL,
            id="digital-even-if-needs-review",
        ),
        pytest.param(GIFT, Routing(), NOT_PHYSICAL, id="gift-certificate-not-applicable"),
        pytest.param(
            GIFT, Routing(product_rules={"gift": 4}), NOT_PHYSICAL, id="gift-certificate-even-if-ruled"
        ),
    ],
)
def test_classify_item_follows_precedence(item, routing, expected):
    assert classify_item(item, routing) == expected


@pytest.mark.parametrize(
    ("items", "policy", "placed_at", "expected"),
    [
        pytest.param(
            [XL4], HOLD, NOW, ImportDecision(False, (IGNORED_4XL,), suppress_reason=NOTHING_TO_FULFIL_REASON),
            id="only-ignored-not-imported",
        ),
        pytest.param(
            [EBOOK, GIFT], HOLD, NOW,
            ImportDecision(False, (NOT_PHYSICAL, NOT_PHYSICAL), suppress_reason=NOTHING_TO_FULFIL_REASON),
            id="no-physical-item-not-imported",
        ),
        pytest.param(
            [RED_CAR, EBOOK], OFF, NOW,
            ImportDecision(False, (IGNORED_CAR, NOT_PHYSICAL), suppress_reason=NOTHING_TO_FULFIL_REASON),
            id="ignored-plus-digital-not-imported",
        ),
        pytest.param(
            [M, XL5], HOLD, NOW, ImportDecision(True, (CONNECTED_M, NOT_CONNECTED), OrderStatus.NOT_CONNECTED),
            id="setting-on-holds-every-item",
        ),
        pytest.param(
            [XL5], HOLD_SHIP_NOW, NOW, ImportDecision(True, (NOT_CONNECTED,), OrderStatus.NOT_CONNECTED),
            id="setting-on-ship-now-nothing-connected-releases-nothing",
        ),
        pytest.param(
            [M, XL5], HOLD_SHIP_NOW, NOW,
            ImportDecision(True, (CONNECTED_M, NOT_CONNECTED), OrderStatus.NOT_CONNECTED, release_connected_now=True),
            id="setting-on-ship-now-releases-connected",
        ),
        pytest.param(
            [M, XL5], HOLD_MANUAL, NOW, ImportDecision(True, (CONNECTED_M, NOT_CONNECTED), OrderStatus.NOT_CONNECTED),
            id="setting-on-holds-before-approval",
        ),
        pytest.param(
            [M, XL5, XL4], OFF, NOW,
            ImportDecision(True, (CONNECTED_M, SKIPPED, IGNORED_4XL), OrderStatus.READY, release_connected_now=True),
            id="setting-off-skips-not-connected-instant",
        ),
        pytest.param(
            [M, XL5], OFF_MANUAL, NOW, ImportDecision(True, (CONNECTED_M, SKIPPED), OrderStatus.PENDING_APPROVAL),
            id="setting-off-skips-not-connected-manual",
        ),
        pytest.param(
            [M, XL5], OFF_DELAYED, NOW,
            ImportDecision(True, (CONNECTED_M, SKIPPED), OrderStatus.PENDING_APPROVAL, NOW + 24 * HOURS),
            id="setting-off-skips-not-connected-delayed",
        ),
        pytest.param(
            [XL5], OFF, NOW, ImportDecision(False, (NOT_CONNECTED,), suppress_reason=NO_CONNECTED_ITEMS_REASON),
            id="setting-off-none-connected-not-imported",
        ),
        pytest.param(
            [XL5, XL4, GIFT], OFF, NOW,
            ImportDecision(False, (NOT_CONNECTED, IGNORED_4XL, NOT_PHYSICAL), suppress_reason=NO_CONNECTED_ITEMS_REASON),
            id="setting-off-not-connected-and-ignored-not-imported",
        ),
        pytest.param(
            [M], INSTANT, NOW, ImportDecision(True, (CONNECTED_M,), OrderStatus.READY, release_connected_now=True),
            id="all-connected-instant-ready",
        ),
        pytest.param(
            [WALL_ART, RED_CAR, EBOOK], INSTANT, NOW,
            ImportDecision(True, (CONNECTED_ART, IGNORED_CAR, NOT_PHYSICAL), OrderStatus.READY, release_connected_now=True),
            id="connected-ignored-digital-instant-ready",
        ),
        pytest.param(
            [M], MANUAL, NOW, ImportDecision(True, (CONNECTED_M,), OrderStatus.PENDING_APPROVAL),
            id="all-connected-manual-pending",
        ),
        pytest.param(
            [M], DELAYED_24, NOW - 2 * HOURS,
            ImportDecision(True, (CONNECTED_M,), OrderStatus.PENDING_APPROVAL, NOW + 22 * HOURS),
            id="all-connected-delayed-pending-until-placed-plus-hours",
        ),
        pytest.param(
            [M], DELAYED_24, NOW - 30 * HOURS,
            ImportDecision(True, (CONNECTED_M,), OrderStatus.READY, release_connected_now=True),
            id="all-connected-delayed-already-past-due-ready",
        ),
        pytest.param(
            [M], DELAYED_24, NOW - 24 * HOURS,
            ImportDecision(True, (CONNECTED_M,), OrderStatus.READY, release_connected_now=True),
            id="all-connected-delayed-due-exactly-now-ready",
        ),
    ],
)  # fmt: skip
def test_decide_import(items, policy, placed_at, expected):
    assert decide_import(items, SEED_ROUTING, policy, placed_at, NOW) == expected


@pytest.mark.parametrize(
    ("items", "policy", "expected"),
    [
        pytest.param(
            [M, WALL_ART], HOLD, ImportDecision(True, (REVIEW_M, CONNECTED_ART), OrderStatus.NOT_CONNECTED),
            id="needs-review-holds-the-order-as-not-connected",
        ),
        pytest.param(
            [M, WALL_ART], HOLD_SHIP_NOW,
            ImportDecision(True, (REVIEW_M, CONNECTED_ART), OrderStatus.NOT_CONNECTED, release_connected_now=True),
            id="needs-review-ship-now-releases-the-connected-rest",
        ),
        pytest.param(
            [M, WALL_ART], OFF,
            ImportDecision(True, (SKIPPED, CONNECTED_ART), OrderStatus.READY, release_connected_now=True),
            id="setting-off-skips-the-variant-needing-review",
        ),
        pytest.param(
            [M], OFF, ImportDecision(False, (REVIEW_M,), suppress_reason=NO_CONNECTED_ITEMS_REASON),
            id="setting-off-only-needs-review-not-imported-with-the-reason",
        ),
    ],
)  # fmt: skip
def test_decide_import_with_a_connection_needing_review(items, policy, expected):
    assert decide_import(items, REVIEW_ROUTING, policy, NOW, NOW) == expected


@pytest.mark.parametrize(
    ("states", "policy", "placed_at", "expected"),
    [
        pytest.param([ItemState.CONNECTED, ItemState.NOT_CONNECTED], HOLD, NOW, Completion(False), id="still-waiting"),
        pytest.param(
            [ItemState.CONNECTED, ItemState.NOT_CONNECTED], HOLD_SHIP_NOW, NOW,
            Completion(False, release_connected_now=True), id="still-waiting-ship-now-releases-connected",
        ),
        pytest.param(
            [ItemState.IGNORED, ItemState.NOT_CONNECTED], HOLD_SHIP_NOW, NOW, Completion(False),
            id="still-waiting-ship-now-nothing-connected",
        ),
        pytest.param(
            [ItemState.CONNECTED, ItemState.IGNORED], INSTANT, NOW,
            Completion(True, OrderStatus.READY, release_connected_now=True), id="complete-instant-ready",
        ),
        pytest.param(
            [ItemState.CONNECTED], MANUAL, NOW, Completion(True, OrderStatus.PENDING_APPROVAL),
            id="complete-manual-pending",
        ),
        pytest.param(
            [ItemState.CONNECTED], DELAYED_6, NOW - HOURS,
            Completion(True, OrderStatus.PENDING_APPROVAL, NOW + 5 * HOURS), id="complete-delayed-pending",
        ),
        pytest.param(
            [ItemState.CONNECTED], DELAYED_6, NOW - 7 * HOURS,
            Completion(True, OrderStatus.READY, release_connected_now=True), id="complete-delayed-past-due-ready",
        ),
        pytest.param(
            [ItemState.IGNORED, ItemState.IGNORED], INSTANT, NOW, Completion(True, OrderStatus.IGNORED),
            id="none-connected-ignored",
        ),
        pytest.param(
            [ItemState.IGNORED, ItemState.NOT_APPLICABLE], MANUAL, NOW, Completion(True, OrderStatus.IGNORED),
            id="ignored-and-digital-ignored-whatever-approval",
        ),
    ],
)  # fmt: skip
def test_decide_completion(states, policy, placed_at, expected):
    assert decide_completion(states, policy, placed_at, NOW) == expected


@pytest.mark.parametrize(
    ("policy", "placed_at", "expected"),
    [
        pytest.param(INSTANT, NOW, Approval(OrderStatus.READY), id="instant"),
        pytest.param(MANUAL, NOW - 100 * HOURS, Approval(OrderStatus.PENDING_APPROVAL), id="manual-never-by-time"),
        pytest.param(DELAYED_24, NOW, Approval(OrderStatus.PENDING_APPROVAL, NOW + 24 * HOURS), id="delayed-future"),
        pytest.param(DELAYED_6, NOW - 3 * HOURS, Approval(OrderStatus.PENDING_APPROVAL, NOW + 3 * HOURS), id="delayed-6h"),
        pytest.param(DELAYED_24, NOW - 24 * HOURS, Approval(OrderStatus.READY), id="delayed-due-exactly-now"),
        pytest.param(DELAYED_24, NOW - 25 * HOURS, Approval(OrderStatus.READY), id="delayed-past-due"),
    ],
)  # fmt: skip
def test_approval_for(policy, placed_at, expected):
    assert approval_for(policy, placed_at, NOW) == expected


S = OrderStatus
FORWARD_FROM_READY = {S.SUBMITTED, S.IN_PRODUCTION, S.PARTIALLY_SHIPPED, S.SHIPPED, S.DELIVERED}
ALLOWED = {
    S.NOT_CONNECTED: {S.PENDING_APPROVAL, S.READY, S.IGNORED, S.CANCELLED},
    S.PENDING_APPROVAL: {S.READY, S.CANCELLED},
    S.READY: {*FORWARD_FROM_READY, S.FAILED, S.CANCELLED},
    S.SUBMITTED: {*FORWARD_FROM_READY - {S.SUBMITTED}, S.FAILED, S.CANCELLED},
    S.IN_PRODUCTION: {S.PARTIALLY_SHIPPED, S.SHIPPED, S.DELIVERED, S.CANCELLED},
    S.PARTIALLY_SHIPPED: {S.SHIPPED, S.DELIVERED},
    S.SHIPPED: {S.DELIVERED},
    S.DELIVERED: set(),
    S.FAILED: {S.READY, *FORWARD_FROM_READY, S.CANCELLED},
    S.IGNORED: set(),
    S.CANCELLED: set(),
}
TRANSITIONS = [
    pytest.param(old, new, new in ALLOWED[old], id=f"{old}-to-{new}-{'allowed' if new in ALLOWED[old] else 'refused'}")
    for old in OrderStatus
    for new in OrderStatus
]  # fmt: skip


def test_transition_table_covers_every_status():
    assert set(ALLOWED) == set(OrderStatus)


@pytest.mark.parametrize(("old", "new", "allowed"), TRANSITIONS)
def test_can_transition_full_table(old, new, allowed):
    assert can_transition(old, new) is allowed


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(S.SHIPPED, S.IN_PRODUCTION, id="late-production-update-after-shipping"),
        pytest.param(S.SUBMITTED, S.READY, id="late-ready-after-submission"),
        pytest.param(S.READY, S.PENDING_APPROVAL, id="back-to-approval"),
        pytest.param(S.PENDING_APPROVAL, S.NOT_CONNECTED, id="back-to-not-connected"),
        pytest.param(S.SHIPPED, S.SHIPPED, id="repeated-update"),
        pytest.param(S.DELIVERED, S.CANCELLED, id="delivered-is-terminal"),
        pytest.param(S.CANCELLED, S.READY, id="cancelled-is-terminal"),
        pytest.param(S.IGNORED, S.READY, id="ignored-is-terminal"),
        pytest.param(S.PENDING_APPROVAL, S.IGNORED, id="ignored-only-from-not-connected"),
        pytest.param(S.PARTIALLY_SHIPPED, S.CANCELLED, id="no-cancel-once-shipping"),
        pytest.param(S.IN_PRODUCTION, S.FAILED, id="no-failure-once-in-production"),
        pytest.param(S.FAILED, S.PENDING_APPROVAL, id="retry-does-not-go-back-to-approval"),
    ],
)
def test_status_never_moves_back(old, new):
    assert can_transition(old, new) is False


CONNECTED_NOW_ERROR = (
    "Sending connected items at once needs instant approval: choose instant approval or hold the order."
)


@pytest.mark.parametrize(
    ("approval_mode", "partial_release", "expected"),
    [
        pytest.param(ApprovalMode.INSTANT, PartialRelease.SHIP_CONNECTED_NOW, None, id="ship-now-instant-ok"),
        pytest.param(ApprovalMode.DELAYED, PartialRelease.SHIP_CONNECTED_NOW, CONNECTED_NOW_ERROR, id="ship-now-delayed"),
        pytest.param(ApprovalMode.MANUAL, PartialRelease.SHIP_CONNECTED_NOW, CONNECTED_NOW_ERROR, id="ship-now-manual"),
        pytest.param(ApprovalMode.INSTANT, PartialRelease.HOLD_ALL, None, id="hold-instant-ok"),
        pytest.param(ApprovalMode.DELAYED, PartialRelease.HOLD_ALL, None, id="hold-delayed-ok"),
        pytest.param(ApprovalMode.MANUAL, PartialRelease.HOLD_ALL, None, id="hold-manual-ok"),
    ],
)  # fmt: skip
def test_policy_error(approval_mode, partial_release, expected):
    policy = StorePolicy(approval_mode=approval_mode, partial_release=partial_release)
    assert policy_error(policy) == expected


# --- the seed's worked examples ---------------------------------------------------------------------------------

LOCAL_ROUTING = Routing(connections={"tshirt-m": 1})


def test_local_supplier_item_ignored_for_order_1000_completes_it():
    assert decide_completion([ItemState.IGNORED, ItemState.CONNECTED], HOLD, NOW, NOW) == Completion(
        True, OrderStatus.READY, release_connected_now=True
    )


def test_local_supplier_order_1001_with_the_same_item_is_not_connected_again():
    # "Ignore this item for this order" leaves no rule behind: the routing is unchanged for #1001.
    assert decide_import([CANDLE, M], LOCAL_ROUTING, HOLD, NOW, NOW) == ImportDecision(
        True, (NOT_CONNECTED, CONNECTED_M), OrderStatus.NOT_CONNECTED
    )


def test_tshirts_xs_to_5xl_order_1001_needs_action_for_5xl_only():
    decision = decide_import([M, XL4, XL5], SEED_ROUTING, HOLD, NOW, NOW)
    assert decision == ImportDecision(
        True, (CONNECTED_M, IGNORED_4XL, NOT_CONNECTED), OrderStatus.NOT_CONNECTED
    )


def test_tshirts_xs_to_5xl_order_of_only_4xl_is_not_imported():
    assert decide_import([XL4], SEED_ROUTING, HOLD, NOW, NOW) == ImportDecision(
        False, (IGNORED_4XL,), suppress_reason=NOTHING_TO_FULFIL_REASON
    )


@pytest.mark.parametrize("car", [RED_CAR, BLUE_CAR], ids=["red-car", "blue-car"])
def test_cars_order_of_a_car_in_any_colour_is_not_imported(car):
    assert decide_import([car], SEED_ROUTING, HOLD, NOW, NOW) == ImportDecision(
        False, (IGNORED_CAR,), suppress_reason=NOTHING_TO_FULFIL_REASON
    )


def test_cars_wall_art_and_car_goes_on_with_only_the_wall_art():
    assert decide_import([WALL_ART, RED_CAR], SEED_ROUTING, HOLD, NOW, NOW) == ImportDecision(
        True, (CONNECTED_ART, IGNORED_CAR), OrderStatus.READY, release_connected_now=True
    )
