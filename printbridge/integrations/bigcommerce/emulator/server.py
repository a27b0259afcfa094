"""The HTTP side: a ThreadingHTTPServer on loopback and the request pipeline
(admin and OAuth paths, store lookup, auth, rate limit, faults, routing, error bodies)."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

from .formats import v2_error, v3_error
from .ratelimit import RateState
from .routes import ApiError, Reply, Request, Router

log = logging.getLogger(__name__)
STORE_PATH = re.compile(r"^/stores/(?P<hash>[A-Za-z0-9_-]+)(?P<api>/v[23]/.*)$")
UNAUTHORIZED = (
    "Unauthorized - the v3 Auth client ID or token in the request are not a valid combination for this store."
)


@dataclass
class Outcome:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    disconnect: bool = False


def json_outcome(status: int, body, headers: dict[str, str] | None = None) -> Outcome:
    if status == 204 or body is None:
        return Outcome(status, b"", dict(headers or {}))
    data = json.dumps(body).encode()
    return Outcome(status, data, {"Content-Type": "application/json", **(headers or {})})


def error_body(api_path: str, error: ApiError):
    if api_path.startswith("/v2/"):
        return v2_error(error.status, error.message)
    return v3_error(error.status, error.message, error.errors)


class RequestPipeline(Protocol):
    """What EmulatorServer needs from an emulator: answer one request, and render an error of its own shape."""

    def handle(self, method: str, path: str, raw_query: str, body: bytes, headers) -> Outcome: ...

    def error_outcome(self, status: int, message: str) -> Outcome: ...


class Pipeline:
    def __init__(self, emulator, api: Router, admin: Router) -> None:
        self.emulator, self.api, self.admin = emulator, api, admin

    def handle(self, method: str, path: str, raw_query: str, body: bytes, headers) -> Outcome:
        if path.startswith("/_emulator/"):
            return self._admin(Request.build(method, path, raw_query, body))
        if path == "/oauth2/token":
            return self._token(method, body, headers.get("Content-Type", ""))
        match = STORE_PATH.match(path)
        if match is None:
            return json_outcome(404, v3_error(404, "The requested resource was not found."))
        store = self.emulator.stores.get(match["hash"])
        client_id = store.client_for(headers.get("X-Auth-Token")) if store else None
        if client_id is None:
            return json_outcome(401, v3_error(401, UNAUTHORIZED))
        request = Request.build(method, match["api"], raw_query, body)
        request.store, request.client_id, request.emulator = store, client_id, self.emulator
        return self._store_request(request, path + (f"?{raw_query}" if raw_query else ""))

    def _store_request(self, request: Request, full_path: str) -> Outcome:
        store = request.store
        store.record_request(request.method, full_path)
        state = store.limiter.consume()
        if not state.allowed:
            return _too_many(state)
        plan = self.emulator.faults.take(full_path)
        if plan.disconnect:
            return Outcome(disconnect=True)
        if plan.rate_limit_reset_ms is not None:
            return _too_many(store.limiter.forced(plan.rate_limit_reset_ms))
        if plan.fail_status is not None and not plan.fail_after_effect:
            return self._failure(request.path, plan.fail_status, state)
        if plan.delay_seconds and not plan.delay_after_effect:
            outcome = self._failure(request.path, 504, state)
            outcome.delay = plan.delay_seconds
            return outcome
        outcome = self._route(request, state)
        if plan.fail_status is not None:
            outcome = self._failure(request.path, plan.fail_status, state)
        outcome.delay = plan.delay_seconds
        return outcome

    def _route(self, request: Request, state: RateState) -> Outcome:
        try:
            handler, request.params = self.api.resolve(request.method, request.path)
            reply = handler(request)
        except ApiError as error:
            reply = Reply(error.status, error_body(request.path, error))
        return json_outcome(reply.status, reply.body, {**state.headers(), **reply.headers})

    def _failure(self, api_path: str, status: int, state: RateState) -> Outcome:
        error = ApiError(status, "Injected fault: the emulator answered with an error.")
        return json_outcome(status, error_body(api_path, error), state.headers())

    def error_outcome(self, status: int, message: str) -> Outcome:
        return json_outcome(status, v3_error(status, message))

    def _admin(self, request: Request) -> Outcome:
        request.emulator = self.emulator
        try:
            handler, request.params = self.admin.resolve(request.method, request.path)
            reply = handler(request)
        except ApiError as error:
            reply = Reply(error.status, v3_error(error.status, error.message, error.errors))
        return json_outcome(reply.status, reply.body, reply.headers)

    def _token(self, method: str, body: bytes, content_type: str) -> Outcome:
        if method != "POST":
            return json_outcome(405, {"error": "Method not allowed."})
        if content_type.startswith("application/x-www-form-urlencoded"):
            form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
        else:
            try:
                form = json.loads(body or b"{}")
            except ValueError:
                form = None
        if not isinstance(form, dict):
            return json_outcome(400, {"error": "The body must be a form or a JSON object."})
        status, reply = self.emulator.apps.exchange(form, self.emulator.stores)
        return json_outcome(status, reply)


def _too_many(state: RateState) -> Outcome:
    body = v3_error(429, "Too many requests: the store's API quota for this window is used up.")
    return json_outcome(429, body, state.headers())


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    max_body = 1_000_000

    def __init__(
        self,
        address: tuple[str, int],
        pipeline: RequestPipeline,
        stopping: threading.Event,
        handler: type[Handler] | None = None,
    ) -> None:
        self.pipeline, self.stopping = pipeline, stopping
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, handler or Handler)

    def process_request(self, request, client_address) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_open_connections(self) -> None:
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "BigCommerceEmulator/1.0"
    disable_nagle_algorithm = True  # headers and body go out in two writes; don't wait for delayed ACKs
    server: EmulatorServer

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def log_message(self, format: str, *args) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > self.server.max_body:
            self.close_connection = True
            return self._write(self.server.pipeline.error_outcome(413, "The request body is too large."))
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        try:
            outcome = self.server.pipeline.handle(self.command, parts.path, parts.query, body, self.headers)
        except Exception:
            log.exception("emulator: unhandled error for %s %s", self.command, self.path)
            outcome = self.server.pipeline.error_outcome(500, "Internal emulator error.")
        if outcome.disconnect:
            self.close_connection = True
            return None
        if outcome.delay and self.server.stopping.wait(outcome.delay):
            self.close_connection = True
            return None
        return self._write(outcome)

    def _write(self, outcome: Outcome) -> None:
        try:
            self.send_response(outcome.status)
            for name, value in outcome.headers.items():
                self.send_header(name, value)
            if outcome.status != 204:
                self.send_header("Content-Length", str(len(outcome.body)))
            self.end_headers()
            self.wfile.write(outcome.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
