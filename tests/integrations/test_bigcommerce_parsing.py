"""BigCommerce JSON → dataclasses: the documented shapes, their quirks, and shapes that must be refused."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from printbridge.integrations.bigcommerce import parsing
from printbridge.integrations.bigcommerce.payloads import (
    ConsignmentKind,
    Hook,
    Product,
    RateLimitState,
    StoreInfo,
    Variant,
    kind_of,
)
from printbridge.integrations.errors import PermanentError
from tests.integrations import bigcommerce_json as bc


@pytest.mark.parametrize(
    ("sent", "parsed"),
    [
        ("Tue, 05 Mar 2019 21:40:11 +0000", datetime(2019, 3, 5, 21, 40, 11, tzinfo=UTC)),
        ("Tue, 05 Mar 2019 23:40:11 +0200", datetime(2019, 3, 5, 21, 40, 11, tzinfo=UTC)),
        ("Tue, 05 Mar 2019 21:40:11 -0000", datetime(2019, 3, 5, 21, 40, 11, tzinfo=UTC)),
    ],
)
def test_v2_dates_become_aware_utc_datetimes(sent, parsed):
    order = parsing.parse_order(bc.order(date_modified=sent))

    assert (order.date_modified, order.date_modified.utcoffset()) == (parsed, parsed.utcoffset())


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_modified", "2019-03-05T21:40:11+00:00", "'date_modified' must be an RFC 2822 date"),
        ("date_modified", 1551822011, "'date_modified' must be an RFC 2822 date"),
        ("items_total", True, "'items_total' must be an integer"),
        ("items_total", None, "'items_total' must be an integer"),
        ("total_inc_tax", "12,50", "'total_inc_tax' must be an amount"),
        ("total_inc_tax", "NaN", "'total_inc_tax' must be a finite amount"),
        ("default_currency_code", "", "'default_currency_code' must be a non-empty string"),
        ("billing_address", [], "order 101.billing_address: expected a JSON object"),
    ],
)
def test_orders_with_a_broken_field_are_refused(field, value, message):
    with pytest.raises(PermanentError) as raised:
        parsing.parse_order({**bc.order(), field: value})

    assert raised.value.status is None
    assert message in raised.value.message


def test_an_unknown_line_item_type_is_refused():
    lines = [{**bc.order_product(1), "type": "subscription"}]

    with pytest.raises(PermanentError) as raised:
        parsing.parse_order(bc.order(lines=lines))

    assert raised.value.message == (
        "order product: 'type' must be physical, digital or giftcertificate, got 'subscription'"
    )


@pytest.mark.parametrize(
    "consignments",
    [
        {"url": "https://api.bigcommerce.com/stores/abc123/v2/orders/101/consignments", "resource": "/x"},
        [{"shipping": []}],  # the legacy array structure
        None,
        {"shipping": [{**bc.shipping_consignment([]), "line_items": [{"url": "u", "resource": "/r"}]}]},
        {"downloads": [{"recipient_email": "a@example.com", "line_items": {"url": "u", "resource": "/r"}}]},
    ],
    ids=["link", "legacy-array", "absent", "line-item-links", "line-items-object"],
)
def test_consignments_without_embedded_line_items_are_incomplete(consignments):
    order = parsing.parse_order({**bc.order(), "consignments": consignments})

    assert (order.line_items, order.line_items_complete) == ((), False)


def test_every_consignment_kind_is_flattened_into_line_items():
    shipped = bc.order_product(1)
    digital = bc.order_product(2, product_type="digital", variant_id=None)
    gift = bc.order_product(3, product_type="giftcertificate", variant_id=None)
    raw = bc.order(lines=[shipped], items_total=3)
    raw["consignments"]["downloads"] = [{"recipient_email": "a@example.com", "line_items": [digital]}]
    raw["consignments"]["email"] = {
        "gift_certificates": [{"recipient_email": "b@example.com", "line_items": [gift]}]
    }

    order = parsing.parse_order(raw)

    assert [(line.kind, line.product.id, line.product.variant_id) for line in order.line_items] == [
        (ConsignmentKind.SHIPPING, 1, 501),
        (ConsignmentKind.DOWNLOAD, 2, None),
        (ConsignmentKind.GIFT_CERTIFICATE, 3, None),
    ]
    assert order.line_items_complete is True


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        ({}, ConsignmentKind.SHIPPING),
        ({"order_pickup_method_id": 4, "order_address_id": 0}, ConsignmentKind.PICKUP),
        ({"type": "digital"}, ConsignmentKind.DOWNLOAD),
        ({"type": "giftcertificate"}, ConsignmentKind.GIFT_CERTIFICATE),
    ],
)
def test_products_read_from_the_products_endpoint_get_their_consignment_kind(changes, kind):
    assert kind_of(parsing.parse_order_product({**bc.order_product(1), **changes})) is kind


def test_store_info_keeps_units_currency_and_ids():
    raw = {
        "id": "abc123",
        "store_id": 1025646,
        "account_uuid": "8d4d492f-17a1-4d95-b396-e1c5720815a5",
        "name": "Demo BC store",
        "domain": "demo.example",
        "secure_url": "https://demo.example",
        "control_panel_base_url": "https://store-abc123.mybigcommerce.com",
        "status": "live",
        "admin_email": "jane@example.com",
        "order_email": "orders@example.com",
        "timezone": {"name": "America/Chicago", "raw_offset": -21600},
        "currency": "USD",
        "decimal_places": 2,
        "weight_units": "Ounces",
        "dimension_units": "Inches",
        "plan_name": "Standard",
        "plan_level": "Standard",
        "plan_is_trial": False,
        "default_channel_id": 1,
        "features": {"stencil_enabled": True},
    }

    assert parsing.parse_store_info(raw) == StoreInfo(
        "abc123", 1025646, "8d4d492f-17a1-4d95-b396-e1c5720815a5", "Demo BC store", "demo.example",
        "https://demo.example", "https://store-abc123.mybigcommerce.com", "jane@example.com", "orders@example.com",
        "live", "USD", 2, "Ounces", "Inches", "America/Chicago", "Standard", "Standard", False, 1,
    )  # fmt: skip


def test_catalog_numbers_become_decimals_and_option_values_pairs():
    raw = {
        "id": 192,
        "name": "Mug",
        "type": "physical",
        "sku": "MUG",
        "is_visible": True,
        "date_modified": "2018-09-05T20:42:07+00:00",
        "base_variant_id": 382,
        "variants": [
            {
                "id": 382,
                "product_id": 192,
                "sku": "MUG-11-WHITE",
                "price": 10.1,
                "purchasing_disabled": False,
                "option_values": [
                    {"id": 174, "label": "11oz", "option_id": 220, "option_display_name": "Size"},
                    {"id": 175, "label": "White", "option_id": 221, "option_display_name": "Color"},
                ],
            }
        ],
    }

    assert parsing.parse_product(raw) == Product(
        192, "Mug", "physical", "MUG", True, datetime(2018, 9, 5, 20, 42, 7, tzinfo=UTC), 382,
        (Variant(382, 192, "MUG-11-WHITE", (("Size", "11oz"), ("Color", "White")), Decimal("10.1"), False),),
    )  # fmt: skip


def test_a_hook_without_headers_has_none():
    raw = {"id": 7, "scope": "store/order/created", "destination": "https://h.example/x", "headers": None}

    assert parsing.parse_hook(raw) == Hook(
        7, "store/order/created", "https://h.example/x", False, {}, None, None
    )


@pytest.mark.parametrize(
    ("headers", "state"),
    [
        (
            {"X-Rate-Limit-Requests-Left": "3", "x-rate-limit-time-reset-ms": "900"},
            RateLimitState(None, 900, None, 3),
        ),
        ({"x-rate-limit-requests-left": "many"}, None),
        ({"content-type": "application/json"}, None),
    ],
)
def test_rate_limit_headers_in_any_case(headers, state):
    assert parsing.parse_rate_limit(httpx.Headers(headers)) == state
