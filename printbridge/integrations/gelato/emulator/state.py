"""The emulator's orders: one lock, the order JSON per id, its owner (API key), and its production clock
(a plan of steps run on a timer thread, or forced with `advance`). Every change of status calls `notify`."""

from __future__ import annotations

import copy
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from printbridge.integrations.bigcommerce.emulator.formats import iso8601, utcnow
from printbridge.integrations.bigcommerce.emulator.routes import ApiError
from printbridge.integrations.bigcommerce.emulator.scheduler import Scheduler

from . import orders, production
from .catalog import ProductCatalog
from .production import CANCELABLE, FLOW, RANK, ProductionDurations, Step
from .webhooks import status_payload

Notify = Callable[[str, dict], None]  # (api key of the order's account, webhook payload)
NOT_FOUND = "Order not found."
PRINTED = "The order cannot be canceled, because at least one of the items is in 'printed' status."


@dataclass
class Account:
    api_key: str
    webhook_url: str | None = None


@dataclass
class _Record:
    order: dict
    api_key: str
    steps: list[Step] = field(default_factory=list)
    next_step: int = 0  # index into steps; -1 once canceled
    clock: float = 0.0  # emulated seconds of the last step applied


def now() -> str:
    return iso8601(utcnow())


class OrderBook:
    def __init__(
        self,
        catalog: ProductCatalog,
        durations: ProductionDurations,
        time_scale: float,
        seed: int,
        split_shipments: float,
        notify: Notify,
    ) -> None:
        self.catalog, self._durations, self._time_scale = catalog, durations, time_scale
        self._split, self._notify = split_shipments, notify
        self.lock = threading.RLock()
        self._records: dict[str, _Record] = {}
        self._random = random.Random(seed)
        self._scheduler = Scheduler("gelato-emulator-production")

    def start(self) -> None:
        self._scheduler.start()

    def stop(self) -> None:
        self._scheduler.stop()

    def pending_steps(self) -> int:
        return self._scheduler.pending()

    def snapshot(self) -> dict[str, dict]:
        with self.lock:
            return {order_id: copy.deepcopy(record.order) for order_id, record in self._records.items()}

    # API operations (each raises ApiError for the HTTP answer) ---------------------------------------

    def create(self, api_key: str, body: dict) -> dict:
        products = self.catalog.products
        orders.validate_new_order(body, products)
        with self.lock:
            order = orders.build_order(body, self._new_id, now(), products)
            record = _Record(order, api_key)
            self._records[order["id"]] = record
            if order["orderType"] == "order":
                self._start_clock(record)
            return copy.deepcopy(order)

    def get(self, api_key: str, order_id: str) -> dict:
        with self.lock:
            return copy.deepcopy(self._owned(api_key, order_id).order)

    def search(self, api_key: str, body: dict) -> list[dict]:
        matches, limit, offset = orders.search_filter(body)
        with self.lock:
            mine = [r.order for r in reversed(self._records.values()) if r.api_key == api_key]
            found = [order for order in mine if matches(order)]
            return [orders.summary(order, self.catalog.products) for order in found[offset : offset + limit]]

    def cancel(self, api_key: str, order_id: str) -> None:
        with self.lock:
            record = self._owned(api_key, order_id)
            order = record.order
            if order["fulfillmentStatus"] == "canceled":
                return
            if any(item["fulfillmentStatus"] not in CANCELABLE for item in order["items"]):
                raise ApiError(409, PRINTED)
            for item in order["items"]:
                item["fulfillmentStatus"] = "canceled"
            order.update(fulfillmentStatus="canceled", financialStatus="canceled", updatedAt=now())
            record.next_step = -1
            self._changed(record)

    def patch(self, api_key: str, order_id: str, body: dict) -> dict:
        with self.lock:
            record = self._owned(api_key, order_id)
            orders.validate_patch(record.order, body)
            if orders.apply_patch(record.order, body, now()):
                self._changed(record)
                self._start_clock(record)
            return copy.deepcopy(record.order)

    def _owned(self, api_key: str, order_id: str) -> _Record:
        record = self._records.get(order_id)
        if record is None or record.api_key != api_key:
            raise ApiError(404, NOT_FOUND)
        return record

    def _new_id(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    # The production clock -------------------------------------------------------------------------

    def advance(self, order_id: str, to_status: str) -> None:
        """Run the order's next steps now until it reaches `to_status` (nothing when it already has)."""
        if to_status not in FLOW[1:]:
            raise ValueError(f"to_status must be one of {', '.join(FLOW[1:])}, not {to_status!r}")
        with self.lock:
            record = self._movable(order_id)
            ran = False
            while RANK[record.order["fulfillmentStatus"]] < RANK[to_status]:
                self._run_step(record)
                ran = True
            if ran:
                self._schedule_next(record)

    def step(self, order_id: str) -> str:
        """Run the order's next step now (so one parcel ships at a time); returns the order's status."""
        with self.lock:
            record = self._movable(order_id)
            if record.next_step >= len(record.steps):
                raise ValueError(f"order {order_id} is {record.order['fulfillmentStatus']}: no step is left")
            self._run_step(record)
            self._schedule_next(record)
            return str(record.order["fulfillmentStatus"])

    def _movable(self, order_id: str) -> _Record:
        record = self._records.get(order_id)
        if record is None:
            raise KeyError(order_id)
        if record.order["orderType"] == "draft" or record.next_step < 0:
            raise ValueError(f"order {order_id} is {record.order['fulfillmentStatus']}: it does not move on")
        return record

    def _start_clock(self, record: _Record) -> None:
        count = len(record.order["items"])
        split = count > 1 and self._random.random() < self._split
        record.steps = production.plan(production.parcels_for(count, split), self._durations)
        record.next_step, record.clock = 0, 0.0
        self._schedule_next(record)

    def _schedule_next(self, record: _Record) -> None:
        if not 0 <= record.next_step < len(record.steps):
            return
        index, step = record.next_step, record.steps[record.next_step]
        delay = (step.at - record.clock) / self._time_scale
        self._scheduler.call_later(delay, lambda: self._fire(record.order["id"], index))

    def _fire(self, order_id: str, index: int) -> None:
        with self.lock:
            record = self._records[order_id]
            if record.next_step != index:
                return  # canceled, or `advance` ran this step already
            self._run_step(record)
            self._schedule_next(record)

    def _run_step(self, record: _Record) -> None:
        step = record.steps[record.next_step]
        record.next_step += 1
        record.clock = step.at
        if production.apply(record.order, step, now()):
            self._changed(record)

    def _changed(self, record: _Record) -> None:
        event_id = f"os_{self._random.getrandbits(52):013x}"
        self._notify(record.api_key, status_payload(event_id, record.order))
