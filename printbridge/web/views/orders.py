"""Order pages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from printbridge.orders import explain, rules, selectors
from printbridge.orders.errors import NotFound
from printbridge.web.views.common import account_or_404


@login_required
def order_detail(request, order_id: int):
    """One order with each item's state and why, and its timeline. Another account's order is a 404."""
    account = account_or_404(request)
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
