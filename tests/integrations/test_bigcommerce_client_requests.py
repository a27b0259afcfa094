"""The real BigCommerce client against a scripted stub server: the exact requests it sends and what it parses."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from printbridge.integrations.bigcommerce.payloads import (
    ConsignmentKind,
    LineItem,
    LineItemSource,
    NewShipment,
    Order,
    RateLimitState,
    Shipment,
    ShipmentItem,
    ShippingConsignment,
)
from printbridge.integrations.errors import PermanentError
from tests.integrations import bigcommerce_json as bc
from tests.integrations.bigcommerce_json import ORDERS_QUERY, PRODUCTS_101, SHIPPING
from tests.integrations.bigcommerce_json import expected_mug as mug
from tests.integrations.stub_server import Reply


def test_list_orders_sends_token_accept_and_the_exact_query_and_parses_the_page(serve, connect):
    server = serve(Reply(200, [bc.order()], bc.rate_limit_headers()))
    client = connect(server.url)
    since = datetime(2026, 12, 1, 11, 59, 30, 654321, tzinfo=UTC)

    orders = client.list_orders(min_date_modified=since, sort="date_modified:asc")

    query = f"{ORDERS_QUERY}&sort=date_modified%3Aasc&min_date_modified=2026-12-01T11%3A59%3A30%2B00%3A00"
    assert server.requests == [("GET", f"/stores/abc123/v2/orders?{query}")]
    headers = server.seen[0].headers
    assert (headers["x-auth-token"], headers["accept"]) == ("token-abc", "application/json")
    assert "x-auth-client" not in headers
    assert orders == [
        Order(
            id=101,
            customer_id=11,
            channel_id=1,
            status_id=11,
            status="Awaiting Fulfillment",
            date_created=datetime(2026, 12, 1, 11, 58, 7, tzinfo=UTC),
            date_modified=datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
            date_shipped=None,
            is_deleted=False,
            items_total=2,
            items_shipped=0,
            currency_code="USD",
            subtotal_inc_tax=Decimal("27.5000"),
            total_ex_tax=Decimal("25.0000"),
            total_inc_tax=Decimal("32.5000"),
            payment_status="captured",
            order_source="www",
            customer_message="",
            billing_address=dataclasses.replace(SHIPPING, first_name="Jane", last_name="Doe"),
            shipping_consignments=(ShippingConsignment(9, SHIPPING, "Free Shipping", 2, 0, truncated=False),),
            line_items=(LineItem(ConsignmentKind.SHIPPING, mug(1, quantity=2)),),
            line_items_complete=True,
            line_items_source=LineItemSource.CONSIGNMENTS,
        )
    ]
    assert client.rate_limit == RateLimitState(30000, 12000, 150, 149)


def test_list_orders_sends_id_status_and_max_date_filters(serve, connect):
    server = serve(Reply(204))
    client = connect(server.url)
    until = datetime(2026, 12, 1, 14, 0, tzinfo=UTC).astimezone()  # any zone: sent as UTC

    assert client.list_orders(min_id=100, max_id=200, max_date_modified=until, status_id=11, page=3) == []

    filters = "min_id=100&max_id=200&max_date_modified=2026-12-01T14%3A00%3A00%2B00%3A00&status_id=11"
    query = ORDERS_QUERY.replace("page=1", "page=3")
    assert server.requests == [("GET", f"/stores/abc123/v2/orders?{query}&sort=id%3Aasc&{filters}")]


def test_an_empty_page_is_http_204_and_means_no_orders(serve, connect):
    server = serve(Reply(204))

    assert connect(server.url).list_orders() == []
    assert server.requests == [("GET", f"/stores/abc123/v2/orders?{ORDERS_QUERY}&sort=id%3Aasc")]


def test_order_products_page_until_204(serve, connect):
    page_one = [bc.order_product(n) for n in range(1, 251)]
    server = serve(Reply(200, page_one), Reply(204))

    products = connect(server.url).list_order_products(101)

    assert [product.id for product in products] == list(range(1, 251))
    assert server.requests == [("GET", PRODUCTS_101), ("GET", PRODUCTS_101.replace("page=1", "page=2"))]


def test_order_products_stop_at_a_short_page(serve, connect):
    server = serve(Reply(200, [bc.order_product(1), bc.order_product(2, quantity=3)]))

    assert connect(server.url).list_order_products(101) == [mug(1), mug(2, quantity=3)]
    assert server.requests == [("GET", PRODUCTS_101)]


def test_orders_outside_the_date_filter_mean_the_filter_was_ignored(serve, connect):
    stale = bc.order(102, date_modified="Mon, 30 Nov 2026 08:00:00 +0000")
    server = serve(Reply(200, [bc.order(101), stale]))
    since = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)

    with pytest.raises(PermanentError) as raised:
        connect(server.url).list_orders(min_date_modified=since)

    assert raised.value.message == (
        "order 102 (modified 2026-11-30T08:00:00+00:00) breaks the filter min_date_modified=2026-12-01T11:00:00+00:00"
    )


@pytest.mark.parametrize(
    ("filters", "broken"),
    [
        (
            {"max_date_modified": datetime(2026, 11, 30, tzinfo=UTC)},
            "max_date_modified=2026-11-30T00:00:00+00:00",
        ),
        ({"min_id": 102, "status_id": 9}, "min_id=102, status_id=9"),
        ({"max_id": 100}, "max_id=100"),
    ],
)
def test_every_filter_is_checked_against_the_orders_returned(serve, connect, filters, broken):
    server = serve(Reply(200, [bc.order(101)]))

    with pytest.raises(PermanentError) as raised:
        connect(server.url).list_orders(**filters)

    assert (
        raised.value.message == f"order 101 (modified 2026-12-01T12:00:00+00:00) breaks the filter {broken}"
    )


def test_an_order_modified_in_the_filter_second_satisfies_it(serve, connect):
    server = serve(Reply(200, [bc.order(101, date_modified="Tue, 01 Dec 2026 12:00:00 +0000")]))
    since = datetime(2026, 12, 1, 12, 0, 0, 999999, tzinfo=UTC)  # BigCommerce has whole seconds

    assert [order.id for order in connect(server.url).list_orders(min_date_modified=since)] == [101]


def test_create_shipment_posts_the_documented_body(serve, connect):
    created = {
        "id": 11,
        "order_id": 101,
        "customer_id": 11,
        "order_address_id": 9,
        "date_created": "Wed, 02 Dec 2026 09:30:00 +0000",
        "tracking_number": "1Z999",
        "tracking_carrier": "ups",
        "shipping_provider": "",
        "tracking_link": "",
        "shipping_method": "None",
        "comments": "",
        "items": [{"order_product_id": 1, "product_id": 0, "quantity": 2}],
        "generated_tracking_link": "https://www.ups.com/track?tracknum=1Z999",
    }
    server = serve(Reply(201, created))
    shipment = NewShipment(9, (ShipmentItem(1, 2),), tracking_number="1Z999", tracking_carrier="ups")

    result = connect(server.url).create_shipment(101, shipment)

    assert server.requests == [("POST", "/stores/abc123/v2/orders/101/shipments")]
    assert server.seen[0].headers["content-type"] == "application/json"
    assert server.seen[0].json() == {
        "order_address_id": 9,
        "items": [{"order_product_id": 1, "quantity": 2}],
        "tracking_number": "1Z999",
        "tracking_carrier": "ups",
        "shipping_provider": "",
    }
    assert result == Shipment(
        11, 101, 9, datetime(2026, 12, 2, 9, 30, tzinfo=UTC), "1Z999", "ups", "", "https://www.ups.com/track?tracknum=1Z999",
        "", "None", "", (ShipmentItem(1, 2),),
    )  # fmt: skip


def test_no_shipments_is_http_204(serve, connect):
    server = serve(Reply(204))

    assert connect(server.url).list_shipments(101) == []
    assert server.requests == [("GET", "/stores/abc123/v2/orders/101/shipments?limit=250&page=1")]


def test_update_order_status_puts_only_the_status(serve, connect):
    updated = {**bc.order(status_id=2), "consignments": {"url": "https://x/v2/orders/101/consignments"}}
    server = serve(Reply(200, updated))

    order = connect(server.url).update_order_status(101, 2)

    assert (server.requests, server.seen[0].json()) == (
        [("PUT", "/stores/abc123/v2/orders/101")],
        {"status_id": 2},
    )
    assert (order.status_id, order.line_items, order.line_items_complete) == (2, (), False)


def test_v3_lists_follow_meta_pagination(serve, connect):
    def page(number: int, product_id: int) -> dict:
        product = {"id": product_id, "name": "Mug", "type": "physical", "sku": "MUG", "variants": []}
        return {"data": [product], "meta": {"pagination": {"current_page": number, "total_pages": 2}}}

    server = serve(Reply(200, page(1, 5)), Reply(200, page(2, 6)))
    since = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    products = connect(server.url).list_products(id__in=[5, 6], date_modified__min=since, is_visible=True)

    assert [product.id for product in products] == [5, 6]
    query = (
        "include=variants&id%3Ain=5%2C6&date_modified%3Amin=2026-12-01T12%3A00%3A00%2B00%3A00&is_visible=true"
    )
    assert server.requests == [
        ("GET", f"/stores/abc123/v3/catalog/products?{query}&limit=250&page=1"),
        ("GET", f"/stores/abc123/v3/catalog/products?{query}&limit=250&page=2"),
    ]


def test_hooks_are_created_and_updated_with_the_documented_bodies(serve, connect):
    hook = {
        "id": 18048287,
        "client_id": "m9r6",
        "store_hash": "abc123",
        "created_at": 1561488106,
        "updated_at": 1561488106,
        "scope": "store/order/created",
        "destination": "https://printbridge.example/hooks/bigcommerce",
        "is_active": True,
        "headers": {"X-Printbridge-Secret": "s3cret"},
    }
    server = serve(Reply(200, {"data": hook, "meta": {}}), Reply(200, {"data": {**hook, "is_active": False}}))
    client = connect(server.url)

    created = client.create_hook(
        "store/order/created", hook["destination"], {"X-Printbridge-Secret": "s3cret"}
    )
    updated = client.update_hook(18048287, is_active=False)

    assert server.requests == [
        ("POST", "/stores/abc123/v3/hooks"),
        ("PUT", "/stores/abc123/v3/hooks/18048287"),
    ]
    assert [seen.json() for seen in server.seen] == [
        {
            "scope": "store/order/created",
            "destination": "https://printbridge.example/hooks/bigcommerce",
            "is_active": True,
            "headers": {"X-Printbridge-Secret": "s3cret"},
        },
        {"is_active": False},
    ]
    assert (created.id, created.is_active, created.headers) == (
        18048287,
        True,
        {"X-Printbridge-Secret": "s3cret"},
    )
    assert (updated.is_active, updated.created_at) == (False, datetime(2019, 6, 25, 18, 41, 46, tzinfo=UTC))


def test_a_naive_date_filter_is_refused_before_any_request(serve, connect):
    server = serve()

    with pytest.raises(PermanentError) as raised:
        connect(server.url).list_orders(min_date_modified=datetime(2026, 12, 1, 12, 0))

    assert (raised.value.message, server.requests) == ("date filter 2026-12-01T12:00:00 has no time zone", [])
