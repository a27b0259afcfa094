"""What every merchant page needs: the current account (404 when there is none)."""

from django.http import Http404

from printbridge.api.auth import current_account


def account_or_404(request):
    account = current_account(request)
    if account is None:
        raise Http404
    return account
