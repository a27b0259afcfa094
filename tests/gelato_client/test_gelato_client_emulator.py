"""The real Gelato client against the in-repo Gelato emulator over a real socket: every method, the faults the
emulator injects, and its status webhooks read by parse_status_webhook."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from printbridge.integrations.errors import PermanentError, RateLimited, RetryableError
from printbridge.integrations.gelato.client import GelatoClient
from printbridge.integrations.gelato.emulator import GelatoEmulator, GelatoEmulatorConfig
from printbridge.integrations.gelato.errors import AlreadyPrinted
from printbridge.integrations.gelato.parsing import parse_fulfillment
from printbridge.integrations.gelato.payloads import Fulfillment, GelatoItem, GelatoOrder, NewItem, NewOrder
from printbridge.integrations.gelato.webhooks import StatusEvent, parse_status_webhook
from tests.gelato_client.gelato_json import ADDRESS
from tests.integrations.stub_server import Reply, StubServer

KEY = "gelato-key"
POSTER = "flat_product_pf_a3_pt_200-gsm-uncoated_cl_4-0_ct_none_prt_none_sft_none_set_none_ver"
MUG = "mug_product_msz_11-oz_mmat_ceramic-white_cl_4-0"
POSTER_FILES = (("default", "https://files.example.com/poster.pdf"),)


def new_order(reference: str = "pb-s7-o101-g1", product_uid: str = POSTER, **changes) -> NewOrder:
    items = (
        NewItem("line-1", product_uid, 1, POSTER_FILES),
        NewItem("line-2", product_uid, 2, POSTER_FILES),
    )
    fields = {"items": items, "shipping_address": ADDRESS, "shipment_method_uid": "express", **changes}
    return NewOrder(reference, "store-7", "USD", **fields)


@pytest.fixture
def emulator() -> Iterator[Callable[..., GelatoEmulator]]:
    """emulator(webhook_url=None, split_shipments=0.0) starts one with account KEY; stopped after the test."""
    started: list[GelatoEmulator] = []

    def _start(webhook_url: str | None = None, split_shipments: float = 0.0) -> GelatoEmulator:
        config = GelatoEmulatorConfig(port=0, time_scale=1.0, seed=1, split_shipments=split_shipments)
        started.append(GelatoEmulator(config).start())
        started[-1].add_account(api_key=KEY, webhook_url=webhook_url)
        return started[-1]

    yield _start
    for each in started:
        each.stop()


@pytest.fixture
def gelato(emulator) -> Iterator[Callable[..., GelatoClient]]:
    """gelato(emu, api_key=KEY, read=5) builds a client for the emulator; closed after the test."""
    clients: list[GelatoClient] = []

    def _client(emu: GelatoEmulator, api_key: str = KEY, read: float = 5.0) -> GelatoClient:
        timeout = httpx.Timeout(read, connect=2)
        clients.append(GelatoClient(api_key, emu.order_url, emu.product_url, timeout=timeout))
        return clients[-1]

    yield _client
    for client in clients:
        client.close()


def _items(emu: GelatoEmulator, order_id: str) -> tuple[GelatoItem, ...]:
    """The emulator's own record of the items, as the client should read them."""
    raw = emu.orders[order_id]["items"]
    return tuple(
        GelatoItem(
            item["id"],
            item["itemReferenceId"],
            item["fulfillmentStatus"],
            tuple(parse_fulfillment(f) for f in item["fulfillments"]),
        )
        for item in raw
    )


def test_create_get_find_and_cancel_an_order(emulator, gelato):
    emu = emulator()
    client = gelato(emu)

    assert client.find_by_reference("pb-s7-o101-g1") is None
    created = client.create_order(new_order())

    assert list(emu.orders) == [created.id]
    assert emu.orders[created.id]["shippingAddress"]["addressLine2"] == "Suite 4"
    expected = GelatoOrder(created.id, "pb-s7-o101-g1", "created", "pending", _items(emu, created.id))
    assert created == expected
    assert [(item.item_reference_id, item.fulfillment_status) for item in created.items] == [
        ("line-1", "created"),
        ("line-2", "created"),
    ]
    assert client.get_order(created.id) == expected
    assert client.find_by_reference("pb-s7-o101-g1") == expected

    assert client.cancel_order(created.id) is None
    canceled = client.get_order(created.id)
    assert (canceled.fulfillment_status, canceled.financial_status) == ("canceled", "canceled")
    assert emu.requests == [
        ("POST", "/v4/orders:search"),
        ("POST", "/v4/orders"),
        ("GET", f"/v4/orders/{created.id}"),
        ("POST", "/v4/orders:search"),
        ("GET", f"/v4/orders/{created.id}"),
        ("POST", f"/v4/orders/{created.id}:cancel"),
        ("GET", f"/v4/orders/{created.id}"),
    ]


