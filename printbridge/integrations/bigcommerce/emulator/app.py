"""`BigCommerceEmulator`: wires the stores, the HTTP server, webhooks, faults and the order generator."""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass, field

from . import api_catalog, api_catalog_writes, api_hooks, api_orders
from .admin import build_router
from .apps import Apps
from .faults import Faults
from .generator import GeneratorConfig, OrderGenerator
from .routes import Router
from .server import EmulatorServer, Pipeline
from .state import Store
from .webhooks import WebhookDispatcher

FIRST_STORE_ID = 1_000_001


@dataclass(frozen=True)
class EmulatorConfig:
    port: int = 0  # 0 = a free port
    host: str = "127.0.0.1"  # loopback only
    time_scale: float = 1.0  # durations (rate-limit window, webhook retries, payments, arrivals) ÷ this
    seed: int = 1
    webhook_timeout: float = 10.0  # seconds to wait for a webhook receiver's answer
    delivery_threads: int = 1  # >1 delivers callbacks concurrently, as BigCommerce does (order then varies)
    generator: GeneratorConfig = field(default_factory=GeneratorConfig)

    def __post_init__(self) -> None:
        if self.time_scale <= 0:
            raise ValueError("time_scale must be positive")
        if self.host != "localhost" and not ipaddress.ip_address(self.host).is_loopback:
            raise ValueError("the emulator only listens on a loopback address")


class BigCommerceEmulator:
    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.faults = Faults(seed=self.config.seed)
        self.apps = Apps()
        self.stores: dict[str, Store] = {}
        self._stores_lock = threading.Lock()
        self._stopping = threading.Event()
        self._webhooks = WebhookDispatcher(
            self.faults, self.config.time_scale, self.config.webhook_timeout, self.config.delivery_threads
        )
        self.generator = OrderGenerator(
            lambda: list(self.stores.values()),
            self.config.generator,
            self.config.seed,
            self.config.time_scale,
        )
        self._server: EmulatorServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> BigCommerceEmulator:
        """Serve on 127.0.0.1 in a background thread."""
        address = (self.config.host, self.config.port)
        self._server = EmulatorServer(address, Pipeline(self, _api_router(), build_router()), self._stopping)
        self._webhooks.start()
        self.generator.open()
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.01,), name="bigcommerce-emulator-http", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.generator.close()
        if self._server is not None:
            self._server.shutdown()
            self._server.close_open_connections()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._webhooks.stop()

    def __enter__(self) -> BigCommerceEmulator:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not started")
        return self._server.server_address[1]

    @property
    def login_url(self) -> str:
        """Where POST /oauth2/token lives (BigCommerce: https://login.bigcommerce.com)."""
        return f"http://{self.config.host}:{self.port}"

    def api_url(self, store_hash: str) -> str:
        return f"{self.login_url}/stores/{store_hash}"

    def add_store(
        self,
        store_hash: str,
        access_token: str,
        plan: str = "standard",
        name: str | None = None,
        first_order_id: int = 100,
    ) -> Store:
        if not store_hash.replace("-", "").replace("_", "").isalnum():
            raise ValueError("store_hash may contain letters, digits, '-' and '_' only")
        if not access_token:
            raise ValueError("access_token is required")
        with self._stores_lock:
            if store_hash in self.stores:
                raise ValueError(f"store {store_hash!r} already exists")
            store = Store(
                store_hash,
                access_token,
                plan,
                name or f"Store {store_hash}",
                FIRST_STORE_ID + len(self.stores),
                faults=self.faults,
                notify=self._webhooks.submit,
                base_url=lambda: self.api_url(store_hash),
                time_scale=self.config.time_scale,
                first_order_id=first_order_id,
            )
            self.stores[store_hash] = store
        return store

    def pending_webhooks(self) -> int:
        """Webhook deliveries still queued (first attempts and scheduled retries)."""
        return self._webhooks.pending()


def _api_router() -> Router:
    router = Router()
    for module in (api_orders, api_catalog, api_catalog_writes, api_hooks):
        module.register(router)
    return router
