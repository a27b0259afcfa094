"""A webhook destination for tests: a real http.server on loopback in a thread. Each POST is answered from
`statuses` (then 200), after `delay` seconds, and handed to `record`, which a subclass overrides to keep what its
tests read; `wait_for` blocks until that many POSTs were recorded."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class LoopbackReceiver:
    path = "/webhooks"

    def __init__(self) -> None:
        self.received: list[Any] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        self._cond = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.path}"

    def record(self, path: str, headers: Mapping[str, str], body: bytes, status: int) -> Any:
        """What `received` keeps of one POST (called under the lock, in arrival order)."""
        return body

    def answer(self, status: int) -> bytes:
        return b""

    def _handle(self, path: str, headers: Mapping[str, str], body: bytes) -> int:
        time.sleep(self.delay)
        with self._cond:
            status = self.statuses.pop(0) if self.statuses else 200
            self.received.append(self.record(path, headers, body, status))
            self._cond.notify_all()
        return status

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver._handle(self.path, self.headers, body)
                answer = receiver.answer(status)
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        return Handler

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Any]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} webhooks, got {len(self.received)}")
                self._cond.wait(left)
            return list(self.received)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
