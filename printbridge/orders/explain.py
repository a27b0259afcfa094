"""Human explanations of decisions: why an item is in its state, why an order was not imported."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.timesince import timesince

from printbridge.orders import rules
from printbridge.orders.incoming import IncomingItem

_LEDGER_REASONS = {
    rules.Decision.CONNECTION: "connected",
    rules.Decision.VARIANT_RULE: "ignored by rule: this variant for all incoming orders",
    rules.Decision.PRODUCT_RULE: "ignored by rule: this product in all variants",
    rules.Decision.NO_CONNECTION: "not connected",
    rules.Decision.CONNECTION_NEEDS_REVIEW: "connection needs review",
    rules.Decision.NOT_PHYSICAL: "not a physical item: nothing to fulfil",
    rules.Decision.SKIPPED_SETTING_OFF: "not connected",
}


def ledger_item(item: IncomingItem, decision: rules.ItemDecision) -> dict:
    return {
        "external_id": item.external_id,
        "name": item.name,
        "sku": item.sku,
        "product_id": item.product_id,
        "variant_id": item.variant_id,
        "quantity": item.quantity,
        "state": str(decision.state),
        "reason": decision.reason or _LEDGER_REASONS[decision.decision],
        "rule_id": decision.rule_id,
    }


def item_summaries(items) -> list[dict]:
    return [{"item": i.external_id, "state": i.state, "decision": i.decision} for i in items]


def review_reason(connection) -> str:
    """E.g. 'connection needs review: SKU changed from TS-M to TS-M2' (the store changed the variant)."""
    if connection is None or not connection.review_reason:
        return rules.NEEDS_REVIEW_PREFIX.rstrip(": ")
    return rules.NEEDS_REVIEW_PREFIX + connection.review_reason


def _who_when(user, when: datetime) -> str:
    who = f"by {user.email or user.get_username()}, " if user else ""
    return f"{who}{timezone.localtime(when):%-d %b}"


def item_reason(item, now: datetime | None = None) -> str:
    """E.g. 'not connected for 2 days', 'ignored by rule: product Car, by ana@example.com, 3 Dec'."""
    now = now or timezone.now()
    decision = rules.Decision(item.decision)
    if decision == rules.Decision.NO_CONNECTION:
        return f"not connected for {timesince(item.decided_at, now)}"
    if decision == rules.Decision.CONNECTION_NEEDS_REVIEW:
        return review_reason(item.connection)
    if decision == rules.Decision.CONNECTION:
        c = item.connection
        return f"connected to {c.provider_product_uid}, {_who_when(c.created_by, c.created_at)}"
    if decision in (rules.Decision.VARIANT_RULE, rules.Decision.PRODUCT_RULE):
        r = item.ignore_rule
        target = r.label or (r.variant_id if r.scope == "variant" else r.product_id)
        return f"ignored by rule: {r.scope} {target}, {_who_when(r.created_by, r.created_at)}"
    if decision == rules.Decision.IGNORED_FOR_ORDER:
        return f"ignored for this order only, {_who_when(item.decided_by, item.decided_at)}"
    if decision == rules.Decision.SKIPPED_SETTING_OFF:
        return "skipped: not connected, and Import not connected orders is off"
    return "not a physical item: nothing to fulfil"
