"""Helpers for bench/flash_sale.py: the emulator's admin API, the merchant's store set-up, the order mix,
process memory, the DB counts, and the naive baseline importer (the official `bigcommerce` client).

Imported after django.setup(). Everything talks to 127.0.0.1 only.
"""

from __future__ import annotations

import dataclasses
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field

import bigcommerce
import httpx
from bigcommerce.connection import OAuthConnection
from bigcommerce.exception import RateLimitingException
from django.db.models import Sum
from django_tasks_db.models import DBTaskResult

from printbridge.demo.bigcommerce_demo import CONNECTED, DESIGN
from printbridge.ingestion import translate
from printbridge.ingestion.models import RefreshRequest, WebhookDelivery
from printbridge.ingestion.services.stores import connect_bigcommerce
from printbridge.integrations.bigcommerce import parsing
from printbridge.integrations.bigcommerce import payloads as bc
from printbridge.orders import events, rules
from printbridge.orders.models import Order, SuppressedOrder
from printbridge.orders.services import VariantRef, create_connection, ensure_ignore_rule, import_order
from printbridge.stores.services import update_settings

LOOPBACK = "127.0.0.1"
RECONCILE_TASK = "printbridge.jobs.tasks.reconcile_store_task"
NAIVE_ACTOR = events.Actor.system("Naive baseline importer")
# The flash sale's mix (deterministic): mostly variants the merchant connected (the demo's connections), some
# not connected (XS T-shirts, toy cars: held as Not connected, one e-mail each) and candles (ignored by a rule;
# an order of candles only is suppressed).
CONNECTED_TSHIRTS = (205, 206, 209, 210, 213, 214, 217, 218)
MIX = (
    ("connected T-shirt", 0.72, 111, CONNECTED_TSHIRTS),
    ("connected mug", 0.15, 114, (246, 247)),
    ("not connected T-shirt", 0.05, 111, (201, 202, 203, 204)),
    ("not connected toy car", 0.03, 113, (241, 242)),
    ("ignored candle", 0.05, 115, (250,)),
)


def order_lines(rng: random.Random) -> list[list[int]]:
    """1–2 lines of (product id, variant id, quantity) from MIX."""
    lines = []
    for _ in range(rng.choice((1, 1, 1, 2))):
        _name, _weight, product_id, variants = rng.choices(MIX, weights=[m[1] for m in MIX])[0]
        lines.append([product_id, rng.choice(variants), rng.randint(1, 2)])
    return lines


class EmulatorAdmin:
    """The emulator's JSON API under /_emulator/ (see printbridge/integrations/bigcommerce/emulator/admin.py)."""

    def __init__(self, port: int) -> None:
        self.base = f"http://{LOOPBACK}:{port}"
        self._http = httpx.Client(base_url=self.base, trust_env=False, timeout=30)

    def close(self) -> None:
        self._http.close()

    def place_order(self, store_hash: str, lines: list[list[int]]) -> int:
        body = {"lines": lines, "status_id": 11}  # Awaiting Fulfillment: paid
        response = self._http.post(f"/_emulator/stores/{store_hash}/orders", json=body)
        response.raise_for_status()
        return response.json()["id"]

    def requests(self, store_hash: str) -> list[tuple[str, str]]:
        response = self._http.get(f"/_emulator/stores/{store_hash}/requests")
        response.raise_for_status()
        return [tuple(entry) for entry in response.json()]

    def webhook_log(self, store_hash: str) -> list[dict]:
        response = self._http.get(f"/_emulator/stores/{store_hash}/webhook_log")
        response.raise_for_status()
        return response.json()


def connect_store(account, user, store_hash: str, token: str, api_url: str):
    """As a merchant: connect with the API account, turn on Import not connected orders, connect the sale's
    variants (the demo's connections) and ignore candles."""
    actor = events.Actor.for_user(user)
    result = connect_bigcommerce(account, store_hash, token, actor, api_url=api_url)
    store = result.connection.store
    update_settings(account.pk, store.pk, {"import_not_connected": True}, actor)
    set_up_routing(store, actor)
    return result


def set_up_routing(store, actor: events.Actor) -> None:
    for product_id, variant_id, uid, label in CONNECTED:
        create_connection(store, VariantRef(product_id, variant_id, label=label), uid, DESIGN, actor)
    candle = VariantRef("115", "250", label="Scented candle")
    ensure_ignore_rule(store, rules.IgnoreScope.PRODUCT, candle, "Candles come from a local supplier", actor)


# --- measuring --------------------------------------------------------------------------------------------------


def proc_status_kb(pid: int, key: str) -> int | None:
    """VmHWM (peak RSS) or VmRSS of a live process, in kB; None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def reconciliation_finished() -> bool:
    """The scheduler's first reconciliation of the store has run (it is due as soon as a store connects)."""
    done = DBTaskResult.objects.filter(task_path=RECONCILE_TASK, status__in=("SUCCESSFUL", "FAILED"))
    return done.exists()


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a live process so far."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 1)


def pipeline_state(store) -> tuple[int, int]:
    """(webhook deliveries received, refreshes not yet done) for the store."""
    received = WebhookDelivery.objects.filter(store=store).aggregate(n=Sum("delivery_count"))["n"] or 0
    busy = RefreshRequest.State.PENDING, RefreshRequest.State.CLAIMED
    return received, RefreshRequest.objects.filter(store=store, state__in=busy).count()


