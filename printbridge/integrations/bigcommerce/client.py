"""BigCommerce REST client: one method per endpoint, dataclasses out, only integrations.errors raised, no retries.

Conventions (../shared/reference/bigcommerce.md): `X-Auth-Token` and `Accept: application/json` on every call,
never `X-Auth-Client`; v2 lists page with `page`/`limit` and end on HTTP 204 or a short page; v3 lists use the
`{data, meta.pagination}` envelope. `rate_limit` holds the last response's `X-Rate-Limit-*` headers.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, TypeVar

import httpx

from printbridge.integrations.bigcommerce import parsing
from printbridge.integrations.bigcommerce.json_reader import parse_list
from printbridge.integrations.bigcommerce.payloads import (
    Hook,
    LineItem,
    LineItemSource,
    NewProduct,
    NewShipment,
    Order,
    OrderProduct,
    Product,
    ProductImage,
    RateLimitState,
    Shipment,
    ShippingAddress,
    StoreInfo,
    Variant,
    kind_of,
)
from printbridge.integrations.errors import PermanentError, RateLimited, RetryableError

DEFAULT_TIMEOUT = httpx.Timeout(10, connect=2)
PAGE_LIMIT = 250
MAX_PAGES = 100  # a server that ignores `page` must not keep us looping
DEFAULT_RESET_SECONDS = 3.0  # a 429 without X-Rate-Limit-Time-Reset-Ms means platform load
ORDER_INCLUDES = {"include": "consignments.line_items", "consignment_structure": "object"}
USER_AGENT = "printbridge-bigcommerce-client/1"
_T = TypeVar("_T")
Params = Mapping[str, str | int]


class BigCommerceClient:
    def __init__(
        self,
        store_hash: str,
        access_token: str,
        base_url: str | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self.store_hash = store_hash
        self.base_url = (base_url or f"https://api.bigcommerce.com/stores/{store_hash}").rstrip("/")
        self.rate_limit: RateLimitState | None = None
        self.server_time: datetime | None = None  # the last response's Date header: the store's clock
        headers = {"X-Auth-Token": access_token, "Accept": "application/json", "User-Agent": USER_AGENT}
        self._http = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)

    def __repr__(self) -> str:
        return f"BigCommerceClient({self.store_hash!r}, base_url={self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BigCommerceClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # Store

    def store_info(self) -> StoreInfo:
        return parsing.parse_store_info(self._json("GET", "/v2/store"))

    # Orders (v2)

    def list_orders(
        self,
        *,
        min_id: int | None = None,
        max_id: int | None = None,
        min_date_modified: datetime | None = None,
        max_date_modified: datetime | None = None,
        status_id: int | None = None,
        min_date_created: datetime | None = None,
        sort: str = "id:asc",
        page: int = 1,
        limit: int = PAGE_LIMIT,
    ) -> list[Order]:
        """One page of orders with their line items embedded; [] on HTTP 204. Every order is checked against
        the filters, because BigCommerce silently ignores a malformed date filter and returns everything."""
        filters = OrderFilters(
            min_id,
            max_id,
            _second(min_date_modified),
            _second(max_date_modified),
            status_id,
            _second(min_date_created),
        )
        params = {**ORDER_INCLUDES, "limit": limit, "page": page, "sort": sort, **filters.params()}
        body = self._json("GET", "/v2/orders", params, allow_empty=True)
        orders = [] if body is None else parse_list(body, parsing.parse_order, "orders")
        for order in orders:
            filters.check(order)
        return orders

    def get_order(self, order_id: int) -> Order:
        order = parsing.parse_order(self._json("GET", f"/v2/orders/{order_id}", ORDER_INCLUDES))
        if order.id != order_id:
            raise PermanentError(None, f"asked for order {order_id}, got order {order.id}")
        return order

    def list_order_products(self, order_id: int) -> list[OrderProduct]:
        return self._v2_pages(f"/v2/orders/{order_id}/products", parsing.parse_order_product)

    def complete_line_items(self, order: Order) -> Order:
        """The order itself when its embedded line items are complete; otherwise the order with its line items
        read from /products (after a `__warning__`, an empty `line_items`, or quantities != `items_total`)."""
        if order.line_items_complete:
            return order
        products = self.list_order_products(order.id)
        strangers = sorted({product.order_id for product in products} - {order.id})
        if strangers:
            raise PermanentError(None, f"order {order.id}: /products returned lines of orders {strangers}")
        quantity = sum(product.quantity for product in products)
        if quantity != order.items_total:
            message = f"order {order.id}: /products quantities sum to {quantity}, items_total is {order.items_total}"
            raise PermanentError(None, message)
        lines = tuple(LineItem(kind_of(product), product) for product in products)
        source = LineItemSource.PRODUCTS
        return dataclasses.replace(
            order, line_items=lines, line_items_complete=True, line_items_source=source
        )

    def list_shipping_addresses(self, order_id: int) -> list[ShippingAddress]:
        return self._v2_pages(f"/v2/orders/{order_id}/shipping_addresses", parsing.parse_shipping_address)

    def list_shipments(self, order_id: int) -> list[Shipment]:
        return self._v2_pages(f"/v2/orders/{order_id}/shipments", parsing.parse_shipment)

    def create_shipment(self, order_id: int, shipment: NewShipment) -> Shipment:
        """Creating a shipment e-mails the customer. There is no idempotency key: list shipments first."""
        body = self._json("POST", f"/v2/orders/{order_id}/shipments", body=shipment.to_json())
        return parsing.parse_shipment(body)

    def update_order_status(self, order_id: int, status_id: int) -> Order:
        """The answer carries no consignments, so its `line_items` are empty and not complete."""
        return parsing.parse_order(self._json("PUT", f"/v2/orders/{order_id}", body={"status_id": status_id}))

    # Catalog (v3)

    def list_products(self, **filters: object) -> list[Product]:
        """Products with variants. Filter names use `__` for BigCommerce's `:` (`id__in=[1, 2]`,
        `date_modified__min=datetime`); sequences become comma lists, datetimes ISO 8601."""
        params = {
            "include": "variants",
            **{name.replace("__", ":"): _v3_value(v) for name, v in filters.items()},
        }
        return self._v3_pages("/v3/catalog/products", parsing.parse_product, params)

    def get_product(self, product_id: int) -> Product:
        body = self._json("GET", f"/v3/catalog/products/{product_id}", {"include": "variants"})
        return parsing.parse_product(parsing.v3_data(body, "product"))

    def create_product(self, product: NewProduct) -> Product:
        """POST /v3/catalog/products with the variants inline. The answer has no variants: read them with
        get_product. No idempotency key: after an ambiguous failure, look the SKUs up before creating again."""
        body = self._json("POST", "/v3/catalog/products", body=product.to_json())
        return parsing.parse_product(parsing.v3_data(body, "product"))

    def create_product_image(
        self, product_id: int, image_url: str, is_thumbnail: bool = True
    ) -> ProductImage:
        """POST /v3/catalog/products/{id}/images by URL: BigCommerce downloads the image (400 if it cannot)."""
        fields = {"image_url": image_url, "is_thumbnail": is_thumbnail}
        body = self._json("POST", f"/v3/catalog/products/{product_id}/images", body=fields)
        return parsing.parse_product_image(parsing.v3_data(body, "product image"))

    def list_product_variants(self, product_id: int) -> list[Variant]:
        return self._v3_pages(f"/v3/catalog/products/{product_id}/variants", parsing.parse_variant, {})

    def list_variants(self, product_id: int | None = None, sku: str | None = None) -> list[Variant]:
        params: dict[str, str | int] = {}
        if product_id is not None:
            params["product_id:in"] = product_id
        if sku is not None:
            params["sku"] = sku
        return self._v3_pages("/v3/catalog/variants", parsing.parse_variant, params)

    # Webhooks (v3)

    def list_hooks(self) -> list[Hook]:
        return self._v3_pages("/v3/hooks", parsing.parse_hook, {})

    def create_hook(
        self, scope: str, destination: str, headers: Mapping[str, str], is_active: bool = True
    ) -> Hook:
        fields = {
            "scope": scope,
            "destination": destination,
            "is_active": is_active,
            "headers": dict(headers),
        }
        return parsing.parse_hook(parsing.v3_data(self._json("POST", "/v3/hooks", body=fields), "hook"))

    def update_hook(
        self,
        hook_id: int,
        *,
        scope: str | None = None,
        destination: str | None = None,
        is_active: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Hook:
        fields: dict[str, object] = {"scope": scope, "destination": destination, "is_active": is_active}
        fields["headers"] = None if headers is None else dict(headers)
        given = {name: value for name, value in fields.items() if value is not None}
        body = self._json("PUT", f"/v3/hooks/{hook_id}", body=given)
        return parsing.parse_hook(parsing.v3_data(body, "hook"))

    # Transport

    def _v2_pages(self, path: str, parse: Callable[[object], _T]) -> list[_T]:
        results: list[_T] = []
        for page in range(1, MAX_PAGES + 1):
            body = self._json("GET", path, {"limit": PAGE_LIMIT, "page": page}, allow_empty=True)
            items = [] if body is None else parse_list(body, parse, path)
            results += items
            if len(items) < PAGE_LIMIT:
                return results
        raise PermanentError(None, f"{path}: more than {MAX_PAGES} pages")

    def _v3_pages(self, path: str, parse: Callable[[object], _T], params: Params) -> list[_T]:
        results: list[_T] = []
        for page in range(1, MAX_PAGES + 1):
            body = self._json("GET", path, {**params, "limit": PAGE_LIMIT, "page": page}, allow_empty=True)
            items = [] if body is None else parse_list(parsing.v3_data(body, path), parse, path)
            results += items
            if _last_page(page, parsing.v3_total_pages(body), len(items)):
                return results
        raise PermanentError(None, f"{path}: more than {MAX_PAGES} pages")

    def _json(
        self,
        method: str,
        path: str,
        params: Params | None = None,
        body: Any = None,
        allow_empty: bool = False,
    ) -> Any:
        """Decoded JSON of a 2xx answer; None for HTTP 204 when `allow_empty`."""
        request = f"{method} {path}"
        response = self._send(method, path, params, body)
        if response.status_code == 204 and allow_empty:
            return None
        try:
            return response.json()
        except ValueError:
            raise PermanentError(None, f"invalid JSON: {response.text[:80]!r}", request=request) from None

    def _send(self, method: str, path: str, params: Params | None, body: Any) -> httpx.Response:
        request = f"{method} {path}"
        try:
            response = self._http.request(method, path, params=params, json=body)
        except httpx.TimeoutException as exc:
            raise RetryableError(f"timed out ({type(exc).__name__})", request=request) from exc
        except (httpx.NetworkError, httpx.ProtocolError, httpx.ProxyError) as exc:
            raise RetryableError(f"{type(exc).__name__}: {exc}", request=request) from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise PermanentError(None, f"{type(exc).__name__}: {exc}", request=request) from exc
        self.rate_limit = parsing.parse_rate_limit(response.headers)
        self.server_time = _http_date(response.headers.get("Date"))
        _raise_for_status(request, response)
        return response


def _http_date(value: str | None) -> datetime | None:
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None


@dataclasses.dataclass(frozen=True)
class OrderFilters:
    min_id: int | None
    max_id: int | None
    min_date_modified: datetime | None
    max_date_modified: datetime | None
    status_id: int | None
    min_date_created: datetime | None = None

    def params(self) -> dict[str, str | int]:
        values = {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}
        return {name: _v2_value(value) for name, value in values.items() if value is not None}

    def check(self, order: Order) -> None:
        violated = {
            "min_id": _below(order.id, self.min_id),
            "max_id": _below(self.max_id, order.id),
            "min_date_modified": _below(order.date_modified, self.min_date_modified),
            "max_date_modified": _below(self.max_date_modified, order.date_modified),
            "status_id": self.status_id not in (None, order.status_id),
            "min_date_created": _below(order.date_created, self.min_date_created),
        }
        broken = ", ".join(
            f"{name}={_v2_value(getattr(self, name))}" for name, yes in violated.items() if yes
        )
        if broken:
            modified = order.date_modified.isoformat()
            message = f"order {order.id} (modified {modified}) breaks the filter {broken}"
            raise PermanentError(None, message, request="GET /v2/orders")


def _below(value: Any, bound: Any) -> bool:
    """value < bound, where a missing (None) side never violates anything."""
    return value is not None and bound is not None and value < bound


def _second(value: datetime | None) -> datetime | None:
    return None if value is None else _aware_second(value)


def _aware_second(value: datetime) -> datetime:
    """BigCommerce dates have whole seconds: filter and check with the same truncated, aware UTC value."""
    if value.tzinfo is None:
        raise PermanentError(None, f"date filter {value.isoformat()} has no time zone")
    return value.astimezone(UTC).replace(microsecond=0)


def _last_page(page: int, total_pages: int | None, count: int) -> bool:
    return page >= total_pages if total_pages is not None else count < PAGE_LIMIT


def _v2_value(value: datetime | int) -> str | int:
    return value.isoformat() if isinstance(value, datetime) else value


def _v3_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return _aware_second(value).isoformat()
    if isinstance(value, Sequence) and not isinstance(value, str):
        return ",".join(str(item) for item in value)
    return str(value)


def _raise_for_status(request: str, response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    message = _error_message(response)
    if status == 429:
        raise RateLimited(_reset_seconds(response.headers), message, request=request)
    if status in (408, 425) or status >= 500:
        raise RetryableError(message, status, request=request)
    raise PermanentError(status, message, request=request)


def _reset_seconds(headers: httpx.Headers) -> float:
    try:
        milliseconds = int(headers.get("x-rate-limit-time-reset-ms", ""))
    except ValueError:
        return DEFAULT_RESET_SECONDS
    return milliseconds / 1000 if milliseconds >= 0 else DEFAULT_RESET_SECONDS


def _error_message(response: httpx.Response) -> str:
    """BigCommerce's own words: v2 sends `[{status, message}]`, v3 `{status, title, errors}`."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300] or response.reason_phrase
    if isinstance(body, list):
        messages = [str(item.get("message", "")) for item in body if isinstance(item, dict)]
        return "; ".join(message for message in messages if message) or response.reason_phrase
    if isinstance(body, dict):
        title = str(body.get("title") or body.get("message") or response.reason_phrase)
        errors = body.get("errors")
        return f"{title} {json.dumps(errors, sort_keys=True)}" if errors else title
    return response.reason_phrase
