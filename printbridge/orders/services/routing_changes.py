"""Connections and ignore rules: create, remove and revoke them, each with its audit event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from printbridge.orders import events, rules
from printbridge.orders.errors import Conflict, InvalidInput, NotFound
from printbridge.orders.incoming import IncomingOrder
from printbridge.orders.lock_objects import ignore_rule_for_update
from printbridge.orders.models import OrderEvent, SuppressedOrder
from printbridge.orders.services.importing import Outcome, import_order
from printbridge.routing.models import Connection, IgnoreRule
from printbridge.stores.models import Store

Event = OrderEvent.Type


@dataclass(frozen=True)
class VariantRef:
    product_id: str
    variant_id: str
    sku: str = ""
    label: str = ""
    options: tuple[tuple[str, str], ...] | None = None  # (name, value); None: not known

    @classmethod
    def of(cls, item) -> VariantRef:
        label = f"{item.name} ({item.options_label})" if item.options_label else item.name
        options = tuple(
            (str(o.get("name", "")), str(o.get("value", ""))) for o in item.options if isinstance(o, dict)
        )
        return cls(item.product_id, item.variant_id, item.sku, label[:300], options)

    def options_json(self) -> list[dict[str, str]] | None:
        if self.options is None:
            return None
        return [{"name": name, "value": value} for name, value in self.options]


def active_connection(store: Store, variant_id: str) -> Connection | None:
    """The variant's active connection, unless it needs review (then a new Connect replaces it)."""
    return Connection.objects.filter(
        store=store, variant_id=variant_id, disconnected_at__isnull=True, needs_review=False
    ).first()


def create_connection(
    store: Store, variant: VariantRef, provider_product_uid: str, files: dict[str, str], actor: events.Actor
) -> Connection:
    """Connect a store variant to a fulfilment product; one active connection per variant. A connection that
    needs review (the store changed or deleted the variant) is replaced; a sound one is a conflict."""
    if not provider_product_uid.strip():
        raise InvalidInput("A fulfilment product is required", field="provider_product_uid")
    try:
        with transaction.atomic():
            _replace_flagged(store, variant.variant_id, actor)
            connection = Connection.objects.create(
                account_id=store.account_id,
                store=store,
                product_id=variant.product_id,
                variant_id=variant.variant_id,
                sku=variant.sku,
                label=variant.label,
                options=variant.options_json(),
                provider_product_uid=provider_product_uid.strip(),
                files=files,
                created_by=actor.user,
            )
    except IntegrityError:
        raise Conflict(f"Variant {variant.variant_id} is already connected") from None
    events.record(
        Event.CONNECTION_CREATED,
        f"Connected {variant.label or variant.variant_id} to {connection.provider_product_uid}",
        actor,
        store=store,
        connection_id=connection.pk,
        variant_id=variant.variant_id,
        product_id=variant.product_id,
    )
    return connection


def _replace_flagged(store: Store, variant_id: str, actor: events.Actor) -> None:
    flagged = (
        Connection.objects.select_for_update()
        .filter(store=store, variant_id=variant_id, disconnected_at__isnull=True, needs_review=True)
        .first()
    )
    if flagged is None:
        return
    flagged.disconnected_at, flagged.disconnected_by = timezone.now(), actor.user
    flagged.save(update_fields=["disconnected_at", "disconnected_by"])
    events.record(
        Event.CONNECTION_REMOVED,
        f"Replaced {flagged.label or variant_id}, which needed review ({flagged.review_reason})",
        actor,
        store=store,
        connection_id=flagged.pk,
        variant_id=variant_id,
        replaced=True,
    )


@transaction.atomic
def disconnect(
    account_id: int, connection_id: int, actor: events.Actor, now: datetime | None = None
) -> Connection:
    """Future orders with the variant will be Not connected again; orders already decided keep their decision."""
    connection = (
        Connection.objects.select_for_update().filter(pk=connection_id, account_id=account_id).first()
    )
    if connection is None:
        raise NotFound("No such connection")
    if connection.disconnected_at:
        raise Conflict("This connection was already removed")
    connection.disconnected_at, connection.disconnected_by = now or timezone.now(), actor.user
    connection.save(update_fields=["disconnected_at", "disconnected_by"])
    events.record(
        Event.CONNECTION_REMOVED,
        f"Disconnected {connection.label or connection.variant_id}",
        actor,
        store=connection.store,
        connection_id=connection.pk,
        variant_id=connection.variant_id,
    )
    return connection


def ensure_ignore_rule(
    store: Store, scope: rules.IgnoreScope, variant: VariantRef, reason: str, actor: events.Actor
) -> IgnoreRule:
    """The active rule for this target, created if there is none."""
    rule_scope = IgnoreRule.Scope(str(scope))
    target = {
        "product_id": variant.product_id,
        "variant_id": variant.variant_id if scope == "variant" else "",
    }
    existing = IgnoreRule.objects.filter(
        store=store, scope=rule_scope, revoked_at__isnull=True, **target
    ).first()
    if existing:
        return existing
    label = variant.label if scope == "variant" else variant.label.split(" (")[0]
    rule = IgnoreRule.objects.create(
        account_id=store.account_id,
        store=store,
        scope=rule_scope,
        label=label,
        reason=reason,
        created_by=actor.user,
        **target,
    )
    events.record(
        Event.IGNORE_RULE_CREATED,
        f"Ignore rule: {rule.get_scope_display().lower()} — {label}",
        actor,
        store=store,
        rule_id=rule.pk,
        scope=rule.scope,
        reason=reason,
        **target,
    )
    return rule


@dataclass(frozen=True)
class RevokeResult:
    rule: IgnoreRule
    imported: int = 0
    still_suppressed: int = 0


def revoke_ignore_rule(
    account_id: int,
    rule_id: int,
    actor: events.Actor,
    import_suppressed: bool = False,
    now: datetime | None = None,
) -> RevokeResult:
    """Revoke a rule; optionally import the orders it kept out (each is decided again under today's rules)."""
    now = now or timezone.now()
    rule = _revoke(account_id, rule_id, actor, now)
    if not import_suppressed:
        return RevokeResult(rule)
    outcomes = [
        import_order(rule.store, IncomingOrder.from_payload(row.payload), actor, now).outcome
        for row in SuppressedOrder.objects.filter(rules=rule, imported_at__isnull=True).order_by("pk")
    ]
    imported = sum(1 for o in outcomes if o != Outcome.SUPPRESSED)
    return RevokeResult(rule, imported=imported, still_suppressed=len(outcomes) - imported)


@transaction.atomic
def _revoke(account_id: int, rule_id: int, actor: events.Actor, now: datetime) -> IgnoreRule:
    try:
        rule = ignore_rule_for_update(account_id, rule_id)
    except IgnoreRule.DoesNotExist:
        raise NotFound("No such ignore rule") from None
    if rule.revoked_at:
        raise Conflict("This ignore rule was already revoked")
    rule.revoked_at, rule.revoked_by = now, actor.user
    rule.save(update_fields=["revoked_at", "revoked_by"])
    events.record(
        Event.IGNORE_RULE_REVOKED,
        f"Revoked ignore rule: {rule.get_scope_display().lower()} — {rule.label}",
        actor,
        store=rule.store,
        rule_id=rule.pk,
    )
    return rule
