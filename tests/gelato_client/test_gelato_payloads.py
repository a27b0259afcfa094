"""NewOrder -> the exact POST /v4/orders body, and the orders that cannot be built."""

from __future__ import annotations

import pytest

from printbridge.integrations.gelato.payloads import Address, NewItem
from tests.gelato_client import gelato_json as gj

MINIMAL_ADDRESS = Address("Jane", "Doe", "1 Main St", "London", "N1 9GU", "GB", "jane@example.com")


def test_new_order_to_json_is_the_v4_body():
    assert gj.new_order().to_json() == gj.NEW_ORDER_BODY


def test_a_draft_without_a_shipment_method_leaves_the_method_to_gelato():
    body = gj.new_order(order_type="draft", shipment_method_uid="").to_json()

    assert body == {
        **{key: value for key, value in gj.NEW_ORDER_BODY.items() if key != "shipmentMethodUid"},
        "orderType": "draft",
    }


def test_empty_optional_address_fields_are_sent_as_empty_strings():
    assert MINIMAL_ADDRESS.to_json() == {
        "companyName": "",
        "firstName": "Jane",
        "lastName": "Doe",
        "addressLine1": "1 Main St",
        "addressLine2": "",
        "state": "",
        "city": "London",
        "postCode": "N1 9GU",
        "country": "GB",
        "email": "jane@example.com",
        "phone": "",
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"order_type": "quote"}, "order_type must be 'order' or 'draft', not 'quote'"),
        ({"items": ()}, "order pb-store7-order101-g1 has no items"),
        ({"order_reference_id": ""}, "an order needs an order_reference_id and a customer_reference_id"),
        (
            {"items": (NewItem("line-1", "uid", 1, ()), NewItem("line-1", "uid", 2, ()))},
            "order pb-store7-order101-g1: item_reference_ids repeat: ['line-1', 'line-1']",
        ),
    ],
)
def test_an_order_that_gelato_could_not_map_back_is_refused(changes, message):
    with pytest.raises(ValueError) as raised:
        gj.new_order(**changes)

    assert str(raised.value) == message


@pytest.mark.parametrize("quantity", [0, -1, True])
def test_an_item_needs_a_positive_integer_quantity(quantity):
    with pytest.raises(ValueError) as raised:
        NewItem("line-1", "uid", quantity, ())

    assert str(raised.value) == "item line-1: quantity must be a positive integer"
