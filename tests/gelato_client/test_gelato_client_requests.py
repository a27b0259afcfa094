"""The real Gelato client against a scripted stub server: the exact requests it sends and what it parses."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from printbridge.integrations.errors import PermanentError
from printbridge.integrations.gelato.client import GelatoClient
from printbridge.integrations.gelato.payloads import (
    Catalog,
    CatalogAttribute,
    CatalogProduct,
    Fulfillment,
    GelatoItem,
    GelatoOrder,
    ProductPage,
)
from tests.gelato_client import gelato_json as gj
from tests.gelato_client.gelato_json import (
    API_KEY,
    MUG_ITEM_ID,
    ORDER_ID,
    POSTER_ITEM_ID,
    POSTER_UID,
    REFERENCE,
)
from tests.integrations.stub_server import Reply

ORDER_PATH = f"/v4/orders/{ORDER_ID}"
CREATED = GelatoOrder(
    id=ORDER_ID,
    order_reference_id=REFERENCE,
    fulfillment_status="created",
    financial_status="paid",
    items=(
        GelatoItem(MUG_ITEM_ID, "line-1001", "created", ()),
        GelatoItem(POSTER_ITEM_ID, "line-1002", "created", ()),
    ),
)


def test_create_order_posts_the_exact_v4_body_with_the_api_key_and_parses_the_answer(serve, connect):
    server = serve(Reply(200, gj.order()))

    created = connect(server.origin).create_order(gj.new_order())

    assert server.requests == [("POST", "/v4/orders")]
    seen = server.seen[0]
    assert seen.json() == gj.NEW_ORDER_BODY
    assert list(seen.json()) == list(gj.NEW_ORDER_BODY)  # key order too, as the reference lists it
    assert (seen.headers["x-api-key"], seen.headers["accept"], seen.headers["content-type"]) == (
        API_KEY,
        "application/json",
        "application/json",
    )
    assert seen.headers["user-agent"] == "printbridge-gelato-client/1"
    assert created == CREATED


def test_create_order_refuses_an_answer_for_another_reference(serve, connect):
    server = serve(Reply(200, gj.order(orderReferenceId="someone-else")))

    with pytest.raises(PermanentError) as raised:
        connect(server.origin).create_order(gj.new_order())

    assert str(raised.value) == (
        f"POST /v4/orders: created order {ORDER_ID} carries reference 'someone-else', sent '{REFERENCE}'"
    )


def test_get_order_reads_tracking_from_shipment_packages_per_item(serve, connect):
    server = serve(Reply(200, gj.order("shipped", gj.SHIPMENT)))

    order = connect(server.origin).get_order(ORDER_ID)

    assert server.requests == [("GET", ORDER_PATH)]
    assert server.seen[0].headers["x-api-key"] == API_KEY
    assert server.seen[0].body == b""
    method = ("DHL Express Domestic US", "dhl_express_domestic_us")
    first = Fulfillment("JD01", "https://t.example/JD01", *method)
    second = Fulfillment("JD02", "https://t.example/JD02", *method)
    assert order == GelatoOrder(
        id=ORDER_ID,
        order_reference_id=REFERENCE,
        fulfillment_status="shipped",
        financial_status="paid",
        items=(
            GelatoItem(MUG_ITEM_ID, "line-1001", "shipped", (first, second)),
            GelatoItem(POSTER_ITEM_ID, "line-1002", "shipped", (second,)),
        ),
    )


def test_get_order_quotes_the_id_into_one_path_segment(serve, connect):
    server = serve(Reply(404, {"message": "Order not found"}))

    with pytest.raises(PermanentError) as raised:
        connect(server.origin).get_order("a/b:cancel?x=1")

    assert server.requests == [("GET", "/v4/orders/a%2Fb%3Acancel%3Fx%3D1")]
    assert (raised.value.status, raised.value.message) == (404, "Order not found")


def test_get_order_refuses_another_order(serve, connect):
    server = serve(Reply(200, gj.order(id="other-id")))

    with pytest.raises(PermanentError) as raised:
        connect(server.origin).get_order(ORDER_ID)

    assert str(raised.value) == f"GET {ORDER_PATH}: asked for order {ORDER_ID}, got order other-id"


def test_find_by_reference_returns_none_when_the_search_finds_nothing(serve, connect):
    server = serve(Reply(200, {"orders": []}))

    assert connect(server.origin).find_by_reference(REFERENCE) is None

    assert server.requests == [("POST", "/v4/orders:search")]
    assert server.seen[0].json() == {"orderReferenceIds": [REFERENCE]}
    assert server.seen[0].headers["x-api-key"] == API_KEY


def test_find_by_reference_reads_the_one_order_found_in_full(serve, connect):
    server = serve(Reply(200, {"orders": [gj.summary()]}), Reply(200, gj.order()))

    found = connect(server.origin).find_by_reference(REFERENCE)

    assert server.requests == [("POST", "/v4/orders:search"), ("GET", ORDER_PATH)]
    assert found == CREATED


def test_find_by_reference_refuses_two_orders_for_one_reference(serve, connect):
    server = serve(Reply(200, {"orders": [gj.summary("id-1"), gj.summary("id-2")]}))

    with pytest.raises(PermanentError) as raised:
        connect(server.origin).find_by_reference(REFERENCE)

    assert type(raised.value) is PermanentError
    assert str(raised.value) == f"POST /v4/orders:search: 2 orders carry reference '{REFERENCE}': id-1, id-2"
    assert server.requests == [("POST", "/v4/orders:search")]


def test_find_by_reference_refuses_a_search_that_ignored_the_filter(serve, connect):
    server = serve(Reply(200, {"orders": [gj.summary("id-9", "pb-store7-order99-g1")]}))

    with pytest.raises(PermanentError) as raised:
        connect(server.origin).find_by_reference(REFERENCE)

    assert raised.value.message == (
        f"search for '{REFERENCE}' returned orders of other references ['pb-store7-order99-g1']"
    )


def test_cancel_order_posts_to_the_cancel_verb_without_a_body(serve, connect):
    server = serve(Reply(200, {}))

    assert connect(server.origin).cancel_order(ORDER_ID) is None

    assert server.requests == [("POST", f"{ORDER_PATH}:cancel")]
    assert (server.seen[0].body, server.seen[0].headers["x-api-key"]) == (b"", API_KEY)


def test_list_catalogs_reads_the_data_envelope(serve, connect):
    server = serve(Reply(200, gj.CATALOG_LIST))

    catalogs = connect(server.origin).list_catalogs()

    assert server.requests == [("GET", "/v3/catalogs")]
    assert server.seen[0].headers["x-api-key"] == API_KEY
    assert catalogs == [Catalog("posters", "Posters", ()), Catalog("mugs", "Mugs", ())]


def test_get_catalog_reads_attributes_and_values(serve, connect):
    server = serve(Reply(200, gj.POSTERS))

    catalog = connect(server.origin).get_catalog("posters")

    assert server.requests == [("GET", "/v3/catalogs/posters")]
    assert catalog == Catalog(
        uid="posters",
        title="Posters",
        attributes=(
            CatalogAttribute("Orientation", "Orientation", (("hor", "Landscape"), ("ver", "Portrait"))),
            CatalogAttribute("PaperFormat", "Paper Format", (("A2", "A2"), ("A3", "A3"))),
        ),
    )


def test_search_products_posts_filters_limit_and_offset_and_reads_hits(serve, connect):
    server = serve(Reply(200, gj.SEARCH_PAGE))
    filters = {"Orientation": ["hor", "ver"], "PaperFormat": "A3"}

    page = connect(server.origin).search_products("posters", filters, limit=1, offset=3)

    assert server.requests == [("POST", "/v3/catalogs/posters/products:search")]
    assert server.seen[0].json() == {
        "attributeFilters": {"Orientation": ["hor", "ver"], "PaperFormat": ["A3"]},
        "limit": 1,
        "offset": 3,
    }
    assert server.seen[0].headers["x-api-key"] == API_KEY
    product = CatalogProduct(
        POSTER_UID,
        gj.POSTER_ATTRIBUTES,
        Decimal("12.308"),
        "grams",
        (),
        (),
        None,
        None,
        {"Width": (Decimal(297), "mm")},
    )
    hits = {"Orientation": {"hor": 3, "ver": 1}, "PaperFormat": {"A3": 1}}
    assert page == ProductPage((product,), hits, limit=1, offset=3)
    assert page.next_offset == 4


def test_search_products_without_filters_sends_an_empty_filter_object(serve, connect):
    server = serve(Reply(200, {"products": []}))

    page = connect(server.origin).search_products("posters")

    assert server.seen[0].json() == {"attributeFilters": {}, "limit": 50, "offset": 0}
    assert (page, page.next_offset) == (ProductPage((), {}, 50, 0), None)


def test_get_product_reads_countries_and_flags(serve, connect):
    server = serve(Reply(200, gj.POSTER_PRODUCT))

    product = connect(server.origin).get_product(POSTER_UID)

    assert server.requests == [("GET", f"/v3/products/{POSTER_UID}")]
    assert product == CatalogProduct(
        product_uid=POSTER_UID,
        attributes=gj.POSTER_ATTRIBUTES,
        weight=Decimal("1.341"),
        weight_unit="grams",
        supported_countries=("US", "CA"),
        not_supported_countries=("BR",),
        is_printable=True,
        is_stockable=False,
    )


def test_get_product_refuses_another_product(serve, connect):
    server = serve(Reply(200, {**gj.POSTER_PRODUCT, "productUid": "other"}))

    with pytest.raises(PermanentError) as raised:
        connect(server.origin).get_product(POSTER_UID)

    assert raised.value.message == f"asked for product {POSTER_UID}, got product other"


def test_orders_and_products_go_to_their_own_base_urls(serve, connect):
    orders = serve(Reply(200, gj.order()))
    products = serve(Reply(200, gj.CATALOG_LIST))
    client = connect(f"{orders.origin}/gelato-orders/", f"{products.origin}/gelato-products")

    client.get_order(ORDER_ID)
    client.list_catalogs()

    assert orders.requests == [("GET", f"/gelato-orders{ORDER_PATH}")]
    assert products.requests == [("GET", "/gelato-products/v3/catalogs")]


def test_defaults_are_gelatos_hosts_and_explicit_timeouts():
    with GelatoClient(API_KEY) as client:
        assert (client.order_base_url, client.product_base_url) == (
            "https://order.gelatoapis.com",
            "https://product.gelatoapis.com",
        )
        assert client.timeout == httpx.Timeout(15, connect=3)
        assert repr(client) == (
            "GelatoClient(order_base_url='https://order.gelatoapis.com', "
            "product_base_url='https://product.gelatoapis.com')"
        )
