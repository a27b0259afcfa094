from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from printbridge.api.auth import current_account
from printbridge.ingestion.services.stores import connect_bigcommerce
from printbridge.orders import events, explain, rules, selectors
from printbridge.orders.errors import InvalidInput, NotFound
from printbridge.web.forms import BigCommerceConnectForm


@login_required
def home(request):
    account = current_account(request)
    stores = list(selectors.stores(account.pk)) if account else []
    orders = selectors.orders(account.pk, limit=50).items if account else []
    return render(request, "web/home.html", {"account": account, "stores": stores, "orders": orders})


@login_required
def order_detail(request, order_id: int):
    """One order with each item's state and why, and its timeline. Another account's order is a 404."""
    account = current_account(request)
    if account is None:
        raise Http404
    try:
        order = selectors.order_detail(account.pk, order_id)
    except NotFound:
        raise Http404 from None
    items = [
        {
            "item": i,
            "state_label": rules.ITEM_STATE_LABELS[rules.ItemState(i.state)],
            "reason": explain.item_reason(i),
        }
        for i in order.items.all()
    ]
    context = {"order": order, "items": items, "events": selectors.order_events(order)}
    return render(request, "web/order.html", context)


def _account_or_404(request):
    account = current_account(request)
    if account is None:
        raise Http404
    return account


def _store_rows(account) -> list[dict]:
    stores = selectors.stores(account.pk).select_related("bigcommerce")
    return [{"store": s, "bc": getattr(s, "bigcommerce", None)} for s in stores]


@login_required
def stores(request):
    account = _account_or_404(request)
    return render(
        request, "web/stores.html", {"rows": _store_rows(account), "form": BigCommerceConnectForm()}
    )


@login_required
@require_POST
def connect_bigcommerce_view(request):
    account = _account_or_404(request)
    form = BigCommerceConnectForm(request.POST)
    if form.is_valid():
        try:
            result = connect_bigcommerce(
                account,
                form.cleaned_data["store_hash"],
                form.cleaned_data["access_token"],
                events.Actor.for_user(request.user),
            )
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _connected_message(result))
            return redirect("stores")
    context = {"rows": _store_rows(account), "form": form}
    return render(request, "web/stores.html", context, status=422)


def _connected_message(result) -> str:
    c = result.connection
    hooks = f"webhooks not registered ({result.hook_error})" if result.hook_error else "webhooks registered"
    return f"Connected {c.store_name} ({c.store_hash}); {hooks}. New paid orders arrive within seconds."


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
