"""Fix and retry: an order the provider refused gets its shipping address corrected and is sent again (a new
generation, so the provider never gets a second order for the same one)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_POST

from printbridge.fulfilment.services import retrying
from printbridge.orders import events
from printbridge.orders.errors import Conflict, InvalidInput, NotFound
from printbridge.web.forms_fulfilment import AddressForm
from printbridge.web.views import orders
from printbridge.web.views.common import account_or_404


@login_required
@require_POST
def edit_address(request, order_id: int):
    account = account_or_404(request)
    order = orders._order(account.pk, order_id)
    form = AddressForm(request.POST)
    form.is_valid()  # every field is optional text: the service says what is wrong
    changes = form.changes(order.shipping_address)
    if not changes:
        return orders._refused(request, account.pk, order_id, None, "address", ["Nothing was changed."], 422)
    try:
        retrying.edit_shipping_address(account.pk, order_id, changes, events.Actor.for_user(request.user))
    except NotFound:
        raise Http404 from None
    except (Conflict, InvalidInput) as exc:
        message = f"Nothing was changed. {exc.message}"
        return orders._refused(request, account.pk, order_id, None, "address", [message], exc.status_code)
    messages.success(
        request, f"Shipping address saved ({', '.join(sorted(changes))}). Retry to send it again."
    )
    return orders._answer(request, account.pk, order_id)


@login_required
@require_POST
def retry(request, order_id: int):
    account = account_or_404(request)
    orders._order(account.pk, order_id)
    try:
        submission = retrying.retry_submission(account.pk, order_id, events.Actor.for_user(request.user))
    except (Conflict, InvalidInput) as exc:
        return orders._refused(request, account.pk, order_id, None, "retry", [exc.message], exc.status_code)
    messages.success(
        request, f"Sent to the provider again (attempt {submission.generation}); its status appears below."
    )
    return orders._answer(request, account.pk, order_id)
