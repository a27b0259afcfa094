"""Fault injection: 5xx before and after the effect, slow answers past the client's timeout (with and without
the effect), 429 with Retry-After, a full outage, dropped connections."""

from __future__ import annotations

import time

import httpx
import pytest

from .conftest import client_for, order_body

INJECTED = "Injected fault: the emulator answered with an error."


def references(emulator) -> list[str]:
    return [order["orderReferenceId"] for order in emulator.orders.values()]


def test_fail_next_answers_the_status_and_does_nothing(gelato, client):
    gelato.faults.fail_next(502)
    failed = client.post("/v4/orders", json=order_body("PB-1"))
    assert (failed.status_code, failed.json()) == (
        502,
        {"code": "bad_gateway", "message": INJECTED, "details": []},
    )
    assert gelato.orders == {}
    assert client.post("/v4/orders", json=order_body("PB-1")).status_code == 200
    assert references(gelato) == ["PB-1"]


def test_500_after_the_effect_creates_the_order_which_a_search_then_finds(gelato, client):
    gelato.faults.fail_next(500, after_effect=True)
    failed = client.post("/v4/orders", json=order_body("PB-1"))
    assert (failed.status_code, failed.json()["message"]) == (500, INJECTED)
    assert references(gelato) == ["PB-1"]
    found = client.post("/v4/orders:search", json={"orderReferenceIds": ["PB-1"]}).json()["orders"]
    assert [summary["id"] for summary in found] == list(gelato.orders)


def test_fail_next_counts_and_matches_the_path(gelato, client):
    gelato.faults.fail_next(503, count=2, path_contains="/v4/orders:search")
    created = client.post("/v4/orders", json=order_body("PB-1"))
    searches = [client.post("/v4/orders:search", json={}).status_code for _ in range(3)]
    assert (created.status_code, searches) == (200, [503, 503, 200])


@pytest.mark.parametrize(("status", "count"), [(200, 1), (302, 1), (600, 1), (500, 0)])
def test_fail_next_refuses_a_status_that_is_not_an_error_or_no_count(gelato, status, count):
    with pytest.raises(ValueError):
        gelato.faults.fail_next(status, count=count)


def test_a_slow_answer_after_the_effect_times_the_client_out_and_the_order_exists(gelato):
    gelato.faults.delay_next(0.6, after_effect=True)
    with client_for(gelato, timeout=0.2) as impatient, pytest.raises(httpx.ReadTimeout):
        impatient.post("/v4/orders", json=order_body("PB-1"))
    assert references(gelato) == ["PB-1"]


def test_a_slow_answer_before_the_effect_times_the_client_out_and_nothing_happens(gelato):
    gelato.faults.delay_next(0.6)
    with client_for(gelato, timeout=0.2) as impatient, pytest.raises(httpx.ReadTimeout):
        impatient.post("/v4/orders", json=order_body("PB-1"))
    assert gelato.orders == {}


def test_a_patient_client_gets_504_from_a_slow_answer_before_the_effect(gelato, client):
    gelato.faults.delay_next(0.3)
    started = time.monotonic()
    answer = client.post("/v4/orders", json=order_body("PB-1"))
    assert time.monotonic() - started >= 0.3
    assert (answer.status_code, answer.json()["code"]) == (504, "gateway_timeout")
    assert gelato.orders == {}


def test_a_patient_client_gets_the_real_answer_late_after_the_effect(gelato, client):
    gelato.faults.delay_next(0.3, after_effect=True)
    started = time.monotonic()
    answer = client.post("/v4/orders", json=order_body("PB-1"))
    assert time.monotonic() - started >= 0.3
    assert answer.status_code == 200
    assert list(gelato.orders) == [answer.json()["id"]]


def test_rate_limit_answers_429_with_retry_after_and_does_nothing(gelato, client):
    gelato.faults.rate_limit_next(count=2, retry_after=30)
    limited = [client.post("/v4/orders", json=order_body("PB-1")) for _ in range(2)]
    assert [(a.status_code, a.headers["Retry-After"]) for a in limited] == [(429, "30"), (429, "30")]
    assert limited[0].json() == {
        "code": "too_many_requests",
        "message": "Too many requests: retry after 30 seconds.",
        "details": [],
    }
    assert gelato.orders == {}
    assert client.post("/v4/orders", json=order_body("PB-1")).status_code == 200


