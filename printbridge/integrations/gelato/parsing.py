"""Gelato JSON -> the dataclasses in payloads.py. Every parse_* raises PermanentError on a broken shape.

Shapes: ../shared/reference/gelato-and-peers.md §4 (v4 order, webhook) and §5 (v3 catalog and products).
"""

from __future__ import annotations

from decimal import Decimal

from printbridge.integrations.bigcommerce.json_reader import JsonReader, parse_list
from printbridge.integrations.gelato.payloads import (
    Catalog,
    CatalogAttribute,
    CatalogProduct,
    Fulfillment,
    GelatoItem,
    GelatoOrder,
    ProductPage,
)


def parse_fulfillment(raw: object) -> Fulfillment:
    r = JsonReader(raw, "fulfillment")
    return Fulfillment(
        tracking_code=r.text("trackingCode"),
        tracking_url=r.text("trackingUrl"),
        shipment_method_name=r.text("shipmentMethodName"),
        shipment_method_uid=r.text("shipmentMethodUid"),
    )


def parse_item(raw: object, packages: dict[str, list[Fulfillment]] | None = None) -> GelatoItem:
    """An order or webhook item; `packages` adds the parcels of `shipment.packages[]` that list the item's id."""
    r = JsonReader(raw, "item")
    item_id = r.text("id")
    r.what = f"item {item_id or r.text('itemReferenceId')}"
    own = [parse_fulfillment(f) for f in r.array("fulfillments")]
    shipped = (packages or {}).get(item_id, []) if item_id else []
    return GelatoItem(
        id=item_id,
        item_reference_id=r.required_text("itemReferenceId"),
        fulfillment_status=r.required_text("fulfillmentStatus"),
        fulfillments=tuple(dict.fromkeys(own + shipped)),  # the same parcel from both sources counts once
    )


def _packages(order: JsonReader) -> dict[str, list[Fulfillment]]:
    """{Gelato item id: its parcels with tracking} from the order's `shipment` (null before shipping)."""
    if order.raw.get("shipment") is None:
        return {}
    shipment = order.child("shipment")
    by_item: dict[str, list[Fulfillment]] = {}
    for raw in shipment.array("packages"):
        package = JsonReader(raw, f"{shipment.what}.packages[]")
        parcel = Fulfillment(
            tracking_code=package.text("trackingCode"),
            tracking_url=package.text("trackingUrl"),
            shipment_method_name=shipment.text("shipmentMethodName"),
            shipment_method_uid=shipment.text("shipmentMethodUid"),
        )
        if not (parcel.tracking_code or parcel.tracking_url):
            continue  # a package not handed to the carrier yet
        for item_id in _strings(package, "orderItemIds"):
            by_item.setdefault(item_id, []).append(parcel)
    return by_item


def parse_order(raw: object) -> GelatoOrder:
    r = JsonReader(raw, "order")
    r.what = f"order {r.required_text('id')}"
    packages = _packages(r)
    return GelatoOrder(
        id=r.required_text("id"),
        order_reference_id=r.text("orderReferenceId"),
        fulfillment_status=r.required_text("fulfillmentStatus"),
        financial_status=r.text("financialStatus"),
        items=tuple(parse_item(item, packages) for item in r.array("items")),
    )


def parse_order_summaries(raw: object) -> list[tuple[str, str]]:
    """(id, orderReferenceId) of each order in a `POST /v4/orders:search` answer `{orders: [...]}`."""
    r = JsonReader(raw, "order search")
    if not isinstance(r.raw.get("orders"), list):
        raise r.error("orders", "an array")
    return parse_list(r.raw["orders"], _summary, "order search.orders")


def _summary(raw: object) -> tuple[str, str]:
    r = JsonReader(raw, "order summary")
    return r.required_text("id"), r.text("orderReferenceId")


def _attribute_value(raw: object) -> tuple[str, str]:
    r = JsonReader(raw, "attribute value")
    return r.required_text("productAttributeValueUid"), r.text("title")


def _catalog_attribute(raw: object) -> CatalogAttribute:
    r = JsonReader(raw, "product attribute")
    return CatalogAttribute(
        uid=r.required_text("productAttributeUid"),
        title=r.text("title"),
        values=tuple(_attribute_value(value) for value in r.array("values")),
    )


def parse_catalog(raw: object) -> Catalog:
    r = JsonReader(raw, "catalog")
    r.what = f"catalog {r.required_text('catalogUid')}"
    return Catalog(
        uid=r.required_text("catalogUid"),
        title=r.text("title"),
        attributes=tuple(_catalog_attribute(a) for a in r.array("productAttributes")),
    )


def parse_catalog_list(raw: object) -> list[Catalog]:
    """`GET /v3/catalogs`: `{data: [{catalogUid, title}], pagination}`."""
    r = JsonReader(raw, "catalog list")
    if not isinstance(r.raw.get("data"), list):
        raise r.error("data", "an array")
    return parse_list(r.raw["data"], parse_catalog, "catalog list.data")


def parse_product(raw: object) -> CatalogProduct:
    r = JsonReader(raw, "product")
    r.what = f"product {r.required_text('productUid')}"
    weight = r.child("weight") if r.raw.get("weight") is not None else None
    return CatalogProduct(
        product_uid=r.required_text("productUid"),
        attributes=_text_map(r, "attributes"),
        weight=weight.opt_money("value") if weight else None,
        weight_unit=weight.text("measureUnit") if weight else "",
        supported_countries=tuple(_strings(r, "supportedCountries")),
        not_supported_countries=tuple(_strings(r, "notSupportedCountries")),
        is_printable=_opt_flag(r, "isPrintable"),
        is_stockable=_opt_flag(r, "isStockable"),
        dimensions=_dimensions(r),
    )


def _dimensions(r: JsonReader) -> dict[str, tuple[Decimal, str]]:
    """`dimensions: {Width: {value, measureUnit}, ...}` (search results carry it); entries without a value
    are left out."""
    if r.raw.get("dimensions") is None:
        return {}
    dimensions = r.child("dimensions")
    found = {}
    for name in dimensions.raw:
        size = dimensions.child(name)
        value = size.opt_money("value")
        if value is not None:
            found[name] = (value, size.text("measureUnit"))
    return found


def parse_product_page(raw: object, limit: int, offset: int) -> ProductPage:
    """`POST /v3/catalogs/{uid}/products:search`: `{products: [...], hits: {attributeHits: {...}}}`."""
    r = JsonReader(raw, "product search")
    if not isinstance(r.raw.get("products"), list):
        raise r.error("products", "an array")
    hits = r.child("hits") if r.raw.get("hits") is not None else None
    facets = hits.child("attributeHits") if hits and hits.raw.get("attributeHits") is not None else None
    return ProductPage(
        products=tuple(parse_list(r.raw["products"], parse_product, "product search.products")),
        attribute_hits={name: _counts(facets, name) for name in facets.raw} if facets else {},
        limit=limit,
        offset=offset,
    )


def _counts(facets: JsonReader, name: str) -> dict[str, int]:
    counts = facets.child(name)
    return {value: counts.integer(value) for value in counts.raw}


def _text_map(r: JsonReader, key: str) -> dict[str, str]:
    if r.raw.get(key) is None:
        return {}
    child = r.child(key)
    return {name: child.text(name) for name in child.raw}


def _strings(r: JsonReader, key: str) -> list[str]:
    values = r.array(key)
    if not all(isinstance(value, str) for value in values):
        raise r.error(key, "an array of strings")
    return values


def _opt_flag(r: JsonReader, key: str) -> bool | None:
    return None if r.raw.get(key) is None else r.flag(key)
