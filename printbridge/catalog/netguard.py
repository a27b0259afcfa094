"""SSRF rules for design URLs (../shared/reference/reliability.md §3 and rows 24–30): the ONE parser every design
URL goes through, and the address rules every resolved IP must pass. Pure: no network, no Django.

- https only, port 443; no user name or password, no backslash, no control character, no percent-encoding,
  non-ASCII (so no full-width dots: write IDNs as punycode) or trailing dot in the host; "localhost" refused.
- A numeric host is an IPv4 address however it is written (WHATWG URL rules: `2130706433`, `0x7f000001`,
  `0177.0.0.1`, `127.1`); only dotted decimal is accepted, and only for a public address.
- Every address a host resolves to must be public: loopback, private, link-local (cloud metadata), CGNAT,
  unspecified, multicast, reserved, IPv4-mapped/6to4/Teredo and anything not globally routable is refused.
- An optional allowlist (exact host or "*.example.com" for its subdomains) narrows it further.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Sequence[str]]  # host name -> its IP addresses (strings)

MAX_URL_LENGTH = 2000
HTTPS_PORT = 443
FULL_WIDTH_DOTS = "\u3002\uff0e\uff61\ufe52"  # 。．｡﹒ — IDNA turns them into "."
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Rejected(Exception):
    """The URL or an address it leads to is not allowed; the message says why, for the merchant."""


@dataclass(frozen=True)
class Target:
    url: str  # the URL as given (stripped)
    host: str  # lower-case ASCII host name, or an IP address without brackets
    port: int
    path: str  # path and query, "/" when empty; never the fragment
    address: IPAddress | None  # the host when it is an IP literal

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if isinstance(self.address, ipaddress.IPv6Address) else self.host
        return host if self.port == HTTPS_PORT else f"{host}:{self.port}"


def parse_url(url: str, allowed_hosts: Iterable[str] = ()) -> Target:
    """The one parser: a Target, or Rejected with the first rule the URL breaks."""
    url = url.strip()
    _check_characters(url)
    try:
        split = urlsplit(url)
    except ValueError:
        raise Rejected("The link is not a valid URL") from None
    if split.scheme.lower() != "https":
        shown = f"{split.scheme}:" if split.scheme else "a link without a scheme"
        raise Rejected(f"Only https:// links are allowed, not {shown}")
    if not split.netloc:
        raise Rejected("The link has no host name after https://")
    host, port = _host_and_port(split.netloc)
    address = _literal_address(host)
    if address is None:
        _check_name(host)
    else:
        check_address(address)
    _check_allowed(host, allowed_hosts)
    path = (split.path or "/") + (f"?{split.query}" if split.query else "")
    return Target(url, host if address is None else str(address), port, path, address)


def _check_characters(url: str) -> None:
    if not url:
        raise Rejected("Give the link to the design file")
    if len(url) > MAX_URL_LENGTH:
        raise Rejected(f"The link is longer than {MAX_URL_LENGTH} characters")
    if "\\" in url:
        raise Rejected("The link contains a backslash (\\)")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        raise Rejected("The link contains spaces or control characters")


def _host_and_port(netloc: str) -> tuple[str, int]:
    if "@" in netloc:
        raise Rejected("The link contains a user name or password (…@host); give the file's own link")
    if netloc.startswith("["):
        host, bracket, rest = netloc[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise Rejected("The link's IPv6 address is malformed")
        port = rest[1:] if rest else None
    else:
        host, colon, port_text = netloc.partition(":")
        port = port_text if colon else None
    return host.lower(), _port(port)


def _port(text: str | None) -> int:
    if text is None or text == "":
        return HTTPS_PORT
    if not (text.isascii() and text.isdigit()) or int(text) != HTTPS_PORT:
        raise Rejected(f"Only the standard https port (443) is allowed, not {text!r}")
    return HTTPS_PORT


def _literal_address(host: str) -> IPAddress | None:
    """The IP address a host names literally (any IPv4 spelling, or a bracketed IPv6 one), else None."""
    if ":" in host:
        if "%" in host:
            raise Rejected("The link's IPv6 address has a zone (%…); that is never a public address")
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            raise Rejected("The link's IPv6 address is malformed") from None
    last = host.rstrip(".").rsplit(".", 1)[-1]
    if not last or not _is_number(last):
        return None
    address = _whatwg_ipv4(host)
    if str(address) != host:
        check_address(address, f"{host!r} is {address}, which")  # an encoded private address: say what it is
        raise Rejected(f"Write the IP address {address} in dotted decimal form, not as {host!r}")
    return address


def _is_number(part: str) -> bool:
    return bool(re.fullmatch(r"[0-9]+|0[xX][0-9a-fA-F]*", part))


def _whatwg_ipv4(host: str) -> ipaddress.IPv4Address:
    """An IPv4 address in any form the WHATWG URL parser (and inet_aton) reads: 1 to 4 parts, each decimal,
    0x-hex or 0-octal, the last one filling the remaining bytes."""
    parts = host.split(".")
    if parts[-1] == "":
        parts.pop()
    if not 1 <= len(parts) <= 4:
        raise Rejected(f"{host!r} is not a valid IP address")
    try:
        numbers = [_ipv4_number(part) for part in parts]
    except ValueError:
        raise Rejected(f"{host!r} is not a valid IP address") from None
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        raise Rejected(f"{host!r} is not a valid IP address")
    value = last + sum(n << (8 * (3 - i)) for i, n in enumerate(leading))
    return ipaddress.IPv4Address(value)


def _ipv4_number(part: str) -> int:
    if part.lower().startswith("0x"):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part[1:], 8)
    return int(part, 10)


def _check_name(host: str) -> None:
    if not host:
        raise Rejected("The link has no host name after https://")
    if any(dot in host for dot in FULL_WIDTH_DOTS):
        raise Rejected("The host name contains a full-width dot (。 or ．); use a plain '.'")
    if not host.isascii():
        raise Rejected("Write the host name in ASCII (an international name as punycode, xn--…)")
    if "%" in host:
        raise Rejected("The host name is percent-encoded; write it plainly")
    if host.endswith("."):
        raise Rejected("The host name ends with a dot; remove the trailing '.'")
    if host == "localhost" or host.endswith(".localhost"):
        raise Rejected("localhost is this server, not a public address")
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise Rejected(f"{host!r} is not a valid public host name")


def _check_allowed(host: str, allowed_hosts: Iterable[str]) -> None:
    allowed = [h.strip().lower() for h in allowed_hosts if h.strip()]
    if not allowed:
        return
    for pattern in allowed:
        if host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])):
            return
    raise Rejected(f"{host} is not one of the hosts design files may be fetched from")


def address_problem(address: IPAddress) -> str | None:
    """Why this address may not be fetched from ("a loopback address", …), None for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return f"an IPv4-mapped address (of {address.ipv4_mapped})"
        if address.sixtofour is not None or address.teredo is not None:
            return "a tunnelling address (6to4 or Teredo)"
        if address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
            inner = address_problem(embedded)
            return f"a NAT64 address of {embedded}, {inner}" if inner else None
    checks = (
        (address.is_unspecified, "the unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address in _CGNAT, "a shared (CGNAT) address"),
        (address.is_multicast, "a multicast address"),
        (address.is_private, "a private address"),
        (address.is_reserved, "a reserved address"),
        (not address.is_global, "not a public internet address"),
    )
    return next((reason for failed, reason in checks if failed), None)


def check_address(address: IPAddress, subject: str | None = None) -> None:
    """Rejected unless the address is public; `subject` words the message ("x resolves to 10.0.0.1")."""
    problem = address_problem(address)
    if problem is not None:
        raise Rejected(f"{subject or address} is {problem}; only public internet addresses are allowed")


def pinned_address(target: Target, resolver: Resolver) -> IPAddress:
    """The one address to connect to: the literal, or the first the host resolves to once every address it
    resolves to has passed the rules (one bad answer rejects the host: no retry can land on it)."""
    if target.address is not None:
        return target.address
    try:
        answers = list(resolver(target.host))
    except OSError:
        raise Rejected(f"The host name {target.host} could not be found") from None
    if not answers:
        raise Rejected(f"The host name {target.host} could not be found")
    addresses = []
    for answer in answers:
        try:
            address = ipaddress.ip_address(answer)
        except ValueError:
            raise Rejected(f"{target.host} resolved to {answer!r}, which is not an IP address") from None
        check_address(address, f"{target.host} resolves to {address}, which")
        addresses.append(address)
    return addresses[0]
