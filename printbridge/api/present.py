"""Model → response dict conversions shared by the routers."""

from __future__ import annotations

from printbridge.orders import explain, rules
from printbridge.orders.models import Order, OrderEvent, OrderItem, SuppressedOrder
from printbridge.routing.models import Connection, IgnoreRule
from printbridge.stores.models import Store


def _email(user) -> str | None:
    return (user.email or user.get_username()) if user else None


def store(s: Store) -> dict:
    settings = s.settings
    return {
        "id": s.pk,
        "name": s.name,
        "platform": s.platform,
        "is_active": s.is_active,
        "created_at": s.created_at,
        "settings": store_settings(settings),
    }


def store_settings(settings) -> dict:
    return {
        "import_not_connected": settings.import_not_connected,
        "approval_mode": settings.approval_mode,
        "approval_delay_hours": settings.approval_delay_hours,
        "partial_release": settings.partial_release,
        "notification_recipients": settings.notification_recipients,
        "email_mode": settings.email_mode,
        "ageing_alert_hours": settings.ageing_alert_hours,
        "shipment_method_uid": settings.shipment_method_uid,
    }


def order_summary(o: Order) -> dict:
    return {
        "id": o.pk,
        "store_id": o.store_id,
        "store_name": o.store.name,
        "external_id": o.external_id,
        "number": o.number,
        "customer_name": o.customer_name,
        "customer_email": o.customer_email,
        "currency": o.currency,
        "total": o.total,
        "placed_at": o.placed_at,
        "status": o.status,
        "status_label": o.get_status_display(),
    }


def item(i: OrderItem) -> dict:
    return {
        "id": i.pk,
        "external_id": i.external_id,
        "product_id": i.product_id,
        "variant_id": i.variant_id,
        "sku": i.sku,
        "name": i.name,
        "options": i.options,
        "quantity": i.quantity,
        "unit_price": i.unit_price,
        "item_type": i.item_type,
        "state": i.state,
        "state_label": rules.ITEM_STATE_LABELS[rules.ItemState(i.state)],
        "decision": i.decision,
        "reason": explain.item_reason(i),
        "connection_id": i.connection_id,
        "ignore_rule_id": i.ignore_rule_id,
        "release_generation": i.release_generation,
    }


def event(e: OrderEvent) -> dict:
    return {
        "id": e.pk,
        "type": e.type,
        "actor": e.actor,
        "message": e.message,
        "parameters": e.parameters,
        "order_id": e.order_id,
        "created_at": e.created_at,
    }


def order(o: Order, events) -> dict:
    return {
        **order_summary(o),
        "subtotal": o.subtotal,
        "shipping_address": o.shipping_address,
        "held_since": o.held_since,
        "release_at": o.release_at,
        "approved_at": o.approved_at,
        "release_count": o.release_count,
        "items": [item(i) for i in o.items.all()],
        "events": [event(e) for e in events],
    }


def connection(c: Connection) -> dict:
    return {
        "id": c.pk,
        "store_id": c.store_id,
        "product_id": c.product_id,
        "variant_id": c.variant_id,
        "sku": c.sku,
        "label": c.label,
        "provider": c.provider,
        "provider_product_uid": c.provider_product_uid,
        "files": c.files,
        "created_by": _email(c.created_by),
        "created_at": c.created_at,
        "disconnected_at": c.disconnected_at,
        "needs_review": c.needs_review,
        "review_reason": c.review_reason,
        "flagged_at": c.flagged_at,
    }


def ignore_rule(r: IgnoreRule) -> dict:
    return {
        "id": r.pk,
        "store_id": r.store_id,
        "scope": r.scope,
        "product_id": r.product_id,
        "variant_id": r.variant_id,
        "label": r.label,
        "reason": r.reason,
        "created_by": _email(r.created_by),
        "created_at": r.created_at,
        "revoked_at": r.revoked_at,
        "suppressed_orders": r.suppressed if hasattr(r, "suppressed") else r.suppressed_orders.count(),
    }


def suppressed(s: SuppressedOrder) -> dict:
    return {
        "id": s.pk,
        "store_id": s.store_id,
        "external_id": s.external_id,
        "number": s.number,
        "customer_name": s.customer_name,
        "placed_at": s.placed_at,
        "total": s.total,
        "currency": s.currency,
        "reason": s.reason,
        "items": s.items,
        "rule_ids": sorted(r.pk for r in s.rules.all()),
        "delivery_count": s.delivery_count,
        "created_at": s.created_at,
        "imported_at": s.imported_at,
        "imported_order_id": s.imported_order_id,
    }
