"""Writers for accounts, stores, settings and API credentials."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from printbridge.orders import events, rules
from printbridge.orders.errors import InvalidInput, NotFound
from printbridge.orders.models import OrderEvent
from printbridge.stores.models import (
    AGEING_ALERT_MAX_HOURS,
    DELAY_HOURS,
    Account,
    ApiToken,
    Membership,
    Store,
    StoreSettings,
    hash_secret,
    new_secret,
)

Event = OrderEvent.Type
SETTINGS_FIELDS = (
    "import_not_connected",
    "approval_mode",
    "approval_delay_hours",
    "partial_release",
    "notification_recipients",
    "email_mode",
    "ageing_alert_hours",
    "shipment_method_uid",
)
MAX_RECIPIENTS = 20
SHIPMENT_METHOD = re.compile(r"[A-Za-z0-9_-]{0,100}")


@transaction.atomic
def create_account(name: str, owner_email: str, password: str | None = None) -> tuple[Account, Any]:
    """A new account and its owner (the user is created if the e-mail is new)."""
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=owner_email).first()
    if user is None:
        user = user_model.objects.create_user(username=owner_email, email=owner_email, password=password)
    account = Account.objects.create(name=name)
    Membership.objects.create(user=user, account=account, role=Membership.Role.OWNER)
    return account, user


@dataclass(frozen=True)
class NewStore:
    store: Store
    api_key: str = ""


@transaction.atomic
def create_store(account: Account, name: str, platform: str, actor: events.Actor) -> NewStore:
    """A store with default settings; a custom store also gets its intake API key (shown once)."""
    if platform not in Store.Platform.values:
        raise InvalidInput(f"Unknown platform {platform!r}", field="platform")
    store = Store.objects.create(account=account, name=name, platform=platform)
    StoreSettings.objects.create(store=store)
    raw = _set_api_key(store) if platform == Store.Platform.CUSTOM else ""
    events.record(Event.STORE_CREATED, f"Store {name} created", actor, store=store, platform=platform)
    return NewStore(store, raw)


def _set_api_key(store: Store) -> str:
    raw, prefix = new_secret("s")
    store.api_key_prefix, store.api_key_hash = prefix, hash_secret(raw)
    store.save(update_fields=["api_key_prefix", "api_key_hash"])
    return raw


@transaction.atomic
def rotate_store_key(account_id: int, store_id: int, actor: events.Actor) -> NewStore:
    store = Store.objects.select_for_update().filter(pk=store_id, account_id=account_id).first()
    if store is None:
        raise NotFound("No such store")
    if store.platform != Store.Platform.CUSTOM:
        raise InvalidInput("Only custom stores have an intake API key", field="store")
    raw = _set_api_key(store)
    events.record(
        Event.STORE_KEY_ROTATED, "Intake API key replaced; the old key stops working now", actor, store=store
    )
    return NewStore(store, raw)


@transaction.atomic
def update_settings(
    account_id: int, store_id: int, changes: dict[str, Any], actor: events.Actor
) -> StoreSettings:
    """Apply the given settings; invalid values or combinations raise InvalidInput and change nothing."""
    settings = (
        StoreSettings.objects.select_for_update(of=("self",))
        .filter(store_id=store_id, store__account_id=account_id)
        .first()
    )
    if settings is None:
        raise NotFound("No such store")
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown settings: {', '.join(sorted(unknown))}")
    before = {name: getattr(settings, name) for name in changes}
    for name, value in changes.items():
        setattr(settings, name, value)
    _validate(settings)
    settings.save()
    diff = {name: [before[name], value] for name, value in changes.items() if before[name] != value}
    if diff:
        events.record(
            Event.SETTINGS_CHANGED,
            f"Settings changed: {', '.join(diff)}",
            actor,
            store=settings.store,
            changes=diff,
        )
    return settings


def _validate(settings: StoreSettings) -> None:
    if settings.approval_mode not in StoreSettings.ApprovalMode.values:
        raise InvalidInput("Unknown approval mode", field="approval_mode")
    if settings.approval_delay_hours not in DELAY_HOURS:
        raise InvalidInput(
            f"The approval delay must be one of {DELAY_HOURS} hours", field="approval_delay_hours"
        )
    if settings.partial_release not in StoreSettings.PartialRelease.values:
        raise InvalidInput("Unknown partial-release policy", field="partial_release")
    if not isinstance(settings.shipment_method_uid, str) or not SHIPMENT_METHOD.fullmatch(
        settings.shipment_method_uid
    ):
        raise InvalidInput(
            "The shipment method is letters, digits, '-' and '_' only (up to 100)",
            field="shipment_method_uid",
        )
    _validate_notifications(settings)
    policy = rules.StorePolicy(
        settings.import_not_connected,
        rules.ApprovalMode(settings.approval_mode),
        settings.approval_delay_hours,
        rules.PartialRelease(settings.partial_release),
    )
    error = rules.policy_error(policy)
    if error:
        raise InvalidInput(error, field="partial_release")


def _validate_notifications(settings: StoreSettings) -> None:
    recipients = settings.notification_recipients
    if not isinstance(recipients, list) or not all(_is_email(r) for r in recipients):
        raise InvalidInput(
            "Notification recipients must be a list of e-mail addresses", field="notification_recipients"
        )
    if len(recipients) > MAX_RECIPIENTS:
        raise InvalidInput(
            f"At most {MAX_RECIPIENTS} notification recipients", field="notification_recipients"
        )
    if settings.email_mode not in StoreSettings.EmailMode.values:
        raise InvalidInput("Unknown e-mail mode", field="email_mode")
    hours = settings.ageing_alert_hours
    if hours is not None and (
        isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= AGEING_ALERT_MAX_HOURS
    ):
        raise InvalidInput(
            f"The ageing alert is 1 to {AGEING_ALERT_MAX_HOURS} hours, or blank for none",
            field="ageing_alert_hours",
        )


def _is_email(value: object) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return isinstance(value, str)


def issue_api_token(user, account: Account, name: str) -> tuple[ApiToken, str]:
    """A personal token for scripts, acting as the user in the account. The raw token is returned once."""
    if not Membership.objects.filter(user=user, account=account).exists():
        raise NotFound("No such account")
    raw, prefix = new_secret("t")
    token = ApiToken.objects.create(
        user=user, account=account, name=name, prefix=prefix, token_hash=hash_secret(raw)
    )
    return token, raw
