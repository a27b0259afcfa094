"""The production clock: created → passed → in_production → printed → shipped (per parcel, with tracking) →
delivered, time-scaled, and `advance` forcing it."""

from __future__ import annotations

import re
import time
import uuid

import pytest

from printbridge.integrations.gelato.emulator import ProductionDurations

from .conftest import (
    API_KEY,
    FAST,
    MUG_WHITE,
    POSTER_A3,
    SHIRT_M_WHITE,
    client_for,
    order_body,
    settle,
    wait_until,
)

NEVER = 1e12  # emulated seconds: a step that does not happen during a test
# Everything up to the first parcel at once; the second parcel at NEVER, each delivery 2 × NEVER after shipping
INSTANT = ProductionDurations(
    passed=0, in_production=0, printed=0, shipped=0, second_parcel=NEVER, delivered=2 * NEVER
)


def started(make_emulator, receiver, **config):
    emulator = make_emulator(**config)
    emulator.add_account(API_KEY, webhook_url=receiver.url)
    return emulator


def place(emulator, *uids, **overrides) -> dict:
    with client_for(emulator) as http:
        answer = http.post("/v4/orders", json=order_body("PB-1", *uids, **overrides))
    assert answer.status_code == 200, answer.text
    return answer.json()


def statuses(events: list[dict]) -> list[tuple[str, list[str]]]:
    return [(e["fulfillmentStatus"], [i["fulfillmentStatus"] for i in e["items"]]) for e in events]


def test_an_order_runs_through_every_status_and_is_delivered_with_tracking(make_emulator, receiver):
    emulator = started(make_emulator, receiver, time_scale=FAST)
    order = place(emulator)
    events = receiver.wait_for(5)
    settle(emulator)
    assert statuses(events) == [
        ("passed", ["passed"]),
        ("in_production", ["in_production"]),
        ("printed", ["printed"]),
        ("shipped", ["shipped"]),
        ("delivered", ["delivered"]),
    ]
    final = emulator.orders[order["id"]]
    [parcel] = final["items"][0]["fulfillments"]
    code = parcel["trackingCode"]
    assert re.fullmatch(r"1Z\d{16}", code)
    assert parcel == {
        "trackingCode": code,
        "trackingUrl": f"https://www.ups.com/track?tracknum={code}",
        "shipmentMethodName": "UPS Ground",
        "shipmentMethodUid": "ups_ground",
        "fulfillmentCountry": "US",
        "fulfillmentStateProvince": "NJ",
        "fulfillmentFacilityId": parcel["fulfillmentFacilityId"],
    }
    assert uuid.UUID(parcel["fulfillmentFacilityId"]).version == 4
    [package] = final["shipment"]["packages"]
    assert package == {
        "id": package["id"],
        "orderItemIds": [final["items"][0]["id"]],
        "trackingCode": code,
        "trackingUrl": parcel["trackingUrl"],
    }
    assert (final["fulfillmentStatus"], final["financialStatus"], final["shipment"]["packageCount"]) == (
        "delivered",
        "paid",
        1,
    )
    assert events[3]["items"][0]["fulfillments"] == [parcel]
    assert len(receiver.received) == 5


def test_durations_are_divided_by_the_time_scale(make_emulator, receiver):
    durations = ProductionDurations(passed=20.0, in_production=NEVER)
    emulator = started(make_emulator, receiver, time_scale=100.0, durations=durations)
    placed_at = time.monotonic()
    place(emulator)
    [event] = receiver.wait_for(1)
    waited = receiver.arrivals[0] - placed_at
    assert event["fulfillmentStatus"] == "passed"
    assert 0.19 <= waited < 1.0


def test_several_items_may_ship_in_two_parcels_at_different_times(make_emulator, receiver):
    emulator = started(make_emulator, receiver, split_shipments=1.0, durations=INSTANT)
    order = place(emulator, SHIRT_M_WHITE, MUG_WHITE, POSTER_A3)
    events = receiver.wait_for(4)
    assert statuses(events) == [
        ("passed", ["passed"] * 3),
        ("in_production", ["in_production"] * 3),
        ("printed", ["printed"] * 3),
        ("printed", ["shipped", "shipped", "printed"]),  # the first parcel: two of three items
    ]
    first = events[3]["items"][0]["fulfillments"]
    assert events[3]["items"][1]["fulfillments"] == first
    assert (len(first), events[3]["items"][2]["fulfillments"]) == (1, [])
    partial = emulator.orders[order["id"]]
    assert [p["orderItemIds"] for p in partial["shipment"]["packages"]] == [
        [i["id"] for i in partial["items"][:2]]
    ]

    emulator.advance(order["id"], "shipped")
    events = receiver.wait_for(5)
    assert statuses(events[4:]) == [("shipped", ["shipped"] * 3)]
    second = events[4]["items"][2]["fulfillments"]
    assert len(second) == 1
    assert second[0]["trackingCode"] != first[0]["trackingCode"]
    assert [item["fulfillments"] for item in events[4]["items"][:2]] == [first, first]
    shipped = emulator.orders[order["id"]]
    assert [package["trackingCode"] for package in shipped["shipment"]["packages"]] == [
        first[0]["trackingCode"],
        second[0]["trackingCode"],
    ]
    assert shipped["shipment"]["packageCount"] == 2

    emulator.advance(order["id"], "delivered")
    events = receiver.wait_for(7)
    assert statuses(events[5:]) == [
        ("shipped", ["delivered", "delivered", "shipped"]),
        ("delivered", ["delivered"] * 3),
    ]


