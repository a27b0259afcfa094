"""The real BigCommerce client against the in-repo emulator over a real socket: every method, and its faults."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from printbridge.integrations.bigcommerce.client import BigCommerceClient
from printbridge.integrations.bigcommerce.emulator import BigCommerceEmulator, EmulatorConfig, Line
from printbridge.integrations.bigcommerce.payloads import (
    Address,
    ConsignmentKind,
    LineItemSource,
    NewShipment,
    OrderProduct,
    ProductType,
    ShipmentItem,
    ShippingAddress,
    StoreInfo,
    Variant,
)
from printbridge.integrations.errors import PermanentError, RateLimited, RetryableError

TSHIRT, WALL_ART, MUG, CANDLE = 111, 112, 114, 115
TSHIRT_XS_WHITE, MUG_11_WHITE = 201, 246
JANE = Address(
    "Jane", "Doe", "", "455 Main Street", "", "Austin", "Texas", "78751", "United States", "US", "555-123-4567",
    "jane.doe@example.com",
)  # fmt: skip
INCLUDES = "include=consignments.line_items&consignment_structure=object"


@pytest.fixture
def emulator():
    emu = BigCommerceEmulator(EmulatorConfig(port=0, seed=1)).start()
    yield emu
    emu.stop()


@pytest.fixture
def store(emulator):
    return emulator.add_store(
        store_hash="abc123", access_token="token-abc", plan="standard", name="Demo BC store"
    )


@pytest.fixture
def client(emulator, store, connect):
    return connect(emulator.api_url("abc123"))


def rfc2822(value: str) -> datetime:
    return email.utils.parsedate_to_datetime(value)


def test_store_info(client, store):
    assert client.store_info() == StoreInfo(
        "abc123", store.store_id, store.account_uuid, "Demo BC store", "store-abc123.example.com",
        "https://store-abc123.example.com", "https://store-abc123.example.com", "owner@store-abc123.example.com",
        "orders@store-abc123.example.com", "live", "USD", 2, "Ounces", "Inches", "America/Chicago", "Standard",
        "Standard", False, 1,
    )  # fmt: skip
    assert store.requests == [("GET", "/stores/abc123/v2/store")]


def test_rate_limit_state_follows_every_response(client):
    client.store_info()
    first = client.rate_limit
    client.store_info()

    assert (first.time_window_ms, first.requests_quota, first.requests_left) == (30000, 150, 149)
    assert client.rate_limit.requests_left == 148
    assert 0 <= client.rate_limit.time_reset_ms <= 30000


def test_list_orders_embeds_complete_line_items(client, store):
    first = store.place_order(lines=[(TSHIRT, TSHIRT_XS_WHITE, 2), (MUG, MUG_11_WHITE, 1)], status_id=11)
    second = store.place_order(lines=[(CANDLE, None, 3)], status_id=7)

    orders = client.list_orders(min_id=first)

    assert [(o.id, o.status_id, o.items_total, o.line_items_complete) for o in orders] == [
        (first, 11, 3, True),
        (second, 7, 3, True),
    ]
    assert [(line.kind, line.product.sku, line.product.quantity) for line in orders[0].line_items] == [
        (ConsignmentKind.SHIPPING, "TS-XS-WHT", 2),
        (ConsignmentKind.SHIPPING, "MUG-11-WHT", 1),
    ]
    assert orders[0].line_items[0].product == OrderProduct(
        id=1, order_id=first, product_id=TSHIRT, variant_id=TSHIRT_XS_WHITE,
        order_address_id=orders[0].shipping_consignments[0].id, order_pickup_method_id=0, name="Classic T-shirt",
        sku="TS-XS-WHT", type=ProductType.PHYSICAL, quantity=2, quantity_shipped=0, base_price=Decimal("19.0000"),
        price_inc_tax=Decimal("19.0000"), total_inc_tax=Decimal("38.0000"),
        product_options=(("Size", "XS"), ("Colour", "White")), parent_order_product_id=None,
    )  # fmt: skip
    assert (
        orders[0].currency_code,
        orders[0].billing_address,
        orders[0].shipping_consignments[0].address,
    ) == (
        "USD",
        JANE,
        JANE,
    )
    assert orders[0].date_modified == rfc2822(store.orders[first]["date_modified"])
    assert store.requests == [
        ("GET", f"/stores/abc123/v2/orders?{INCLUDES}&limit=250&page=1&sort=id%3Aasc&min_id=100")
    ]


def test_list_orders_by_date_modified(client, store):
    order_id = store.place_order(lines=[(CANDLE, None, 1)])
    modified = rfc2822(store.orders[order_id]["date_modified"])

    assert [o.id for o in client.list_orders(min_date_modified=modified - timedelta(minutes=5))] == [order_id]
    assert client.list_orders(min_date_modified=modified + timedelta(seconds=1)) == []
    assert (
        client.list_orders(max_date_modified=modified, status_id=11, sort="date_modified:desc")[0].id
        == order_id
    )


def test_get_order_of_an_unknown_id_is_permanent_404(client):
    with pytest.raises(PermanentError) as raised:
        client.get_order(999)

    assert (raised.value.status, raised.value.message) == (404, "The requested resource was not found.")


def test_an_order_of_60_lines_is_cut_at_50_and_completed_from_products(client, store):
    order_id = store.place_order(lines=[(TSHIRT, TSHIRT_XS_WHITE + n % 36, 1) for n in range(60)])

    order = client.get_order(order_id)
    completed = client.complete_line_items(order)

    assert (len(order.line_items), order.line_items_complete, order.shipping_consignments[0].truncated) == (
        50,
        False,
        True,
    )
    assert [line.product.id for line in completed.line_items] == list(range(1, 61))
    assert (completed.line_items_complete, completed.line_items_source) == (True, LineItemSource.PRODUCTS)
    assert store.requests[-1] == ("GET", f"/stores/abc123/v2/orders/{order_id}/products?limit=250&page=1")


def test_empty_line_items_are_completed_from_products(client, store, emulator):
    order_id = store.place_order(lines=[(MUG, MUG_11_WHITE, 2)])
    emulator.faults.empty_line_items(order_id)

    order = client.get_order(order_id)
    completed = client.complete_line_items(order)

    assert (order.line_items, order.line_items_complete) == ((), False)
    assert [(line.kind, line.product.sku, line.product.quantity) for line in completed.line_items] == [
        (ConsignmentKind.SHIPPING, "MUG-11-WHT", 2)
    ]
    assert store.requests == [
        ("GET", f"/stores/abc123/v2/orders/{order_id}?{INCLUDES}"),
        ("GET", f"/stores/abc123/v2/orders/{order_id}/products?limit=250&page=1"),
    ]


def test_order_products_page_past_250_until_204(client, store):
    order_id = store.place_order(lines=[(TSHIRT, TSHIRT_XS_WHITE + n % 36, 1) for n in range(250)])

    products = client.list_order_products(order_id)

    assert [product.id for product in products] == list(range(1, 251))
    path = f"/stores/abc123/v2/orders/{order_id}/products"
    assert store.requests == [("GET", f"{path}?limit=250&page=1"), ("GET", f"{path}?limit=250&page=2")]


def test_digital_lines_come_in_a_download_consignment(client, store):
    lines = [Line(WALL_ART, None, 1), Line(116, None, 1, kind="digital")]
    order = client.get_order(store.place_order(lines=lines))

    assert [(line.kind, line.product.type) for line in order.line_items] == [
        (ConsignmentKind.SHIPPING, ProductType.PHYSICAL),
        (ConsignmentKind.DOWNLOAD, ProductType.DIGITAL),
    ]


def test_shipping_addresses_of_a_two_address_order(client, store):
    bob = {"first_name": "Bob", "street_1": "1 Elm St", "city": "Dallas", "zip": "75201"}
    order_id = store.place_order(
        lines=[Line(CANDLE, None, 1, address=0), Line(CANDLE, None, 2, address=1)], shipping=[None, bob]
    )

    addresses = client.list_shipping_addresses(order_id)

    bobs = Address(
        "Bob", "Doe", "", "1 Elm St", "", "Dallas", "Texas", "75201", "United States", "US", "555-123-4567",
        "jane.doe@example.com",
    )  # fmt: skip
    first_id = addresses[0].id
    assert addresses == [
        ShippingAddress(first_id, order_id, JANE, 1, 0, "Flat Rate"),
        ShippingAddress(first_id + 1, order_id, bobs, 2, 0, "Flat Rate"),
    ]


def test_shipments_are_listed_created_and_listed_again(client, store):
    order_id = store.place_order(lines=[(MUG, MUG_11_WHITE, 2)])
    line = client.get_order(order_id).line_items[0].product

    assert client.list_shipments(order_id) == []
    new = NewShipment(
        line.order_address_id, (ShipmentItem(line.id, 2),), tracking_number="1Z999", tracking_carrier="ups"
    )
    created = client.create_shipment(order_id, new)

    assert (created.order_id, created.order_address_id, created.items) == (
        order_id,
        line.order_address_id,
        new.items,
    )
    assert (created.tracking_number, created.tracking_carrier) == ("1Z999", "ups")
    assert client.list_shipments(order_id) == [created]
    assert [shipment["id"] for shipment in store.shipments[order_id]] == [created.id]


def test_a_shipment_the_store_refuses_is_permanent_400(client, store):
    order_id = store.place_order(lines=[(MUG, MUG_11_WHITE, 1)])
    line = client.get_order(order_id).line_items[0].product

    with pytest.raises(PermanentError) as raised:
        client.create_shipment(order_id, NewShipment(line.order_address_id, (ShipmentItem(line.id, 5),)))

    expected = f"Quantity 5 of order product {line.id} exceeds what is left to ship."
    assert (raised.value.status, raised.value.message) == (400, expected)
    assert store.shipments[order_id] == []


def test_update_order_status(client, store):
    order_id = store.place_order(lines=[(CANDLE, None, 1)], status_id=11)

    order = client.update_order_status(order_id, 9)

    assert (order.id, order.status_id, order.status, store.orders[order_id]["status_id"]) == (
        order_id,
        9,
        "Awaiting Shipment",
        9,
    )
    assert store.requests == [("PUT", f"/stores/abc123/v2/orders/{order_id}")]


def test_catalog_products_and_variants(client, store):
    mug = client.get_product(MUG)
    listed = client.list_products(id__in=[MUG, CANDLE])
    by_sku = client.list_variants(sku="MUG-11-WHT")
    art = client.list_variants(product_id=WALL_ART)

    assert [v.sku for v in mug.variants] == ["MUG-11-WHT", "MUG-11-BLK", "MUG-15-WHT", "MUG-15-BLK"]
    assert [(p.id, p.base_variant_id, len(p.variants)) for p in listed] == [(MUG, None, 4), (CANDLE, 250, 1)]
    assert by_sku == [
        Variant(
            MUG_11_WHITE, MUG, "MUG-11-WHT", (("Size", "11 oz"), ("Colour", "White")), Decimal("14.0"), False
        )
    ]
    assert [(v.sku, v.option_values, v.price) for v in art] == [
        ("WA-A4", (("Size", "A4"),), Decimal("20.0")),
        ("WA-A3", (("Size", "A3"),), Decimal("30.0")),
        ("WA-A2", (("Size", "A2"),), Decimal("45.0")),
        ("WA-5070", (("Size", "50x70 cm"),), Decimal("60.0")),
    ]
    assert store.requests == [
        ("GET", f"/stores/abc123/v3/catalog/products/{MUG}?include=variants"),
        ("GET", "/stores/abc123/v3/catalog/products?include=variants&id%3Ain=114%2C115&limit=250&page=1"),
        ("GET", "/stores/abc123/v3/catalog/variants?sku=MUG-11-WHT&limit=250&page=1"),
        ("GET", "/stores/abc123/v3/catalog/variants?product_id%3Ain=112&limit=250&page=1"),
    ]


def test_hooks_are_created_listed_and_updated(client, store):
    secret = {"X-Printbridge-Secret": "s3cret"}
    created = client.create_hook("store/order/created", "https://127.0.0.1/hooks/bc", secret, is_active=False)
    updated = client.update_hook(created.id, headers={"X-Printbridge-Secret": "rotated"})

    assert (created.scope, created.destination, created.is_active, created.headers) == (
        "store/order/created",
        "https://127.0.0.1/hooks/bc",
        False,
        secret,
    )
    assert client.list_hooks() == [updated]
    assert (updated.id, updated.headers, store.hooks[created.id]["headers"]) == (
        created.id,
        {"X-Printbridge-Secret": "rotated"},
        {"X-Printbridge-Secret": "rotated"},
    )


def test_a_second_hook_for_the_same_scope_and_destination_is_permanent_422(client):
    client.create_hook("store/order/updated", "https://127.0.0.1/hooks/bc", {}, is_active=False)

    with pytest.raises(PermanentError) as raised:
        client.create_hook("store/order/updated", "https://127.0.0.1/hooks/bc", {}, is_active=False)

    assert (raised.value.status, raised.value.message) == (
        422,
        'A webhook with this scope and destination already exists. {"destination": "taken"}',
    )


def test_a_wrong_token_is_permanent_401(emulator, store):
    stranger = BigCommerceClient("abc123", "not-the-token", base_url=emulator.api_url("abc123"))

    with stranger, pytest.raises(PermanentError) as raised:
        stranger.store_info()

    assert raised.value.status == 401
    assert store.requests == []


@pytest.mark.parametrize("status", [500, 502, 503])
def test_injected_server_errors_are_retryable(client, emulator, status):
    emulator.faults.fail_next(status=status, path_contains="/v2/orders")

    with pytest.raises(RetryableError) as raised:
        client.list_orders()

    assert (type(raised.value), raised.value.status) == (RetryableError, status)
    assert client.list_orders() == []  # the fault was used up


def test_injected_429_carries_the_reset_time(client, emulator):
    emulator.faults.rate_limit_next(reset_ms=1500)

    with pytest.raises(RateLimited) as raised:
        client.store_info()

    assert raised.value.reset_seconds == 1.5
    assert (client.rate_limit.requests_left, client.rate_limit.time_reset_ms) == (0, 1500)


def test_an_injected_slow_response_is_a_retryable_timeout(emulator, store, connect):
    emulator.faults.delay_next(0.6)
    client = connect(emulator.api_url("abc123"), timeout=httpx.Timeout(0.2, connect=1))

    with pytest.raises(RetryableError) as raised:
        client.store_info()

    assert (raised.value.status, raised.value.message) == (None, "timed out (ReadTimeout)")


def test_an_injected_disconnect_is_retryable(client, emulator):
    emulator.faults.disconnect_next()

    with pytest.raises(RetryableError) as raised:
        client.store_info()

    assert raised.value.status is None
    assert raised.value.message.startswith("RemoteProtocolError: ")
    assert client.store_info().store_hash == "abc123"


def test_dates_are_aware_utc(client, store):
    before = datetime.now(UTC).replace(microsecond=0)
    order = client.get_order(store.place_order(lines=[(CANDLE, None, 1)]))

    assert order.date_created.tzinfo is UTC
    assert before <= order.date_created <= datetime.now(UTC)
