"""Who is calling: a logged-in user (session + CSRF), a personal API token, or a custom store's intake key."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.utils import timezone
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from printbridge.stores.models import Account, ApiToken, Membership, Store, hash_secret


@dataclass(frozen=True)
class Principal:
    user: object
    account: Account


def _parse(raw: str, kind: str) -> str | None:
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != f"pb{kind}":
        return None
    return parts[1]


def current_account(request) -> Account | None:
    """The account chosen in the session, else the user's first membership."""
    memberships = Membership.objects.filter(user=request.user).select_related("account").order_by("pk")
    chosen = request.session.get("account_id")
    membership = memberships.filter(account_id=chosen).first() if chosen else None
    membership = membership or memberships.first()
    return membership.account if membership else None


class UserSession(SessionAuth):
    """Session cookie from the web app; unsafe methods need the CSRF token."""

    def _get_key(self, request):
        # Without a session cookie there is no session to protect: answer 401, not a CSRF 403.
        if not request.COOKIES.get(self.param_name):
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        account = current_account(request) if user else None
        return Principal(user, account) if account else None


class UserToken(HttpBearer):
    """`Authorization: Bearer pbt_…`: a personal token acting as its user in one account."""

    def authenticate(self, request, token):
        prefix = _parse(token, "t")
        if prefix is None:
            return None
        for candidate in ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True).select_related(
            "user", "account"
        ):
            if hmac.compare_digest(candidate.token_hash, hash_secret(token)) and candidate.user.is_active:
                ApiToken.objects.filter(pk=candidate.pk).update(last_used_at=timezone.now())
                request.user = candidate.user
                return Principal(candidate.user, candidate.account)
        return None


class StoreKey(APIKeyHeader):
    """`X-Store-Key: pbs_…`: a custom store's intake key; it authenticates that one store only."""

    param_name = "X-Store-Key"

    def authenticate(self, request, key):
        prefix = _parse(key or "", "s")
        if prefix is None:
            return None
        for store in Store.objects.filter(api_key_prefix=prefix, is_active=True).select_related("settings"):
            if store.check_api_key(key):
                return store
        return None


user_auth = [UserToken(), UserSession()]
