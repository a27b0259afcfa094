"""The account's Gelato client for catalog reads (built like fulfilment.provider does), and the translation of
the client's errors into service errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from printbridge.catalog.errors import NoProviderKey, ProviderUnavailable
from printbridge.fulfilment import provider
from printbridge.fulfilment.models import ProviderAccount
from printbridge.integrations.errors import IntegrationError, PermanentError
from printbridge.integrations.gelato.client import GelatoClient
from printbridge.stores.models import Account


def provider_account(account: Account) -> ProviderAccount:
    found = ProviderAccount.objects.filter(account=account, provider=ProviderAccount.Provider.GELATO).first()
    if found is None:
        raise NoProviderKey
    return found


@contextmanager
def gelato_client(account: Account) -> Iterator[GelatoClient]:
    """The account's client (NoProviderKey without a key); integration errors become ProviderUnavailable."""
    client = provider.client_for(provider_account(account))
    try:
        with client:
            yield client
    except IntegrationError as exc:
        raise ProviderUnavailable(describe(exc)) from exc


def describe(exc: IntegrationError) -> str:
    if isinstance(exc, PermanentError):
        return f"Gelato refused the request: {exc.message}"
    return f"Gelato could not be reached: {exc.message}; try again later"
