"""The Order API v4: create (with validation), get, search, cancel and the draft PATCH, over a real socket."""

from __future__ import annotations

import re
import time
import uuid

import pytest

from .conftest import (
    ADDRESS,
    API_KEY,
    FAST,
    FILES,
    MUG_WHITE,
    POSTER_A3,
    SHIRT_M_WHITE,
    client_for,
    order_body,
    settle,
    wait_until,
)

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


def create(http, reference="PB-1", *uids, **overrides) -> dict:
    answer = http.post("/v4/orders", json=order_body(reference, *uids, **overrides))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_created_order_has_gelato_ids_and_status_created(gelato, client):
    order = create(client)
    item, shipment, address = order["items"][0], order["shipment"], order["shippingAddress"]
    assert order == {
        "id": order["id"],
        "orderType": "order",
        "orderReferenceId": "PB-1",
        "customerReferenceId": "store-1",
        "fulfillmentStatus": "created",
        "financialStatus": "pending",
        "currency": "USD",
        "channel": "api",
        "storeId": None,
        "connectedOrderIds": [],
        "createdAt": order["createdAt"],
        "updatedAt": order["createdAt"],
        "orderedAt": order["createdAt"],
        "items": [
            {
                "id": item["id"],
                "itemReferenceId": "PB-1-line-1",
                "productUid": SHIRT_M_WHITE,
                "files": FILES,
                "processedFileUrl": None,
                "quantity": 1,
                "fulfillmentStatus": "created",
                "fulfillments": [],
                "previews": [],
                "options": [],
            }
        ],
        "shipment": {
            "id": shipment["id"],
            "shipmentMethodName": "UPS Ground",
            "shipmentMethodUid": "ups_ground",
            "fulfillmentCountry": "US",
            "minDeliveryDays": 3,
            "maxDeliveryDays": 7,
            "totalWeight": 164.0,
            "packageCount": 0,
            "packages": [],
        },
        "shippingAddress": {
            "id": address["id"],
            "orderId": order["id"],
            **ADDRESS,
            "companyName": "",
            "addressLine2": "",
            "phone": "",
            "isBusiness": False,
        },
        "returnAddress": None,
        "metadata": [],
    }
    assert ISO_UTC.match(order["createdAt"])
    ids = [order["id"], item["id"], shipment["id"], address["id"]]
    assert [uuid.UUID(value).version for value in ids] == [4, 4, 4, 4]
    assert len(set(ids)) == 4
    assert gelato.orders == {order["id"]: order}
    assert client.get(f"/v4/orders/{order['id']}").json() == order


def test_express_shipping_and_metadata_are_kept(client):
    metadata = [{"key": "store", "value": "demo1"}]
    order = create(client, "PB-2", shipmentMethodUid="express", metadata=metadata)
    assert (order["shipment"]["shipmentMethodName"], order["shipment"]["shipmentMethodUid"]) == (
        "DHL Express",
        "dhl_express",
    )
    assert (order["shipment"]["minDeliveryDays"], order["shipment"]["maxDeliveryDays"]) == (1, 3)
    assert order["metadata"] == metadata


def _without(body: dict, *path: str) -> dict:
    target = body
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return body


def _with(body: dict, value, *path) -> dict:
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


