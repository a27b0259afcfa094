"""The SSRF-safe design downloader (reliability.md rows 24–30), on httpx.

For each hop: parse the URL with the one parser (netguard.parse_url), resolve the host ONCE with the injected
resolver, check every address, then connect to the pinned, validated IP — the request goes to
`https://<ip>:443/path` with `Host` and TLS SNI (httpx's `sni_hostname` extension) set to the host name, so the
certificate is still verified for the name and a second DNS answer (rebinding) is never used. No proxy from the
environment (it would resolve the name itself). Redirects are followed by hand, at most DESIGN_FETCH_MAX_REDIRECTS,
each hop fully re-validated and re-pinned. Caps: DESIGN_MAX_BYTES while streaming (and a larger Content-Length
is refused at once), DESIGN_FETCH_TIMEOUT_SECONDS for the whole download (redirects included), and only identity
encoding (a gzip bomb is refused, never decoded). The type is checked by magic bytes as soon as they arrive.

Tests never reach the internet: they inject a resolver (host -> IPs) and set DESIGN_FETCH_TEST_UPSTREAM to a
loopback http:// server; the connection meant for the pinned IP then goes there (plain HTTP, `Host` as it would
be), and every other check runs unchanged. The setting is empty in production and is not read from the
environment.
"""

from __future__ import annotations

import hashlib
import socket
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from printbridge.catalog import filetypes, netguard
from printbridge.catalog.netguard import IPAddress, Rejected, Resolver, Target

REDIRECTS = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "Printbridge-design-fetcher/1"
SPOOL_IN_MEMORY = 5 * 1024 * 1024  # larger downloads spill to a temporary file


class FetchFailed(Rejected):
    """The download failed or its answer broke a rule; the message is shown on the design."""


