"""A custom store's webhook endpoint on loopback: a real http.server in a thread that records every POST (raw
body and headers) and answers from a script of statuses (then 200), optionally late."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]  # lower-case names
    body: bytes
    status: int  # what the receiver answered

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class StoreEndpoint:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/printbridge"

    def _handler_class(self):
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(endpoint.delay)
                with endpoint._lock:
                    status = endpoint.statuses.pop(0) if endpoint.statuses else 200
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    endpoint.received.append(Received(headers, body, status))
                answer = b"receiver is down" if status >= 500 else b"ok"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        return Handler

    def events(self) -> list[str]:
        return [r.json["type"] for r in self.received]

    def start(self) -> StoreEndpoint:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def endpoint(settings) -> Iterator[StoreEndpoint]:
    settings.PRINTBRIDGE_ALLOW_LOOPBACK_WEBHOOKS = True
    server = StoreEndpoint().start()
    yield server
    server.stop()
