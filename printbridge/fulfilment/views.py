"""Gelato status webhooks: a hint to re-read the order from Gelato; the path token is the account's secret."""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from printbridge.fulfilment.services.status_hints import receive_status_hint
from printbridge.ingestion.views import _read_capped
from printbridge.integrations.gelato.webhooks import InvalidWebhook, parse_status_webhook

logger = logging.getLogger("printbridge.webhooks")


@csrf_exempt
def gelato_webhook(request: HttpRequest, token: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if request.content_type != "application/json":
        return HttpResponse(status=415)
    raw = _read_capped(request)
    if raw is None:
        return HttpResponse(status=413)
    try:
        event = parse_status_webhook(raw)
    except InvalidWebhook as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain")
    try:
        known = receive_status_hint(token, event)
    except DatabaseError:
        logger.exception("Gelato webhook not stored; answering 503")
        return HttpResponse(status=503)
    return HttpResponse(status=200 if known is not None else 401)
