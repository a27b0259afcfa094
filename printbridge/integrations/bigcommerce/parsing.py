"""BigCommerce JSON -> the dataclasses in payloads.py. Every parse_* raises PermanentError on a broken shape.

Shapes follow ../shared/specs/bigcommerce/reference/ (orders.v2, store_information.v2, webhooks.v3, catalog v3).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from printbridge.integrations.bigcommerce.json_reader import JsonReader
from printbridge.integrations.bigcommerce.payloads import (
    TRUNCATION_WARNING_KEY,
    Address,
    ConsignmentKind,
    Hook,
    LineItem,
    LineItemSource,
    Order,
    OrderProduct,
    Product,
    ProductImage,
    ProductType,
    RateLimitState,
    Shipment,
    ShipmentItem,
    ShippingAddress,
    ShippingConsignment,
    StoreInfo,
    Variant,
)
from printbridge.integrations.errors import PermanentError


def parse_rate_limit(headers: Mapping[str, str]) -> RateLimitState | None:
    """X-Rate-Limit-* headers (any case, as httpx.Headers gives them); None when the response had none."""
    names = ("time-window-ms", "time-reset-ms", "requests-quota", "requests-left")
    values = [_header_int(headers.get(f"x-rate-limit-{name}")) for name in names]
    return None if all(value is None for value in values) else RateLimitState(*values)


def _header_int(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value is not None else None
    except ValueError:
        return None


def parse_store_info(raw: object) -> StoreInfo:
    r = JsonReader(raw, "store")
    timezone = r.raw.get("timezone")
    return StoreInfo(
        store_hash=r.required_text("id"),
        store_id=r.integer("store_id"),
        account_uuid=r.text("account_uuid"),
        name=r.text("name"),
        domain=r.text("domain"),
        secure_url=r.text("secure_url"),
        control_panel_base_url=r.text("control_panel_base_url"),
        admin_email=r.text("admin_email"),
        order_email=r.text("order_email"),
        status=r.text("status"),
        currency=r.text("currency"),
        decimal_places=r.opt_integer("decimal_places"),
        weight_units=r.text("weight_units"),
        dimension_units=r.text("dimension_units"),
        timezone=r.child("timezone").text("name") if timezone is not None else "",
        plan_name=r.text("plan_name"),
        plan_level=r.text("plan_level"),
        plan_is_trial=r.flag("plan_is_trial"),
        default_channel_id=r.opt_integer("default_channel_id"),
    )


_ADDRESS_KEYS = tuple(field.name for field in dataclasses.fields(Address))


def _address(r: JsonReader) -> Address:
    return Address(*(r.text(key) for key in _ADDRESS_KEYS))


def parse_order_product(raw: object) -> OrderProduct:
    r = JsonReader(raw, "order product")
    product_type = r.text("type")
    if product_type not in set(ProductType):
        raise r.error("type", "physical, digital or giftcertificate")
    return OrderProduct(
        id=r.integer("id"),
        order_id=r.integer("order_id"),
        product_id=r.integer("product_id"),
        variant_id=r.opt_integer("variant_id"),
        order_address_id=r.opt_integer("order_address_id") or 0,
        order_pickup_method_id=r.opt_integer("order_pickup_method_id") or 0,
        name=r.text("name"),
        sku=r.text("sku"),
        type=ProductType(product_type),
        quantity=r.integer("quantity"),
        quantity_shipped=r.opt_integer("quantity_shipped") or 0,
        base_price=r.money("base_price"),
        price_inc_tax=r.opt_money("price_inc_tax"),
        total_inc_tax=r.opt_money("total_inc_tax"),
        product_options=tuple(_option(item) for item in r.array("product_options")),
        parent_order_product_id=r.opt_integer("parent_order_product_id"),
    )


def _option(raw: object) -> tuple[str, str]:
    r = JsonReader(raw, "product option")
    return r.text("display_name"), r.text("display_value")


_CONSIGNMENT_GROUPS = (
    ("shipping", ConsignmentKind.SHIPPING),
    ("pickups", ConsignmentKind.PICKUP),
    ("downloads", ConsignmentKind.DOWNLOAD),
)


def _embedded_consignments(order: JsonReader) -> list[tuple[ConsignmentKind, JsonReader]] | None:
    """(kind, consignment) pairs of `consignment_structure=object`; None when they were not embedded."""
    raw = order.raw.get("consignments")
    if not isinstance(raw, dict) or not {"shipping", "pickups", "downloads", "email"} & raw.keys():
        return None  # absent, a {url, resource} link, or the legacy array shape
    r = JsonReader(raw, f"{order.what}.consignments")
    pairs = [
        (kind, JsonReader(c, f"{r.what}.{key}[]")) for key, kind in _CONSIGNMENT_GROUPS for c in r.array(key)
    ]
    email_group = raw.get("email")
    if email_group not in (None, []):  # PHP may send an empty object as []
        gift_certificates = r.child("email").array("gift_certificates")
        pairs += [
            (ConsignmentKind.GIFT_CERTIFICATE, JsonReader(c, f"{r.what}.email")) for c in gift_certificates
        ]
    return pairs


def _consignment_lines(kind: ConsignmentKind, consignment: JsonReader) -> tuple[list[LineItem], bool]:
    """The consignment's line items and whether all of them came back."""
    raw = consignment.raw.get("line_items")
    if not isinstance(raw, list) or not raw:  # missing, a link object, or empty (bigcommerce/dev-docs#2052)
        return [], False
    if any(isinstance(item, dict) and "quantity" not in item and "resource" in item for item in raw):
        return [], False  # links instead of order products: line items were not embedded
    lines = [LineItem(kind, parse_order_product(item)) for item in raw]
    return lines, TRUNCATION_WARNING_KEY not in consignment.raw


