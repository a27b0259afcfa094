"""The Gelato request pipeline on the BigCommerce emulator's loopback HTTP server: admin paths, the outage,
X-API-KEY, scripted faults, routing, and Gelato-shaped error bodies."""

from __future__ import annotations

import math
from http import HTTPStatus

from printbridge.integrations.bigcommerce.emulator.routes import ApiError, Reply, Request, Router
from printbridge.integrations.bigcommerce.emulator.server import Handler, Outcome, json_outcome

UNAUTHORIZED = "Unauthorized: the X-API-KEY header is missing or not a known API key."
UNAVAILABLE = "Service unavailable: Gelato is down (emulated outage)."
INJECTED = "Injected fault: the emulator answered with an error."


def error_body(status: int, message: str, errors: dict | None = None) -> dict:
    """`{code, message, details}`; `message` is what Gelato documents, `code`/`details` are our additions."""
    code = HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    details = [{"field": field, "message": text} for field, text in (errors or {}).items()]
    return {"code": code, "message": message, "details": details}


def error_outcome(status: int, message: str, errors: dict | None = None) -> Outcome:
    return json_outcome(status, error_body(status, message, errors))


class GelatoHandler(Handler):
    server_version = "GelatoEmulator/1.0"


class GelatoPipeline:
    def __init__(self, emulator, api: Router, admin: Router) -> None:
        self.emulator, self.api, self.admin = emulator, api, admin

    def error_outcome(self, status: int, message: str) -> Outcome:
        return error_outcome(status, message)

    def handle(self, method: str, path: str, raw_query: str, body: bytes, headers) -> Outcome:
        request = Request.build(method, path, raw_query, body)
        request.emulator = self.emulator
        if path.startswith("/_emulator/"):
            return self._dispatch(self.admin, request)
        full_path = path + (f"?{raw_query}" if raw_query else "")
        self.emulator.record_request(method, full_path)
        if self.emulator.faults.in_outage():
            return error_outcome(503, UNAVAILABLE)
        request.store = self.emulator.account_for(headers.get("X-API-KEY"))
        if request.store is None:
            return error_outcome(401, UNAUTHORIZED)
        return self._with_faults(request, full_path)

    def _with_faults(self, request: Request, full_path: str) -> Outcome:
        plan = self.emulator.faults.take(full_path)
        if plan.disconnect:
            return Outcome(disconnect=True)
        if plan.rate_limit_reset_ms is not None:
            seconds = str(math.ceil(plan.rate_limit_reset_ms / 1000))
            outcome = error_outcome(429, f"Too many requests: retry after {seconds} seconds.")
            outcome.headers["Retry-After"] = seconds
            return outcome
        if plan.fail_status is not None and not plan.fail_after_effect:
            return error_outcome(plan.fail_status, INJECTED)
        if plan.delay_seconds and not plan.delay_after_effect:
            outcome = error_outcome(504, "Gateway timeout: the request was not processed.")
        else:
            outcome = self._dispatch(self.api, request)
        if plan.fail_status is not None:
            outcome = error_outcome(plan.fail_status, INJECTED)
        outcome.delay = plan.delay_seconds
        return outcome

    def _dispatch(self, router: Router, request: Request) -> Outcome:
        try:
            handler, request.params = router.resolve(request.method, request.path)
            reply = handler(request)
        except ApiError as error:
            reply = Reply(error.status, error_body(error.status, error.message, error.errors))
        return json_outcome(reply.status, reply.body, reply.headers)
