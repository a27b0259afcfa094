"""BigCommerce single-click app authentication: the signed JWT of the callbacks and the OAuth code exchange.

No Django here. `verify_signed_payload` applies the strict checks of ../shared/reference/bigcommerce.md §2.2:
HS256 only (never `alg:none`, HS512 or an RS/HS confusion), every registered claim required, `aud` equal to our
client id, `iss == "bc"`, `exp`/`nbf`/`iat` checked against the caller's clock with at most 10 s of leeway, and
`sub` of the form `stores/{hash}`. The legacy dotted `signed_payload` is refused. Whether the store is installed
is the caller's question. `exchange_code` raises only `integrations.errors`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from printbridge.integrations.errors import PermanentError, RateLimited, RetryableError

ISSUER = "bc"
ALGORITHMS = ["HS256"]
LEEWAY_SECONDS = 10
REQUIRED_CLAIMS = ["exp", "nbf", "iat", "aud", "iss", "sub", "jti"]
MAX_TOKEN_LENGTH = 8 * 1024
DEFAULT_TIMEOUT = httpx.Timeout(10, connect=3)
_STORE_SUBJECT = re.compile(r"stores/([A-Za-z0-9]{1,64})")
# What the sync needs: each group is satisfied by any one of its scopes (read-only or read-write).
REQUIRED_SCOPES = (
    ("store_v2_orders", "store_v2_orders_read_only"),
    ("store_v2_products", "store_v2_products_read_only"),
    ("store_v2_information", "store_v2_information_read_only"),
)


class InvalidSignedPayload(Exception):
    """The callback's JWT is not one BigCommerce signed for this app, now. The message never holds the token."""


@dataclass(frozen=True)
class LoadClaims:
    store_hash: str
    user_id: int
    user_email: str
    owner_id: int
    owner_email: str
    url: str
    channel_id: int | None
    jti: str
    expires_at: int


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    scope: str
    store_hash: str
    user_id: int
    user_email: str
    owner_id: int
    owner_email: str
    account_uuid: str

    def __repr__(self) -> str:
        return f"TokenGrant(store_hash={self.store_hash!r}, scope={self.scope!r}, access_token=<hidden>)"


def store_hash_of(context: object) -> str | None:
    """`stores/{hash}` → hash; anything else → None."""
    match = _STORE_SUBJECT.fullmatch(context) if isinstance(context, str) else None
    return match.group(1) if match else None


def missing_scopes(scope: str) -> list[str]:
    """The read-only name of each required scope group that `scope` (space-separated) does not grant."""
    granted = set(scope.split())
    return [group[-1] for group in REQUIRED_SCOPES if granted.isdisjoint(group)]


def verify_signed_payload(token: str, client_id: str, client_secret: str, now: float) -> LoadClaims:
    if not client_id or not client_secret:
        raise InvalidSignedPayload("the app's client id or secret is not configured")
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidSignedPayload("missing or oversized signed_payload_jwt")
    if token.count(".") != 2:
        raise InvalidSignedPayload("not a JWT (the legacy signed_payload is not accepted)")
    claims = _decode(token, client_id, client_secret)
    _check_times(claims, now)
    return _load_claims(claims)


def _decode(token: str, client_id: str, client_secret: str) -> dict[str, Any]:
    options: Any = {
        "require": REQUIRED_CLAIMS,
        "strict_aud": True,
        # Times are checked by _check_times against the caller's clock.
        "verify_exp": False,
        "verify_nbf": False,
        "verify_iat": False,
    }
    try:
        return jwt.decode(
            token, client_secret, algorithms=ALGORITHMS, audience=client_id, issuer=ISSUER, options=options
        )
    except jwt.PyJWTError as exc:
        raise InvalidSignedPayload(f"{type(exc).__name__}: {exc}") from None


def _check_times(claims: dict[str, Any], now: float) -> None:
    exp, nbf, iat = (_timestamp(claims, name) for name in ("exp", "nbf", "iat"))
    if exp <= now - LEEWAY_SECONDS:
        raise InvalidSignedPayload("expired (exp)")
    if nbf > now + LEEWAY_SECONDS:
        raise InvalidSignedPayload("not valid yet (nbf)")
    if iat > now + LEEWAY_SECONDS:
        raise InvalidSignedPayload("issued in the future (iat)")


def _timestamp(claims: dict[str, Any], name: str) -> float:
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidSignedPayload(f"claim {name} is not a number")
    return float(value)


