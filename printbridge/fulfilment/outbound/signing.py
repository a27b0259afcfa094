"""Standard Webhooks (https://www.standardwebhooks.com/) signing, pure Python.

The secret is `whsec_` + base64 of 32 random bytes; the HMAC-SHA256 key is those bytes. The signed content is
`{webhook-id}.{webhook-timestamp}.{body}`, and `webhook-signature` is `v1,` + base64 of the digest (several
space-separated signatures are allowed, for rotation)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"
TOLERANCE_SECONDS = 300


class InvalidSignature(Exception):
    """The headers are missing, stale, or no signature matches."""


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
    }


def verify(secret: str, received: dict[str, str], body: bytes, now: int) -> None:
    """What a receiver does (used by the tests; the docs show the same in a few lines)."""
    lowered = {k.lower(): v for k, v in received.items()}
    try:
        message_id, timestamp = lowered["webhook-id"], int(lowered["webhook-timestamp"])
        signatures = lowered["webhook-signature"].split()
    except (KeyError, ValueError):
        raise InvalidSignature("missing or malformed webhook headers") from None
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise InvalidSignature("the timestamp is too old or too new")
    expected = sign(secret, message_id, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise InvalidSignature("no signature matches")
