"""Line-item completeness: a 50-line `__warning__`, empty `line_items` or a quantity gap → /products."""

from __future__ import annotations

import dataclasses

import pytest

from printbridge.integrations.bigcommerce.payloads import (
    ConsignmentKind,
    LineItem,
    LineItemSource,
    ProductType,
)
from printbridge.integrations.errors import PermanentError
from tests.integrations import bigcommerce_json as bc
from tests.integrations.bigcommerce_json import ORDER_101, PRODUCTS_101
from tests.integrations.bigcommerce_json import expected_mug as mug
from tests.integrations.stub_server import Reply


def test_complete_line_items_reads_nothing_more_for_a_complete_order(serve, connect):
    server = serve(Reply(200, bc.order()))
    client = connect(server.url)
    order = client.get_order(101)

    assert client.complete_line_items(order) is order
    assert server.requests == [("GET", ORDER_101)]


def test_a_consignment_cut_at_50_lines_falls_back_to_products(serve, connect):
    fifty = [bc.order_product(n) for n in range(1, 51)]
    sixty = [bc.order_product(n) for n in range(1, 61)]
    server = serve(Reply(200, bc.order(lines=fifty, items_total=60, warning=True)), Reply(200, sixty))
    client = connect(server.url)

    order = client.get_order(101)
    completed = client.complete_line_items(order)

    assert (len(order.line_items), order.line_items_complete, order.shipping_consignments[0].truncated) == (
        50,
        False,
        True,
    )
    assert completed.line_items == tuple(LineItem(ConsignmentKind.SHIPPING, mug(n)) for n in range(1, 61))
    assert (completed.line_items_complete, completed.line_items_source) == (True, LineItemSource.PRODUCTS)
    assert server.requests == [("GET", ORDER_101), ("GET", PRODUCTS_101)]


def test_a_truncation_warning_falls_back_even_when_quantities_add_up(serve, connect):
    lines = [bc.order_product(1, quantity=2)]
    server = serve(Reply(200, bc.order(lines=lines, warning=True)), Reply(200, lines))
    client = connect(server.url)

    completed = client.complete_line_items(client.get_order(101))

    assert completed.line_items == (LineItem(ConsignmentKind.SHIPPING, mug(1, quantity=2)),)
    assert server.requests == [("GET", ORDER_101), ("GET", PRODUCTS_101)]


def test_empty_line_items_fall_back_to_products(serve, connect):
    products = [bc.order_product(1, quantity=2), bc.order_product(2, product_type="digital")]
    server = serve(Reply(200, bc.order(lines=[], items_total=3)), Reply(200, products))
    client = connect(server.url)

    order = client.get_order(101)
    completed = client.complete_line_items(order)

    assert (order.line_items, order.line_items_complete) == ((), False)
    digital = dataclasses.replace(mug(2), type=ProductType.DIGITAL)
    assert completed.line_items == (
        LineItem(ConsignmentKind.SHIPPING, mug(1, quantity=2)),
        LineItem(ConsignmentKind.DOWNLOAD, digital),
    )
    assert server.requests == [("GET", ORDER_101), ("GET", PRODUCTS_101)]


def test_quantities_short_of_items_total_fall_back_to_products(serve, connect):
    products = [bc.order_product(1, quantity=2), bc.order_product(2)]
    server = serve(Reply(200, bc.order(lines=products[:1], items_total=3)), Reply(200, products))
    client = connect(server.url)

    order = client.get_order(101)
    completed = client.complete_line_items(order)

    assert (order.line_quantity, order.items_total, order.line_items_complete) == (2, 3, False)
    assert [line.product for line in completed.line_items] == [mug(1, quantity=2), mug(2)]
    assert server.requests == [("GET", ORDER_101), ("GET", PRODUCTS_101)]


def test_products_that_still_disagree_with_items_total_are_permanent(serve, connect):
    server = serve(Reply(200, bc.order(lines=[], items_total=3)), Reply(200, [bc.order_product(1)]))
    client = connect(server.url)

    with pytest.raises(PermanentError) as raised:
        client.complete_line_items(client.get_order(101))

    assert raised.value.message == "order 101: /products quantities sum to 1, items_total is 3"
