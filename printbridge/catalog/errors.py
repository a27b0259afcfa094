"""Catalog errors beyond printbridge.orders.errors (NotFound 404, Conflict 409, InvalidInput 422)."""

from printbridge.orders.errors import Conflict, ServiceError

NO_GELATO_KEY = "Add your Gelato API key in Settings first"


class ProviderUnavailable(ServiceError):
    """The provider could not answer (down, timed out, refused the key): 502, nothing was changed."""

    status_code = 502


class NoProviderKey(Conflict):
    def __init__(self) -> None:
        super().__init__(NO_GELATO_KEY)


class LinkExpired(ServiceError):
    """A signed design link whose signature is good but older than DESIGN_URL_MAX_AGE_DAYS."""

    status_code = 403
