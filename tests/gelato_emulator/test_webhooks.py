"""Status webhooks: the documented body, any 2xx a success, 3 attempts 5 s apart (time-scaled) then dropped,
loopback only, and the delivery faults (drop, duplicate, reorder)."""

from __future__ import annotations

import re
import socket
import time

import pytest

from .conftest import API_KEY, client_for, order_body, wait_until


def started(make_emulator, webhook_url: str | None, **config):
    emulator = make_emulator(**config)
    emulator.add_account(API_KEY, webhook_url=webhook_url)
    return emulator


def place(emulator) -> dict:
    with client_for(emulator) as http:
        return http.post("/v4/orders", json=order_body("PB-1")).json()


def drained(emulator) -> None:
    """Wait until every delivery (with its retries) has ended."""
    wait_until(lambda: emulator.pending_webhooks() == 0)


def test_status_change_posts_the_documented_body(make_emulator, receiver):
    emulator = started(make_emulator, receiver.url)
    order = place(emulator)
    emulator.advance(order["id"], "in_production")
    first, second = receiver.wait_for(2)
    assert re.fullmatch(r"os_[0-9a-f]{13}", first["id"])
    assert first == {
        "id": first["id"],
        "event": "order_status_updated",
        "orderId": order["id"],
        "storeId": None,
        "orderReferenceId": "PB-1",
        "fulfillmentStatus": "passed",
        "items": [{"itemReferenceId": "PB-1-line-1", "fulfillmentStatus": "passed", "fulfillments": []}],
    }
    assert (second["fulfillmentStatus"], second["id"] != first["id"]) == ("in_production", True)
    drained(emulator)
    assert [entry["outcome"] for entry in emulator.webhook_log] == ["delivered", "delivered"]


def test_creating_an_order_sends_no_webhook(make_emulator, receiver):
    emulator = started(make_emulator, receiver.url)
    place(emulator)
    drained(emulator)
    assert (receiver.received, emulator.webhook_log) == ([], [])


def test_a_failed_delivery_is_retried_5_scaled_seconds_later_until_a_2xx(make_emulator, receiver):
    emulator = started(make_emulator, receiver.url, time_scale=50.0)  # 5 s → 0.1 s
    receiver.statuses = [500, 503]
    emulator.advance(place(emulator)["id"], "passed")
    attempts = receiver.wait_for(3)
    assert attempts[0] == attempts[1] == attempts[2]
    gaps = [later - earlier for earlier, later in zip(receiver.arrivals, receiver.arrivals[1:], strict=False)]
    assert all(0.1 <= gap < 1.0 for gap in gaps), gaps
    drained(emulator)
    log = emulator.webhook_log
    assert [(e["attempt"], e["outcome"], e["status"]) for e in log] == [
        (1, "failed", 500),
        (2, "failed", 503),
        (3, "delivered", 200),
    ]
    assert {e["event_id"] for e in log} == {attempts[0]["id"]}


def test_after_three_failed_attempts_the_event_is_dropped_for_good(make_emulator, receiver):
    emulator = started(make_emulator, receiver.url, time_scale=50.0)
    receiver.statuses = [500, 500, 500, 500]
    emulator.advance(place(emulator)["id"], "passed")
    receiver.wait_for(3)
    drained(emulator)
    time.sleep(0.15)  # longer than a (scaled) retry interval: no fourth attempt comes
    assert len(receiver.received) == 3
    assert [(e["attempt"], e["outcome"]) for e in emulator.webhook_log] == [
        (1, "failed"),
        (2, "failed"),
        (3, "abandoned"),
    ]


@pytest.mark.parametrize("status", [201, 202, 204, 299])
def test_any_2xx_is_a_success(make_emulator, receiver, status):
    emulator = started(make_emulator, receiver.url, time_scale=50.0)
    receiver.statuses = [status]
    emulator.advance(place(emulator)["id"], "passed")
    receiver.wait_for(1)
    drained(emulator)
    assert len(receiver.received) == 1
    assert [(e["outcome"], e["status"]) for e in emulator.webhook_log] == [("delivered", status)]


def test_an_unreachable_receiver_gets_three_attempts(make_emulator):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    emulator = started(make_emulator, f"http://127.0.0.1:{port}/hook", time_scale=50.0)
    emulator.advance(place(emulator)["id"], "passed")
    wait_until(lambda: len(emulator.webhook_log) == 3)
    log = emulator.webhook_log
    assert [(e["outcome"], e["status"]) for e in log] == [
        ("failed", None),
        ("failed", None),
        ("abandoned", None),
    ]
    assert all(e["error"].startswith("ConnectError") for e in log)


def test_an_account_without_a_webhook_url_gets_no_webhooks(make_emulator):
    emulator = started(make_emulator, None)
    emulator.advance(place(emulator)["id"], "printed")
    drained(emulator)
    assert emulator.webhook_log == []


@pytest.mark.parametrize(
    "url",
    ["https://example.com/hooks", "http://10.0.0.1/hooks", "ftp://127.0.0.1/hooks", "http://127.0.0.1:0/"],
)
def test_webhook_urls_must_be_loopback(gelato, url):
    with pytest.raises(
        ValueError, match=r"^webhook_url must be an http\(s\) URL on 127.0.0.1, localhost or \[::1\]$"
    ):
        gelato.add_account("other-key", webhook_url=url)
    with pytest.raises(ValueError, match=r"^webhook_url must be"):
        gelato.set_webhook_url("gelato-key", url)
    assert gelato.accounts["gelato-key"].webhook_url is None


def test_dropped_webhooks_never_arrive(make_emulator, receiver):
    emulator = started(make_emulator, receiver.url)
    emulator.faults.webhooks(drop=1.0)
    emulator.advance(place(emulator)["id"], "printed")
    drained(emulator)
    assert receiver.received == []
    assert [(e["outcome"], e["fulfillment_status"]) for e in emulator.webhook_log] == [
        ("dropped", "passed"),
        ("dropped", "in_production"),
        ("dropped", "printed"),
    ]


def test_duplicated_webhooks_arrive_twice_with_the_same_id(make_emulator, receiver):
    emulator = started(make_emulator, receiver.url)
    emulator.faults.webhooks(duplicate=1.0)
    emulator.advance(place(emulator)["id"], "passed")
    first, second = receiver.wait_for(2)
    drained(emulator)
    assert first == second
    assert len(receiver.received) == 2


def test_reordered_webhooks_arrive_after_the_next_event(make_emulator, receiver):
    emulator = started(make_emulator, receiver.url)
    emulator.faults.webhooks(reorder=1.0)
    emulator.advance(place(emulator)["id"], "in_production")
    events = receiver.wait_for(2)
    assert [event["fulfillmentStatus"] for event in events] == ["in_production", "passed"]


def test_a_held_back_webhook_goes_out_after_30_scaled_seconds_without_a_next_event(make_emulator, receiver):
    emulator = started(make_emulator, receiver.url, time_scale=100.0)  # 30 s → 0.3 s
    emulator.faults.webhooks(reorder=1.0)
    order = place(emulator)
    held_at = time.monotonic()
    emulator.advance(order["id"], "passed")
    [event] = receiver.wait_for(1)
    assert event["fulfillmentStatus"] == "passed"
    assert 0.3 <= receiver.arrivals[0] - held_at < 2.0


@pytest.mark.parametrize("name", ["drop", "duplicate", "reorder"])
def test_webhook_fault_fractions_must_be_between_0_and_1(gelato, name):
    with pytest.raises(ValueError, match=rf"^{name} must be between 0 and 1$"):
        gelato.faults.webhooks(**{name: 1.5})