def test_without_a_split_every_item_ships_in_one_parcel(make_emulator, receiver):
    durations = ProductionDurations(passed=0, in_production=0, printed=0, shipped=0, delivered=NEVER)
    emulator = started(make_emulator, receiver, split_shipments=0.0, durations=durations)
    order = place(emulator, SHIRT_M_WHITE, MUG_WHITE)
    events = receiver.wait_for(4)
    assert statuses(events) == [
        ("passed", ["passed"] * 2),
        ("in_production", ["in_production"] * 2),
        ("printed", ["printed"] * 2),
        ("shipped", ["shipped"] * 2),
    ]
    [package] = emulator.orders[order["id"]]["shipment"]["packages"]
    assert package["orderItemIds"] == [item["id"] for item in order["items"]]
    assert events[3]["items"][0]["fulfillments"] == events[3]["items"][1]["fulfillments"]


def test_advance_runs_each_step_up_to_the_status_and_fires_a_webhook_for_each(make_emulator, receiver):
    emulator = started(make_emulator, receiver)
    order = place(emulator)
    emulator.advance(order["id"], "printed")
    assert emulator.orders[order["id"]]["fulfillmentStatus"] == "printed"
    assert statuses(receiver.wait_for(3)) == [
        ("passed", ["passed"]),
        ("in_production", ["in_production"]),
        ("printed", ["printed"]),
    ]
    emulator.advance(order["id"], "passed")  # already past it: nothing happens
    wait_until(lambda: emulator.pending_webhooks() == 0)
    assert (len(receiver.received), emulator.orders[order["id"]]["fulfillmentStatus"]) == (3, "printed")


def test_after_advance_the_clock_goes_on_from_the_forced_status(make_emulator, receiver):
    durations = ProductionDurations(passed=NEVER, shipped=0.01, delivered=NEVER)
    emulator = started(make_emulator, receiver, durations=durations)
    order = place(emulator)
    emulator.advance(order["id"], "printed")
    events = receiver.wait_for(4)
    assert [event["fulfillmentStatus"] for event in events] == [
        "passed",
        "in_production",
        "printed",
        "shipped",
    ]
    assert emulator.orders[order["id"]]["fulfillmentStatus"] == "shipped"


def test_advance_refuses_unknown_statuses_orders_and_drafts(gelato):
    with client_for(gelato) as http:
        draft = http.post("/v4/orders", json=order_body("PB-1", orderType="draft")).json()
    with pytest.raises(
        ValueError, match=r"^to_status must be one of passed, in_production, printed, shipped"
    ):
        gelato.advance(draft["id"], "created")
    with pytest.raises(KeyError):
        gelato.advance("no-such-order", "printed")
    with pytest.raises(ValueError, match=rf"^order {draft['id']} is draft: it does not move on$"):
        gelato.advance(draft["id"], "printed")


@pytest.mark.parametrize(
    ("country", "method", "name", "method_uid", "url", "code_pattern", "hub"),
    [
        ("GB", "normal", "Royal Mail Tracked 48", "royal_mail_tracked_48",
         "https://www.royalmail.com/track-your-item#/tracking-results/", r"RM\d{16}", ("GB", "ENG")),
        ("DE", "normal", "DHL Paket", "dhl_paket",
         "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=", r"00\d{16}", ("DE", "BE")),
        ("NZ", "normal", "DHL eCommerce", "dhl_ecommerce",
         "https://www.dhl.com/global-en/home/tracking.html?tracking-id=", r"GM\d{16}", ("DE", "BE")),
        ("US", "express", "DHL Express", "dhl_express",
         "https://www.dhl.com/en/express/tracking.html?AWB=", r"JD\d{16}", ("US", "NJ")),
    ],
)  # fmt: skip
def test_carrier_and_tracking_follow_the_destination_and_method(
    gelato, country, method, name, method_uid, url, code_pattern, hub
):
    address = {**order_body()["shippingAddress"], "country": country}
    order = place(gelato, shippingAddress=address, shipmentMethodUid=method)
    gelato.advance(order["id"], "shipped")
    [parcel] = gelato.orders[order["id"]]["items"][0]["fulfillments"]
    code = parcel["trackingCode"]
    assert re.fullmatch(code_pattern, code)
    assert (parcel["shipmentMethodName"], parcel["shipmentMethodUid"], parcel["trackingUrl"]) == (
        name,
        method_uid,
        url + code,
    )
    assert (parcel["fulfillmentCountry"], parcel["fulfillmentStateProvince"]) == hub
