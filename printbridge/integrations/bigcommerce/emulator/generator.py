"""Deterministic order traffic: a rate, a product mix, bursts, unpaid orders that become paid later,
and now and then multi-address, digital, gift-certificate and personalised lines."""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .catalog import SPECS, seed_products
from .orders import Line
from .scheduler import Scheduler

FIRST_NAMES = ("Ana", "Ben", "Chloé", "Dev", "Eli", "Fatima", "Gus", "Hana", "Ivo", "Jun")
LAST_NAMES = ("Smith", "García", "Müller", "Okafor", "Tanaka", "Rossi", "Nowak", "Silva")
CITIES = (
    ("Austin", "Texas", "78701"),
    ("Portland", "Oregon", "97201"),
    ("Denver", "Colorado", "80202"),
    ("Boston", "Massachusetts", "02108"),
)
PHRASES = ("Happy birthday!", "Best dad ever", "Team 2026", "For Mia")


@dataclass(frozen=True)
class GeneratorConfig:
    rate_per_minute: float = 6.0  # mean arrivals per emulated minute (time-scaled)
    mix: tuple[tuple[str, float], ...] = (("tshirt", 0.55), ("wall_art", 0.2), ("car", 0.1), ("mug", 0.15))
    burst_probability: float = 0.05
    burst_size: tuple[int, int] = (3, 8)
    unpaid_fraction: float = 0.1
    pay_after_seconds: float = 120.0  # emulated seconds until an unpaid (7) order becomes paid (11)
    multi_address_fraction: float = 0.05
    digital_fraction: float = 0.03
    gift_certificate_fraction: float = 0.02
    personalisation_fraction: float = 0.3  # of mug lines (a "Text field" option)
    upload_fraction: float = 0.3  # of wall-art lines (a "File Upload" option)
    max_lines: int = 4
    max_quantity: int = 3


@dataclass(frozen=True)
class PlannedOrder:
    gap_seconds: float  # emulated seconds after the previous arrival; 0 inside a burst
    lines: tuple[Line, ...]
    status_id: int
    customer: dict = field(hash=False)
    shipping: tuple[dict, ...] = field(hash=False)
    pays_after_seconds: float | None = None


def _variants_by_key() -> dict[str, list[int]]:
    products = seed_products(datetime(2026, 1, 1, tzinfo=UTC))
    return {spec.key: [v["id"] for v in products[spec.product_id]["variants"]] for spec in SPECS}


VARIANTS = _variants_by_key()
PRODUCT_IDS = {spec.key: spec.product_id for spec in SPECS}


def iter_plans(seed: int, config: GeneratorConfig) -> Iterator[PlannedOrder]:
    """An endless, deterministic sequence of orders to place."""
    rng = random.Random(seed)
    burst_left = 0
    while True:
        if burst_left:
            burst_left, gap = burst_left - 1, 0.0
        else:
            gap = rng.expovariate(config.rate_per_minute / 60.0)
            if rng.random() < config.burst_probability:
                burst_left = rng.randint(*config.burst_size) - 1
        yield _plan(rng, config, gap)


def plan_orders(seed: int, config: GeneratorConfig, count: int) -> list[PlannedOrder]:
    return list(itertools.islice(iter_plans(seed, config), count))


def _plan(rng: random.Random, config: GeneratorConfig, gap: float) -> PlannedOrder:
    addresses = 2 if rng.random() < config.multi_address_fraction else 1
    lines = [_line(rng, config, rng.randrange(addresses)) for _ in range(rng.randint(1, config.max_lines))]
    if rng.random() < config.digital_fraction:
        lines.append(Line(PRODUCT_IDS["download"], VARIANTS["download"][0], 1, kind="digital"))
    if rng.random() < config.gift_certificate_fraction:
        lines.append(Line(0, None, 1, kind="giftcertificate", name="$25 Gift Certificate", price="25.00"))
    unpaid = rng.random() < config.unpaid_fraction
    customer = _customer(rng)
    shipping = tuple(_address(rng) for _ in range(addresses))
    pays_after = config.pay_after_seconds if unpaid else None
    return PlannedOrder(gap, tuple(lines), 7 if unpaid else 11, customer, shipping, pays_after)


def _line(rng: random.Random, config: GeneratorConfig, address: int) -> Line:
    keys = [key for key, _ in config.mix]
    key = rng.choices(keys, weights=[weight for _, weight in config.mix])[0]
    variant = rng.choice(VARIANTS[key])
    quantity = rng.randint(1, config.max_quantity)
    text = upload = None
    if key == "mug" and rng.random() < config.personalisation_fraction:
        text = rng.choice(PHRASES)
    if key == "wall_art" and rng.random() < config.upload_fraction:
        upload = f"artwork-{rng.randint(1, 999)}.png"
    return Line(PRODUCT_IDS[key], variant, quantity, address=address, personalisation=text, upload=upload)


def _customer(rng: random.Random) -> dict:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    number = rng.randint(1, 9999)
    email = f"{first.lower()}.{last.lower()}{number}@example.com"
    return {"customer_id": number, "first_name": first, "last_name": last, "email": email}


def _address(rng: random.Random) -> dict:
    city, state, zip_code = rng.choice(CITIES)
    return {"street_1": f"{rng.randint(1, 999)} Main Street", "city": city, "state": state, "zip": zip_code}


class OrderGenerator:
    """Places planned orders into stores, in real time (scaled) once started, or at once with `generate`."""

    def __init__(self, stores: Callable[[], list], config: GeneratorConfig, seed: int, time_scale: float):
        self.config, self._stores, self._time_scale = config, stores, time_scale
        self._plans = iter_plans(seed, config)
        self._payments = Scheduler("bigcommerce-emulator-payments")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._turn = itertools.count()
        self._plan_lock = threading.Lock()
        self.placed: list[tuple[str, int]] = []

    def open(self) -> None:
        """Start the payment timer (the emulator does this when it starts)."""
        self._payments.start()

    def close(self) -> None:
        self.stop()
        self._payments.stop()

    def start(self) -> None:
        """Start placing orders at the configured rate, round-robin over the stores."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="bigcommerce-emulator-generator", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def generate(self, store, count: int) -> list[int]:
        """Place the next `count` planned orders into `store` now, ignoring the gaps between them."""
        return [self.place(store, self._next_plan()) for _ in range(count)]

    def place(self, store, plan: PlannedOrder) -> int:
        order_id = store.place_order(plan.lines, plan.status_id, plan.customer, list(plan.shipping))
        self.placed.append((store.store_hash, order_id))
        if plan.pays_after_seconds is not None:
            delay = plan.pays_after_seconds / self._time_scale
            self._payments.call_later(delay, lambda: _mark_paid(store, order_id))
        return order_id

    def _next_plan(self) -> PlannedOrder:
        with self._plan_lock:
            return next(self._plans)

    def _run(self) -> None:
        while True:
            plan = self._next_plan()
            if self._stop.wait(plan.gap_seconds / self._time_scale):
                return
            stores = self._stores()
            if stores:
                self.place(stores[next(self._turn) % len(stores)], plan)


def _mark_paid(store, order_id: int) -> None:
    with store.lock:
        if store.orders[order_id]["status_id"] == 7:
            store.set_status(order_id, 11)
