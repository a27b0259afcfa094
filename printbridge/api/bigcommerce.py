from ninja import Router, Status

from printbridge.api import present
from printbridge.api.schemas import (
    BackfillIn,
    BigCommerceConnectedOut,
    BigCommerceConnectIn,
    BigCommerceSettingsIn,
    BigCommerceSettingsOut,
    ErrorOut,
    TaskQueuedOut,
)
from printbridge.ingestion.services.stores import connect_bigcommerce, update_bigcommerce_settings
from printbridge.jobs.tasks import backfill_task
from printbridge.orders import events, selectors
from printbridge.orders.errors import InvalidInput

router = Router()
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post(
    "/bigcommerce",
    response={201: BigCommerceConnectedOut, **ERRORS},
    summary="Connect a BigCommerce store (store-level API account); validates with GET /v2/store",
)
def connect(request, payload: BigCommerceConnectIn):
    actor = events.Actor.for_user(request.auth.user)
    result = connect_bigcommerce(request.auth.account, payload.store_hash, payload.access_token, actor)
    c = result.connection
    body = {
        "store": present.store(selectors.store_for(request.auth.account.pk, c.store_id)),
        "store_hash": c.store_hash,
        "currency": c.currency,
        "hooks_registered": result.hooks_registered,
        "hook_error": result.hook_error,
    }
    return Status(201, body)


@router.post(
    "/{int:store_id}/backfill",
    response={202: TaskQueuedOut, **ERRORS},
    summary="Import the store's orders modified since a date (runs in the worker)",
)
def start_backfill(request, store_id: int, payload: BackfillIn):
    store = selectors.store_for(request.auth.account.pk, store_id)
    if store.platform != store.Platform.BIGCOMMERCE:
        raise InvalidInput("Only BigCommerce stores can be backfilled", field="store_id")
    result = backfill_task.enqueue(store.pk, payload.since.isoformat())
    return Status(
        202, {"task_id": str(result.id), "detail": f"Backfill since {payload.since:%Y-%m-%d} queued"}
    )


def _bigcommerce_settings(c) -> dict:
    return {
        "store_hash": c.store_hash,
        "paid_status_ids": c.paid_status_ids,
        "reconcile_every_minutes": c.reconcile_every_minutes,
        "watermark": c.watermark,
        "last_sync_at": c.last_sync_at,
        "last_error": c.last_error,
        "alert": c.alert,
    }


@router.patch(
    "/{int:store_id}/bigcommerce",
    response={200: BigCommerceSettingsOut, **ERRORS},
    summary="Which BigCommerce statuses import (default 11 and 9) and the reconciliation interval",
)
def patch_bigcommerce(request, store_id: int, payload: BigCommerceSettingsIn):
    connection = update_bigcommerce_settings(
        request.auth.account.pk,
        store_id,
        events.Actor.for_user(request.auth.user),
        payload.paid_status_ids,
        payload.reconcile_every_minutes,
    )
    return _bigcommerce_settings(connection)
