"""What every merchant page needs: the current account (404 when there is none), a refused form's messages."""

from django.http import Http404

from printbridge.api.auth import current_account


def account_or_404(request):
    account = current_account(request)
    if account is None:
        raise Http404
    return account


def form_errors(form) -> list[str]:
    """Every message of a refused form, field by field, as plain text."""
    return [str(message) for messages_ in form.errors.values() for message in messages_]
