"""Manual approval: approve one order (its page) or many (the orders list filtered to Pending approval)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from printbridge.orders import events
from printbridge.orders.errors import NotFound
from printbridge.orders.services import approve_orders
from printbridge.web.notices import plural
from printbridge.web.views.common import account_or_404

MAX_AT_ONCE = 200


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return redirect(target)
    return redirect("orders")


def _order_ids(request) -> list[int] | None:
    raw = request.POST.getlist("order")
    if not raw or len(raw) > MAX_AT_ONCE or not all(value.isdigit() for value in raw):
        return None
    return [int(value) for value in raw]


@login_required
@require_POST
def approve(request):
    account = account_or_404(request)
    order_ids = _order_ids(request)
    if order_ids is None:
        messages.error(request, f"Select between 1 and {MAX_AT_ONCE} orders to approve; nothing was changed.")
        return _back(request)
    try:
        result = approve_orders(account.pk, order_ids, events.Actor.for_user(request.user))
    except NotFound:
        raise Http404 from None
    if result.approved:
        messages.success(request, f"Approved {plural(len(result.approved), 'order')}: ready for fulfilment.")
    for why in sorted(set(result.skipped.values())):
        count = sum(1 for reason in result.skipped.values() if reason == why)
        messages.warning(request, f"{plural(count, 'order')} not approved: {why}.")
    return _back(request)