def _shipping_consignment(c: JsonReader) -> ShippingConsignment:
    return ShippingConsignment(
        id=c.integer("id"),
        address=_address(c),
        shipping_method=c.text("shipping_method"),
        items_total=c.opt_integer("items_total"),
        items_shipped=c.opt_integer("items_shipped"),
        truncated=TRUNCATION_WARNING_KEY in c.raw,
    )


def _line_items(order: JsonReader) -> tuple[tuple[ShippingConsignment, ...], tuple[LineItem, ...], bool]:
    consignments = _embedded_consignments(order)
    if consignments is None:
        return (), (), False
    shipping = tuple(_shipping_consignment(c) for kind, c in consignments if kind is ConsignmentKind.SHIPPING)
    lines: list[LineItem] = []
    complete = (
        TRUNCATION_WARNING_KEY not in order.raw and TRUNCATION_WARNING_KEY not in order.raw["consignments"]
    )
    for kind, consignment in consignments:
        consignment_lines, consignment_complete = _consignment_lines(kind, consignment)
        lines += consignment_lines
        complete = complete and consignment_complete
    return shipping, tuple(lines), complete


def parse_order(raw: object) -> Order:
    r = JsonReader(raw, "order")
    r.what = f"order {r.integer('id')}"
    shipping, lines, complete = _line_items(r)
    items_total = r.integer("items_total")
    return Order(
        id=r.integer("id"),
        customer_id=r.opt_integer("customer_id"),
        channel_id=r.opt_integer("channel_id"),
        status_id=r.integer("status_id"),
        status=r.text("status"),
        date_created=r.rfc2822("date_created"),
        date_modified=r.rfc2822("date_modified"),
        date_shipped=r.opt_rfc2822("date_shipped"),
        is_deleted=r.flag("is_deleted"),
        items_total=items_total,
        items_shipped=r.opt_integer("items_shipped"),
        currency_code=r.required_text("default_currency_code"),
        subtotal_inc_tax=r.opt_money("subtotal_inc_tax"),
        total_ex_tax=r.opt_money("total_ex_tax"),
        total_inc_tax=r.opt_money("total_inc_tax"),
        payment_status=r.text("payment_status"),
        order_source=r.text("order_source"),
        customer_message=r.text("customer_message"),
        billing_address=_address(r.child("billing_address")),
        shipping_consignments=shipping,
        line_items=lines,
        line_items_complete=complete and sum(line.product.quantity for line in lines) == items_total,
        line_items_source=LineItemSource.CONSIGNMENTS,
    )


