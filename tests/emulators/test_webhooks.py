"""Webhook delivery: thin payloads, echoed headers, retries on the documented schedule, deactivation, faults."""

from __future__ import annotations

import hashlib
import json

import pytest

from printbridge.integrations.bigcommerce.emulator import Line
from printbridge.integrations.bigcommerce.emulator.webhooks import RETRY_SCHEDULE

from .conftest import STORE_HASH, TOKEN, client_for, start_emulator, wait_until

SHIRT = [Line(111, 203, 1)]


def _hook(api, receiver, scope="store/order/*", **fields) -> dict:
    body = {
        "scope": scope,
        "destination": receiver.url,
        "headers": {"X-Printbridge-Secret": "s3cret"},
        **fields,
    }
    answer = api.post("/v3/hooks", json=body)
    assert answer.status_code == 200
    return answer.json()["data"]


def _sha1(data: dict) -> str:
    return hashlib.sha1(json.dumps(data, separators=(",", ":")).encode()).hexdigest()


def test_new_order_sends_created_and_status_updated_thin_payloads(store, api, receiver):
    hook = _hook(api, receiver)
    order_id = store.place_order(SHIRT)
    first, second = (entry["json"] for entry in receiver.wait_for(2))
    created_data = {"type": "order", "id": order_id}
    status_data = {"type": "order", "id": order_id, "status": {"previous_status_id": 0, "new_status_id": 11}}
    assert first == {
        "scope": "store/order/created",
        "store_id": "1000001",
        "data": created_data,
        "hash": _sha1(created_data),
        "created_at": hook["created_at"],
        "producer": f"stores/{STORE_HASH}",
    }
    assert (second["scope"], second["data"], second["hash"]) == (
        "store/order/statusUpdated",
        status_data,
        _sha1(status_data),
    )
    headers = receiver.received[0]["headers"]
    assert (headers["X-Printbridge-Secret"], headers["Content-Type"]) == ("s3cret", "application/json")
    assert receiver.received[0]["path"] == "/webhooks/bigcommerce"


def test_only_matching_active_hooks_receive_events(store, api, receiver):
    _hook(api, receiver, scope="store/order/statusUpdated")
    _hook(api, receiver, scope="store/order/created", is_active=False)
    order_id = store.place_order(SHIRT, status_id=7)
    store.set_status(order_id, 11)
    received = receiver.wait_for(2)
    assert [(r["json"]["scope"], r["json"]["data"]["status"]["new_status_id"]) for r in received] == [
        ("store/order/statusUpdated", 7),
        ("store/order/statusUpdated", 11),
    ]
    wait_until(lambda: len(store.webhook_log) == 2)
    assert [e["outcome"] for e in store.webhook_log] == ["delivered", "delivered"]


def test_two_updates_of_one_order_carry_the_same_hash(store, api, receiver):
    _hook(api, receiver, scope="store/order/updated")
    order_id = store.place_order(SHIRT)
    store.set_status(order_id, 9)
    store.set_status(order_id, 11)
    first, second = (r["json"] for r in receiver.wait_for(2))
    assert first["hash"] == second["hash"] == _sha1({"type": "order", "id": order_id})


def test_shipment_fires_shipment_created_with_order_id(store, api, receiver):
    _hook(api, receiver, scope="store/shipment/created")
    order_id = store.place_order(SHIRT)
    body = {"order_address_id": 1001, "items": [{"order_product_id": 1, "quantity": 1}]}
    assert api.post(f"/v2/orders/{order_id}/shipments", json=body).status_code == 201
    (delivery,) = receiver.wait_for(1)
    assert delivery["json"]["data"] == {"type": "shipment", "id": 1, "orderId": order_id}


def test_failed_delivery_is_retried_then_succeeds(receiver):
    emu = start_emulator(time_scale=1000.0)
    try:
        emu.add_store(STORE_HASH, TOKEN)
        with client_for(emu) as api:
            _hook(api, receiver, scope="store/order/created")
        receiver.statuses = [503, 500]
        emu.stores[STORE_HASH].place_order(SHIRT)
        receiver.wait_for(3, timeout=5)
        store = emu.stores[STORE_HASH]
        wait_until(lambda: len(store.webhook_log) == 3)
        assert [(e["attempt"], e["outcome"], e["status"]) for e in store.webhook_log] == [
            (1, "failed", 503),
            (2, "failed", 500),
            (3, "delivered", 200),
        ]
        assert {r["json"]["hash"] for r in receiver.received} == {_sha1({"type": "order", "id": 100})}
        assert store.hooks[1]["is_active"] is True
    finally:
        emu.stop()


