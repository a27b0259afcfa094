from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render

from printbridge.api.auth import current_account
from printbridge.orders import explain, rules, selectors
from printbridge.orders.errors import NotFound


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


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