def test_a_draft_is_created_as_a_draft(emulator, gelato):
    emu = emulator()

    draft = gelato(emu).create_order(new_order(order_type="draft"))

    assert (draft.fulfillment_status, draft.financial_status) == ("draft", "draft")
    assert emu.orders[draft.id]["orderType"] == "draft"


def test_cancel_after_printing_is_already_printed(emulator, gelato):
    emu = emulator()
    client = gelato(emu)
    order = client.create_order(new_order())
    emu.advance(order.id, "printed")

    with pytest.raises(AlreadyPrinted) as raised:
        client.cancel_order(order.id)

    message = "The order cannot be canceled, because at least one of the items is in 'printed' status."
    assert (raised.value.status, raised.value.message) == (409, message)
    assert client.get_order(order.id).fulfillment_status == "printed"


def test_shipped_parcels_reach_each_item_once(emulator, gelato):
    emu = emulator(split_shipments=1.0)
    client = gelato(emu)
    order = client.create_order(new_order())
    emu.advance(order.id, "shipped")

    shipped = client.get_order(order.id)

    packages = emu.orders[order.id]["shipment"]["packages"]
    assert [package["orderItemIds"] for package in packages] == [[order.items[0].id], [order.items[1].id]]
    assert shipped == GelatoOrder(order.id, "pb-s7-o101-g1", "shipped", "paid", _items(emu, order.id))
    first, second = (item.fulfillments for item in shipped.items)
    assert (len(first), len(second), first != second) == (1, 1, True)
    assert (first[0].shipment_method_name, first[0].shipment_method_uid) == ("DHL Express", "dhl_express")
    assert [(p["trackingCode"], p["trackingUrl"]) for p in packages] == [
        (first[0].tracking_code, first[0].tracking_url),
        (second[0].tracking_code, second[0].tracking_url),
    ]


def test_two_orders_with_one_reference_make_find_by_reference_refuse(emulator, gelato):
    emu = emulator()
    client = gelato(emu)
    first = client.create_order(new_order())
    second = client.create_order(new_order())  # no idempotency key: Gelato makes two

    with pytest.raises(PermanentError) as raised:
        client.find_by_reference("pb-s7-o101-g1")

    # the emulator answers newest first
    assert raised.value.message == f"2 orders carry reference 'pb-s7-o101-g1': {second.id}, {first.id}"


def test_a_500_after_the_order_was_made_is_retryable_and_the_lookup_adopts_it(emulator, gelato):
    emu = emulator()
    client = gelato(emu)
    emu.faults.fail_next(status=500, after_effect=True, path_contains="/v4/orders")

    with pytest.raises(RetryableError) as raised:
        client.create_order(new_order())

    assert (raised.value.status, raised.value.message) == (
        500,
        "Injected fault: the emulator answered with an error.",
    )
    [order_id] = emu.orders
    found = client.find_by_reference("pb-s7-o101-g1")
    assert found is not None and found.id == order_id  # check-then-create: adopt, do not create again


def test_a_late_answer_is_a_retryable_timeout(emulator, gelato):
    emu = emulator()
    client = gelato(emu, read=0.3)
    emu.faults.delay_next(1.0, after_effect=True)

    with pytest.raises(RetryableError) as raised:
        client.create_order(new_order())

    assert (raised.value.status, raised.value.message) == (None, "timed out (ReadTimeout)")
    assert len(emu.orders) == 1  # created all the same: look up before creating again


def test_a_rate_limit_carries_retry_after(emulator, gelato):
    emu = emulator()
    emu.faults.rate_limit_next(retry_after=30)

    with pytest.raises(RateLimited) as raised:
        gelato(emu).list_catalogs()

    assert (raised.value.reset_seconds, raised.value.message) == (
        30.0,
        "Too many requests: retry after 30 seconds.",
    )


def test_an_outage_is_retryable(emulator, gelato):
    emu = emulator()
    emu.faults.outage(30)

    with pytest.raises(RetryableError) as raised:
        gelato(emu).get_order("any-id")

    assert (raised.value.status, raised.value.message) == (
        503,
        "Service unavailable: Gelato is down (emulated outage).",
    )


def test_a_dropped_connection_is_retryable(emulator, gelato):
    emu = emulator()
    emu.faults.disconnect_next()

    with pytest.raises(RetryableError) as raised:
        gelato(emu).find_by_reference("pb-s7-o101-g1")

    assert (raised.value.status, raised.value.request) == (None, "POST /v4/orders:search")


def test_an_unknown_api_key_is_permanent(emulator, gelato):
    emu = emulator()

    with pytest.raises(PermanentError) as raised:
        gelato(emu, api_key="wrong-key").list_catalogs()

    assert (raised.value.status, raised.value.message) == (
        401,
        "Unauthorized: the X-API-KEY header is missing or not a known API key.",
    )


