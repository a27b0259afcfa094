"""Ignore rules (filter, revoke), the ledger of orders not imported, and connections (search, disconnect)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from printbridge.orders import events, selectors, services
from printbridge.orders.errors import Conflict, NotFound
from printbridge.routing import drift
from printbridge.web import notices
from printbridge.web.forms_routing import ConnectionsFilterForm, LedgerFilterForm, RevokeForm, RulesFilterForm
from printbridge.web.notices import plural
from printbridge.web.views.common import account_or_404, form_errors

PAGE_SIZE = 50
_ACTIVE = {"active": True, "revoked": False, "disconnected": False, "all": None}


def _filtered(request, form, template: str, context: dict, rows):
    """Render a list page; an invalid filter answers 422 with its message and no rows."""
    valid = form.is_valid()
    context = {"form": form, "errors": [] if valid else form_errors(form), **context}
    context.update(rows(form.cleaned_data) if valid else {})
    return render(request, template, context, status=200 if valid else 422)


def _rules_rows(account_id: int):
    def rows(data: dict) -> dict:
        store = data.get("store")
        active = _ACTIVE[data.get("status") or "active"]
        found = selectors.ignore_rules(
            account_id, store.pk if store else None, active, data.get("scope") or None
        )
        return {"rules": list(found)}

    return rows


@login_required
@require_GET
def rules(request):
    account = account_or_404(request)
    form = RulesFilterForm(account.pk, request.GET)
    context = {"rules": []}
    return _filtered(request, form, "web/rules.html", context, _rules_rows(account.pk))


@login_required
@require_POST
def revoke(request, rule_id: int):
    """Revoke a rule; with the box ticked, import the orders it kept out (each decided again under today's rules)."""
    account = account_or_404(request)
    form = RevokeForm(request.POST)
    form.is_valid()  # a checkbox: anything but a truthy value is "no"
    import_suppressed = form.cleaned_data.get("import_suppressed", False)
    actor = events.Actor.for_user(request.user)
    try:
        result = services.revoke_ignore_rule(account.pk, rule_id, actor, import_suppressed=import_suppressed)
    except NotFound:
        raise Http404 from None
    except Conflict as exc:
        messages.error(request, f"{exc.message}; nothing was changed.")
        return redirect("rules")
    messages.success(request, _revoked(result, import_suppressed))
    return redirect("rules")


def _revoked(result, import_suppressed: bool) -> str:
    rule = result.rule
    text = f"Revoked the ignore rule: {rule.get_scope_display().lower()} — {rule.label}. Future orders are decided without it."
    if not import_suppressed:
        return text
    text += f" Imported {plural(result.imported, 'order')} it had kept out"
    if result.still_suppressed:
        kept = plural(result.still_suppressed, "order")
        return f"{text}; {kept} stayed in the ledger (another rule or a store setting still keeps them out)."
    return text + "."


def _ledger_rows(account_id: int):
    def rows(data: dict) -> dict:
        store, rule = data.get("store"), data.get("rule")
        page = selectors.suppressed_page(
            account_id,
            store_id=store.pk if store else None,
            rule_id=rule.pk if rule else None,
            before=data.get("before"),
            limit=PAGE_SIZE,
        )
        return {"page": page}

    return rows


@login_required
@require_GET
def ledger(request):
    """Orders that were not imported, newest first, with each item's reason and the rules that decided."""
    account = account_or_404(request)
    form = LedgerFilterForm(account.pk, request.GET)
    return _filtered(request, form, "web/ledger.html", {}, _ledger_rows(account.pk))


def _connection_rows(account_id: int):
    def rows(data: dict) -> dict:
        active = _ACTIVE[data.get("status") or "active"]
        before = data.get("before")
        page = selectors.connections_page(
            account_id, text=data.get("q"), active=active, before=before, limit=PAGE_SIZE
        )
        return {"page": page}

    return rows


@login_required
@require_GET
def connections(request):
    account = account_or_404(request)
    form = ConnectionsFilterForm(request.GET)
    return _filtered(request, form, "web/connections.html", {}, _connection_rows(account.pk))


@login_required
@require_http_methods(["GET", "POST"])
def disconnect(request, connection_id: int):
    """GET: confirm what disconnecting does; POST: disconnect."""
    account = account_or_404(request)
    try:
        connection = selectors.connection(account.pk, connection_id)
        if request.method == "GET":
            return render(request, "web/connection_disconnect.html", {"connection": connection})
        services.disconnect(account.pk, connection_id, events.Actor.for_user(request.user))
    except NotFound:
        raise Http404 from None
    except Conflict as exc:
        messages.error(request, f"{exc.message}; nothing was changed.")
        return redirect("connections")
    label = connection.label or connection.variant_id
    messages.success(
        request,
        f"Disconnected {label} from {connection.provider_product_uid}. Future orders with it will be Not "
        "connected; orders already decided keep their decision.",
    )
    return redirect("connections")


@login_required
@require_POST
def confirm_connection(request, connection_id: int):
    """'Still correct': a connection flagged needs review (the store changed the variant) is confirmed."""
    account = account_or_404(request)
    try:
        result = drift.confirm_connection(account.pk, connection_id, events.Actor.for_user(request.user))
    except NotFound:
        raise Http404 from None
    except Conflict as exc:
        messages.error(request, f"{exc.message}; nothing was changed.")
        return redirect("connections")
    connection = result.connection
    messages.success(
        request,
        f"Confirmed {connection.label or connection.variant_id} → {connection.provider_product_uid}. "
        f"{notices.applied(result.applied)}",
    )
    return redirect("connections")