def parse_shipping_address(raw: object) -> ShippingAddress:
    r = JsonReader(raw, "shipping address")
    return ShippingAddress(
        id=r.integer("id"),
        order_id=r.integer("order_id"),
        address=_address(r),
        items_total=r.opt_integer("items_total"),
        items_shipped=r.opt_integer("items_shipped"),
        shipping_method=r.text("shipping_method"),
    )


def _shipment_item(raw: object) -> ShipmentItem:
    r = JsonReader(raw, "shipment item")
    return ShipmentItem(order_product_id=r.integer("order_product_id"), quantity=r.integer("quantity"))


def parse_shipment(raw: object) -> Shipment:
    r = JsonReader(raw, "shipment")
    return Shipment(
        id=r.integer("id"),
        order_id=r.integer("order_id"),
        order_address_id=r.integer("order_address_id"),
        date_created=r.opt_rfc2822("date_created"),
        tracking_number=r.text("tracking_number"),
        tracking_carrier=r.text("tracking_carrier"),
        tracking_link=r.text("tracking_link"),
        generated_tracking_link=r.text("generated_tracking_link"),
        shipping_provider=r.text("shipping_provider"),
        shipping_method=r.text("shipping_method"),
        comments=r.text("comments"),
        items=tuple(_shipment_item(item) for item in r.array("items")),
    )


def _option_value(raw: object) -> tuple[str, str]:
    r = JsonReader(raw, "variant option value")
    return r.text("option_display_name"), r.text("label")


def parse_variant(raw: object) -> Variant:
    r = JsonReader(raw, "variant")
    return Variant(
        id=r.integer("id"),
        product_id=r.integer("product_id"),
        sku=r.text("sku"),
        option_values=tuple(_option_value(item) for item in r.array("option_values")),
        price=r.opt_money("price"),
        purchasing_disabled=r.flag("purchasing_disabled"),
    )


def parse_product(raw: object) -> Product:
    r = JsonReader(raw, "product")
    return Product(
        id=r.integer("id"),
        name=r.text("name"),
        type=r.text("type"),
        sku=r.text("sku"),
        is_visible=r.flag("is_visible"),
        date_modified=r.opt_iso8601("date_modified"),
        base_variant_id=r.opt_integer("base_variant_id"),
        variants=tuple(parse_variant(item) for item in r.array("variants")),
    )


def parse_product_image(raw: object) -> ProductImage:
    r = JsonReader(raw, "product image")
    return ProductImage(
        id=r.integer("id"),
        product_id=r.integer("product_id"),
        image_url=r.text("image_url"),
        url_standard=r.text("url_standard"),
        is_thumbnail=r.flag("is_thumbnail"),
    )


def parse_hook(raw: object) -> Hook:
    r = JsonReader(raw, "hook")
    headers = r.raw.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise r.error("headers", "an object of strings")
    return Hook(
        id=r.integer("id"),
        scope=r.required_text("scope"),
        destination=r.required_text("destination"),
        is_active=r.flag("is_active"),
        headers={str(key): value for key, value in headers.items()},
        created_at=r.opt_unix("created_at"),
        updated_at=r.opt_unix("updated_at"),
    )


def v3_data(raw: object, what: str) -> object:
    """The `data` member of a v3 envelope `{data, meta}`."""
    if not isinstance(raw, dict) or "data" not in raw:
        raise PermanentError(None, f"{what}: expected a v3 envelope with 'data'")
    return raw["data"]


def v3_total_pages(raw: object) -> int | None:
    """`meta.pagination.total_pages` of a v3 envelope, None when it is missing."""
    meta = raw.get("meta") if isinstance(raw, dict) else None
    pagination = meta.get("pagination") if isinstance(meta, dict) else None
    total = pagination.get("total_pages") if isinstance(pagination, dict) else None
    return total if isinstance(total, int) and not isinstance(total, bool) else None
