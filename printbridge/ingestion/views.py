"""The BigCommerce webhook endpoint: authenticate before parsing, one durable write, then an empty 200."""

from __future__ import annotations

import hmac
import logging
import time

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from printbridge.ingestion.services.receive import receive_webhook
from printbridge.integrations.bigcommerce import webhooks
from printbridge.stores import crypto
from printbridge.stores.models import BigCommerceConnection

logger = logging.getLogger("printbridge.webhooks")
MAX_BODY = 64 * 1024
SECRET_HEADER = "X-Printbridge-Secret"


def _read_capped(request: HttpRequest) -> bytes | None:
    """The body, or None when it is over the cap (checked before reading, and while reading a chunked body)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if declared > MAX_BODY:
        return None
    body = request.read(MAX_BODY + 1)
    return None if len(body) > MAX_BODY else body


def _authenticated(connection: BigCommerceConnection | None, request: HttpRequest, raw: bytes) -> bool:
    if connection is None or connection.uninstalled_at or not connection.store.is_active:
        return False
    sent = request.headers.get(SECRET_HEADER, "")
    try:
        expected = crypto.decrypt(connection.webhook_secret_encrypted)
    except crypto.SecretUnreadable:
        logger.error("webhook secret of store %s cannot be decrypted", connection.store_id)
        return False
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        return False
    headers = {k.lower(): v for k, v in request.headers.items()}
    if webhooks.signature_headers_present(headers) and settings.BIGCOMMERCE_CLIENT_SECRET:
        return webhooks.verify_standard_signature(
            settings.BIGCOMMERCE_CLIENT_SECRET, headers, raw, time.time()
        )
    return True


@csrf_exempt
def bigcommerce_webhook(request: HttpRequest, public_id: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if request.content_type != "application/json":
        return HttpResponse(status=415)
    raw = _read_capped(request)
    if raw is None:
        return HttpResponse(status=413)
    connection = BigCommerceConnection.objects.select_related("store").filter(public_id=public_id).first()
    if not _authenticated(connection, request, raw):
        logger.warning("webhook rejected: bad credentials for %s", public_id[:8])
        return HttpResponse(status=401)
    try:
        event = webhooks.parse_webhook(raw)
    except webhooks.InvalidWebhook as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain")
    if event.producer != f"stores/{connection.store_hash}":
        logger.warning("webhook rejected: producer %s is not store %s", event.producer, connection.store_id)
        return HttpResponse(status=401)
    try:
        receive_webhook(connection.store, event, request.headers.get("webhook-id"))
    except DatabaseError:
        logger.exception("webhook not stored; answering 503 so BigCommerce retries")
        return HttpResponse(status=503)
    return HttpResponse(status=200)
