"""The single-click app flow: install codes, POST /oauth2/token, and signed /load JWTs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass

TOKEN_TTL_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Grant:
    code: str
    store_hash: str
    client_id: str
    scope: str


class Apps:
    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}
        self._grants: dict[str, Grant] = {}
        self._lock = threading.Lock()

    def register(self, client_id: str, client_secret: str) -> None:
        with self._lock:
            self._secrets[client_id] = client_secret

    def install(self, store, client_id: str, scope: str) -> dict:
        """What BigCommerce sends to the app's /auth callback when a merchant installs it."""
        with self._lock:
            if client_id not in self._secrets:
                raise KeyError(client_id)
            grant = Grant(secrets.token_hex(12), store.store_hash, client_id, scope)
            self._grants[grant.code] = grant
        return {
            "code": grant.code,
            "scope": scope,
            "context": f"stores/{store.store_hash}",
            "account_uuid": store.account_uuid,
        }

    def exchange(self, form: dict, stores: dict) -> tuple[int, dict]:
        """POST /oauth2/token with the authorization_code grant; a code works once."""
        client_id, secret = str(form.get("client_id", "")), str(form.get("client_secret", ""))
        with self._lock:
            known = self._secrets.get(client_id)
            if known is None or not hmac.compare_digest(known.encode(), secret.encode()):
                return 401, {"error": "Invalid client id or secret."}
            grant = self._grants.get(str(form.get("code", "")))
            if grant is None or not _grant_matches(grant, form):
                return 400, {"error": "Invalid authorization code, context, scope or redirect_uri."}
            del self._grants[grant.code]
        store = stores[grant.store_hash]
        token = secrets.token_hex(16)
        with store.lock:
            store.tokens[token] = client_id
        return 200, _token_body(store, grant, token)

    def load_jwt(self, store, client_id: str, user_id: int = 1) -> str:
        """A `signed_payload_jwt` for the app's /load callback (HS256 with the client secret)."""
        with self._lock:
            secret = self._secrets[client_id]
        now = int(time.time())
        claims = {
            "aud": client_id,
            "iss": "bc",
            "iat": now,
            "nbf": now,
            "exp": now + TOKEN_TTL_SECONDS,
            "jti": str(uuid.uuid4()),
            "sub": f"stores/{store.store_hash}",
            "user": {"id": user_id, "email": f"user{user_id}@example.com", "locale": "en-US"},
            "owner": {"id": 1, "email": "user1@example.com"},
            "url": "/",
            "channel_id": None,
        }
        return encode_hs256(claims, secret)


def _grant_matches(grant: Grant, form: dict) -> bool:
    return (
        form.get("grant_type") == "authorization_code"
        and form.get("client_id") == grant.client_id
        and form.get("context") == f"stores/{grant.store_hash}"
        and form.get("scope") == grant.scope
        and bool(form.get("redirect_uri"))
    )


def _token_body(store, grant: Grant, token: str) -> dict:
    person = {"id": 1, "username": "owner", "email": "user1@example.com"}
    return {
        "access_token": token,
        "scope": grant.scope,
        "user": person,
        "owner": person,
        "context": f"stores/{store.store_hash}",
        "account_uuid": store.account_uuid,
    }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def encode_hs256(claims: dict, secret: str) -> str:
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(signature)}"
