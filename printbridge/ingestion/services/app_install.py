"""The BigCommerce single-click app's lifecycle: install (code exchange), load, uninstall and remove_user.

The tenant comes from the verified JWT's `sub` and nothing else: a callback is refused (AppRefused) unless that
store was installed through the app and is not uninstalled. Uninstalling disables the store and keeps its data.
Webhooks are not registered here; the connect service does that.

Audit event types written here are not yet members of OrderEvent.Type (that needs a migration of the orders
app): STORE_INSTALLED, STORE_UNINSTALLED, MEMBER_ADDED, MEMBER_REMOVED below are the values to add there.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from printbridge.ingestion.services.stores import register_hooks
from printbridge.integrations.bigcommerce import app_auth
from printbridge.integrations.bigcommerce.app_auth import LoadClaims, TokenGrant
from printbridge.integrations.errors import PermanentError
from printbridge.orders import events
from printbridge.orders.models import OrderEvent
from printbridge.stores import crypto
from printbridge.stores.models import Account, BigCommerceConnection, Membership, Store
from printbridge.stores.services import create_account, create_store

logger = logging.getLogger("printbridge.bigcommerce_app")
STORE_INSTALLED = OrderEvent.Type.STORE_INSTALLED
STORE_UNINSTALLED = OrderEvent.Type.STORE_UNINSTALLED
MEMBER_ADDED = OrderEvent.Type.MEMBER_ADDED
MEMBER_REMOVED = OrderEvent.Type.MEMBER_REMOVED


class AppRefused(Exception):
    """The callback is not allowed (unknown or uninstalled store, replayed token, refused code, …)."""


@dataclass(frozen=True)
class Entry:
    """Who to log in, and into which account."""

    user: Any
    account: Account


def redirect_uri() -> str:
    return settings.PRINTBRIDGE_BASE_URL + reverse("bigcommerce-app-auth")


def api_base_url(store_hash: str) -> str:
    return f"{settings.BIGCOMMERCE_API_URL.rstrip('/')}/stores/{store_hash}"


# --- install ----------------------------------------------------------------------------------------------


def install_app(code: str, scope: str, context: str) -> Entry:
    """Exchange the code for the store's token; save the store (created, or re-activated) and its owner.
    A RetryableError from BigCommerce propagates: the merchant can simply try again."""
    if not code or app_auth.store_hash_of(context) is None:
        raise AppRefused("missing code or a context that is not stores/{hash}")
    if not settings.BIGCOMMERCE_CLIENT_ID or not settings.BIGCOMMERCE_CLIENT_SECRET:
        raise AppRefused("the app's client id or secret is not configured")
    try:
        grant = app_auth.exchange_code(
            settings.BIGCOMMERCE_LOGIN_URL,
            settings.BIGCOMMERCE_CLIENT_ID,
            settings.BIGCOMMERCE_CLIENT_SECRET,
            code,
            scope,
            context,
            redirect_uri(),
        )
    except PermanentError as exc:
        raise AppRefused(f"code exchange refused: {exc}") from None
    missing = app_auth.missing_scopes(grant.scope)
    if missing:
        raise AppRefused(f"scopes not granted: {', '.join(missing)}")
    entry = _save_install(grant)
    register_hooks(BigCommerceConnection.objects.get(store_hash=grant.store_hash))
    return entry


@transaction.atomic
def _save_install(grant: TokenGrant) -> Entry:
    existing = (
        BigCommerceConnection.objects.select_for_update()
        .select_related("store__account")
        .filter(store_hash=grant.store_hash)
        .first()
    )
    if existing is not None:
        return _reinstall(existing, grant)
    name = f"BigCommerce store {grant.store_hash}"
    account, owner = create_account(name, grant.owner_email)
    _require_active(owner)
    actor = events.Actor.for_user(owner)
    store = create_store(account, name, Store.Platform.BIGCOMMERCE, actor).store
    BigCommerceConnection.objects.create(
        store=store,
        store_hash=grant.store_hash,
        api_base_url=api_base_url(grant.store_hash),
        access_token_encrypted=crypto.encrypt(grant.access_token),
        webhook_secret_encrypted=crypto.encrypt(secrets.token_urlsafe(32)),
        public_id=secrets.token_urlsafe(16),
        installed_via=BigCommerceConnection.InstalledVia.APP,
    )
    message = f"BigCommerce app installed on store {grant.store_hash}"
    events.record(
        STORE_INSTALLED, message, actor, store=store, store_hash=grant.store_hash, scope=grant.scope
    )
    return Entry(_join(store, grant.user_id, grant.user_email, grant.owner_id), account)


def _reinstall(connection: BigCommerceConnection, grant: TokenGrant) -> Entry:
    """The store is known: it is re-installed only when its BigCommerce owner is a member of its account;
    the token is replaced, the webhook secret and public id are kept."""
    account = connection.store.account
    owner = _find_user(grant.owner_email)
    if owner is None or not Membership.objects.filter(user=owner, account=account).exists():
        raise AppRefused(f"store {grant.store_hash} belongs to an account its BigCommerce owner is not in")
    _require_active(owner)
    BigCommerceConnection.objects.filter(pk=connection.pk).update(
        access_token_encrypted=crypto.encrypt(grant.access_token),
        api_base_url=api_base_url(grant.store_hash),
        installed_via=BigCommerceConnection.InstalledVia.APP,
        uninstalled_at=None,
    )
    Store.objects.filter(pk=connection.store_id).update(is_active=True)
    message = f"BigCommerce app re-installed on store {grant.store_hash}; the store is active again"
    actor = events.Actor.for_user(owner)
    events.record(
        STORE_INSTALLED,
        message,
        actor,
        store=connection.store,
        store_hash=grant.store_hash,
        scope=grant.scope,
    )
    return Entry(_join(connection.store, grant.user_id, grant.user_email, grant.owner_id), account)


# --- callbacks with a signed JWT --------------------------------------------------------------------------


def enter_from_load(claims: LoadClaims) -> Entry:
    """The BigCommerce user opening the app, as a member of the store's account."""
    with transaction.atomic():
        connection = _installed(claims)
        user = _join(connection.store, claims.user_id, claims.user_email, claims.owner_id)
    return Entry(user, connection.store.account)


