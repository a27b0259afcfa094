"""Scripted faults: 5xx, 429 with a reset, slow responses, dropped connections, and their admin endpoint."""

from __future__ import annotations

import httpx
import pytest

from printbridge.integrations.bigcommerce.emulator import Line


def test_fail_next_answers_the_status_for_matching_paths_only(emulator, store, api):
    emulator.faults.fail_next(status=503, count=2, path_contains="/v2/orders")
    assert api.get("/v2/store").status_code == 200
    failed = [api.get("/v2/orders") for _ in range(2)]
    assert [f.status_code for f in failed] == [503, 503]
    assert failed[0].json() == [
        {"status": 503, "message": "Injected fault: the emulator answered with an error."}
    ]
    assert failed[0].headers["X-Rate-Limit-Requests-Left"] == "148"
    assert api.get("/v2/orders").status_code == 204


def test_fail_after_effect_does_the_work_then_answers_500(emulator, store, api):
    order_id = store.place_order([Line(111, 203, 1)])
    emulator.faults.fail_next(status=500, path_contains="/shipments", after_effect=True)
    body = {"order_address_id": 1001, "items": [{"order_product_id": 1, "quantity": 1}]}
    answer = api.post(f"/v2/orders/{order_id}/shipments", json=body)
    assert answer.status_code == 500
    assert [s["id"] for s in store.shipments[order_id]] == [1]
    assert store.orders[order_id]["status_id"] == 2


def test_rate_limit_next_is_a_429_with_the_given_reset(emulator, store, api):
    emulator.faults.rate_limit_next(count=1, reset_ms=3000)
    refused = api.get("/v2/orders")
    assert refused.status_code == 429
    assert (refused.headers["X-Rate-Limit-Time-Reset-Ms"], refused.headers["X-Rate-Limit-Requests-Left"]) == (
        "3000",
        "0",
    )
    assert refused.headers["X-Retry-After"] == "3"
    assert api.get("/v2/orders").status_code == 204


def test_delay_next_makes_the_client_time_out(emulator, store, api):
    emulator.faults.delay_next(1.0)
    with pytest.raises(httpx.ReadTimeout):
        api.get("/v2/store", timeout=0.2)
    assert api.get("/v2/store").status_code == 200


def test_disconnect_next_drops_the_connection(emulator, store, api):
    emulator.faults.disconnect_next()
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("/v2/store")
    assert api.get("/v2/store").status_code == 200


def test_faults_over_the_admin_endpoint(emulator, store, api, admin):
    assert admin.post("/_emulator/faults/fail_next", json={"status": 502, "count": 1}).status_code == 204
    assert admin.post("/_emulator/faults/rate_limit_next", json={"reset_ms": 1500}).status_code == 204
    assert api.get("/v2/store").status_code == 429
    assert api.get("/v2/store").status_code == 502
    assert admin.post("/_emulator/faults/fail_next", json={"status": 500}).status_code == 204
    assert admin.delete("/_emulator/faults").status_code == 204
    assert api.get("/v2/store").status_code == 200
    bad = admin.post("/_emulator/faults/fail_next", json={"colour": "red"})
    assert bad.status_code == 422
    assert admin.post("/_emulator/faults/meteor", json={}).status_code == 404
    assert admin.post("/_emulator/faults/webhooks", json={"drop": 2}).status_code == 422
