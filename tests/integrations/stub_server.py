"""A tiny scripted HTTP server on 127.0.0.1: answers each request with the next scripted response, records all."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: object = None  # bytes are sent as they are; anything else as JSON; None sends no body
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering


@dataclass(frozen=True)
class Seen:
    method: str
    path: str  # with the raw query string, as it came over the wire
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


class _JoiningServer(ThreadingHTTPServer):
    daemon_threads = False  # server_close() waits for every handler thread (HTTP/1.0: one request each)


class StubServer:
    def __init__(self, *replies: Reply) -> None:
        self.replies = deque(replies)
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server = _JoiningServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), name="bigcommerce-stub"
        )

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        return f"{self.origin}/stores/abc123"

    @property
    def requests(self) -> list[tuple[str, str]]:
        return [(seen.method, seen.path) for seen in self.seen]

    def start(self) -> StubServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()  # joins handler threads, including one still sleeping out a delay
        self._thread.join()

    def _next(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            return self.replies.popleft() if self.replies else Reply(599, {"title": "unscripted request"})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {name.lower(): value for name, value in self.headers.items()}
                reply = stub._next(Seen(self.command, self.path, headers, body))
                time.sleep(reply.delay)
                self._answer(reply)

            def _answer(self, reply: Reply) -> None:
                payload = reply.body if isinstance(reply.body, bytes) else b""
                if reply.body is not None and not isinstance(reply.body, bytes):
                    payload = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.status != 204:
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up waiting (a timeout test)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
