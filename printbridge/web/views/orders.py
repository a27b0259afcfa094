"""The order page and Complete order: Connect or Ignore each not-connected item, then apply the same change to
the other waiting orders. POSTs redirect back with a notice; with htmx they answer the page body instead."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from printbridge.orders import events, rules, selectors, services
from printbridge.orders.errors import Conflict, InvalidInput, NotFound
from printbridge.web import notices
from printbridge.web.forms_routing import ApplyOthersForm, ConnectForm, IgnoreForm, SearchForm
from printbridge.web.views import order_context
from printbridge.web.views.common import account_or_404, form_errors

BODY = "web/partials/order_body.html"


def _order(account_id: int, order_id: int):
    try:
        return selectors.order_detail(account_id, order_id)
    except NotFound:
        raise Http404 from None


def _item(order, item_id: int):
    found = next((i for i in order.items.all() if i.pk == item_id), None)
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def order_detail(request, order_id: int):
    """One order with each item's state and why, Complete order when it waits, and its timeline."""
    account = account_or_404(request)
    order = _order(account.pk, order_id)
    search = SearchForm(request.GET)
    found = search.cleaned_data if search.is_valid() else {}
    return render(request, "web/order.html", order_context.page(account.pk, order, search=found))


@login_required
@require_GET
def connection_choices(request, order_id: int, item_id: int):
    """The htmx live search of Connect: the list of connected products matching `q` (a partial)."""
    account = account_or_404(request)
    item = _item(_order(account.pk, order_id), item_id)
    search = SearchForm(request.GET)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    return render(request, "web/partials/connection_choices.html", order_context.choices(account.pk, q, item))


def _answer(request, account_id: int, order_id: int, error: dict | None = None, status: int = 200):
    """After an action: the page body (htmx), or a redirect back to the order page; a refusal re-renders it."""
    if error is None and not request.htmx:
        return redirect("order", order_id)
    order = _order(account_id, order_id)
    context = order_context.page(account_id, order, error=error)
    return render(request, BODY if request.htmx else "web/order.html", context, status=status)


def _refused(request, account_id, order_id, item_id, form_name, errors, status):
    error = {"item_id": item_id, "form": form_name, "messages": errors}
    return _answer(request, account_id, order_id, error=error, status=status)


@login_required
@require_POST
def connect(request, order_id: int, item_id: int):
    account = account_or_404(request)
    item = _item(_order(account.pk, order_id), item_id)
    form = ConnectForm(account.pk, request.POST)
    if not form.is_valid():
        return _refused(request, account.pk, order_id, item_id, "connect", form_errors(form), 422)
    target = services.ConnectTarget(from_connection_id=form.cleaned_data["connection"].pk)
    try:
        result = services.connect_item(
            account.pk, order_id, item_id, target, events.Actor.for_user(request.user)
        )
    except (Conflict, InvalidInput) as exc:
        return _refused(request, account.pk, order_id, item_id, "connect", [exc.message], exc.status_code)
    assert result.connection is not None
    messages.success(request, notices.connected(item, result.connection.provider_product_uid, result.order))
    return _answer(request, account.pk, order_id)


@login_required
@require_POST
def ignore(request, order_id: int, item_id: int):
    account = account_or_404(request)
    item = _item(_order(account.pk, order_id), item_id)
    form = IgnoreForm(request.POST)
    if not form.is_valid():
        return _refused(request, account.pk, order_id, item_id, "ignore", form_errors(form), 422)
    scope, reason = rules.IgnoreScope(form.cleaned_data["scope"]), form.cleaned_data["reason"]
    actor = events.Actor.for_user(request.user)
    try:
        result = services.ignore_item(account.pk, order_id, item_id, scope, actor, reason=reason)
    except (Conflict, InvalidInput) as exc:
        return _refused(request, account.pk, order_id, item_id, "ignore", [exc.message], exc.status_code)
    messages.success(request, notices.ignored(item, str(scope), result.order))
    return _answer(request, account.pk, order_id)


@login_required
@require_POST
def apply_to_others(request, order_id: int):
    """Apply a connection or ignore rule of this order to every other order waiting for it."""
    account = account_or_404(request)
    _order(account.pk, order_id)
    form = ApplyOthersForm(request.POST)
    if not form.is_valid():
        return _refused(request, account.pk, order_id, None, "apply", form_errors(form), 422)
    actor = events.Actor.for_user(request.user)
    try:
        if form.cleaned_data["connection"]:
            connection = selectors.connection(account.pk, form.cleaned_data["connection"])
            applied = services.apply_connection(connection, actor)
        else:
            rule = selectors.ignore_rule(account.pk, form.cleaned_data["rule"])
            applied = services.apply_ignore_rule(rule, actor)
    except NotFound:
        raise Http404 from None
    except Conflict as exc:
        return _refused(request, account.pk, order_id, None, "apply", [exc.message], exc.status_code)
    messages.success(request, f"Applied to the other waiting orders. {notices.applied(applied)}")
    return _answer(request, account.pk, order_id)
