from ninja import Router, Status

from printbridge.api import present
from printbridge.api.schemas import (
    BlockingVariantOut,
    ErrorOut,
    NewStoreOut,
    SettingsOut,
    SettingsPatch,
    StoreIn,
    StoreOut,
)
from printbridge.orders import events, selectors
from printbridge.stores import services

router = Router()
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _actor(request) -> events.Actor:
    return events.Actor.for_user(request.auth.user)


@router.get("", response={200: list[StoreOut], **ERRORS}, summary="List the account's stores")
def list_stores(request):
    return [present.store(s) for s in selectors.stores(request.auth.account.pk)]


@router.post("", response={201: NewStoreOut, **ERRORS}, summary="Create a custom store and its intake key")
def create_store(request, payload: StoreIn):
    new = services.create_store(request.auth.account, payload.name, payload.platform, _actor(request))
    return Status(201, {"store": present.store(new.store), "api_key": new.api_key})


@router.get("/{int:store_id}", response={200: StoreOut, **ERRORS}, summary="One store with its settings")
def get_store(request, store_id: int):
    return present.store(selectors.store_for(request.auth.account.pk, store_id))


@router.post(
    "/{int:store_id}/rotate-key", response={200: NewStoreOut, **ERRORS}, summary="Replace the intake key"
)
def rotate_key(request, store_id: int):
    new = services.rotate_store_key(request.auth.account.pk, store_id, _actor(request))
    return {"store": present.store(new.store), "api_key": new.api_key}


@router.get("/{int:store_id}/settings", response={200: SettingsOut, **ERRORS}, summary="The store's settings")
def get_settings(request, store_id: int):
    return present.store_settings(selectors.store_for(request.auth.account.pk, store_id).settings)


@router.patch(
    "/{int:store_id}/settings", response={200: SettingsOut, **ERRORS}, summary="Change the store's settings"
)
def patch_settings(request, store_id: int, payload: SettingsPatch):
    changes = {  # null means "no change", except for the ageing alert, where it turns the alert off
        name: value
        for name, value in payload.model_dump(exclude_unset=True).items()
        if value is not None or name == "ageing_alert_hours"
    }
    if "notification_recipients" in changes:
        changes["notification_recipients"] = [str(e) for e in changes["notification_recipients"]]
    settings = services.update_settings(request.auth.account.pk, store_id, changes, _actor(request))
    return present.store_settings(settings)


@router.get(
    "/{int:store_id}/blocking-variants",
    response={200: list[BlockingVariantOut], **ERRORS},
    summary="Not-connected variants and how many waiting orders each blocks",
)
def blocking_variants(request, store_id: int):
    store = selectors.store_for(request.auth.account.pk, store_id)
    return selectors.blocking_variants(request.auth.account.pk, store.pk)