INVALID = [
    (
        _with(order_body(), "rush", "orderType"),
        "orderType",
        "orderType must be 'order' or 'draft', not 'rush'.",
    ),
    (
        _without(order_body(), "orderReferenceId"),
        "orderReferenceId",
        "orderReferenceId is required and must be a non-empty string.",
    ),
    (
        _with(order_body(), " ", "customerReferenceId"),
        "customerReferenceId",
        "customerReferenceId is required and must be a non-empty string.",
    ),
    (
        _with(order_body(), "usd", "currency"),
        "currency",
        "currency must be one of AUD, BRL, CAD, CHF, CZK, DKK, EUR, GBP, INR, JPY, MXN, NOK, NZD, PLN, SEK, SGD, "
        "USD, not 'usd'.",
    ),
    (_with(order_body(), [], "items"), "items", "items is required and must be a non-empty array."),
    (
        _with(order_body(), "nope", "items", 0, "productUid"),
        "items[0].productUid",
        "items[0].productUid 'nope' is not a product in the catalog.",
    ),
    (
        _with(order_body(), 0, "items", 0, "quantity"),
        "items[0].quantity",
        "items[0].quantity must be an integer of at least 1.",
    ),
    (
        _with(order_body(), True, "items", 0, "quantity"),
        "items[0].quantity",
        "items[0].quantity must be an integer of at least 1.",
    ),
    (
        _with(order_body(), [], "items", 0, "files"),
        "items[0].files",
        "items[0].files must be a non-empty array of {type, url} objects.",
    ),
    (
        _with(order_body(), [{"type": "default", "url": "ftp://x/a.png"}], "items", 0, "files"),
        "items[0].files[0]",
        "items[0].files[0] needs a 'type' and an http(s) 'url'.",
    ),
    (
        _with(order_body("PB-1", SHIRT_M_WHITE, MUG_WHITE), "PB-1-line-1", "items", 1, "itemReferenceId"),
        "items[1].itemReferenceId",
        "items[1].itemReferenceId 'PB-1-line-1' is used twice.",
    ),
    (
        _without(order_body(), "shippingAddress", "city"),
        "shippingAddress.city",
        "shippingAddress.city is required and must be a non-empty string.",
    ),
    (
        _with(order_body(), "USA", "shippingAddress", "country"),
        "shippingAddress.country",
        "shippingAddress.country must be a two-letter ISO 3166-1 code in capitals such as 'US', not 'USA'.",
    ),
    (
        _with(order_body(), "us", "shippingAddress", "country"),
        "shippingAddress.country",
        "shippingAddress.country must be a two-letter ISO 3166-1 code in capitals such as 'US', not 'us'.",
    ),
    (
        _without(order_body(), "shippingAddress"),
        "shippingAddress",
        "shippingAddress is required and must be an object.",
    ),
]


@pytest.mark.parametrize(("body", "field", "message"), INVALID, ids=[case[1] for case in INVALID])
def test_invalid_order_is_400_naming_the_field_and_creates_nothing(gelato, client, body, field, message):
    answer = client.post("/v4/orders", json=body)
    assert answer.status_code == 400
    assert answer.json() == {
        "code": "bad_request",
        "message": message,
        "details": [{"field": field, "message": message}],
    }
    assert gelato.orders == {}


def test_body_that_is_not_a_json_object_is_400(gelato, client):
    answer = client.post("/v4/orders", content=b"[1, 2]", headers={"Content-Type": "application/json"})
    assert (answer.status_code, answer.json()["message"]) == (400, "The request body must be a JSON object.")
    assert gelato.orders == {}


def test_every_problem_is_listed_in_details(client):
    answer = client.post("/v4/orders", json={"orderType": "order"})
    assert [detail["field"] for detail in answer.json()["details"]] == [
        "orderReferenceId",
        "customerReferenceId",
        "currency",
        "shippingAddress",
        "items",
    ]


def test_product_not_shipped_to_the_country_is_400_with_a_clear_message(gelato, client):
    body = order_body("PB-1", SHIRT_M_WHITE, MUG_WHITE)
    body["shippingAddress"]["country"] = "BR"
    answer = client.post("/v4/orders", json=body)
    message = (
        f"Product {MUG_WHITE} cannot be shipped to BR: the country is not supported for this product "
        "(see supportedCountries in GET /v3/products/{productUid})."
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "code": "bad_request",
        "message": message,
        "details": [{"field": "items[1].productUid", "message": message}],
    }
    assert gelato.orders == {}
    shirt_only = order_body("PB-2", SHIRT_M_WHITE)
    shirt_only["shippingAddress"]["country"] = "BR"
    assert client.post("/v4/orders", json=shirt_only).json()["shipment"]["fulfillmentCountry"] == "BR"


def test_the_same_order_reference_twice_makes_two_orders(gelato, client):
    first, second = create(client, "PB-1"), create(client, "PB-1")
    assert first["id"] != second["id"]
    assert [order["orderReferenceId"] for order in gelato.orders.values()] == ["PB-1", "PB-1"]