def test_hook_is_deactivated_after_the_last_retry_fails(receiver):
    time_scale = 200_000.0
    emu = start_emulator(time_scale=time_scale)
    try:
        store = emu.add_store(STORE_HASH, TOKEN)
        with client_for(emu) as api:
            _hook(api, receiver, scope="store/order/created")
        receiver.statuses = [500] * 12
        store.place_order(SHIRT)
        wait_until(lambda: len(store.webhook_log) == 12, timeout=5)
        assert [e["attempt"] for e in store.webhook_log] == list(range(1, 13))
        assert {e["outcome"] for e in store.webhook_log} == {"failed"}
        assert [e["hook_deactivated"] for e in store.webhook_log] == [False] * 11 + [True]
        assert store.hooks[1]["is_active"] is False
        gaps = [b["at"] - a["at"] for a, b in zip(store.webhook_log, store.webhook_log[1:], strict=False)]
        assert all(gap >= delay / time_scale for gap, delay in zip(gaps, RETRY_SCHEDULE, strict=True))
        store.place_order(SHIRT)
        with client_for(emu) as api:
            assert api.get("/v3/hooks/1").json()["data"]["is_active"] is False
        assert len(receiver.received) == 12
        assert emu.pending_webhooks() == 0
    finally:
        emu.stop()


def test_unreachable_destination_counts_as_failure(emulator, store, api):
    _hook_body = {"scope": "store/order/created", "destination": "http://127.0.0.1:9/nobody-listens"}
    assert api.post("/v3/hooks", json=_hook_body).status_code == 200
    store.place_order(SHIRT)
    wait_until(lambda: len(store.webhook_log) == 1)
    entry = store.webhook_log[0]
    assert (entry["outcome"], entry["status"], entry["error"].split(":")[0]) == (
        "failed",
        None,
        "ConnectError",
    )
    assert emulator.pending_webhooks() == 1  # the retry, 60 s later


def test_destinations_off_this_machine_are_accepted_but_never_contacted(emulator, store, api):
    body = {"scope": "store/order/created", "destination": "https://printbridge.example.com/webhooks"}
    assert api.post("/v3/hooks", json=body).status_code == 200
    store.place_order(SHIRT)
    wait_until(lambda: len(store.webhook_log) == 1)
    entry = store.webhook_log[0]
    assert (entry["outcome"], entry["status"]) == ("failed", None)
    assert entry["error"] == "not sent: the emulator only delivers to 127.0.0.1, localhost or [::1]"


@pytest.mark.parametrize("fault", ["drop", "duplicate", "reorder"])
def test_webhook_faults(emulator, store, api, receiver, fault):
    _hook(api, receiver, scope="store/order/created")
    emulator.faults.webhooks(**{fault: 1.0})
    first, second = store.place_order(SHIRT), store.place_order(SHIRT)
    if fault == "drop":
        wait_until(lambda: len(store.webhook_log) == 2)
        assert [e["outcome"] for e in store.webhook_log] == ["dropped", "dropped"]
        assert receiver.received == []
        return
    expected = {"duplicate": [first, first, second, second], "reorder": [second, first]}[fault]
    received = receiver.wait_for(len(expected))
    assert [r["json"]["data"]["id"] for r in received] == expected


def test_held_back_event_is_released_when_nothing_overtakes_it(receiver):
    emu = start_emulator(time_scale=100.0)  # released after 30 s / 100
    try:
        store = emu.add_store(STORE_HASH, TOKEN)
        with client_for(emu) as api:
            _hook(api, receiver, scope="store/order/created")
        emu.faults.webhooks(reorder=1.0)
        order_id = store.place_order(SHIRT)
        (delivery,) = receiver.wait_for(1, timeout=3)
        assert delivery["json"]["data"]["id"] == order_id
    finally:
        emu.stop()
