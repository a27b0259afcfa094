from ninja import Query, Router, Schema

from printbridge.api import present
from printbridge.api.schemas import (
    ApprovalOut,
    ApproveManyIn,
    ConnectIn,
    ErrorOut,
    IgnoreIn,
    ItemFulfilmentIn,
    OrderOut,
    OrderPageOut,
    ResolutionOut,
    RetryOut,
    ShippingAddressPatch,
)
from printbridge.fulfilment import selectors as fulfilment_selectors
from printbridge.fulfilment.services import retrying
from printbridge.orders import events, rules, selectors, services
from printbridge.orders.services import reevaluation

router = Router()
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class OrderFilters(Schema):
    status: str | None = None
    store: int | None = None
    q: str | None = None
    cursor: str | None = None
    limit: int = 50


def _actor(request) -> events.Actor:
    return events.Actor.for_user(request.auth.user)


@router.get("", response={200: OrderPageOut, **ERRORS}, summary="Orders, newest first (keyset pagination)")
def list_orders(request, filters: Query[OrderFilters]):
    page = selectors.orders(
        request.auth.account.pk,
        status=filters.status,
        store_id=filters.store,
        text=filters.q,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [present.order_summary(o) for o in page.items], "next_cursor": page.next_cursor}


@router.get(  # int: so that POST /orders/approve is not taken for an order id
    "/{int:order_id}", response={200: OrderOut, **ERRORS}, summary="An order with each item's state and why"
)
def get_order(request, order_id: int):
    return _detail(request, order_id)


def _detail(request, order_id: int) -> dict:
    order = selectors.order_detail(request.auth.account.pk, order_id)
    return {
        **present.order(order, selectors.order_events(order)),
        "fulfilment": fulfilment_selectors.order_fulfilment(order),
    }


def _resolution(request, resolution, change: reevaluation.Change) -> dict:
    others = reevaluation.preview(resolution.order.store, change, exclude_order_id=resolution.order.pk)
    return {
        "order_id": resolution.order.pk,
        "status": resolution.order.status,
        "completed": resolution.completed,
        "connection_id": resolution.connection.pk if resolution.connection else None,
        "ignore_rule_id": resolution.ignore_rule.pk if resolution.ignore_rule else None,
        "other_waiting_orders": len(others.orders),
    }


@router.post(
    "/{order_id}/items/{item_id}/connect",
    response={200: ResolutionOut, **ERRORS},
    summary="Connect a not-connected item (its variant, for this and every future order)",
)
def connect(request, order_id: int, item_id: int, payload: ConnectIn):
    target = services.ConnectTarget(payload.provider_product_uid, payload.files, payload.connection_id)
    resolution = services.connect_item(request.auth.account.pk, order_id, item_id, target, _actor(request))
    return _resolution(request, resolution, reevaluation.Change.of_connection(resolution.connection))


@router.post(
    "/{order_id}/items/{item_id}/ignore",
    response={200: ResolutionOut, **ERRORS},
    summary="Ignore a not-connected item: this item for this order, this variant, or this product",
)
def ignore(request, order_id: int, item_id: int, payload: IgnoreIn):
    scope = rules.IgnoreScope(payload.scope)
    resolution = services.ignore_item(
        request.auth.account.pk, order_id, item_id, scope, _actor(request), reason=payload.reason
    )
    if resolution.ignore_rule is None:
        return {**_resolution_fields(resolution), "other_waiting_orders": 0}
    return _resolution(request, resolution, reevaluation.Change.of_rule(resolution.ignore_rule))


def _resolution_fields(resolution) -> dict:
    return {
        "order_id": resolution.order.pk,
        "status": resolution.order.status,
        "completed": resolution.completed,
    }


@router.post(
    "/{order_id}/approve", response={200: ApprovalOut, **ERRORS}, summary="Approve one pending order"
)
def approve_one(request, order_id: int):
    result = services.approve_orders(request.auth.account.pk, [order_id], _actor(request))
    return {"approved": result.approved, "skipped": result.skipped}


@router.post("/approve", response={200: ApprovalOut, **ERRORS}, summary="Approve many pending orders")
def approve_many(request, payload: ApproveManyIn):
    result = services.approve_orders(request.auth.account.pk, payload.order_ids, _actor(request))
    return {"approved": result.approved, "skipped": result.skipped}


# --- after the provider refused an order: fix, then retry -------------------------------------------------------


@router.patch(
    "/{int:order_id}/shipping-address",
    response={200: OrderOut, **ERRORS},
    summary="Change fields of the shipping address (a failed or waiting order); the rest stays",
)
def patch_shipping_address(request, order_id: int, payload: ShippingAddressPatch):
    changes = {k: str(v) for k, v in payload.model_dump(exclude_unset=True, exclude_none=True).items()}
    retrying.edit_shipping_address(request.auth.account.pk, order_id, changes, _actor(request))
    return _detail(request, order_id)


@router.put(
    "/{int:order_id}/items/{int:item_id}/fulfilment",
    response={200: OrderOut, **ERRORS},
    summary="Make this order's item from another product or files than its connection's (blank: the connection's)",
)
def put_item_fulfilment(request, order_id: int, item_id: int, payload: ItemFulfilmentIn):
    retrying.set_item_fulfilment(
        request.auth.account.pk,
        order_id,
        item_id,
        payload.provider_product_uid,
        payload.files,
        _actor(request),
    )
    return _detail(request, order_id)


@router.post(
    "/{int:order_id}/retry",
    response={200: RetryOut, **ERRORS},
    summary="Send a failed order to the provider again, as a new submission (409 unless it is Failed)",
)
def retry(request, order_id: int):
    submission = retrying.retry_submission(request.auth.account.pk, order_id, _actor(request))
    return {
        "order_id": order_id,
        "status": selectors.order_detail(request.auth.account.pk, order_id).status,
        "generation": submission.generation,
        "reference": submission.idempotency_key,
        "detail": f"Queued for the provider as {submission.idempotency_key}",
    }
