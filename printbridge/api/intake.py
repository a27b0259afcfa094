"""Custom-store intake: a store posts its orders as JSON, authenticated by its own key."""

from ninja import Router, Status

from printbridge.api.auth import StoreKey
from printbridge.api.schemas import ErrorOut, IntakeOut, OrderIn
from printbridge.orders import events, rules
from printbridge.orders.errors import NotFound
from printbridge.orders.incoming import IncomingItem, IncomingOrder
from printbridge.orders.services import Outcome, import_order

router = Router()


def to_incoming(payload: OrderIn) -> IncomingOrder:
    address = payload.shipping_address.model_dump()
    return IncomingOrder(
        external_id=payload.external_id,
        number=payload.number,
        placed_at=payload.placed_at,
        currency=payload.currency,
        customer_name=payload.customer.name,
        customer_email=str(payload.customer.email),
        shipping_address={k: str(v) for k, v in address.items()},
        subtotal=payload.subtotal,
        total=payload.total,
        items=tuple(
            IncomingItem(
                external_id=i.external_id,
                product_id=i.product_id,
                variant_id=i.variant_id or i.product_id,
                name=i.name,
                quantity=i.quantity,
                sku=i.sku,
                unit_price=i.unit_price,
                options=tuple((o.name, o.value) for o in i.options),
                item_type=rules.ItemType(i.type),
            )
            for i in payload.items
        ),
    )


@router.post(
    "/{int:store_id}/orders",
    auth=StoreKey(),
    response={200: IntakeOut, 201: IntakeOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Post an order from a custom store (idempotent on external_id)",
)
def post_order(request, store_id: int, payload: OrderIn):
    """201 when created; 200 when a re-delivery updated it, changed nothing, or it was not imported (the reason
    says why, and the order is in the ledger of suppressed orders)."""
    store = request.auth
    if store.pk != store_id:
        raise NotFound("No such store")
    result = import_order(store, to_incoming(payload), events.Actor.system(f"custom store {store.name}"))
    body = {
        "outcome": result.outcome,
        "order_id": result.order.pk if result.order else None,
        "status": result.order.status if result.order else None,
        "reason": result.suppressed.reason if result.suppressed else "",
    }
    return Status(201 if result.outcome == Outcome.CREATED else 200, body)
