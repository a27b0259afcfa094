"""Gelato client: Order API v4 and Product API v3, one method per endpoint, dataclasses out, only
integrations.errors (and its AlreadyPrinted) raised, no retries inside: retry lives with the caller.

Conventions (../shared/reference/gelato-and-peers.md §4-§5): `X-API-KEY` on every call, JSON bodies, orders on
https://order.gelatoapis.com, catalogs and products on https://product.gelatoapis.com. Order API v4 has no
idempotency key: look an order up by our `orderReferenceId` (`find_by_reference`) before creating it and again
after an ambiguous failure (timeout, 5xx) instead of creating twice.

Errors: timeouts, connection errors, 408, 425 and 5xx -> RetryableError; 429 -> RateLimited (Retry-After in
seconds or as an HTTP date, 30 s without one); 409 on cancel -> AlreadyPrinted; other 4xx, invalid JSON and a
broken shape -> PermanentError with Gelato's own message.
"""

from __future__ import annotations

import email.utils
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from printbridge.integrations.errors import PermanentError, RateLimited, RetryableError
from printbridge.integrations.gelato import parsing
from printbridge.integrations.gelato.errors import AlreadyPrinted
from printbridge.integrations.gelato.payloads import (
    Catalog,
    CatalogProduct,
    GelatoOrder,
    NewOrder,
    ProductPage,
)

DEFAULT_ORDER_BASE_URL = "https://order.gelatoapis.com"
DEFAULT_PRODUCT_BASE_URL = "https://product.gelatoapis.com"
DEFAULT_TIMEOUT = httpx.Timeout(15, connect=3)
DEFAULT_RESET_SECONDS = 30.0  # a 429 without a usable Retry-After
USER_AGENT = "printbridge-gelato-client/1"
AttributeFilters = Mapping[str, Sequence[str]]


