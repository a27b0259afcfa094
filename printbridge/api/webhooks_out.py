"""A custom store's outbound webhook: where Printbridge posts its orders' status changes (signed)."""

from ninja import Router, Status

from printbridge.api.schemas import ErrorOut, OutboundWebhookIn, OutboundWebhookOut
from printbridge.fulfilment import selectors
from printbridge.fulfilment.models import OutboundWebhook
from printbridge.fulfilment.services.outbound import delete_outbound_webhook, save_outbound_webhook
from printbridge.orders import events

router = Router()
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _actor(request) -> events.Actor:
    return events.Actor.for_user(request.auth.user)


def _webhook(webhook: OutboundWebhook, secret: str | None = None) -> dict:
    return {
        "store_id": webhook.store_id,
        "url": webhook.url,
        "is_active": webhook.is_active,
        "created_at": webhook.created_at,
        "updated_at": webhook.updated_at,
        "secret": secret,
        "deliveries": [
            {
                "id": d.pk,
                "message_id": d.message_id,
                "event": d.event,
                "order_id": d.order_id,
                "state": d.state,
                "attempts": d.attempts,
                "last_status": d.last_status,
                "last_error": d.last_error,
                "next_attempt_at": d.next_attempt_at,
                "created_at": d.created_at,
                "delivered_at": d.delivered_at,
            }
            for d in selectors.recent_deliveries(webhook)
        ],
    }


@router.put(
    "/{int:store_id}/outbound-webhook",
    response={200: OutboundWebhookOut, 201: OutboundWebhookOut, **ERRORS},
    summary="Set a custom store's outbound webhook (201 with its signing secret, shown once, when created)",
)
def put_outbound_webhook(request, store_id: int, payload: OutboundWebhookIn):
    saved = save_outbound_webhook(
        request.auth.account.pk,
        store_id,
        payload.url,
        _actor(request),
        is_active=payload.is_active,
        rotate_secret=payload.rotate_secret,
    )
    return Status(201 if saved.created else 200, _webhook(saved.webhook, saved.secret))


@router.get(
    "/{int:store_id}/outbound-webhook",
    response={200: OutboundWebhookOut, **ERRORS},
    summary="The store's outbound webhook and its latest deliveries (the secret is never shown again)",
)
def get_outbound_webhook(request, store_id: int):
    return _webhook(selectors.outbound_webhook(request.auth.account.pk, store_id))


@router.delete(
    "/{int:store_id}/outbound-webhook",
    response={204: None, **ERRORS},
    summary="Remove the store's outbound webhook (events not yet delivered are dropped)",
)
def delete_webhook(request, store_id: int):
    delete_outbound_webhook(request.auth.account.pk, store_id, _actor(request))
    return Status(204, None)
