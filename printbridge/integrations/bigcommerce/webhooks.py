"""BigCommerce webhook callbacks: strict parsing and the Standard Webhooks signature. No Django, no orders."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass

ORDER_SCOPES = frozenset(
    {"store/order/created", "store/order/updated", "store/order/statusUpdated", "store/order/archived"}
)
CATALOG_SCOPES = frozenset(
    {"store/product/updated", "store/product/deleted", "store/sku/updated", "store/sku/deleted"}
)
SUBSCRIBED_SCOPES = ORDER_SCOPES | CATALOG_SCOPES
MAX_ID = 2**63 - 1
SIGNATURE_TOLERANCE_SECONDS = 300


class InvalidWebhook(ValueError):
    """The body is not a well-formed BigCommerce callback."""


@dataclass(frozen=True)
class WebhookEvent:
    scope: str
    store_id: str
    producer: str
    resource_type: str
    resource_id: int
    hash: str
    data: dict

    @property
    def subscribed(self) -> bool:
        return self.scope in SUBSCRIBED_SCOPES

    @property
    def is_order(self) -> bool:
        return self.scope in ORDER_SCOPES


def _dict(value: object, name: str) -> dict:
    if not isinstance(value, dict):
        raise InvalidWebhook(f"{name} must be an object")
    return value


def _str(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise InvalidWebhook(f"{name} must be a string")
    return value


def _id(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidWebhook("data.id must be an integer")
    if not 0 < value <= MAX_ID:
        raise InvalidWebhook("data.id must be a positive 64-bit integer")
    return value


def parse_webhook(raw: bytes) -> WebhookEvent:
    """The callback, or InvalidWebhook naming what is wrong."""
    try:
        body = _dict(json.loads(raw), "the body")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidWebhook(f"body is not JSON: {exc}") from None
    data = _dict(body.get("data"), "data")
    return WebhookEvent(
        scope=_str(body.get("scope"), "scope"),
        store_id=str(body.get("store_id", "")),
        producer=_str(body.get("producer"), "producer"),
        resource_type=str(data.get("type", "")),
        resource_id=_id(data.get("id")),
        hash=_str(body.get("hash"), "hash"),
        data=data,
    )


def signature_headers_present(headers: dict[str, str]) -> bool:
    return all(headers.get(h) for h in ("webhook-id", "webhook-timestamp", "webhook-signature"))


def verify_standard_signature(secret: str, headers: dict[str, str], raw: bytes, now: float) -> bool:
    """Standard Webhooks: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">, keyed by base64(secret)."""
    try:
        timestamp = int(headers["webhook-timestamp"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        return False
    key = base64.b64encode(secret.encode())
    signed = f"{headers['webhook-id']}.{timestamp}.".encode() + raw
    expected = base64.b64encode(hmac.new(base64.b64decode(key), signed, hashlib.sha256).digest()).decode()
    candidates = [
        part.split(",", 1)[1] for part in headers["webhook-signature"].split() if part.startswith("v1,")
    ]
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)
