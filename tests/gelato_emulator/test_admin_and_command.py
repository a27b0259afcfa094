"""The emulator's own API under /_emulator/ and `printbridge emulate gelato`."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from django.core.management import CommandError, call_command

from .conftest import API_KEY, client_for, order_body, wait_until


@pytest.fixture
def admin(gelato) -> Iterator[httpx.Client]:
    with client_for(gelato, api_key=None) as http:
        yield http


def test_health_needs_no_key_and_is_not_counted(gelato, admin):
    answer = admin.get("/_emulator/health")
    assert (answer.status_code, answer.json()) == (200, {"ok": True, "accounts": 1, "orders": 0})
    assert gelato.requests == []


def test_accounts_are_added_and_get_a_webhook_url(gelato, admin, receiver):
    added = admin.post("/_emulator/accounts", json={"api_key": "shop-2"})
    assert (added.status_code, added.json()) == (201, {"api_key": "shop-2", "webhook_url": None})
    updated = admin.put("/_emulator/accounts/shop-2", json={"webhook_url": receiver.url})
    assert (updated.status_code, updated.json()) == (200, {"api_key": "shop-2", "webhook_url": receiver.url})
    assert gelato.accounts["shop-2"].webhook_url == receiver.url


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/_emulator/accounts", {"api_key": API_KEY}, 422),
        ("POST", "/_emulator/accounts", {"api_key": "x", "webhook_url": "https://example.com/h"}, 422),
        ("PUT", "/_emulator/accounts/nobody", {"webhook_url": None}, 404),
        ("POST", "/_emulator/orders/nope/advance", {"status": "printed"}, 404),
        ("POST", "/_emulator/faults/explode", {}, 404),
        ("POST", "/_emulator/faults/fail_next", {"colour": "red"}, 422),
        ("POST", "/_emulator/faults/outage", {"seconds": -1}, 422),
    ],
)
def test_admin_refuses_bad_requests(admin, method, path, body, status):
    assert admin.request(method, path, json=body).status_code == status


def test_orders_advance_requests_and_webhook_log(gelato, admin, client, receiver):
    gelato.set_webhook_url(API_KEY, receiver.url)
    order = client.post("/v4/orders", json=order_body("PB-1")).json()
    advanced = admin.post(f"/_emulator/orders/{order['id']}/advance", json={"status": "passed"})
    assert (advanced.status_code, advanced.json()["fulfillmentStatus"]) == (200, "passed")
    bad = admin.post(f"/_emulator/orders/{order['id']}/advance", json={"status": "lost"})
    assert bad.status_code == 422
    assert list(admin.get("/_emulator/orders").json()) == [order["id"]]
    assert admin.get("/_emulator/requests").json() == [["POST", "/v4/orders"]]
    receiver.wait_for(1)
    wait_until(lambda: gelato.pending_webhooks() == 0)
    log = admin.get("/_emulator/webhook_log").json()
    assert [(e["order_id"], e["fulfillment_status"], e["outcome"]) for e in log] == [
        (order["id"], "passed", "delivered")
    ]


def test_faults_over_http(gelato, admin, client):
    assert admin.post("/_emulator/faults/rate_limit_next", json={"retry_after": 7}).status_code == 204
    limited = client.get("/v3/catalogs")
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "7")
    assert admin.post("/_emulator/faults/outage", json={"seconds": 60}).status_code == 204
    assert client.get("/v3/catalogs").status_code == 503
    assert admin.delete("/_emulator/faults").status_code == 204
    assert (
        admin.post("/_emulator/faults/fail_next", json={"status": 500, "after_effect": True}).status_code
        == 204
    )
    assert client.post("/v4/orders", json=order_body("PB-1")).status_code == 500
    assert len(gelato.orders) == 1


def test_emulate_gelato_serves_the_account_until_sigterm(receiver):
    argv = [sys.executable, "-m", "printbridge.cli", "emulate", "gelato", "--port", "0", "--api-key", "k1"]
    argv += ["--time-scale", "1000", "--webhook-url", receiver.url]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline().strip() for _ in range(2)]
        assert lines[0] == f"account k1: webhooks to {receiver.url}"
        base = lines[1].removeprefix("Gelato emulator listening on ")
        assert base.startswith("http://127.0.0.1:")
        headers = {"X-API-KEY": "k1"}
        created = httpx.post(f"{base}/v4/orders", json=order_body("PB-1"), headers=headers, trust_env=False)
        assert created.status_code == 200
        assert receiver.wait_for(1)[0]["fulfillmentStatus"] == "passed"  # 120 s ÷ 1000
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert process.stdout.read().strip() == "Gelato emulator stopped."
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()


def test_emulate_gelato_refuses_a_webhook_url_off_this_machine():
    with pytest.raises(CommandError, match=r"^webhook_url must be an http\(s\) URL on 127.0.0.1"):
        call_command("emulate", "gelato", "--port", "0", "--webhook-url", "https://hooks.example.com/gelato")