def test_unknown_order_and_another_accounts_order_are_404(gelato, client):
    order = create(client)
    gelato.add_account("other-key")
    with client_for(gelato, "other-key") as other:
        answers = [other.get(f"/v4/orders/{order['id']}"), client.get("/v4/orders/no-such-order")]
        assert other.post(f"/v4/orders/{order['id']}:cancel").status_code == 404
    expected = {"code": "not_found", "message": "Order not found.", "details": []}
    assert [(a.status_code, a.json()) for a in answers] == [(404, expected), (404, expected)]
    assert gelato.orders[order["id"]]["fulfillmentStatus"] == "created"


def test_search_by_order_reference_ids_answers_summaries_newest_first(gelato, client):
    first = create(client, "PB-1")
    create(client, "PB-2", POSTER_A3)
    third = create(client, "PB-3", SHIRT_M_WHITE, POSTER_A3)
    answer = client.post("/v4/orders:search", json={"orderReferenceIds": ["PB-1", "PB-3", "PB-9"]})
    assert answer.status_code == 200
    assert [summary["id"] for summary in answer.json()["orders"]] == [third["id"], first["id"]]
    assert answer.json()["orders"][1] == {
        "id": first["id"],
        "orderType": "order",
        "orderReferenceId": "PB-1",
        "customerReferenceId": "store-1",
        "fulfillmentStatus": "created",
        "financialStatus": "pending",
        "currency": "USD",
        "channel": "api",
        "storeId": None,
        "connectedOrderIds": [],
        "createdAt": first["createdAt"],
        "updatedAt": first["updatedAt"],
        "orderedAt": first["orderedAt"],
        "country": "US",
        "firstName": "Jane",
        "lastName": "Doe",
        "itemsCount": 1,
        "totalInclVat": "19.50",
    }
    assert answer.json()["orders"][0]["totalInclVat"] == "32.50"


@pytest.mark.parametrize(
    ("query", "references"),
    [
        ({}, ["PB-3", "PB-2", "PB-1"]),
        ({"orderReferenceIds": ["PB-9"]}, []),
        ({"orderReferenceId": "PB-2"}, ["PB-2"]),
        ({"countries": ["GB"]}, ["PB-2"]),
        ({"orderTypes": ["draft"]}, ["PB-3"]),
        ({"fulfillmentStatuses": ["created"]}, ["PB-2", "PB-1"]),
        ({"limit": 1, "offset": 1}, ["PB-2"]),
        ({"limit": 2, "offset": 3}, []),
    ],
)
def test_search_filters_and_pages(client, query, references):
    create(client, "PB-1")
    create(client, "PB-2", shippingAddress={**ADDRESS, "country": "GB"})
    create(client, "PB-3", orderType="draft")
    found = client.post("/v4/orders:search", json=query).json()["orders"]
    assert [summary["orderReferenceId"] for summary in found] == references


def test_search_sees_only_the_callers_orders(gelato, client):
    create(client, "PB-1")
    gelato.add_account("other-key")
    with client_for(gelato, "other-key") as other:
        assert other.post("/v4/orders:search", json={}).json() == {"orders": []}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"orderReferenceIds": "PB-1"}, "orderReferenceIds must be an array of strings."),
        ({"countries": [1]}, "countries must be an array of strings."),
        ({"limit": 101}, "limit must be an integer from 1 to 100."),
        ({"offset": -1}, "offset must be a non-negative integer."),
    ],
)
def test_malformed_search_is_400(client, query, message):
    answer = client.post("/v4/orders:search", json=query)
    assert (answer.status_code, answer.json()["message"]) == (400, message)


def test_cancel_before_printing_is_200_and_cancels_every_item(gelato, client, receiver):
    gelato.set_webhook_url(API_KEY, receiver.url)
    order = create(client, "PB-1", SHIRT_M_WHITE, MUG_WHITE)
    gelato.advance(order["id"], "in_production")
    answer = client.post(f"/v4/orders/{order['id']}:cancel")
    assert (answer.status_code, answer.content) == (200, b"")
    after = client.get(f"/v4/orders/{order['id']}").json()
    assert (after["fulfillmentStatus"], after["financialStatus"]) == ("canceled", "canceled")
    assert [item["fulfillmentStatus"] for item in after["items"]] == ["canceled", "canceled"]
    statuses = [event["fulfillmentStatus"] for event in receiver.wait_for(3)]
    assert statuses == ["passed", "in_production", "canceled"]
    assert client.post(f"/v4/orders/{order['id']}:cancel").status_code == 200


