"""Gelato JSON -> dataclasses: what is merged, what is tolerated, and every broken shape named exactly."""

from __future__ import annotations

import copy

import pytest

from printbridge.integrations.errors import PermanentError
from printbridge.integrations.gelato import parsing
from printbridge.integrations.gelato.payloads import Fulfillment, GelatoItem
from tests.gelato_client import gelato_json as gj
from tests.gelato_client.gelato_json import MUG_ITEM_ID, ORDER_ID

DHL = ("DHL Express Domestic US", "dhl_express_domestic_us")


def test_item_fulfillments_and_shipment_packages_merge_and_the_same_parcel_counts_once():
    own = {"trackingCode": "JD01", "trackingUrl": "https://t.example/JD01"}
    own = {**own, "shipmentMethodName": DHL[0], "shipmentMethodUid": DHL[1]}
    extra = {
        "trackingCode": "UPS9",
        "trackingUrl": "",
        "shipmentMethodName": "UPS",
        "shipmentMethodUid": "ups",
    }
    raw = gj.order("shipped", gj.SHIPMENT)
    raw["items"][0]["fulfillments"] = [extra, own]

    order = parsing.parse_order(raw)

    assert order.items[0] == GelatoItem(
        MUG_ITEM_ID,
        "line-1001",
        "shipped",
        (
            Fulfillment("UPS9", "", "UPS", "ups"),
            Fulfillment("JD01", "https://t.example/JD01", *DHL),
            Fulfillment("JD02", "https://t.example/JD02", *DHL),
        ),
    )


def test_an_unknown_status_is_kept_as_it_is():
    order = parsing.parse_order(gj.order("in_reprint"))

    assert (order.fulfillment_status, order.items[0].fulfillment_status) == ("in_reprint", "in_reprint")


def test_an_order_without_items_or_shipment_parses_empty():
    raw = {"id": ORDER_ID, "fulfillmentStatus": "failed", "financialStatus": None, "orderReferenceId": None}

    order = parsing.parse_order(raw)

    assert (order.items, order.financial_status, order.order_reference_id) == ((), "", "")


def _broken(path: tuple[str | int, ...], value: object) -> dict:
    raw = copy.deepcopy(gj.order("shipped", gj.SHIPMENT))
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return raw


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("id",), 17, "order: 'id' must be a non-empty string, got 17"),
        (
            ("fulfillmentStatus",),
            "",
            f"order {ORDER_ID}: 'fulfillmentStatus' must be a non-empty string, got ''",
        ),
        (("items",), {"id": "x"}, f"order {ORDER_ID}: 'items' must be an array, got {{'id': 'x'}}"),
        (("items", 0), "item", "item: expected a JSON object, got 'item'"),
        (
            ("items", 0, "itemReferenceId"),
            None,
            f"item {MUG_ITEM_ID}: 'itemReferenceId' must be a non-empty string, got None",
        ),
        (("shipment",), [], f"order {ORDER_ID}.shipment: expected a JSON object, got []"),
        (
            ("shipment", "packages", 0, "orderItemIds"),
            "abc",
            f"order {ORDER_ID}.shipment.packages[]: 'orderItemIds' must be an array, got 'abc'",
        ),
        (
            ("shipment", "packages", 0, "orderItemIds"),
            [1],
            f"order {ORDER_ID}.shipment.packages[]: 'orderItemIds' must be an array of strings, got [1]",
        ),
        (
            ("shipment", "packages", 0, "trackingCode"),
            {"code": 1},
            f"order {ORDER_ID}.shipment.packages[]: 'trackingCode' must be a string, got {{'code': 1}}",
        ),
    ],
)
def test_a_broken_order_names_the_field(path, value, message):
    with pytest.raises(PermanentError) as raised:
        parsing.parse_order(_broken(path, value))

    assert (raised.value.status, raised.value.message) == (None, message)


@pytest.mark.parametrize(
    ("parse", "raw", "message"),
    [
        (
            parsing.parse_order_summaries,
            {"results": []},
            "order search: 'orders' must be an array, got nothing",
        ),
        (
            parsing.parse_order_summaries,
            {"orders": [{"orderReferenceId": "r"}]},
            "order summary: 'id' must be a non-empty string, got nothing",
        ),
        (parsing.parse_catalog_list, [], "catalog list: expected a JSON object, got []"),
        (parsing.parse_catalog_list, {"data": None}, "catalog list: 'data' must be an array, got None"),
        (
            parsing.parse_catalog,
            {"title": "Posters"},
            "catalog: 'catalogUid' must be a non-empty string, got nothing",
        ),
        (
            parsing.parse_catalog,
            {"catalogUid": "posters", "productAttributes": [{"productAttributeUid": "O", "values": [{}]}]},
            "attribute value: 'productAttributeValueUid' must be a non-empty string, got nothing",
        ),
        (
            parsing.parse_product,
            {"productUid": "p", "attributes": ["Orientation"]},
            "product p.attributes: expected a JSON object, got ['Orientation']",
        ),
        (
            parsing.parse_product,
            {"productUid": "p", "weight": {"value": "heavy"}},
            "product p.weight: 'value' must be an amount, got 'heavy'",
        ),
        (
            parsing.parse_product,
            {"productUid": "p", "isPrintable": "yes"},
            "product p: 'isPrintable' must be a boolean, got 'yes'",
        ),
        (
            parsing.parse_product,
            {"productUid": "p", "supportedCountries": "US"},
            "product p: 'supportedCountries' must be an array, got 'US'",
        ),
    ],
)
def test_broken_search_catalog_and_product_shapes_name_the_field(parse, raw, message):
    with pytest.raises(PermanentError) as raised:
        parse(raw)

    assert raised.value.message == message


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"hits": {}}, "product search: 'products' must be an array, got nothing"),
        (
            {"products": [], "hits": {"attributeHits": {"Orientation": {"hor": "3"}}}},
            "product search.hits.attributeHits.Orientation: 'hor' must be an integer, got '3'",
        ),
        (
            {"products": [], "hits": {"attributeHits": {"Orientation": [3]}}},
            "product search.hits.attributeHits.Orientation: expected a JSON object, got [3]",
        ),
    ],
)
def test_a_broken_product_page_names_the_field(raw, message):
    with pytest.raises(PermanentError) as raised:
        parsing.parse_product_page(raw, 50, 0)

    assert raised.value.message == message
