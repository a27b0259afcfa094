"""The seeded catalog: T-shirts XS–5XL in colours, wall art, toy cars in colours, mugs, a candle, a download.

Products are Catalog V3 objects (`product_Full`), each carrying its variants (`productVariant_Full`) under
"variants"; the API strips that key unless `include=variants` is asked for.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .formats import iso8601, number

SIZES = ("XS", "S", "M", "L", "XL", "2XL", "3XL", "4XL", "5XL")
SHIRT_COLOURS = (("White", "WHT"), ("Black", "BLK"), ("Navy", "NVY"), ("Red", "RED"))
CAR_COLOURS = (("Red", "RED"), ("Blue", "BLU"), ("Green", "GRN"), ("Yellow", "YEL"), ("Black", "BLK"))
MUG_COLOURS = (("White", "WHT"), ("Black", "BLK"))
ART_SIZES = (
    ("A4", "A4", "20.00"),
    ("A3", "A3", "30.00"),
    ("A2", "A2", "45.00"),
    ("50x70 cm", "5070", "60.00"),
)
MUG_SIZES = (("11 oz", "11", "14.00"), ("15 oz", "15", "17.00"))


@dataclass(frozen=True)
class OptionSpec:
    name: str
    style: str  # the order-side product_options type: "Multiple choice" or "Swatch"
    values: tuple[str, ...]


@dataclass(frozen=True)
class ProductSpec:
    key: str
    product_id: int
    name: str
    sku: str
    price: str
    weight: float
    kind: str = "physical"
    options: tuple[OptionSpec, ...] = ()
    # (option labels..., sku suffix, price override or "")
    variants: tuple[tuple[tuple[str, ...], str, str], ...] = ()


def _shirt_variants() -> tuple:
    big = {"2XL", "3XL", "4XL", "5XL"}
    return tuple(
        ((size, colour), f"{size}-{code}", "21.00" if size in big else "")
        for size, (colour, code) in itertools.product(SIZES, SHIRT_COLOURS)
    )


SPECS: tuple[ProductSpec, ...] = (
    ProductSpec(
        "tshirt",
        111,
        "Classic T-shirt",
        "TS",
        "19.00",
        6.0,
        options=(
            OptionSpec("Size", "Multiple choice", SIZES),
            OptionSpec("Colour", "Swatch", tuple(c for c, _ in SHIRT_COLOURS)),
        ),
        variants=_shirt_variants(),
    ),
    ProductSpec(
        "wall_art",
        112,
        "Wall art print",
        "WA",
        "20.00",
        8.0,
        options=(OptionSpec("Size", "Multiple choice", tuple(s for s, _, _ in ART_SIZES)),),
        variants=tuple(((label,), code, price) for label, code, price in ART_SIZES),
    ),
    ProductSpec(
        "car",
        113,
        "Toy car",
        "CAR",
        "25.00",
        4.0,
        options=(OptionSpec("Colour", "Swatch", tuple(c for c, _ in CAR_COLOURS)),),
        variants=tuple(((colour,), code, "") for colour, code in CAR_COLOURS),
    ),
    ProductSpec(
        "mug",
        114,
        "Ceramic mug",
        "MUG",
        "14.00",
        12.0,
        options=(
            OptionSpec("Size", "Multiple choice", tuple(s for s, _, _ in MUG_SIZES)),
            OptionSpec("Colour", "Swatch", tuple(c for c, _ in MUG_COLOURS)),
        ),
        variants=tuple(
            ((size, colour), f"{code}-{ccode}", price)
            for (size, code, price), (colour, ccode) in itertools.product(MUG_SIZES, MUG_COLOURS)
        ),
    ),
    ProductSpec("candle", 115, "Scented candle", "CANDLE", "12.00", 10.0),
    ProductSpec("download", 116, "Printable wall art (download)", "DL-ART", "9.00", 0.0, kind="digital"),
)

PRODUCT_DEFAULTS = {
    "width": 0.0,
    "depth": 0.0,
    "height": 0.0,
    "cost_price": 0.0,
    "retail_price": 0.0,
    "sale_price": 0.0,
    "map_price": 0.0,
    "tax_class_id": 0,
    "product_tax_code": "",
    "categories": [23],
    "brand_id": 0,
    "option_set_display": "right",
    "inventory_level": 0,
    "inventory_warning_level": 0,
    "inventory_tracking": "none",
    "reviews_rating_sum": 0,
    "reviews_count": 0,
    "total_sold": 0,
    "fixed_cost_shipping_price": 0.0,
    "is_free_shipping": False,
    "is_visible": True,
    "is_featured": False,
    "related_products": [],
    "warranty": "",
    "bin_picking_number": "",
    "layout_file": "product.html",
    "upc": "",
    "mpn": "",
    "gtin": "",
    "search_keywords": "",
    "availability": "available",
    "availability_description": "",
    "gift_wrapping_options_type": "any",
    "gift_wrapping_options_list": [],
    "sort_order": 0,
    "condition": "New",
    "is_condition_shown": False,
    "order_quantity_minimum": 0,
    "order_quantity_maximum": 0,
    "page_title": "",
    "meta_keywords": [],
    "meta_description": "",
    "view_count": 0,
    "preorder_release_date": None,
    "preorder_message": "",
    "is_preorder_only": False,
    "is_price_hidden": False,
    "price_hidden_label": "",
    "open_graph_type": "product",
    "open_graph_title": "",
    "open_graph_description": "",
    "open_graph_use_meta_description": True,
    "open_graph_use_product_name": True,
    "open_graph_use_image": True,
}


FIRST_VARIANT_ID = 201
FIRST_OPTION_ID = 31
FIRST_OPTION_VALUE_ID = 501


def seed_products(created: datetime) -> dict[int, dict]:
    """A fresh copy of the seeded catalog, keyed by product id (ids are the same in every store)."""
    ids = _Ids()
    return {spec.product_id: _product(spec, created, ids) for spec in SPECS}


def product_ids_by_key() -> dict[str, int]:
    return {spec.key: spec.product_id for spec in SPECS}


class _Ids:
    def __init__(self) -> None:
        self.variant = itertools.count(FIRST_VARIANT_ID)
        self.option = itertools.count(FIRST_OPTION_ID)
        self.value = itertools.count(FIRST_OPTION_VALUE_ID)


def _product(spec: ProductSpec, created: datetime, ids: _Ids) -> dict:
    options = [_option(spec.product_id, option, ids) for option in spec.options]
    variants = _variants(spec, options, ids)
    product = _product_fields(spec, created)
    product["options"] = options
    product["variants"] = variants
    if not spec.options:
        product["base_variant_id"] = variants[0]["id"]
    return product


def _option(product_id: int, option: OptionSpec, ids: _Ids) -> dict:
    option_id = next(ids.option)
    values = [
        {"id": next(ids.value), "label": label, "sort_order": index, "is_default": False}
        for index, label in enumerate(option.values)
    ]
    return {
        "id": option_id,
        "product_id": product_id,
        "display_name": option.name,
        "type": "swatch" if option.style == "Swatch" else "rectangles",
        "sort_order": 0,
        "option_values": values,
    }


def _variants(spec: ProductSpec, options: list[dict], ids: _Ids) -> list[dict]:
    if not spec.options:
        return [_variant(spec, next(ids.variant), spec.sku, spec.price, [])]
    result = []
    for labels, suffix, price in spec.variants:
        values = [_option_value(option, label) for option, label in zip(options, labels, strict=True)]
        result.append(_variant(spec, next(ids.variant), f"{spec.sku}-{suffix}", price or spec.price, values))
    return result


def _option_value(option: dict, label: str) -> dict:
    value = next(v for v in option["option_values"] if v["label"] == label)
    return {
        "id": value["id"],
        "label": label,
        "option_id": option["id"],
        "option_display_name": option["display_name"],
    }


def _variant(spec: ProductSpec, variant_id: int, sku: str, price: str, values: list[dict]) -> dict:
    return variant_body(spec.product_id, spec.weight, variant_id, sku, price, values)


def variant_body(
    product_id: int, weight: float, variant_id: int, sku: str, price: str, values: list[dict]
) -> dict:
    """A `productVariant_Full` (the seed's and a created product's variants have the same shape)."""
    return {
        "id": variant_id,
        "product_id": product_id,
        "sku": sku,
        "sku_id": variant_id + 1000,
        "price": number(price),
        "calculated_price": number(price),
        "sale_price": 0.0,
        "retail_price": 0.0,
        "map_price": 0.0,
        "cost_price": 0.0,
        "weight": weight,
        "calculated_weight": weight,
        "width": 0.0,
        "height": 0.0,
        "depth": 0.0,
        "is_free_shipping": False,
        "fixed_cost_shipping_price": 0.0,
        "purchasing_disabled": False,
        "purchasing_disabled_message": "",
        "image_url": "",
        "upc": "",
        "mpn": "",
        "gtin": "",
        "inventory_level": 0,
        "inventory_warning_level": 0,
        "bin_picking_number": "",
        "option_values": values,
    }


def _product_fields(spec: ProductSpec, created: datetime) -> dict:
    return product_fields(spec.product_id, spec.name, spec.kind, spec.sku, spec.price, spec.weight, created)


def product_fields(
    product_id: int, name: str, kind: str, sku: str, price: str, weight: float, created: datetime
) -> dict:
    """A `product_Full` without variants and options (the seed's and a created product's shape)."""
    slug = name.lower().replace(" ", "-").replace("(", "").replace(")", "")
    return {
        "id": product_id,
        "name": name,
        "type": kind,
        "sku": sku,
        "description": f"<p>{name}</p>",
        "weight": weight,
        "price": number(price),
        "calculated_price": number(price),
        "custom_url": {"url": f"/{slug}/", "is_customized": False},
        "date_created": iso8601(created),
        "date_modified": iso8601(created),
        **copy.deepcopy(PRODUCT_DEFAULTS),
    }


def unit_price(variant: dict) -> Decimal:
    return Decimal(str(variant["price"])).quantize(Decimal("0.01"))
