"""The stores list with each store's connection health, and connecting a BigCommerce store."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from printbridge.ingestion.services.stores import connect_bigcommerce
from printbridge.orders import events
from printbridge.orders.errors import InvalidInput
from printbridge.stores.health import stores_health
from printbridge.web.forms import BigCommerceConnectForm
from printbridge.web.views.common import account_or_404


@login_required
@require_GET
def stores(request):
    account = account_or_404(request)
    context = {"rows": stores_health(account.pk), "form": BigCommerceConnectForm()}
    return render(request, "web/stores.html", context)


@login_required
@require_POST
def connect_bigcommerce_view(request):
    account = account_or_404(request)
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
    context = {"rows": stores_health(account.pk), "form": form}
    return render(request, "web/stores.html", context, status=422)


def _connected_message(result) -> str:
    c = result.connection
    hooks = f"webhooks not registered ({result.hook_error})" if result.hook_error else "webhooks registered"
    return f"Connected {c.store_name} ({c.store_hash}); {hooks}. New paid orders arrive within seconds."
