"""Contract tests: the emulator's responses validate against BigCommerce's official OpenAPI specs.

The specs are vendored unmodified under tests/contracts/specs/bigcommerce/ (see the README there). Each test
sends a real request over a socket and validates status, content type and body with openapi-core against the
operation the spec declares for that method and path.

One in-memory adjustment, never written to disk: the Orders V2 spec declares `consignments` as
`oneOf: [orderConsignments_Resource, orderConsignment_Get]` and every consignment's `line_items` as
`oneOf: [array of products_Resource, array of orderProducts]`. None of those alternatives has `required` keys,
so any object (and any empty array) is valid under both and *no* response can satisfy `oneOf`; worse, nested
failures cancel out and let a wrong body pass. Each test therefore narrows those nodes to the alternative the
request asked for (resource links without `include`, consignment objects with it; product links for
`include=consignments`, full order products for `include=consignments.line_items`).
`test_the_narrowed_nodes_are_ambiguous_in_the_spec` keeps that reasoning honest.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from pathlib import Path

import httpx
import pytest
import yaml
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_schema_validator import OAS30Validator

from printbridge.integrations.bigcommerce.emulator import Line

from .conftest import wait_until

SPEC_ROOT = Path(__file__).resolve().parents[1] / "contracts" / "specs" / "bigcommerce"
SPECS = {
    "orders": "reference/orders.v2.oas2.yml",
    "store": "reference/store_information.v2.yml",
    "hooks": "reference/webhooks.v3.yml",
    "products": "reference/catalog/products_catalog.v3.yml",
    "variants": "reference/catalog/product-variants_catalog.v3.yml",
    "options": "reference/catalog/product-variant-options_catalog.v3.yml",
}
HOST = "https://api.bigcommerce.com"
CONSIGNMENTS = ("components", "schemas", "order_RespOnly", "properties", "consignments")
LINE_ITEMS = (
    ("components", "schemas", "shippingConsignment_Get", "allOf", 2, "properties", "line_items"),
    ("components", "schemas", "pickupConsignment_Get", "allOf", 2, "properties", "line_items"),
    ("components", "schemas", "digitalConsignment_Get", "properties", "line_items"),
    ("components", "schemas", "giftCertificateConsignment_Get", "properties", "line_items"),
)
# (consignments alternative, line_items alternative) per `include`
LINKS, CONSIGNMENT_LINKS, LINE_ITEM_OBJECTS = (0, None), (1, 0), (1, 1)
OBJECT = {"include": "consignments.line_items", "consignment_structure": "object"}


@functools.cache
def _raw(name: str) -> dict:
    return yaml.safe_load((SPEC_ROOT / SPECS[name]).read_text("utf-8"))


def _node(spec: dict, path: tuple) -> dict:
    for key in path:
        spec = spec[key]
    return spec


@functools.cache
def spec(name: str, narrowing: tuple[int, int | None] | None = None) -> OpenAPI:
    document = _raw(name)
    if narrowing is not None:
        document = copy.deepcopy(document)
        consignments, line_items = narrowing
        _narrow(document, CONSIGNMENTS, consignments)
        for path in LINE_ITEMS if line_items is not None else ():
            _narrow(document, path, line_items)
    return OpenAPI.from_dict(document)


def _narrow(document: dict, path: tuple, alternative: int) -> None:
    *parent, key = path
    holder = _node(document, tuple(parent))
    holder[key] = holder[key]["oneOf"][alternative]


def check(api: OpenAPI, response: httpx.Response) -> httpx.Response:
    url = response.request.url
    request = MockRequest(HOST, response.request.method, url.path, args=dict(url.params))
    content_type = response.headers.get("content-type", "")
    api.validate_response(
        request, MockResponse(response.content, response.status_code, dict(response.headers), content_type)
    )
    return response


def schema(name: str, *path: str) -> dict:
    return _resolve(_raw(name), _node(_raw(name), path))


def _resolve(document: dict, node):
    if isinstance(node, dict):
        if "$ref" in node:
            return _resolve(document, _node(document, tuple(node["$ref"].removeprefix("#/").split("/"))))
        return {key: _resolve(document, value) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(document, value) for value in node]
    return node


def validate(instance, against: dict) -> None:
    OAS30Validator(against, format_checker=OAS30Validator.FORMAT_CHECKER).validate(instance)


@pytest.fixture
def order_id(store):
    lines = [
        Line(111, 203, 2),
        Line(114, 249, 1, address=1, personalisation="For Mia"),
        Line(116, None, 1, kind="digital"),
        Line(0, None, 1, kind="giftcertificate", name="$25 Gift Certificate", price="25.00"),
    ]
    return store.place_order(lines, shipping=[None, {"city": "Denver", "state": "Colorado"}])


def test_vendored_specs_are_unmodified():
    sums = (SPEC_ROOT / "SHA256SUMS").read_text().split("\n")
    expected = dict(reversed(line.split("  ")) for line in sums if line)
    actual = {path: hashlib.sha256((SPEC_ROOT / path).read_bytes()).hexdigest() for path in SPECS.values()}
    assert actual == expected


def test_the_narrowed_nodes_are_ambiguous_in_the_spec():
    for path in (CONSIGNMENTS, *LINE_ITEMS):
        alternatives = _node(_raw("orders"), path)["oneOf"]
        assert len(alternatives) == 2
    links = {"url": "https://x/v2/orders/1/consignments", "resource": "/orders/1/consignments"}
    with pytest.raises(Exception, match="is valid under each of"):
        validate(links, schema("orders", *CONSIGNMENTS))


def test_orders_list_and_single_order_with_each_include(store, api, order_id):
    check(spec("orders", LINKS), api.get("/v2/orders"))
    check(spec("orders", LINKS), api.get(f"/v2/orders/{order_id}"))
    params = {"include": "consignments", "consignment_structure": "object"}
    check(spec("orders", CONSIGNMENT_LINKS), api.get(f"/v2/orders/{order_id}", params=params))
    body = check(spec("orders", LINE_ITEM_OBJECTS), api.get(f"/v2/orders/{order_id}", params=OBJECT)).json()
    assert len(body["consignments"]["shipping"]) == 2
    check(spec("orders", LINE_ITEM_OBJECTS), api.get("/v2/orders", params=OBJECT))


def test_capped_consignment_with_its_warning(store, api):
    order_id = store.place_order([Line(111, 201 + i % 36, 1) for i in range(55)])
    body = check(spec("orders", LINE_ITEM_OBJECTS), api.get(f"/v2/orders/{order_id}", params=OBJECT)).json()
    assert "__warning__" in body["consignments"]["shipping"][0]


def test_order_sub_resources_statuses_and_updates(store, api, order_id):
    orders = spec("orders", LINKS)
    check(orders, api.get(f"/v2/orders/{order_id}/products"))
    check(orders, api.get(f"/v2/orders/{order_id}/shipping_addresses"))
    check(orders, api.get("/v2/order_statuses"))
    check(orders, api.put(f"/v2/orders/{order_id}", json={"status_id": 9}))
    body = {
        "order_address_id": 1001,
        "items": [{"order_product_id": 1, "quantity": 1}],
        "tracking_carrier": "ups",
    }
    posted = check(orders, api.post(f"/v2/orders/{order_id}/shipments", json=body))
    assert posted.status_code == 201
    check(orders, api.get(f"/v2/orders/{order_id}/shipments"))
    assert check(orders, api.get("/v2/orders/9999")).status_code == 404


def test_store_information(store, api):
    check(spec("store"), api.get("/v2/store"))
    check(spec("store"), api.get("/v2/time"))


def test_products_and_their_variants(store, api):
    products = spec("products")
    listed = check(products, api.get("/v3/catalog/products", params={"include": "variants", "limit": 3}))
    check(
        products, api.get("/v3/catalog/products", params={"id:in": "111,115", "include": "variants,options"})
    )
    check(products, api.get("/v3/catalog/products/111", params={"include": "variants"}))
    assert check(products, api.get("/v3/catalog/products/999")).status_code == 404
    variant_schema = schema("products", "components", "schemas", "productVariant_Full")
    for product in listed.json()["data"]:
        for variant in product["variants"]:
            validate(variant, variant_schema)


def test_variants(store, api):
    check(spec("variants"), api.get("/v3/catalog/variants", params={"sku": "TS-M-WHT"}))
    check(spec("variants"), api.get("/v3/catalog/variants", params={"product_id:in": "113,116", "limit": 2}))


def test_hooks_management(emulator, store, api):
    hooks = spec("hooks")
    body = {
        "scope": "store/order/created",
        "destination": "http://127.0.0.1:9/h",
        "headers": {"X-Secret": "s"},
    }
    check(hooks, api.post("/v3/hooks", json=body))
    check(hooks, api.post("/v3/hooks", json={**body, "scope": "store/order/statusUpdated", "headers": None}))
    check(hooks, api.get("/v3/hooks"))
    check(hooks, api.get("/v3/hooks/1"))
    check(hooks, api.put("/v3/hooks/1", json={"is_active": False}))
    check(hooks, api.delete("/v3/hooks/1"))
    assert check(hooks, api.get("/v3/hooks/1")).status_code == 404
    assert check(hooks, api.post("/v3/hooks", json={"scope": "store/order/created"})).status_code == 422
    unauthorized = api.get("/v3/hooks", headers={"X-Auth-Token": "wrong"})
    assert check(hooks, unauthorized).status_code == 401


def test_webhook_payloads_match_the_callback_schemas(store, api, receiver):
    api.post("/v3/hooks", json={"scope": "store/*", "destination": receiver.url})
    order_id = store.place_order([Line(111, 203, 1)])
    shipment = {"order_address_id": 1001, "items": [{"order_product_id": 1, "quantity": 1}]}
    api.post(f"/v2/orders/{order_id}/shipments", json=shipment)
    store.archive(order_id)
    received = [r["json"] for r in receiver.wait_for(6)]
    wait_until(lambda: len(store.webhook_log) == 6)
    schemas = {
        "store/order/created": "store_order_created",
        "store/order/statusUpdated": "store_order_statusUpdated",
        "store/order/updated": "store_order_updated",
        "store/order/archived": "store_order_archived",
        "store/shipment/created": "store_shipment_created",
    }
    assert [payload["scope"] for payload in received] == [
        "store/order/created",
        "store/order/statusUpdated",
        "store/shipment/created",
        "store/order/updated",
        "store/order/statusUpdated",
        "store/order/archived",
    ]
    for payload in received:
        validate(payload, schema("hooks", "components", "schemas", schemas[payload["scope"]]))


def test_the_validator_rejects_a_response_that_breaks_the_spec(store, api, order_id):
    real = api.get(f"/v2/orders/{order_id}", params=OBJECT)
    broken = json.loads(real.content)
    broken["consignments"]["shipping"][0]["line_items"][0]["quantity"] = "2"
    fake = httpx.Response(200, json=broken, request=real.request)
    with pytest.raises(Exception, match=r"not valid for schema"):
        check(spec("orders", LINE_ITEM_OBJECTS), fake)
