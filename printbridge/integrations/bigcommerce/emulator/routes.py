"""Routing for the emulated API: request context, replies, errors and a small path router."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs


class ApiError(Exception):
    """An error reply; rendered as the v2 list or the v3 object depending on the API version."""

    def __init__(self, status: int, message: str, errors: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    method: str
    path: str  # the API path after /stores/{hash}, e.g. /v2/orders
    query: dict[str, list[str]]
    body: bytes
    store: Any = None
    client_id: str | None = None
    emulator: Any = None
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, method: str, path: str, raw_query: str, body: bytes) -> Request:
        return cls(method, path, parse_qs(raw_query, keep_blank_values=True), body)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def int_arg(self, name: str, default: int | None = None) -> int | None:
        value = self.arg(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise ApiError(400, f"The filter '{name}' must be an integer.") from None

    def list_arg(self, name: str) -> list[str]:
        return [part for value in self.query.get(name, []) for part in value.split(",") if part]

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            raise ApiError(400, "The request body is not valid JSON.") from None

    def json_object(self) -> dict:
        body = self.json()
        if not isinstance(body, dict):
            raise ApiError(400, "The request body must be a JSON object.")
        return body


Handler = Callable[[Request], Reply]
_PARAM = re.compile(r"\{(\w+)(?::(int))?\}")


class Router:
    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler, dict[str, bool]]] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        ints = {name: kind == "int" for name, kind in _PARAM.findall(template)}
        pattern = _PARAM.sub(lambda m: rf"(?P<{m[1]}>\d+)" if m[2] else rf"(?P<{m[1]}>[^/]+)", template)
        self._routes.append((method, re.compile(f"^{pattern}$"), handler, ints))

    def resolve(self, method: str, path: str) -> tuple[Handler, dict[str, Any]]:
        path_matched = False
        for route_method, pattern, handler, ints in self._routes:
            match = pattern.match(path)
            if match is None:
                continue
            path_matched = True
            if route_method == method:
                params = {k: int(v) if ints[k] else v for k, v in match.groupdict().items()}
                return handler, params
        if path_matched:
            raise ApiError(405, "The requested method is not allowed on this resource.")
        raise ApiError(404, "The requested resource was not found.")


def page_args(request: Request, default_limit: int = 50) -> tuple[int, int]:
    """`page` (from 1) and `limit` (1–250; more is 413, as BigCommerce answers)."""
    page = request.int_arg("page", 1)
    limit = request.int_arg("limit", default_limit)
    assert page is not None and limit is not None
    if page < 1 or limit < 1:
        raise ApiError(400, "The 'page' and 'limit' parameters must be positive integers.")
    if limit > 250:
        raise ApiError(413, "The 'limit' parameter must not exceed 250.")
    return page, limit


def v2_page(request: Request, rows: list) -> Reply:
    """A v2 page: a bare JSON array, or 204 with no body when the page is empty."""
    page, limit = page_args(request)
    chunk = rows[(page - 1) * limit : page * limit]
    return Reply(200, chunk) if chunk else Reply(204)


def v3_page(request: Request, rows: list) -> Reply:
    """A v3 page: {data, meta: {pagination}} (an empty page is still 200)."""
    page, limit = page_args(request)
    total = len(rows)
    chunk = rows[(page - 1) * limit : page * limit]
    pages = max(1, -(-total // limit))
    links = {"current": f"?page={page}&limit={limit}"}
    if page > 1:
        links["previous"] = f"?page={page - 1}&limit={limit}"
    if page < pages:
        links["next"] = f"?page={page + 1}&limit={limit}"
    pagination = {
        "total": total,
        "count": len(chunk),
        "per_page": limit,
        "current_page": page,
        "total_pages": pages,
        "links": links,
    }
    return Reply(200, {"data": chunk, "meta": {"pagination": pagination}})