@transaction.atomic
def uninstall_app(claims: LoadClaims) -> None:
    """Disable the store and mark it uninstalled; its orders, settings and history stay."""
    connection = _installed(claims)
    BigCommerceConnection.objects.filter(pk=connection.pk).update(uninstalled_at=timezone.now())
    Store.objects.filter(pk=connection.store_id).update(is_active=False)
    message = (
        f"BigCommerce app uninstalled from store {claims.store_hash}; the store is disabled, its data kept"
    )
    events.record(STORE_UNINSTALLED, message, _via_bigcommerce(claims.user_email), store=connection.store)


@transaction.atomic
def remove_user(claims: LoadClaims) -> bool:
    """Remove the user's membership of the store's account; never the last owner. True when removed."""
    connection = _installed(claims)
    account_id = connection.store.account_id
    user = _find_user(claims.user_email)
    memberships = Membership.objects.select_for_update().filter(account_id=account_id)
    membership = memberships.filter(user=user).first() if user else None
    if membership is None:
        return False
    owners = memberships.filter(role=Membership.Role.OWNER).exclude(pk=membership.pk)
    if membership.role == Membership.Role.OWNER and not owners.exists():
        logger.warning("remove_user for store %s: the last owner is kept", connection.store_id)
        return False
    membership.delete()
    message = f"{claims.user_email} removed (their BigCommerce access to the app was removed)"
    events.record(MEMBER_REMOVED, message, _via_bigcommerce(claims.user_email), store=connection.store)
    return True


def _installed(claims: LoadClaims) -> BigCommerceConnection:
    """The app-installed, not uninstalled connection named by `sub`; the token's jti is used up here."""
    connection = (
        BigCommerceConnection.objects.select_for_update()
        .select_related("store")
        .filter(store_hash=claims.store_hash, installed_via=BigCommerceConnection.InstalledVia.APP)
        .first()
    )
    if connection is None or connection.uninstalled_at is not None or not connection.store.is_active:
        raise AppRefused(f"store {claims.store_hash} is not installed")
    _use_jti(claims)
    return connection


def _use_jti(claims: LoadClaims) -> None:
    """A token opens one request: a replayed jti is refused until the token expires anyway.
    The cache is per process unless CACHES names a shared one."""
    key = "bigcommerce-jti:" + hashlib.sha256(claims.jti.encode()).hexdigest()
    ttl = max(1, int(claims.expires_at - time.time()) + app_auth.LEEWAY_SECONDS)
    if not cache.add(key, 1, timeout=ttl):
        raise AppRefused("this signed payload was already used")


def _join(store: Store, user_id: int, email: str, owner_id: int) -> Any:
    """The BigCommerce user (found or created by e-mail), made a member of the store's account if they are
    not one yet: an owner when BigCommerce says they own the store."""
    user = _find_user(email) or _create_user(email)
    _require_active(user)
    role = Membership.Role.OWNER if user_id == owner_id else Membership.Role.MEMBER
    _, created = Membership.objects.get_or_create(user=user, account=store.account, defaults={"role": role})
    if created:
        message = f"{email} added as {role.label.lower()} through BigCommerce"
        events.record(MEMBER_ADDED, message, _via_bigcommerce(email), store=store, role=role.value)
    return user


def _find_user(email: str) -> Any:
    return get_user_model().objects.filter(email__iexact=email).order_by("pk").first()


def _create_user(email: str) -> Any:
    return get_user_model().objects.create_user(username=email, email=email, password=None)


def _require_active(user: Any) -> None:
    if not user.is_active:
        raise AppRefused("the user is disabled")


def _via_bigcommerce(email: str) -> events.Actor:
    return events.Actor(label=f"{email} (BigCommerce)")
