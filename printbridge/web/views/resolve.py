"""Resolve by variant: the queue of not-connected variants with the orders each blocks; one Connect or Ignore,
a preview of the orders it moves, then applied to all of them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from printbridge.orders import events, rules, selectors
from printbridge.orders.errors import Conflict, InvalidInput, NotFound
from printbridge.orders.services import reevaluation, variant_resolution
from printbridge.web import notices
from printbridge.web.forms_routing import (
    IGNORE_HINTS,
    ResolveFilterForm,
    ResolveForm,
    SearchForm,
    VariantForm,
)
from printbridge.web.views.common import account_or_404, form_errors

_KINDS = {
    "connect": reevaluation.ChangeKind.CONNECT,
    "ignore_variant": reevaluation.ChangeKind.IGNORE_VARIANT,
    "ignore_product": reevaluation.ChangeKind.IGNORE_PRODUCT,
}


@login_required
@require_GET
def queue(request):
    account = account_or_404(request)
    form = ResolveFilterForm(account.pk, request.GET)
    valid = form.is_valid()
    store = form.cleaned_data.get("store") if valid else None
    rows = selectors.blocking_variants(account.pk, store.pk if store else None) if valid else []
    context = {"form": form, "rows": rows, "errors": [] if valid else form_errors(form)}
    return render(request, "web/resolve.html", context, status=200 if valid else 422)


def _variant_or_404(account_id: int, store_id: int, variant_id: str) -> selectors.WaitingVariant:
    try:
        return selectors.waiting_variant(account_id, store_id, variant_id)
    except NotFound:
        raise Http404 from None


def _choices(account_id: int, variant, q: str) -> dict:
    """The connected products to pick from for the variant (the connection_choices partial's context)."""
    found, more = selectors.connection_choices(account_id, q, variant.product_id, variant.store.pk)
    return {"choices": found, "more": more, "q": q, "prefix": "variant"}


def _variant_context(account_id: int, variant, q: str = "", form=None) -> dict:
    data = form.data if form is not None else {}
    return {
        "variant": variant,
        "orders": selectors.orders_waiting_for(variant),
        "choices": _choices(account_id, variant, q),
        "selected_action": data.get("action", ""),
        "selected_connection": int(data["connection"]) if str(data.get("connection", "")).isdigit() else None,
        "reason": data.get("reason", ""),
        "hints": IGNORE_HINTS,
        "errors": form_errors(form) if form is not None else [],
    }


def _variant_from(request_data) -> tuple[int, str]:
    form = VariantForm(request_data)
    if not form.is_valid():
        raise Http404
    return form.cleaned_data["store"], form.cleaned_data["variant"]


@login_required
@require_GET
def variant(request):
    """One variant: the orders it blocks, Connect (search a connected product) and Ignore (variant / product)."""
    account = account_or_404(request)
    waiting = _variant_or_404(account.pk, *_variant_from(request.GET))
    search = SearchForm(request.GET)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    return render(request, "web/resolve_variant.html", _variant_context(account.pk, waiting, q))


@login_required
@require_GET
def choices(request):
    """The htmx live search of the variant page's Connect (a partial)."""
    account = account_or_404(request)
    waiting = _variant_or_404(account.pk, *_variant_from(request.GET))
    search = SearchForm(request.GET)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    return render(request, "web/partials/connection_choices.html", _choices(account.pk, waiting, q))


def _change(waiting, action: str) -> reevaluation.Change:
    kind = _KINDS[action]
    variant_id = "" if kind == reevaluation.ChangeKind.IGNORE_PRODUCT else waiting.variant_id
    return reevaluation.Change(kind, waiting.product_id, variant_id)


@login_required
@require_GET
def preview(request):
    """What the chosen Connect or Ignore would do to every waiting order (writes nothing), and Confirm."""
    account = account_or_404(request)
    waiting = _variant_or_404(account.pk, *_variant_from(request.GET))
    form = ResolveForm(account.pk, request.GET)
    if not form.is_valid():
        context = _variant_context(account.pk, waiting, form=form)
        return render(request, "web/resolve_variant.html", context, status=422)
    data = form.cleaned_data
    result = reevaluation.preview(waiting.store, _change(waiting, data["action"]))
    by_outcome = {o: [p for p in result.orders if p.outcome == o] for o in reevaluation.OrderOutcome}
    context = {
        "variant": waiting,
        "data": data,
        "preview": result,
        "by_outcome": by_outcome,
    }
    return render(request, "web/resolve_preview.html", context)


@login_required
@require_POST
def apply(request):
    """Confirm: connect or ignore the variant, then move every waiting order that has it."""
    account = account_or_404(request)
    store_id, variant_id = _variant_from(request.POST)
    try:
        selectors.store_for(account.pk, store_id)
    except NotFound:
        raise Http404 from None
    try:
        waiting = selectors.waiting_variant(account.pk, store_id, variant_id)
    except NotFound:
        messages.error(request, "No order waits for this variant any more; nothing was changed.")
        return redirect("resolve")
    form = ResolveForm(account.pk, request.POST)
    if not form.is_valid():
        context = _variant_context(account.pk, waiting, form=form)
        return render(request, "web/resolve_variant.html", context, status=422)
    try:
        message = _resolve(request, account.pk, waiting, form.cleaned_data)
    except (Conflict, InvalidInput) as exc:
        context = _variant_context(account.pk, waiting)
        context["errors"] = [exc.message]
        return render(request, "web/resolve_variant.html", context, status=exc.status_code)
    messages.success(request, message)
    return redirect("resolve")


def _resolve(request, account_id: int, waiting, data: dict) -> str:
    actor = events.Actor.for_user(request.user)
    store_id, variant_id, label = waiting.store.pk, waiting.variant_id, waiting.label
    if data["action"] == "connect":
        done = variant_resolution.connect_variant(
            account_id, store_id, variant_id, data["connection"].pk, actor
        )
        assert done.connection is not None
        return f"Connected {label} to {done.connection.provider_product_uid}. {notices.applied(done.applied)}"
    scope = rules.IgnoreScope.VARIANT if data["action"] == "ignore_variant" else rules.IgnoreScope.PRODUCT
    done = variant_resolution.ignore_variant(
        account_id, store_id, variant_id, scope, actor, reason=data["reason"]
    )
    what = label if scope == rules.IgnoreScope.VARIANT else waiting.name
    return f"Ignored {what}: {_SCOPE_WORDS[scope]}. {notices.applied(done.applied)}"


_SCOPE_WORDS = {
    rules.IgnoreScope.VARIANT: "this variant for all incoming orders",
    rules.IgnoreScope.PRODUCT: "this product in all variants",
}
