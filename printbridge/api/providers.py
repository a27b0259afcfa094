from ninja import Router

from printbridge.api.schemas import ErrorOut, GelatoAccountOut, GelatoKeyIn
from printbridge.fulfilment.services.accounts import set_gelato_key, webhook_url
from printbridge.orders import events

router = Router()
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.put(
    "/gelato",
    response={200: GelatoAccountOut, **ERRORS},
    summary="Set the account's Gelato API key (checked against Gelato, stored encrypted)",
)
def put_gelato(request, payload: GelatoKeyIn):
    saved = set_gelato_key(request.auth.account, payload.api_key, events.Actor.for_user(request.auth.user))
    return {
        "provider": saved.provider,
        "order_base_url": saved.order_base_url,
        "webhook_url": webhook_url(saved),
    }
