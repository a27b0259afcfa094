"""BigCommerce single-click app callbacks: /auth, /load, /uninstall, /remove_user.

Each parses the request, verifies it (the OAuth code, or the signed JWT), and calls one service. Every refusal is
a plain-text 401, logged with its reason and never with the token. BigCommerce calls these with GET.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.html import format_html
from django.views.decorators.http import require_GET

from printbridge.ingestion.services import app_install
from printbridge.integrations.bigcommerce import app_auth
from printbridge.integrations.errors import RetryableError

logger = logging.getLogger("printbridge.bigcommerce_app")
REFUSED = (app_auth.InvalidSignedPayload, app_install.AppRefused)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refused(callback: str, reason: Exception) -> HttpResponse:
    logger.warning("bigcommerce %s refused: %s", callback, reason)
    return HttpResponse("Unauthorized\n", status=401, content_type="text/plain; charset=utf-8")


def _claims(request: HttpRequest) -> app_auth.LoadClaims:
    token = request.GET.get("signed_payload_jwt", "")
    client_id, secret = settings.BIGCOMMERCE_CLIENT_ID, settings.BIGCOMMERCE_CLIENT_SECRET
    return app_auth.verify_signed_payload(token, client_id, secret, time.time())


def _log_in(request: HttpRequest, entry: app_install.Entry) -> None:
    """A fresh session (new id, nothing of a previous session kept) for this user and account only."""
    request.session.flush()
    login(request, entry.user, backend=MODEL_BACKEND)
    request.session["account_id"] = entry.account.pk


@require_GET
def auth(request: HttpRequest) -> HttpResponse:
    query = request.GET
    try:
        entry = app_install.install_app(
            query.get("code", ""), query.get("scope", ""), query.get("context", "")
        )
    except app_install.AppRefused as exc:
        return _refused("auth", exc)
    except RetryableError as exc:
        logger.warning("bigcommerce auth: code exchange failed for now: %s", exc)
        return HttpResponse(
            "BigCommerce could not be reached; try again.\n", status=502, content_type="text/plain"
        )
    _log_in(request, entry)
    page = format_html(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Printbridge installed</title></head>'
        '<body><h1>Printbridge is installed</h1><p>Account: {}</p><p><a href="/">Open Printbridge</a></p>'
        "</body></html>",
        entry.account.name,
    )
    return HttpResponse(page, content_type="text/html; charset=utf-8")


@require_GET
def load(request: HttpRequest) -> HttpResponse:
    try:
        entry = app_install.enter_from_load(_claims(request))
    except REFUSED as exc:
        return _refused("load", exc)
    _log_in(request, entry)
    return redirect("/")


@require_GET
def uninstall(request: HttpRequest) -> HttpResponse:
    try:
        app_install.uninstall_app(_claims(request))
    except REFUSED as exc:
        return _refused("uninstall", exc)
    return HttpResponse("", status=200, content_type="text/plain")


@require_GET
def remove_user(request: HttpRequest) -> HttpResponse:
    try:
        app_install.remove_user(_claims(request))
    except REFUSED as exc:
        return _refused("remove_user", exc)
    return HttpResponse("", status=200, content_type="text/plain")
