"""Per-store, per-plan quotas with BigCommerce's headers; 429 once the window's quota is used."""

from __future__ import annotations

import pytest

from printbridge.integrations.bigcommerce.emulator.ratelimit import RateLimiter

from .conftest import client_for


def test_every_response_carries_the_rate_limit_headers(store, api):
    answers = [api.get("/v2/orders"), api.get("/v2/orders/999"), api.get("/v3/catalog/products")]
    assert [a.status_code for a in answers] == [204, 404, 200]
    assert [a.headers["X-Rate-Limit-Requests-Left"] for a in answers] == ["149", "148", "147"]
    assert {a.headers["X-Rate-Limit-Requests-Quota"] for a in answers} == {"150"}
    assert {a.headers["X-Rate-Limit-Time-Window-Ms"] for a in answers} == {"30000"}
    assert all(0 < int(a.headers["X-Rate-Limit-Time-Reset-Ms"]) <= 30000 for a in answers)


def test_standard_plan_gets_150_requests_then_429(emulator, store, api):
    lefts = [int(api.get("/v2/time").headers["X-Rate-Limit-Requests-Left"]) for _ in range(150)]
    assert lefts == list(range(149, -1, -1))
    refused = api.get("/v2/time")
    assert refused.status_code == 429
    assert refused.headers["X-Rate-Limit-Requests-Left"] == "0"
    assert 0 < int(refused.headers["X-Rate-Limit-Time-Reset-Ms"]) <= 30000
    assert 1 <= int(refused.headers["X-Retry-After"]) <= 30
    assert refused.json()["status"] == 429
    other = emulator.add_store("pro1", "token-pro", plan="pro")
    with client_for(emulator, "pro1", "token-pro") as pro:
        answer = pro.get("/v2/time")
    assert (answer.status_code, answer.headers["X-Rate-Limit-Requests-Quota"]) == (200, "450")
    assert answer.headers["X-Rate-Limit-Requests-Left"] == "449"
    assert len(other.requests) == 1


def test_quota_comes_back_after_the_window():
    now = [100.0]
    limiter = RateLimiter("plus", time_scale=10.0, clock=lambda: now[0])
    states = [limiter.consume() for _ in range(151)]
    assert [s.allowed for s in states].count(True) == 150
    assert (states[-1].allowed, states[-1].left, states[-1].reset_ms, states[-1].window_ms) == (
        False,
        0,
        3000,
        3000,
    )
    now[0] += 2.5
    assert (limiter.consume().allowed, limiter.consume().reset_ms) == (False, 500)
    now[0] += 0.5
    fresh = limiter.consume()
    assert (fresh.allowed, fresh.left, fresh.reset_ms) == (True, 149, 3000)


def test_unknown_plan_is_refused(emulator):
    with pytest.raises(ValueError, match="plan must be one of"):
        emulator.add_store("x1", "t", plan="gold")
