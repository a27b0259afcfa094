"""One emulated store: catalog, orders, shipments, hooks, and the events its changes fire."""

from __future__ import annotations

import hmac
import itertools
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from . import orders as order_builders
from . import products as catalog_writes
from .catalog import seed_products
from .faults import Faults
from .formats import rfc2822, utcnow
from .orders import STATUSES, Line, as_line
from .ratelimit import QUOTAS, RateLimiter

Notify = Callable[["Store", str, dict], None]
FIRST_ORDER_ID = 100
FIRST_ADDRESS_ID = 1001


class Store:
    """State of one store. Every public method takes the store lock; the HTTP handlers use the same lock."""

    def __init__(
        self,
        store_hash: str,
        access_token: str,
        plan: str,
        name: str,
        store_id: int,
        *,
        faults: Faults,
        notify: Notify,
        base_url: Callable[[], str],
        time_scale: float = 1.0,
        first_order_id: int = FIRST_ORDER_ID,
    ) -> None:
        if plan not in QUOTAS:
            raise ValueError(f"plan must be one of {sorted(QUOTAS)}, not {plan!r}")
        self.store_hash, self.plan, self.name, self.store_id = store_hash, plan, name, store_id
        self.client_id = f"emulator-{store_hash}"
        self.account_uuid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"bigcommerce-emulator/{store_hash}"))
        self.tokens: dict[str, str] = {access_token: self.client_id}
        self.faults, self._notify, self._base_url = faults, notify, base_url
        self.lock = threading.RLock()
        self.limiter = RateLimiter(plan, time_scale)
        self.created = utcnow()
        self.products: dict[int, dict] = seed_products(self.created)
        self.orders: dict[int, dict] = {}
        self.order_products: dict[int, list[dict]] = {}
        self.shipping_addresses: dict[int, list[dict]] = {}
        self.shipments: dict[int, list[dict]] = {}
        self.hooks: dict[int, dict] = {}
        self.requests: list[tuple[str, str]] = []
        self.webhook_log: list[dict] = []
        self._ids = {
            "order": itertools.count(first_order_id),
            "product": itertools.count(1),
            "address": itertools.count(FIRST_ADDRESS_ID),
            "shipment": itertools.count(1),
            "hook": itertools.count(1),
            **_catalog_counters(self.products),
        }

    @property
    def base_url(self) -> str:
        """The API base, e.g. "http://127.0.0.1:PORT/stores/HASH" (clients append /v2/…, /v3/…)."""
        return self._base_url()

    def client_for(self, token: str | None) -> str | None:
        """The API account (client_id) owning `token`, compared in constant time; None when unknown."""
        if not token:
            return None
        found = None
        for known, client_id in self.tokens.items():
            if hmac.compare_digest(known.encode(), token.encode()):
                found = client_id
        return found

    def next_id(self, kind: str) -> int:
        return next(self._ids[kind])

    def record_request(self, method: str, path: str) -> None:
        with self.lock:
            self.requests.append((method, path))

    # Orders -----------------------------------------------------------------------------------------

    def place_order(
        self,
        lines: Iterable[Line | tuple | dict],
        status_id: int = 11,
        customer: dict | None = None,
        shipping: dict | list[dict] | None = None,
        channel_id: int = 1,
    ) -> int:
        """Create an order (ids from 100 up); fires store/order/created and, unless 0, statusUpdated."""
        _check_status(status_id)
        new_lines = [as_line(line) for line in lines]
        if not new_lines:
            raise ValueError("an order needs at least one line")
        with self.lock:
            order_id = self._build_order(new_lines, status_id, customer, shipping, channel_id)
            self._emit("store/order/created", {"type": "order", "id": order_id})
            if status_id != 0:
                self._emit_status(order_id, 0, status_id)
        return order_id

    def _build_order(self, lines, status_id, customer, shipping, channel_id) -> int:
        person = order_builders.customer_fields(customer)
        wanted = shipping if isinstance(shipping, list) else [shipping]
        if any(line.kind == "physical" and not 0 <= line.address < len(wanted) for line in lines):
            raise ValueError("a line's address index does not match the shipping addresses given")
        order_id = self.next_id("order")
        order = order_builders.new_order(order_id, status_id, person, utcnow(), channel_id)
        physical = any(line.kind == "physical" for line in lines)
        addresses = [self._address(order_id, person, fields) for fields in wanted] if physical else []
        products = [self._order_product(order_id, line, addresses) for line in lines]
        order_builders.recompute(order, products, addresses)
        self.orders[order_id], self.order_products[order_id] = order, products
        self.shipping_addresses[order_id], self.shipments[order_id] = addresses, []
        return order_id

    def _address(self, order_id: int, person: dict, fields: dict | None) -> dict:
        merged = order_builders.address_fields(person, fields)
        return order_builders.shipping_address(self.next_id("address"), order_id, merged, self.base_url)

    def _order_product(self, order_id: int, line: Line, addresses: list[dict]) -> dict:
        address_id = addresses[line.address]["id"] if line.kind == "physical" else 0
        return order_builders.order_product(
            self.next_id("product"), order_id, line, address_id, self.products
        )

    def order(self, order_id: int) -> dict:
        with self.lock:
            if order_id not in self.orders:
                raise KeyError(order_id)
            return self.orders[order_id]

    def set_status(self, order_id: int, status_id: int) -> None:
        """Change the status; fires store/order/updated and store/order/statusUpdated (when it changed)."""
        _check_status(status_id)
        with self.lock:
            order = self.order(order_id)
            previous = order["status_id"]
            order_builders.apply_status(order, status_id)
            self.touch(order_id)
            self._emit("store/order/updated", {"type": "order", "id": order_id})
            if previous != status_id:
                self._emit_status(order_id, previous, status_id)

    def archive(self, order_id: int) -> None:
        """Archive (soft-delete) an order; fires store/order/archived."""
        with self.lock:
            self.order(order_id)["is_deleted"] = True
            self.touch(order_id)
            self._emit("store/order/archived", {"type": "order", "id": order_id})

    # Catalog (see products.py) ------------------------------------------------------------------------

    def create_product(self, body: dict) -> dict:
        """POST /v3/catalog/products with `variants` inline; fires store/product/created and store/sku/created
        for each variant. Raises ApiError (422 invalid, 409 name or SKU taken) and changes nothing then."""
        with self.lock:
            variants = catalog_writes.validate_new_product(body)
            skus = [body.get("sku") or "", *(variant["sku"] for variant in variants)]
            catalog_writes.check_unique(self.products, body["name"], skus)
            product = catalog_writes.build_product(body, variants, self.next_id, utcnow())
            self.products[product["id"]] = product
            self._fire(catalog_writes.product_event("store/product/created", product["id"]))
            for variant in product["variants"]:
                self._fire(catalog_writes.sku_event("store/sku/created", variant))
            return product

    def add_image(self, product_id: int, body: dict) -> dict:
        """POST /v3/catalog/products/{id}/images by `image_url` (image edits fire no webhook)."""
        with self.lock:
            product = catalog_writes.product_or_404(self.products, product_id)
            image = catalog_writes.image_body(product_id, self.next_id("image"), body, utcnow())
            product.setdefault("images", []).append(image)
            return image

    def update_variant(self, product_id: int, variant_id: int, changes: dict) -> dict:
        """PUT a variant (sku, price, …); fires store/sku/updated."""
        with self.lock:
            product = catalog_writes.product_or_404(self.products, product_id)
            variant = catalog_writes.variant_or_404(product, variant_id)
            catalog_writes.update_variant(self.products, product, variant, changes)
            catalog_writes.touch(product, utcnow())
            self._fire(catalog_writes.sku_event("store/sku/updated", variant))
            return variant

    def delete_variant(self, product_id: int, variant_id: int) -> None:
        """DELETE a variant; fires store/sku/deleted."""
        with self.lock:
            product = catalog_writes.product_or_404(self.products, product_id)
            variant = catalog_writes.variant_or_404(product, variant_id)
            catalog_writes.remove_variant(product, variant)
            catalog_writes.touch(product, utcnow())
            self._fire(catalog_writes.sku_event("store/sku/deleted", variant))

    def rename_option_value(self, product_id: int, option_id: int, value_id: int, changes: dict) -> dict:
        """PUT an option value (its label shows on every variant using it); fires store/product/updated."""
        with self.lock:
            product = catalog_writes.product_or_404(self.products, product_id)
            option, value = catalog_writes.option_value_or_404(product, option_id, value_id)
            catalog_writes.rename_option_value(option, value, changes, product)
            catalog_writes.touch(product, utcnow())
            self._fire(catalog_writes.product_event("store/product/updated", product_id))
            return value

    def delete_product(self, product_id: int) -> None:
        """DELETE a product and its variants; fires store/product/deleted."""
        with self.lock:
            catalog_writes.product_or_404(self.products, product_id)
            del self.products[product_id]
            self._fire(catalog_writes.product_event("store/product/deleted", product_id))

    def _fire(self, event: tuple[str, dict[str, Any]]) -> None:
        self._emit(*event)

    def touch(self, order_id: int) -> None:
        self.orders[order_id]["date_modified"] = rfc2822(utcnow())

    def emit(self, scope: str, data: dict[str, Any]) -> None:
        self._emit(scope, data)

    def _emit_status(self, order_id: int, previous: int, new: int) -> None:
        status = {"previous_status_id": previous, "new_status_id": new}
        self._emit("store/order/statusUpdated", {"type": "order", "id": order_id, "status": status})

    def _emit(self, scope: str, data: dict[str, Any]) -> None:
        self._notify(self, scope, data)


def _catalog_counters(products: dict[int, dict]) -> dict[str, Iterator[int]]:
    """Ids for created catalog objects continue after the seed's (BigCommerce never reuses an id)."""
    variants = [v for p in products.values() for v in p["variants"]]
    options = [o for p in products.values() for o in p.get("options", [])]
    values = [value for option in options for value in option["option_values"]]
    return {
        "catalog_product": itertools.count(max(products, default=0) + 1),
        "variant": itertools.count(max((v["id"] for v in variants), default=0) + 1),
        "option": itertools.count(max((o["id"] for o in options), default=0) + 1),
        "option_value": itertools.count(max((v["id"] for v in values), default=0) + 1),
        "image": itertools.count(1),
    }


def _check_status(status_id: int) -> None:
    if status_id not in STATUSES:
        raise ValueError(f"status_id must be one of {sorted(STATUSES)}, not {status_id!r}")