class GelatoClient:
    def __init__(
        self,
        api_key: str,
        order_base_url: str = DEFAULT_ORDER_BASE_URL,
        product_base_url: str = DEFAULT_PRODUCT_BASE_URL,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self.order_base_url = order_base_url.rstrip("/")
        self.product_base_url = product_base_url.rstrip("/")
        self.timeout = timeout
        headers = {"X-API-KEY": api_key, "Accept": "application/json", "User-Agent": USER_AGENT}
        self._http = httpx.Client(headers=headers, timeout=timeout)

    def __repr__(self) -> str:
        return f"GelatoClient(order_base_url={self.order_base_url!r}, product_base_url={self.product_base_url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GelatoClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # Orders (v4)

    def create_order(self, order: NewOrder) -> GelatoOrder:
        """Creates and (for orderType "order") starts production. Not idempotent: see the module docstring."""
        created = parsing.parse_order(self._order_json("POST", "/v4/orders", order.to_json()))
        if created.order_reference_id != order.order_reference_id:
            message = f"created order {created.id} carries reference {created.order_reference_id!r}"
            raise PermanentError(
                None, f"{message}, sent {order.order_reference_id!r}", request="POST /v4/orders"
            )
        return created

    def get_order(self, order_id: str) -> GelatoOrder:
        path = f"/v4/orders/{_segment(order_id)}"
        order = parsing.parse_order(self._order_json("GET", path))
        if order.id != order_id:
            raise PermanentError(
                None, f"asked for order {order_id}, got order {order.id}", request=f"GET {path}"
            )
        return order

    def find_by_reference(self, order_reference_id: str) -> GelatoOrder | None:
        """The one order carrying our reference (read in full), None when there is none. More than one, or a
        search answer that ignored the filter, raises PermanentError: "not found" must be trustworthy, because
        the caller creates the order when it gets None."""
        request = "POST /v4/orders:search"
        if not order_reference_id:
            raise PermanentError(None, "an empty reference cannot name a Gelato order", request=request)
        body = self._order_json("POST", "/v4/orders:search", {"orderReferenceIds": [order_reference_id]})
        found = parsing.parse_order_summaries(body)
        strangers = sorted({reference for _, reference in found} - {order_reference_id})
        if strangers:
            message = f"search for {order_reference_id!r} returned orders of other references {strangers}"
            raise PermanentError(None, message, request=request)
        if len(found) > 1:
            ids = ", ".join(order_id for order_id, _ in found)
            message = f"{len(found)} orders carry reference {order_reference_id!r}: {ids}"
            raise PermanentError(None, message, request=request)
        return self.get_order(found[0][0]) if found else None

    def cancel_order(self, order_id: str) -> None:
        """Cancels before production; AlreadyPrinted (HTTP 409) once any item is printed."""
        self._send("POST", self.order_base_url, f"/v4/orders/{_segment(order_id)}:cancel", conflict=True)

    # Catalogs and products (v3)

    def list_catalogs(self) -> list[Catalog]:
        return parsing.parse_catalog_list(self._product_json("GET", "/v3/catalogs"))

    def get_catalog(self, catalog_uid: str) -> Catalog:
        path = f"/v3/catalogs/{_segment(catalog_uid)}"
        catalog = parsing.parse_catalog(self._product_json("GET", path))
        if catalog.uid != catalog_uid:
            message = f"asked for catalog {catalog_uid}, got catalog {catalog.uid}"
            raise PermanentError(None, message, request=f"GET {path}")
        return catalog

    def search_products(
        self,
        catalog_uid: str,
        attribute_filters: AttributeFilters | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> ProductPage:
        """One page of a catalog's products with facet counts. A filter value given as a str is one value."""
        filters = {
            name: [values] if isinstance(values, str) else list(values)
            for name, values in (attribute_filters or {}).items()
        }
        body = {"attributeFilters": filters, "limit": limit, "offset": offset}
        path = f"/v3/catalogs/{_segment(catalog_uid)}/products:search"
        return parsing.parse_product_page(self._product_json("POST", path, body), limit, offset)

    def get_product(self, product_uid: str) -> CatalogProduct:
        path = f"/v3/products/{_segment(product_uid)}"
        product = parsing.parse_product(self._product_json("GET", path))
        if product.product_uid != product_uid:
            message = f"asked for product {product_uid}, got product {product.product_uid}"
            raise PermanentError(None, message, request=f"GET {path}")
        return product

    # Transport

    def _order_json(self, method: str, path: str, body: Any = None) -> Any:
        return _decode(f"{method} {path}", self._send(method, self.order_base_url, path, body))

    def _product_json(self, method: str, path: str, body: Any = None) -> Any:
        return _decode(f"{method} {path}", self._send(method, self.product_base_url, path, body))

    def _send(
        self, method: str, base_url: str, path: str, body: Any = None, conflict: bool = False
    ) -> httpx.Response:
        """The 2xx response; `conflict` maps a 409 to AlreadyPrinted (the cancel endpoint)."""
        request = f"{method} {path}"
        try:
            response = self._http.request(method, base_url + path, json=body)
        except httpx.TimeoutException as exc:
            raise RetryableError(f"timed out ({type(exc).__name__})", request=request) from exc
        except (httpx.NetworkError, httpx.ProtocolError, httpx.ProxyError) as exc:
            raise RetryableError(f"{type(exc).__name__}: {exc}", request=request) from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise PermanentError(None, f"{type(exc).__name__}: {exc}", request=request) from exc
        if conflict and response.status_code == 409:
            raise AlreadyPrinted(409, _error_message(response), request=request)
        _raise_for_status(request, response)
        return response


def _segment(value: str) -> str:
    """One path segment: an id can never add path parts, a query or a `:verb`."""
    if not value:
        raise PermanentError(None, "an empty id cannot name a Gelato resource")
    return quote(value, safe="")


def _decode(request: str, response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise PermanentError(None, f"invalid JSON: {response.text[:80]!r}", request=request) from None


def _raise_for_status(request: str, response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    message = _error_message(response)
    if status == 429:
        now = datetime.now(UTC)
        raise RateLimited(retry_after_seconds(response.headers, now), message, request=request)
    if status in (408, 425) or status >= 500:
        raise RetryableError(message, status, request=request)
    raise PermanentError(status, message, request=request)


def retry_after_seconds(headers: Mapping[str, str], now: datetime) -> float:
    """Seconds to wait after a 429: `Retry-After` as delay-seconds, or as an HTTP date measured from the
    response's own `Date` (the server's clock) when it has one, else from `now`; 30 s when absent or broken."""
    value = (headers.get("retry-after") or "").strip()
    if value.isascii() and value.isdigit():
        return float(int(value))
    until = _http_date(value)
    if until is None:
        return DEFAULT_RESET_SECONDS
    sent = _http_date(headers.get("date") or "") or now
    return max(0.0, (until - sent).total_seconds())


def _http_date(value: str) -> datetime | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _error_message(response: httpx.Response) -> str:
    """Gelato's own words: `{message, code, details}`; the raw text when the body is not JSON."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300] or response.reason_phrase
    if not isinstance(body, dict):
        return response.reason_phrase
    text = body.get("message") or body.get("error") or body.get("title") or body.get("code")
    message = text if isinstance(text, str) else response.reason_phrase
    details = body.get("details")
    return f"{message} {json.dumps(details, sort_keys=True)}" if details else message
