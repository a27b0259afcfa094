"""POST /v2/orders/{id}/shipments: validation against the order, 201, quantities and status."""

from __future__ import annotations

import pytest

from printbridge.integrations.bigcommerce.emulator import Line


@pytest.fixture
def order_id(store):
    # order products 1 (2 × T-shirt) and 2 (1 × car) at address 1001, 3 (1 × mug) at address 1002
    lines = [Line(111, 203, 2), Line(113, 241, 1), Line(114, 246, 1, address=1)]
    return store.place_order(lines, shipping=[None, {"city": "Denver"}])


def _ship(api, order_id, address_id, items, **fields):
    body = {"order_address_id": address_id, "items": items, **fields}
    return api.post(f"/v2/orders/{order_id}/shipments", json=body)


def test_no_shipments_is_204(api, order_id):
    answer = api.get(f"/v2/orders/{order_id}/shipments")
    assert (answer.status_code, answer.content) == (204, b"")


def test_partial_shipment_is_201_and_marks_the_order_partially_shipped(store, api, order_id):
    answer = _ship(
        api,
        order_id,
        1001,
        [{"order_product_id": 1, "quantity": 2}],
        tracking_number="1Z999AA10123456784",
        tracking_carrier="ups",
        shipping_method="Ground",
    )
    assert answer.status_code == 201
    shipment = answer.json()
    assert {key: shipment[key] for key in ("id", "order_id", "order_address_id", "tracking_number")} == {
        "id": 1,
        "order_id": order_id,
        "order_address_id": 1001,
        "tracking_number": "1Z999AA10123456784",
    }
    assert shipment["items"] == [{"order_product_id": 1, "product_id": 111, "quantity": 2}]
    assert shipment["generated_tracking_link"] == "https://track.aftership.com/ups/1Z999AA10123456784"
    assert shipment["shipping_address"]["city"] == "Austin"
    order = store.orders[order_id]
    assert (order["status_id"], order["items_shipped"], order["date_shipped"]) == (3, 2, "")
    assert [s["id"] for s in api.get(f"/v2/orders/{order_id}/shipments").json()] == [1]


def test_shipping_everything_marks_the_order_shipped(store, api, order_id):
    first = _ship(
        api, order_id, 1001, [{"order_product_id": 1, "quantity": 2}, {"order_product_id": 2, "quantity": 1}]
    )
    second = _ship(
        api, order_id, 1002, [{"order_product_id": 3, "quantity": 1}], tracking_link="https://t.example/1"
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["generated_tracking_link"] == ""
    order = store.orders[order_id]
    assert (order["status_id"], order["status"], order["items_shipped"]) == (2, "Shipped", 4)
    assert order["date_shipped"] != ""
    assert [row["quantity_shipped"] for row in store.order_products[order_id]] == [2, 1, 1]


@pytest.mark.parametrize(
    ("address_id", "items", "fields", "message"),
    [
        (None, [{"order_product_id": 1, "quantity": 1}], {}, "The required field 'order_address_id'"),
        (9999, [{"order_product_id": 1, "quantity": 1}], {}, "The field 'order_address_id' is invalid"),
        (1001, [], {}, "The required field 'items'"),
        (
            1001,
            [{"order_product_id": 3, "quantity": 1}],
            {},
            "Order product 3 is not shipped to address 1001",
        ),
        (1001, [{"order_product_id": 77, "quantity": 1}], {}, "Order product 77 is not shipped"),
        (1001, [{"order_product_id": 1, "quantity": 3}], {}, "Quantity 3 of order product 1 exceeds"),
        (1001, [{"order_product_id": 1, "quantity": 0}], {}, "Shipment item quantities must be at least 1"),
        (
            1001,
            [{"order_product_id": 1, "quantity": 1}],
            {"tracking_carrier": "no-such"},
            "The field 'tracking_carrier' is invalid",
        ),
        (
            1001,
            [{"order_product_id": 1, "quantity": 1}],
            {"shipping_provider": "dhl"},
            "The field 'shipping_provider' is invalid",
        ),
        (
            1001,
            [{"order_product_id": 1, "quantity": 1}],
            {"tracking_number": "x" * 51},
            "The field 'tracking_number' must be",
        ),
    ],
)
def test_invalid_shipments_are_400_and_change_nothing(
    store, api, order_id, address_id, items, fields, message
):
    answer = _ship(api, order_id, address_id, items, **fields)
    assert answer.status_code == 400
    assert answer.json()[0]["status"] == 400
    assert answer.json()[0]["message"].startswith(message)
    assert store.shipments[order_id] == []
    assert store.orders[order_id]["status_id"] == 11


def test_quantities_already_shipped_cannot_ship_twice(api, order_id):
    assert _ship(api, order_id, 1001, [{"order_product_id": 1, "quantity": 2}]).status_code == 201
    again = _ship(api, order_id, 1001, [{"order_product_id": 1, "quantity": 1}])
    assert again.status_code == 400
    assert again.json()[0]["message"].startswith("Quantity 1 of order product 1 exceeds")


def test_shipment_for_an_unknown_order_is_404(store, api):
    assert _ship(api, 555, 1001, [{"order_product_id": 1, "quantity": 1}]).status_code == 404
