from ninja import Router, Status

from printbridge.api import present
from printbridge.api.schemas import (
    AppliedOut,
    ApplyIn,
    ChangeIn,
    ConnectionIn,
    ConnectionOut,
    ErrorOut,
    EventOut,
    IgnoreRuleIn,
    IgnoreRuleOut,
    PreviewOut,
    RevokeIn,
    RevokeOut,
    SuppressedOrderOut,
)
from printbridge.orders import events, rules, selectors, services
from printbridge.orders.services import reevaluation

router = Router()
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _actor(request) -> events.Actor:
    return events.Actor.for_user(request.auth.user)


def _account(request) -> int:
    return request.auth.account.pk


@router.get("connections", response={200: list[ConnectionOut], **ERRORS}, summary="Connections")
def list_connections(request, store: int | None = None, active: bool | None = None):
    return [present.connection(c) for c in selectors.connections(_account(request), store, active)]


@router.post("connections", response={201: ConnectionOut, **ERRORS}, summary="Connect a store variant")
def create_connection(request, payload: ConnectionIn):
    store = selectors.store_for(_account(request), payload.store_id)
    variant = services.VariantRef(payload.product_id, payload.variant_id, payload.sku, payload.label)
    connection = services.create_connection(
        store, variant, payload.provider_product_uid, payload.files, _actor(request)
    )
    return Status(201, present.connection(connection))


@router.delete("connections/{connection_id}", response={200: ConnectionOut, **ERRORS}, summary="Disconnect")
def delete_connection(request, connection_id: int):
    return present.connection(services.disconnect(_account(request), connection_id, _actor(request)))


@router.get("ignore-rules", response={200: list[IgnoreRuleOut], **ERRORS}, summary="Ignore rules")
def list_rules(request, store: int | None = None, active: bool | None = None):
    return [present.ignore_rule(r) for r in selectors.ignore_rules(_account(request), store, active)]


@router.post("ignore-rules", response={201: IgnoreRuleOut, **ERRORS}, summary="Ignore a variant or a product")
def create_rule(request, payload: IgnoreRuleIn):
    store = selectors.store_for(_account(request), payload.store_id)
    variant = services.VariantRef(payload.product_id, payload.variant_id or "", label=payload.label)
    rule = services.ensure_ignore_rule(
        store, rules.IgnoreScope(payload.scope), variant, payload.reason, _actor(request)
    )
    return Status(201, present.ignore_rule(rule))


@router.post(
    "ignore-rules/{rule_id}/revoke",
    response={200: RevokeOut, **ERRORS},
    summary="Revoke an ignore rule, optionally importing the orders it kept out",
)
def revoke_rule(request, rule_id: int, payload: RevokeIn):
    result = services.revoke_ignore_rule(
        _account(request), rule_id, _actor(request), payload.import_suppressed
    )
    return {
        "rule_id": result.rule.pk,
        "revoked_at": result.rule.revoked_at,
        "imported": result.imported,
        "still_suppressed": result.still_suppressed,
    }


@router.post(
    "reevaluate/preview",
    response={200: PreviewOut, **ERRORS},
    summary="Which waiting Not connected orders a connection or ignore rule would move (writes nothing)",
)
def preview(request, payload: ChangeIn):
    store = selectors.store_for(_account(request), payload.store_id)
    change = reevaluation.Change(
        reevaluation.ChangeKind(payload.kind), payload.product_id, payload.variant_id or ""
    )
    result = reevaluation.preview(store, change, exclude_order_id=payload.exclude_order_id)
    counts = {str(o): result.count(o) for o in reevaluation.OrderOutcome}
    return {**counts, "orders": [vars(o) for o in result.orders]}


@router.post(
    "reevaluate/apply",
    response={200: AppliedOut, **ERRORS},
    summary="Apply a connection or ignore rule to every waiting Not connected order",
)
def apply(request, payload: ApplyIn):
    if payload.connection_id:
        connection = selectors.connection(_account(request), payload.connection_id)
        applied = services.apply_connection(connection, _actor(request))
    else:
        rule = selectors.ignore_rule(_account(request), payload.ignore_rule_id)
        applied = services.apply_ignore_rule(rule, _actor(request))
    return vars(applied)


@router.get("suppressed-orders", response={200: list[SuppressedOrderOut], **ERRORS}, summary="The ledger")
def ledger(request, store: int | None = None, rule: int | None = None, limit: int = 200):
    return [present.suppressed(s) for s in selectors.suppressed_orders(_account(request), store, rule, limit)]


@router.get("events", response={200: list[EventOut], **ERRORS}, summary="The audit log, newest first")
def audit_log(request, order: int | None = None, limit: int = 200):
    return [present.event(e) for e in selectors.events(_account(request), order, limit)]
