"""Which accounts a user works in, and switching between them (the web app's account switcher)."""

from __future__ import annotations

import logging

from printbridge.orders.errors import NotFound
from printbridge.stores.models import Account

logger = logging.getLogger(__name__)


def accounts_of(user) -> list[Account]:
    """The accounts the user is a member of, by name."""
    return list(Account.objects.filter(memberships__user=user).order_by("name", "pk"))


def switch_account(user, account_id: int) -> Account:
    """The account the user works in from now on: only one they are a member of (else NotFound, a 404).

    Nothing is written here: the caller keeps the choice in the user's session, which current_account reads."""
    account = Account.objects.filter(pk=account_id, memberships__user=user).first()
    if account is None:
        raise NotFound("No such account")
    logger.info("user %s switched to account %s", user.pk, account.pk)
    return account