def test_a_canceled_order_never_moves_on(make_emulator):
    emulator = make_emulator(time_scale=FAST)
    emulator.add_account(API_KEY)
    with client_for(emulator) as http:
        order = create(http)
        assert http.post(f"/v4/orders/{order['id']}:cancel").status_code == 200
        settle(emulator)
        assert http.get(f"/v4/orders/{order['id']}").json()["fulfillmentStatus"] == "canceled"
    with pytest.raises(ValueError, match=r"is canceled: it does not move on$"):
        emulator.advance(order["id"], "printed")


def test_cancel_once_an_item_is_printed_is_409_and_changes_nothing(gelato, client):
    order = create(client)
    gelato.advance(order["id"], "printed")
    before = gelato.orders[order["id"]]
    answer = client.post(f"/v4/orders/{order['id']}:cancel")
    assert answer.status_code == 409
    assert answer.json() == {
        "code": "conflict",
        "message": "The order cannot be canceled, because at least one of the items is in 'printed' status.",
        "details": [],
    }
    assert gelato.orders[order["id"]] == before


def test_cancel_of_an_unknown_order_is_404(client):
    answer = client.post("/v4/orders/3b3c1f7e-0000-4000-8000-000000000000:cancel")
    assert (answer.status_code, answer.json()["message"]) == (404, "Order not found.")


def test_draft_stays_draft_until_patched_into_an_order(make_emulator):
    emulator = make_emulator(time_scale=FAST)
    emulator.add_account(API_KEY)
    body = order_body("PB-1", orderType="draft")
    del body["items"][0]["files"]
    with client_for(emulator) as http:
        draft = http.post("/v4/orders", json=body).json()
        time.sleep(0.05)
        assert emulator.book.pending_steps() == 0
        assert (draft["fulfillmentStatus"], draft["financialStatus"], draft["orderedAt"]) == (
            "draft",
            "draft",
            None,
        )
        assert http.get(f"/v4/orders/{draft['id']}").json() == draft
        patch = {"orderType": "order", "items": [{"itemReferenceId": "PB-1-line-1", "files": FILES}]}
        answer = http.patch(f"/v4/orders/{draft['id']}", json=patch)
        assert answer.status_code == 200
        ordered = answer.json()
        assert (ordered["orderType"], ordered["fulfillmentStatus"], ordered["financialStatus"]) == (
            "order",
            "created",
            "pending",
        )
        assert ordered["items"][0]["files"] == FILES
        assert ordered["orderedAt"] == ordered["updatedAt"]
        wait_until(lambda: emulator.orders[draft["id"]]["fulfillmentStatus"] == "delivered")


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"orderType": "order"}, "items[0] needs files before the draft can become an order."),
        ({"orderType": "draft"}, "orderType can only be changed to 'order'."),
        (
            {"items": [{"itemReferenceId": "PB-9", "files": FILES}]},
            "items[0].itemReferenceId 'PB-9' is not in this order.",
        ),
    ],
)
def test_invalid_draft_patch_is_400_and_changes_nothing(gelato, client, patch, message):
    body = order_body("PB-1", orderType="draft")
    del body["items"][0]["files"]
    draft = client.post("/v4/orders", json=body).json()
    answer = client.patch(f"/v4/orders/{draft['id']}", json=patch)
    assert (answer.status_code, answer.json()["message"]) == (400, message)
    assert gelato.orders[draft["id"]] == draft


def test_patching_an_order_that_is_not_a_draft_is_409(client):
    order = create(client)
    answer = client.patch(f"/v4/orders/{order['id']}", json={"orderType": "order"})
    assert answer.status_code == 409
    assert (
        answer.json()["message"] == f"Order {order['id']} is not a draft: only draft orders can be patched."
    )


def test_wrong_method_is_405_and_unknown_path_is_404(client):
    assert client.delete("/v4/orders").status_code == 405
    assert client.get("/v4/shipments").status_code == 404


def test_state_and_the_other_optional_address_fields_may_be_left_out(client):
    address = {key: value for key, value in ADDRESS.items() if key not in ("state", "email")}
    order = create(client, "PB-1", shippingAddress=address)
    assert (order["shippingAddress"]["state"], order["shippingAddress"]["email"]) == ("", "")
