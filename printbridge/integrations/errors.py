"""The only exceptions integration clients raise. Retry decisions live with the caller, in one place.

- `RetryableError`: the call may succeed later (timeouts, connection errors, 408, 425, 5xx).
- `RateLimited`: a retryable 429; send nothing more to that account for `reset_seconds`.
- `PermanentError`: repeating the same call fails the same way (other 4xx, invalid JSON, a response that breaks
  the documented shape).

`status` is the HTTP status the service answered with, None when there was no usable HTTP answer (a timeout, a
refused connection) or when a 2xx answer could not be used. `message` is the service's own error text where it
sent one. `request` names the call (`"GET /v2/orders/5"`) and never carries credentials.
"""

from __future__ import annotations


class IntegrationError(Exception):
    """Base class: something went wrong talking to an external system."""

    def __init__(self, message: str, *, status: int | None = None, request: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.request = request

    def __str__(self) -> str:
        head = " ".join(part for part in (f"HTTP {self.status}" if self.status else "", self.request) if part)
        return f"{head}: {self.message}" if head else self.message


class RetryableError(IntegrationError):
    """Transient: the same call may succeed later."""

    def __init__(self, message: str, status: int | None = None, *, request: str = "") -> None:
        super().__init__(message, status=status, request=request)


class RateLimited(RetryableError):
    """HTTP 429: send nothing more to this account until `reset_seconds` have passed."""

    def __init__(self, reset_seconds: float, message: str = "rate limited", *, request: str = "") -> None:
        super().__init__(message, 429, request=request)
        self.reset_seconds = reset_seconds

    def __str__(self) -> str:
        return f"{super().__str__()} (reset in {self.reset_seconds:g} s)"


class PermanentError(IntegrationError):
    """Repeating the call will not help."""

    def __init__(self, status: int | None, message: str, *, request: str = "") -> None:
        super().__init__(message, status=status, request=request)

    @property
    def detail(self) -> str:
        """The service's own words (the same as `message`), without the status and request."""
        return self.message