def classified_count(store) -> int:
    """Placed orders that have an Order row or a (not since imported) SuppressedOrder row."""
    suppressed = SuppressedOrder.objects.filter(store=store, imported_order__isnull=True)
    return Order.objects.filter(store=store).count() + suppressed.count()


@dataclass
class Classification:
    orders: int
    distinct_orders: int
    suppressed: int
    missing: list[str]
    unexpected: int
    statuses: dict[str, int]


def classification(store, placed_ids: list[int]) -> Classification:
    order_ids = list(Order.objects.filter(store=store).values_list("external_id", flat=True))
    suppressed = set(SuppressedOrder.objects.filter(store=store).values_list("external_id", flat=True))
    seen = set(order_ids) | suppressed
    wanted = {str(i) for i in placed_ids}
    statuses = Counter(Order.objects.filter(store=store).values_list("status", flat=True))
    return Classification(
        orders=len(order_ids),
        distinct_orders=len(set(order_ids)),
        suppressed=len(suppressed - set(order_ids)),
        missing=sorted(wanted - seen, key=int),
        unexpected=len(seen - wanted),
        statuses=dict(sorted(statuses.items())),
    )


def store_calls(log: list[tuple[str, str]]) -> dict[str, int]:
    """Printbridge's store API calls by kind (the log has no admin endpoints; 429 answers are in it too)."""
    kinds: Counter[str] = Counter()
    for method, path in log:
        route = path.split("?")[0].split("/", 3)[-1]  # v2/orders, v2/orders/123/products, v3/hooks …
        parts = route.split("/")
        if parts[:2] == ["v2", "orders"]:
            kind = "list orders" if len(parts) == 2 else ("get order" if len(parts) == 3 else parts[3])
        else:
            kind = "/".join(parts[:2])
        kinds[f"{method} {kind}"] += 1
    return dict(kinds.most_common())


def webhook_summary(log: list[dict], last_order_at: float) -> dict:
    outcomes = Counter(entry["outcome"] for entry in log)
    delivered = [entry["at"] for entry in log if entry["outcome"] == "delivered"]
    last = max(delivered) if delivered else None
    return {
        "delivered": outcomes.get("delivered", 0),
        "failed": outcomes.get("failed", 0),
        "other": sum(n for outcome, n in outcomes.items() if outcome not in ("delivered", "failed")),
        "last_delivered_after_last_order_s": None if last is None else round(last - last_order_at, 1),
    }


# --- the naive baseline -------------------------------------------------------------------------------------------


class LoopbackConnection(OAuthConnection):
    """The official connection builds https://{host}…; the emulator speaks plain HTTP on loopback
    (as in tests/emulators/test_official_client.py)."""

    def full_path(self, url: str) -> str:
        return "http://" + self.host + self.api_path.format(self.store_hash, url)


def official_api(port: int, store_hash: str, token: str) -> bigcommerce.api.BigcommerceApi:
    """The official client, with its own rate-limit management: sleep until the reset when none is left."""
    api = bigcommerce.api.BigcommerceApi(client_id="naive", store_hash=store_hash, access_token=token)
    api.connection = LoopbackConnection(
        "naive",
        store_hash,
        token,
        host=f"{LOOPBACK}:{port}",
        rate_limiting_management={"min_requests_remaining": 0, "wait": True},
    )
    api.connection._session.trust_env = False  # no proxies: loopback only
    return api


@dataclass
class NaiveRun:
    orders: int = 0
    calls: int = 0
    rate_limited: int = 0
    seconds: float = 0.0
    outcomes: dict[str, int] = field(default_factory=dict)


def naive_fetch(api, order_id: int, run: NaiveRun) -> bc.Order:
    """Order, then its products, then its shipping addresses: three calls, each retried after a 429."""
    raw = _call(run, lambda: api.Orders.get(order_id))
    products = _call(run, lambda: raw.products())
    addresses = _call(run, lambda: raw.shipping_addresses())
    order = parsing.parse_order(dict(raw))
    items = tuple(
        bc.LineItem(bc.kind_of(p), p) for p in (parsing.parse_order_product(dict(x)) for x in products)
    )
    consignments = tuple(_consignment(parsing.parse_shipping_address(dict(a))) for a in addresses or [])
    return dataclasses.replace(
        order,
        line_items=items,
        line_items_complete=True,
        line_items_source=bc.LineItemSource.PRODUCTS,
        shipping_consignments=consignments,
    )


def _consignment(address: bc.ShippingAddress) -> bc.ShippingConsignment:
    return bc.ShippingConsignment(
        address.id,
        address.address,
        address.shipping_method,
        address.items_total,
        address.items_shipped,
        truncated=False,
    )


def _call(run: NaiveRun, fn):
    while True:
        run.calls += 1
        try:
            return fn()
        except RateLimitingException as exc:
            run.rate_limited += 1
            time.sleep(int(exc.retry_after) / 1000 if exc.retry_after else 3.0)


def naive_import(api, store, order_ids: list[int], seconds: float) -> NaiveRun:
    """Import orders one by one until the time box is over (or the orders run out)."""
    run, outcomes = NaiveRun(), Counter()
    started = time.monotonic()
    for order_id in order_ids:
        if time.monotonic() - started >= seconds:
            break
        order = naive_fetch(api, order_id, run)
        outcomes[str(import_order(store, translate.incoming_order(order), NAIVE_ACTOR).outcome)] += 1
        run.orders += 1
    run.seconds = time.monotonic() - started
    run.outcomes = dict(outcomes)
    return run
