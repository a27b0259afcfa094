"""Where Printbridge may post a store's webhooks: https to a public host; http(s)://127.0.0.1 (or localhost,
[::1]) only when settings.DEBUG or PRINTBRIDGE_ALLOW_LOOPBACK_WEBHOOKS is on. Checked when the URL is saved,
and again before each delivery against the addresses the host resolves to (a name may move)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from printbridge.orders.errors import InvalidInput

MAX_LENGTH = 500
LOOPBACK_NAMES = frozenset({"localhost"})


class DestinationRefused(Exception):
    """The host resolves to an address Printbridge does not post to."""


def loopback_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "PRINTBRIDGE_ALLOW_LOOPBACK_WEBHOOKS", False))


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _is_loopback(host: str) -> bool:
    address = _ip(host)
    return host in LOOPBACK_NAMES or (address is not None and address.is_loopback)


def check_url(raw: str) -> str:
    """The URL to save, or InvalidInput naming what is wrong with it."""
    url = raw.strip()
    problem = _problem(url)
    if problem:
        raise InvalidInput(problem, field="url")
    return url


def _problem(url: str) -> str:
    if not url or len(url) > MAX_LENGTH:
        return f"Give the webhook URL (at most {MAX_LENGTH} characters)"
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return "The URL's port is not valid"
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        return "Give an absolute https:// URL, e.g. https://shop.example.com/hooks/printbridge"
    if parts.username or parts.password:
        return "The URL must not contain a user name or password"
    if _is_loopback(host):
        return "" if loopback_allowed() else "Loopback addresses are only allowed in development"
    if parts.scheme != "https":
        return "The URL must use https://"
    address = _ip(host)
    if address is not None and not address.is_global:
        return "The URL must not point to a private or reserved address"
    return ""


def check_destination(url: str) -> None:
    """Before a delivery: every address the host resolves to must be public (or allowed loopback)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    try:
        resolved = {info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}
    except OSError as exc:
        raise DestinationRefused(f"{host} could not be resolved: {exc}") from None
    for raw in resolved:
        address = ipaddress.ip_address(raw.split("%")[0])
        if address.is_loopback and loopback_allowed():
            continue
        if not address.is_global:
            raise DestinationRefused(f"{host} resolves to {address}, a private or reserved address")
