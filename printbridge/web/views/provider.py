"""The account's Gelato connection: whether a key is set, the webhook URL to give Gelato, and setting the key."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from printbridge.catalog.errors import NoProviderKey
from printbridge.catalog.gelato import provider_account
from printbridge.fulfilment.services.accounts import set_gelato_key, webhook_url
from printbridge.orders import events
from printbridge.orders.errors import InvalidInput
from printbridge.web.views.common import account_or_404


class GelatoKeyForm(forms.Form):
    api_key = forms.CharField(
        label="Gelato API key",
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="From Gelato's dashboard, Developer → API keys. It is checked with Gelato, then stored encrypted.",
    )


def _context(account, form) -> dict:
    try:
        current = provider_account(account)
    except NoProviderKey:
        current = None
    return {"current": current, "webhook_url": webhook_url(current) if current else "", "form": form}


@login_required
@require_http_methods(["GET", "POST"])
def gelato(request):
    account = account_or_404(request)
    if request.method == "GET":
        return render(request, "web/provider.html", _context(account, GelatoKeyForm()))
    form = GelatoKeyForm(request.POST)
    if form.is_valid():
        try:
            set_gelato_key(account, form.cleaned_data["api_key"], events.Actor.for_user(request.user))
        except InvalidInput as exc:
            form.add_error("api_key", exc.message)
        else:
            messages.success(
                request, "Gelato API key saved. Connected orders are sent to Gelato from now on."
            )
            return redirect("provider-gelato")
    return render(request, "web/provider.html", _context(account, form), status=422)
