"""`GelatoEmulator`: wires the catalog, the orders and their production clock, webhooks, faults and the HTTP
server (the BigCommerce emulator's loopback server, router and scheduler)."""

from __future__ import annotations

import hmac
import ipaddress
import threading
from dataclasses import dataclass, field

from printbridge.integrations.bigcommerce.emulator.api_hooks import is_loopback_url
from printbridge.integrations.bigcommerce.emulator.routes import Router
from printbridge.integrations.bigcommerce.emulator.server import EmulatorServer

from . import api_catalog, api_orders
from .admin import build_router
from .catalog import ProductCatalog
from .faults import GelatoFaults
from .production import ProductionDurations
from .server import GelatoHandler, GelatoPipeline
from .state import Account, OrderBook
from .webhooks import WebhookSender


@dataclass(frozen=True)
class GelatoEmulatorConfig:
    port: int = 0  # 0 = a free port
    host: str = "127.0.0.1"  # loopback only
    time_scale: float = 1.0  # production steps, webhook retries and reorder holds ÷ this
    seed: int = 1  # ids, event ids, shipment splits, webhook fault draws
    webhook_timeout: float = 10.0  # seconds to wait for a webhook receiver's answer
    durations: ProductionDurations = field(default_factory=ProductionDurations)
    split_shipments: float = 0.5  # share of orders with several items that ship in two parcels

    def __post_init__(self) -> None:
        if self.time_scale <= 0:
            raise ValueError("time_scale must be positive")
        if not 0.0 <= self.split_shipments <= 1.0:
            raise ValueError("split_shipments must be between 0 and 1")
        if self.host != "localhost" and not ipaddress.ip_address(self.host).is_loopback:
            raise ValueError("the emulator only listens on a loopback address")


class GelatoEmulator:
    def __init__(self, config: GelatoEmulatorConfig | None = None) -> None:
        self.config = config or GelatoEmulatorConfig()
        self.faults = GelatoFaults(seed=self.config.seed)
        self.catalog = ProductCatalog()
        self.accounts: dict[str, Account] = {}
        self._lock = threading.Lock()
        self._requests: list[tuple[str, str]] = []
        self._webhooks = WebhookSender(self.faults, self.config.time_scale, self.config.webhook_timeout)
        self.book = OrderBook(
            self.catalog,
            self.config.durations,
            self.config.time_scale,
            self.config.seed,
            self.config.split_shipments,
            self._deliver,
        )
        self._stopping = threading.Event()
        self._server: EmulatorServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> GelatoEmulator:
        """Serve on 127.0.0.1 in a background thread."""
        pipeline = GelatoPipeline(self, _api_router(), build_router())
        address = (self.config.host, self.config.port)
        self._server = EmulatorServer(address, pipeline, self._stopping, GelatoHandler)
        self._webhooks.start()
        self.book.start()
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.01,), name="gelato-emulator-http", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.close_open_connections()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.book.stop()
        self._webhooks.stop()

    def __enter__(self) -> GelatoEmulator:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not started")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.config.host}:{self.port}"

    @property
    def order_url(self) -> str:
        """Stands for https://order.gelatoapis.com."""
        return self.base_url

    @property
    def product_url(self) -> str:
        """Stands for https://product.gelatoapis.com."""
        return self.base_url

    def add_account(self, api_key: str, webhook_url: str | None = None) -> Account:
        if not isinstance(api_key, str) or not api_key or "/" in api_key:
            raise ValueError("api_key must be a non-empty string without '/'")
        _check_webhook_url(webhook_url)
        with self._lock:
            if api_key in self.accounts:
                raise ValueError(f"account {api_key!r} already exists")
            account = self.accounts[api_key] = Account(api_key, webhook_url)
        return account

    def set_webhook_url(self, api_key: str, webhook_url: str | None) -> Account:
        _check_webhook_url(webhook_url)
        with self._lock:
            account = self.accounts[api_key]
            account.webhook_url = webhook_url
        return account

    def account_for(self, api_key: str | None) -> Account | None:
        """The account owning `api_key`, compared in constant time; None when unknown."""
        if not api_key:
            return None
        found = None
        with self._lock:
            for known, account in self.accounts.items():
                if hmac.compare_digest(known.encode(), api_key.encode()):
                    found = account
        return found

    @property
    def orders(self) -> dict[str, dict]:
        """{Gelato order id: the order as GET /v4/orders/{id} returns it} (a copy), oldest first."""
        return self.book.snapshot()

    @property
    def requests(self) -> list[tuple[str, str]]:
        """Every API call seen (method, path with query), faulted and unauthorised ones included."""
        with self._lock:
            return list(self._requests)

    def record_request(self, method: str, path: str) -> None:
        with self._lock:
            self._requests.append((method, path))

    @property
    def webhook_log(self) -> list[dict]:
        """One entry per delivery attempt, drop and give-up (see webhooks.WebhookSender._record)."""
        return self._webhooks.log_entries()

    def advance(self, order_id: str, to_status: str) -> None:
        """Move an order along the production clock now, firing a webhook per status change."""
        self.book.advance(order_id, to_status)

    def step(self, order_id: str) -> str:
        """Run the order's next production step now (one parcel at a time); returns the order's status."""
        return self.book.step(order_id)

    def pending_webhooks(self) -> int:
        """Webhook deliveries still queued (first attempts, retries and held-back events)."""
        return self._webhooks.pending()

    def _deliver(self, api_key: str, payload: dict) -> None:
        account = self.accounts.get(api_key)
        self._webhooks.submit(account.webhook_url if account else None, payload)


def _check_webhook_url(url: str | None) -> None:
    if url is not None and not is_loopback_url(url):
        raise ValueError("webhook_url must be an http(s) URL on 127.0.0.1, localhost or [::1]")


def _api_router() -> Router:
    router = Router()
    for module in (api_orders, api_catalog):
        module.register(router)
    return router