def test_an_invalid_order_is_permanent_with_gelatos_message(emulator, gelato):
    emu = emulator()

    with pytest.raises(PermanentError) as raised:
        gelato(emu).create_order(new_order(product_uid="no_such_product"))

    first = "items[0].productUid 'no_such_product' is not a product in the catalog."
    second = "items[1].productUid 'no_such_product' is not a product in the catalog."
    details = (
        f'[{{"field": "items[0].productUid", "message": "{first}"}}, '
        f'{{"field": "items[1].productUid", "message": "{second}"}}]'
    )
    assert (raised.value.status, raised.value.message) == (400, f"{first} {details}")
    assert emu.orders == {}


def test_an_unknown_order_is_permanent(emulator, gelato):
    emu = emulator()

    with pytest.raises(PermanentError) as raised:
        gelato(emu).get_order("no-such-order")

    assert (raised.value.status, raised.value.message) == (404, "Order not found.")


def test_catalogs_search_and_product(emulator, gelato):
    emu = emulator()
    client = gelato(emu)

    catalogs = client.list_catalogs()
    posters = client.get_catalog("posters")
    page = client.search_products("posters", {"PaperFormat": ["A3"], "Orientation": ["ver"]}, limit=1)
    product = client.get_product(POSTER)

    assert [(c.uid, c.title, c.attributes) for c in catalogs] == [
        ("t-shirts", "T-shirts", ()),
        ("posters", "Posters", ()),
        ("canvas", "Canvas (wall art)", ()),
        ("mugs", "Mugs", ()),
    ]
    assert [attribute.uid for attribute in posters.attributes] == [
        "PaperFormat",
        "PaperType",
        "ColorType",
        "CoatingType",
        "ProtectionType",
        "SpotFinishingType",
        "Orientation",
    ]
    assert posters.attributes[-1].values == (("hor", "Landscape"), ("ver", "Portrait"))
    assert [p.product_uid for p in page.products] == [POSTER]
    assert page.attribute_hits["PaperType"] == {"200-gsm-uncoated": 1, "170-gsm-coated-silk": 1}
    assert page.attribute_hits["Orientation"] == {"ver": 2}
    assert (page.limit, page.offset, page.next_offset) == (1, 0, 1)
    assert product.attributes == page.products[0].attributes
    assert (product.is_printable, product.is_stockable, "US" in product.supported_countries) == (
        True,
        False,
        True,
    )
    assert product.not_supported_countries == ("BY", "CU", "IR", "KP", "RU", "SY")


def _wait_for(server: StubServer, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(server.seen) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def test_the_emulators_status_webhooks_parse(emulator, gelato, serve):
    receiver = serve(Reply(200, {}), Reply(200, {}))
    emu = emulator(webhook_url=f"{receiver.origin}/gelato/webhook")
    client = gelato(emu)
    order = client.create_order(new_order())

    emu.advance(order.id, "passed")
    _wait_for(receiver, 1)
    emu.advance(order.id, "in_production")
    _wait_for(receiver, 2)

    assert [seen.path for seen in receiver.seen[:2]] == ["/gelato/webhook", "/gelato/webhook"]
    passed = parse_status_webhook(receiver.seen[0].body)
    assert isinstance(passed, StatusEvent)
    assert passed.id.startswith("os_")
    assert (passed.order_id, passed.order_reference_id, passed.fulfillment_status) == (
        order.id,
        "pb-s7-o101-g1",
        "passed",
    )
    assert passed.items == (
        GelatoItem("", "line-1", "passed", ()),
        GelatoItem("", "line-2", "passed", ()),
    )
    in_production = parse_status_webhook(receiver.seen[1].body)
    assert isinstance(in_production, StatusEvent)
    assert in_production.fulfillment_status == "in_production"


def test_the_shipped_webhook_carries_the_tracking_the_order_shows(emulator, gelato, serve):
    receiver = serve(*(Reply(200, {}) for _ in range(4)))
    emu = emulator(webhook_url=f"{receiver.origin}/hook")
    client = gelato(emu)
    order = client.create_order(new_order())

    emu.advance(order.id, "shipped")
    _wait_for(receiver, 4)

    events = [parse_status_webhook(seen.body) for seen in receiver.seen]
    statuses = [event.fulfillment_status for event in events if isinstance(event, StatusEvent)]
    assert statuses == ["passed", "in_production", "printed", "shipped"]
    shipped = events[-1]
    assert isinstance(shipped, StatusEvent)
    read = client.get_order(order.id)
    tracking: list[tuple[Fulfillment, ...]] = [item.fulfillments for item in read.items]
    assert [item.fulfillments for item in shipped.items] == tracking
    assert len(tracking[0]) == 1
