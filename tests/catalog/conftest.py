"""Catalog and designs fixtures: media in a temporary folder, a fake DNS (no test resolves a real name), a loopback
file server standing in for the internet (DESIGN_FETCH_TEST_UPSTREAM), and the Gelato emulator with the account's
key set."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from printbridge.catalog import fetch
from printbridge.fulfilment.services.accounts import set_gelato_key
from printbridge.integrations.gelato.emulator import GelatoEmulator, GelatoEmulatorConfig
from tests.ingestion.conftest import _keys  # noqa: F401 - autouse: a fresh key file per test

PUBLIC_IP = "93.184.216.34"
OTHER_PUBLIC_IP = "151.101.1.69"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRINTBRIDGE_BASE_URL = "https://printbridge.example"


class FakeDns:
    """host -> a list of answers, one per lookup (the last repeats): `dns.answer("a.example", [ip], [ip2])`."""

    def __init__(self) -> None:
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []

    def answer(self, host: str, *answers: list[str]) -> None:
        self.answers[host] = list(answers)

    def __call__(self, host: str) -> list[str]:
        self.lookups.append(host)
        answers = self.answers.get(host)
        if not answers:
            raise OSError(f"[Errno -2] Name or service not known: {host}")
        return answers.pop(0) if len(answers) > 1 else answers[0]


@pytest.fixture(autouse=True)
def dns(monkeypatch) -> FakeDns:
    """Every design fetch in these tests resolves through this fake (the system resolver is never used)."""
    fake = FakeDns()
    monkeypatch.setattr(fetch, "system_resolver", fake)
    return fake


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drip: float = 0.0  # seconds between bytes: a slow drip
    declared_length: int | None = None  # another Content-Length (a "5 GB" file); -1: none, the close ends it
    delay: float = 0.0  # seconds before the status line: a server that does not answer


@dataclass(frozen=True)
class Seen:
    host: str
    path: str
    headers: dict[str, str]


class FileServer:
    """A loopback HTTP server answering by (Host header, path); it records every request it gets."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.seen: list[Seen] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def route(self, host: str, path: str, **reply) -> None:
        self.routes[(host, path)] = Route(**reply)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                host = self.headers.get("Host", "")
                server.seen.append(Seen(host, self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get((host, self.path), Route(404, b"not found"))
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._answer(route)  # the fetcher may hang up, as it should on a refused answer

            def _answer(self, route: Route) -> None:
                time.sleep(route.delay)
                self.send_response(route.status)
                length = route.declared_length if route.declared_length is not None else len(route.body)
                if length >= 0:
                    self.send_header("Content-Length", str(length))
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.send_header("Connection", "close")
                self.end_headers()
                if not route.drip:
                    self.wfile.write(route.body)
                    return
                for index in range(len(route.body)):
                    self.wfile.write(route.body[index : index + 1])
                    self.wfile.flush()
                    time.sleep(route.drip)

            def log_message(self, *args) -> None:
                pass

        return Handler

    def start(self) -> FileServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def files(settings) -> Iterator[FileServer]:
    """The internet, for design fetches: connections for validated, pinned IPs go to this loopback server."""
    server = FileServer().start()
    settings.DESIGN_FETCH_TEST_UPSTREAM = server.origin
    yield server
    server.stop()


@pytest.fixture
def gelato(account, actor) -> Iterator[GelatoEmulator]:
    """The Gelato emulator, and the account's key set to it."""
    emulator = GelatoEmulator(GelatoEmulatorConfig(port=0, time_scale=1.0, seed=3)).start()
    emulator.add_account(api_key="gelato-key")
    set_gelato_key(
        account, "gelato-key", actor, order_url=emulator.order_url, product_url=emulator.product_url
    )
    emulator.setup_calls = len(emulator.requests)  # the key check's GET /v3/catalogs
    try:
        yield emulator
    finally:
        emulator.stop()


def calls(emulator: GelatoEmulator) -> list[tuple[str, str]]:
    """The API calls the emulator saw since the fixture set the key up."""
    return emulator.requests[emulator.setup_calls :]


@pytest.fixture
def browser(user) -> Client:
    """A logged-in session that must send the CSRF token, as a browser does."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def web(user) -> Client:
    """A logged-in session without CSRF enforcement (the page flows themselves)."""
    client = Client()
    client.force_login(user)
    return client
