"""The app shell's actions: switching between the accounts a user is a member of."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from printbridge.orders.errors import NotFound
from printbridge.stores import accounts
from printbridge.web.forms_shell import SwitchAccountForm


@login_required
@require_POST
def switch_account(request):
    """Work in another of the user's accounts from now on; any other account is a 404."""
    form = SwitchAccountForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        account = accounts.switch_account(request.user, form.cleaned_data["account"])
    except NotFound:
        raise Http404 from None
    request.session["account_id"] = account.pk
    messages.success(request, f"You are now working in {account.name}.")
    return redirect("home")