def system_resolver(host: str) -> list[str]:
    """The host's addresses from the system resolver, in its order, each once."""
    infos = socket.getaddrinfo(host, netguard.HTTPS_PORT, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    timeout_seconds: float
    max_redirects: int


@dataclass
class Fetched:
    """A downloaded file, checked: call close() (or use `with`) to drop its temporary copy."""

    file: IO[bytes]
    size: int
    sha256: str
    sniffed: filetypes.Sniffed
    final_url: str
    hops: list[tuple[str, str]] = field(default_factory=list)  # (URL, the pinned IP it was fetched from)

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> Fetched:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class SafeFetcher:
    def __init__(
        self,
        limits: Limits,
        resolver: Resolver = system_resolver,
        allowed_hosts: Iterable[str] = (),
        test_upstream: str = "",
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = limits
        self.resolver = resolver
        self.allowed_hosts = tuple(allowed_hosts)
        self.test_upstream = _checked_test_upstream(test_upstream)
        self.transport = transport
        self.clock = clock

    def fetch(self, url: str) -> Fetched:
        """The file at `url`, or FetchFailed / Rejected saying which rule stopped it."""
        deadline = self.clock() + self.limits.timeout_seconds
        hops: list[tuple[str, str]] = []
        for _hop in range(self.limits.max_redirects + 1):
            target = netguard.parse_url(url, self.allowed_hosts)
            address = netguard.pinned_address(target, self.resolver)
            hops.append((target.url, str(address)))
            with self._response(target, address, deadline) as response:
                location = _redirect_location(response, target)
                if location is None:
                    fetched = self._read(response, deadline)
                    fetched.final_url, fetched.hops = target.url, hops
                    return fetched
            url = location
        raise FetchFailed(f"The link redirects more than {self.limits.max_redirects} times")

    @contextmanager
    def _response(self, target: Target, address: IPAddress, deadline: float) -> Iterator[httpx.Response]:
        remaining = self._remaining(deadline)
        timeout = httpx.Timeout(remaining, connect=min(remaining, 10.0))
        transport = self.transport or httpx.HTTPTransport(retries=0)
        client = httpx.Client(transport=transport, timeout=timeout, trust_env=False, follow_redirects=False)
        request = client.build_request(
            "GET", self._connection_url(target, address), headers=_headers(target), extensions=_sni(target)
        )
        with client, _translated_errors(self, target):
            response = client.send(request, stream=True)
            try:
                yield response
            finally:
                response.close()

    def _connection_url(self, target: Target, address: IPAddress) -> str:
        if self.test_upstream:
            return self.test_upstream + target.path
        host = f"[{address}]" if address.version == 6 else str(address)
        return f"https://{host}:{target.port}{target.path}"

    def _remaining(self, deadline: float) -> float:
        remaining = deadline - self.clock()
        if remaining <= 0:
            raise FetchFailed(self._too_slow())
        return remaining

    def _too_slow(self) -> str:
        return f"The download took longer than {self.limits.timeout_seconds:g} seconds"

    def _read(self, response: httpx.Response, deadline: float) -> Fetched:
        _check_headers(response, self.limits.max_bytes)
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - handed to Fetched
        try:
            size, digest, head = self._stream(response, deadline, spool)
        except BaseException:
            spool.close()
            raise
        spool.seek(0)
        return Fetched(spool, size, digest, filetypes.sniff(head), final_url="")

    def _stream(self, response: httpx.Response, deadline: float, spool: IO[bytes]) -> tuple[int, str, bytes]:
        size, digest, head = 0, hashlib.sha256(), b""
        for chunk in response.iter_raw():
            size += len(chunk)
            if size > self.limits.max_bytes:
                raise FetchFailed(_too_large(self.limits.max_bytes))
            if self.clock() > deadline:
                raise FetchFailed(self._too_slow())
            if len(head) < filetypes.HEADER_BYTES:
                head += chunk[: filetypes.HEADER_BYTES - len(head)]
                _check_type_early(head, response)
            digest.update(chunk)
            spool.write(chunk)
        if size == 0:
            raise FetchFailed("The server sent an empty file")
        _check_type(head, response)
        return size, digest.hexdigest(), head


def _checked_test_upstream(origin: str) -> str:
    if not origin:
        return ""
    split = urlsplit(origin)
    if split.scheme != "http" or split.hostname not in {"127.0.0.1", "::1", "localhost"} or split.path:
        raise ImproperlyConfigured(
            "DESIGN_FETCH_TEST_UPSTREAM must be a loopback http:// origin (tests only)"
        )
    return origin.rstrip("/")


def _headers(target: Target) -> dict[str, str]:
    return {
        "Host": target.host_header,
        "User-Agent": USER_AGENT,
        "Accept": "image/png, image/jpeg, application/pdf",
        "Accept-Encoding": "identity",
    }


def _sni(target: Target) -> dict[str, str]:
    """TLS SNI and certificate check against the host name, while the socket goes to the pinned IP."""
    return {} if target.address is not None else {"sni_hostname": target.host}


@contextmanager
def _translated_errors(fetcher: SafeFetcher, target: Target) -> Iterator[None]:
    try:
        yield
    except httpx.TimeoutException:
        raise FetchFailed(fetcher._too_slow()) from None
    except httpx.ConnectError as exc:
        raise FetchFailed(f"Could not connect to {target.host}: {_reason(exc)}") from None
    except httpx.HTTPError as exc:
        raise FetchFailed(f"The download from {target.host} failed: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    return str(exc)[:200] or type(exc).__name__


def _redirect_location(response: httpx.Response, target: Target) -> str | None:
    """The next URL for a redirect (relative ones resolved), None for a 2xx; FetchFailed for anything else."""
    if response.status_code in REDIRECTS:
        location = response.headers.get("location", "").strip()
        if not location:
            raise FetchFailed(f"The server answered {response.status_code} without saying where to go")
        return urljoin(target.url, location)
    if not 200 <= response.status_code < 300:
        reason = response.reason_phrase or "error"
        raise FetchFailed(f"The server answered {response.status_code} {reason} for {target.url}")
    return None


def _too_large(max_bytes: int) -> str:
    return f"The file is larger than the {filetypes.size_limit(max_bytes)} limit"


def _check_headers(response: httpx.Response, max_bytes: int) -> None:
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding not in ("", "identity"):
        raise FetchFailed(
            f"The server sent the file compressed ({encoding}); compressed downloads are refused"
        )
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchFailed(_too_large(max_bytes))


def _check_type_early(head: bytes, response: httpx.Response) -> None:
    if len(head) >= filetypes.SNIFF_BYTES:
        _check_type(head, response)


def _check_type(head: bytes, response: httpx.Response) -> None:
    try:
        filetypes.content_type(head)
    except filetypes.UnsupportedType:
        declared = response.headers.get("content-type", "").split(";")[0].strip()
        said = f" (the server called it {declared})" if declared else ""
        raise FetchFailed(f"The file is not a PNG, JPEG or PDF{said}") from None


def fetcher_from_settings(resolver: Resolver | None = None) -> SafeFetcher:
    limits = Limits(
        max_bytes=settings.DESIGN_MAX_BYTES,
        timeout_seconds=settings.DESIGN_FETCH_TIMEOUT_SECONDS,
        max_redirects=settings.DESIGN_FETCH_MAX_REDIRECTS,
    )
    return SafeFetcher(
        limits,
        resolver=resolver or system_resolver,
        allowed_hosts=settings.DESIGN_FETCH_ALLOWED_HOSTS,
        test_upstream=settings.DESIGN_FETCH_TEST_UPSTREAM,
    )
