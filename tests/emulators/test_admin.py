"""The /_emulator/ JSON API used by the CLI-run emulator (demo, benchmarks)."""

from __future__ import annotations

import jwt

SECRET = "app-secret-0123456789abcdef0123456789abcdef"


def test_admin_adds_a_store_places_orders_and_reports_calls_and_webhooks(emulator, admin):
    created = admin.post("/_emulator/stores", json={"store_hash": "s9", "access_token": "t9", "plan": "plus"})
    assert created.status_code == 201
    assert created.json() == {
        "store_hash": "s9",
        "store_id": 1000001,
        "name": "Store s9",
        "plan": "plus",
        "api_url": emulator.api_url("s9"),
        "orders": 0,
    }
    order = admin.post("/_emulator/stores/s9/orders", json={"lines": [[113, 242, 2]], "status_id": 7})
    assert (order.status_code, order.json()) == (201, {"id": 100})
    assert admin.put("/_emulator/stores/s9/orders/100/status", json={"status_id": 11}).status_code == 204
    assert emulator.stores["s9"].orders[100]["status_id"] == 11
    assert admin.post("/_emulator/stores/s9/orders/100/archive").status_code == 204
    generated = admin.post("/_emulator/stores/s9/generate", json={"count": 2})
    assert generated.json() == {"ids": [101, 102]}
    headers = {"X-Auth-Token": "t9"}
    admin.get("/stores/s9/v2/orders/100", headers=headers)
    assert admin.get("/_emulator/stores/s9/requests").json() == [["GET", "/stores/s9/v2/orders/100"]]
    assert admin.get("/_emulator/stores/s9/webhook_log").json() == []
    assert admin.get("/_emulator/health").json() == {"ok": True, "stores": ["s9"]}


def test_admin_rejects_bad_input(emulator, admin):
    assert admin.post("/_emulator/stores", json={"store_hash": "s1"}).status_code == 422
    admin.post("/_emulator/stores", json={"store_hash": "s1", "access_token": "t1"})
    assert admin.post("/_emulator/stores", json={"store_hash": "s1", "access_token": "t1"}).status_code == 422
    assert admin.post("/_emulator/stores/s1/orders", json={"lines": [[999, 1, 1]]}).status_code == 422
    assert admin.post("/_emulator/stores/zz/orders", json={"lines": [[111, 201, 1]]}).status_code == 404
    assert admin.put("/_emulator/stores/s1/orders/100/status", json={"status_id": 11}).status_code == 422


def test_app_install_and_token_exchange_with_a_json_body(emulator, store, admin):
    assert admin.post("/_emulator/apps", json={"client_id": "c1", "client_secret": SECRET}).status_code == 204
    grant = admin.post(
        "/_emulator/stores/abc123/install", json={"client_id": "c1", "scope": "store_v2_orders"}
    )
    assert grant.status_code == 201
    form = {
        "client_id": "c1",
        "client_secret": SECRET,
        "code": grant.json()["code"],
        "context": "stores/abc123",
        "scope": "store_v2_orders",
        "grant_type": "authorization_code",
        "redirect_uri": "https://printbridge.example.com/auth",
    }
    wrong_secret = admin.post("/oauth2/token", json={**form, "client_secret": "nope"})
    assert (wrong_secret.status_code, wrong_secret.json()) == (401, {"error": "Invalid client id or secret."})
    token = admin.post("/oauth2/token", json=form)
    assert token.status_code == 200
    assert token.json()["account_uuid"] == store.account_uuid
    reused = admin.post("/oauth2/token", json=form)
    assert reused.status_code == 400
    signed = admin.post("/_emulator/stores/abc123/load_jwt", json={"client_id": "c1"}).json()[
        "signed_payload_jwt"
    ]
    claims = jwt.decode(signed, SECRET, algorithms=["HS256"], audience="c1", issuer="bc")
    assert (claims["sub"], claims["exp"] - claims["nbf"]) == ("stores/abc123", 24 * 3600)