def _load_claims(claims: dict[str, Any]) -> LoadClaims:
    store_hash = store_hash_of(claims["sub"])
    if store_hash is None:
        raise InvalidSignedPayload("sub is not stores/{hash}")
    user_id, user_email = _person(claims.get("user"), "user")
    owner_id, owner_email = _person(claims.get("owner"), "owner")
    channel_id = claims.get("channel_id")
    if channel_id is not None and (isinstance(channel_id, bool) or not isinstance(channel_id, int)):
        raise InvalidSignedPayload("channel_id is not an integer")
    url = claims.get("url") or "/"
    if not isinstance(url, str) or not isinstance(claims["jti"], str):
        raise InvalidSignedPayload("url or jti is not a string")
    return LoadClaims(
        store_hash,
        user_id,
        user_email,
        owner_id,
        owner_email,
        url,
        channel_id,
        claims["jti"],
        int(claims["exp"]),
    )


def _person(value: object, name: str) -> tuple[int, str]:
    if not isinstance(value, dict):
        raise InvalidSignedPayload(f"claim {name} is missing")
    person_id, email = value.get("id"), value.get("email")
    if isinstance(person_id, bool) or not isinstance(person_id, int):
        raise InvalidSignedPayload(f"{name}.id is not an integer")
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        raise InvalidSignedPayload(f"{name}.email is not an e-mail address")
    return person_id, email.strip()


# --- OAuth code exchange ------------------------------------------------------------------------------------


def exchange_code(
    login_url: str,
    client_id: str,
    client_secret: str,
    code: str,
    scope: str,
    context: str,
    redirect_uri: str,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
) -> TokenGrant:
    """POST {login_url}/oauth2/token (form-encoded) and return the store's permanent token."""
    if store_hash_of(context) is None:
        raise PermanentError(None, "context is not stores/{hash}", request="POST /oauth2/token")
    form = {
        "client_id": client_id,
        "client_secret": client_secret,
        "code": code,
        "context": context,
        "scope": scope,
        "grant_type": "authorization_code",
        "redirect_uri": redirect_uri,
    }
    request = "POST /oauth2/token"
    try:
        response = httpx.post(
            f"{login_url.rstrip('/')}/oauth2/token",
            data=form,
            headers={"Accept": "application/json"},
            timeout=timeout,
        )
    except httpx.TimeoutException as exc:
        raise RetryableError(f"timed out ({type(exc).__name__})", request=request) from None
    except (httpx.NetworkError, httpx.ProtocolError, httpx.ProxyError) as exc:
        raise RetryableError(type(exc).__name__, request=request) from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise PermanentError(None, type(exc).__name__, request=request) from None
    _raise_for_status(request, response)
    return _grant(request, response, context)


def _raise_for_status(request: str, response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    message = _error_text(response)
    if status == 429:
        raise RateLimited(_reset_seconds(response), message, request=request)
    if status in (408, 425) or status >= 500:
        raise RetryableError(message, status, request=request)
    raise PermanentError(status, message, request=request)


def _error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase or "error"
    if isinstance(body, dict):
        for key in ("error_description", "error", "title", "message"):
            if isinstance(body.get(key), str):
                return body[key][:200]
    return response.reason_phrase or "error"


def _reset_seconds(response: httpx.Response) -> float:
    try:
        return max(0.0, int(response.headers.get("X-Rate-Limit-Time-Reset-Ms", "")) / 1000)
    except ValueError:
        return 3.0


def _grant(request: str, response: httpx.Response, context: str) -> TokenGrant:
    try:
        body = response.json()
    except ValueError:
        raise PermanentError(None, "the token response is not JSON", request=request) from None
    if not isinstance(body, dict):
        raise PermanentError(None, "the token response is not an object", request=request)
    token, scope = body.get("access_token"), body.get("scope")
    if not isinstance(token, str) or not token or not isinstance(scope, str):
        raise PermanentError(None, "the token response has no access_token or scope", request=request)
    if body.get("context") != context:
        raise PermanentError(None, "the token response is for another store", request=request)
    try:
        user, owner = _person(body.get("user"), "user"), _person(body.get("owner"), "owner")
    except InvalidSignedPayload as exc:
        raise PermanentError(None, f"the token response: {exc}", request=request) from None
    store_hash = store_hash_of(context) or ""
    account_uuid = body.get("account_uuid")
    uuid = account_uuid if isinstance(account_uuid, str) else ""
    return TokenGrant(token, scope, store_hash, user[0], user[1], owner[0], owner[1], uuid)