def test_an_outage_answers_503_to_every_call_then_ends(gelato, client):
    gelato.faults.outage(0.3)
    with client_for(gelato, api_key=None) as anonymous:
        answers = [
            client.get("/v3/catalogs"),
            client.post("/v4/orders", json=order_body("PB-1")),
            client.get("/v4/orders/whatever"),
            anonymous.get("/v3/products/x"),
        ]
    assert [a.status_code for a in answers] == [503, 503, 503, 503]
    assert answers[0].json() == {
        "code": "service_unavailable",
        "message": "Service unavailable: Gelato is down (emulated outage).",
        "details": [],
    }
    assert gelato.orders == {}
    time.sleep(0.35)
    assert client.get("/v3/catalogs").status_code == 200


def test_clear_ends_an_outage_and_forgets_pending_faults(gelato, client):
    gelato.faults.outage(60)
    gelato.faults.fail_next(500, count=5)
    gelato.faults.clear()
    assert client.get("/v3/catalogs").status_code == 200


def test_a_dropped_connection_gives_no_answer_and_does_nothing(gelato, client):
    gelato.faults.disconnect_next()
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/v4/orders", json=order_body("PB-1"))
    assert gelato.orders == {}


def test_faulted_calls_are_counted_in_requests(gelato, client):
    gelato.faults.rate_limit_next(retry_after=1)
    gelato.faults.fail_next(500)
    for _ in range(3):
        client.get("/v3/catalogs?x=1")
    assert gelato.requests == [("GET", "/v3/catalogs?x=1")] * 3


def test_random_faults_fail_the_given_shares_of_matching_calls_from_the_seed(gelato, client):
    gelato.faults.random_faults(rate_limit=0.25, fail_after_effect=0.25, path_contains="/v3/catalogs")
    codes = [client.get("/v3/catalogs").status_code for _ in range(200)]
    others = [client.get("/v3/products/x").status_code for _ in range(5)]
    assert codes[:12] == [500, 429, 200, 429, 200, 500, 429, 200, 429, 500, 429, 429]  # seed 7
    assert (codes.count(200), codes.count(429), codes.count(500)) == (90, 60, 50)
    assert others == [404] * 5


def test_random_500_after_the_effect_creates_every_order(gelato, client):
    gelato.faults.random_faults(fail_after_effect=1.0, path_contains="/v4/orders")
    codes = [client.post("/v4/orders", json=order_body(f"PB-{n}")).status_code for n in range(3)]
    assert codes == [500, 500, 500]
    assert references(gelato) == ["PB-0", "PB-1", "PB-2"]


def test_random_slow_answers_come_after_the_effect(gelato):
    gelato.faults.random_faults(delay_after_effect=1.0, delay_seconds=0.6)
    with client_for(gelato, timeout=0.2) as impatient, pytest.raises(httpx.ReadTimeout):
        impatient.post("/v4/orders", json=order_body("PB-1"))
    assert references(gelato) == ["PB-1"]


def test_scripted_faults_come_before_random_ones_and_clear_stops_both(gelato, client):
    gelato.faults.random_faults(rate_limit=1.0, retry_after=3)
    gelato.faults.fail_next(502)
    assert [client.get("/v3/catalogs").status_code for _ in range(2)] == [502, 429]
    assert client.get("/v3/catalogs").headers["Retry-After"] == "3"
    gelato.faults.clear()
    assert client.get("/v3/catalogs").status_code == 200


@pytest.mark.parametrize(
    "shares", [{"rate_limit": 0.6, "fail_after_effect": 0.5}, {"rate_limit": -0.1}, {"delay_seconds": 0}]
)
def test_random_fault_shares_must_be_sane(gelato, shares):
    with pytest.raises(ValueError):
        gelato.faults.random_faults(**shares)
