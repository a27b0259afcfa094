"""The one Gelato-specific error. Everything else the client raises comes from printbridge.integrations.errors."""

from __future__ import annotations

from printbridge.integrations.errors import PermanentError


class AlreadyPrinted(PermanentError):
    """HTTP 409 on `POST /v4/orders/{id}:cancel`: an item is printed (or further), the order can no longer be
    cancelled. `message` is Gelato's own text."""
