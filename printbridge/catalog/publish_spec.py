"""What to publish to a store: a product, its options, its variants (SKU, price, option values, the fulfilment
product and design files each is made from) and an image URL. Plain values, checked before anything is sent."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

from printbridge.catalog import design_refs
from printbridge.integrations.bigcommerce.payloads import NewProduct, NewVariant
from printbridge.orders.errors import InvalidInput

MAX_NAME = 250
MAX_SKU = 255
MAX_SKUS = 600  # BigCommerce's limit per product
MAX_IMAGE_URL = 255
MAX_FILE_URL = 2000


@dataclass(frozen=True)
class VariantSpec:
    sku: str
    provider_product_uid: str
    files: dict[str, str] = field(default_factory=dict)  # print area → design file URL
    options: tuple[tuple[str, str], ...] = ()  # (option name, value), e.g. (("Size", "M"), ("Colour", "Red"))
    price: Decimal | None = None  # None: the product's price

    def label(self, name: str) -> str:
        return variant_label(name, self.options)


def variant_label(name: str, options: tuple[tuple[str, str], ...]) -> str:
    """'Classic T-shirt (Size: M, Colour: White)', as a connection made from an order item is labelled."""
    chosen = ", ".join(f"{option}: {value}" for option, value in options)
    return (f"{name} ({chosen})" if chosen else name)[:300]


@dataclass(frozen=True)
class PublishSpec:
    name: str
    price: Decimal
    weight: Decimal  # in the store's weight units
    variants: tuple[VariantSpec, ...]
    options: tuple[
        tuple[str, tuple[str, ...]], ...
    ] = ()  # declared options and values; () = as the variants use
    image_url: str = ""
    description: str = ""

    @property
    def skus(self) -> list[str]:
        return [variant.sku for variant in self.variants]

    def sku_key(self) -> str:
        """The same set of SKUs (case-insensitively) names the same publication, so a retry finds it."""
        joined = "\n".join(sorted(sku.casefold() for sku in self.skus))
        return hashlib.sha256(joined.encode()).hexdigest()

    def to_new_product(self) -> NewProduct:
        """The POST body: variants inline (BigCommerce makes the options from their values); a single variant
        without options is the product's base variant and carries the product SKU."""
        if len(self.variants) == 1 and not self.variants[0].options:
            only = self.variants[0]
            price = self.price if only.price is None else only.price
            return NewProduct(self.name, price, self.weight, only.sku, **self._texts())
        variants = tuple(NewVariant(v.sku, v.options, v.price) for v in self.variants)
        return NewProduct(self.name, self.price, self.weight, variants=variants, **self._texts())

    def _texts(self) -> dict[str, str]:
        return {"description": self.description}

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "price": str(self.price),
            "weight": str(self.weight),
            "options": [{"name": n, "values": list(values)} for n, values in self.options],
            "image_url": self.image_url,
            "description": self.description,
            "variants": [
                {
                    "sku": v.sku,
                    "price": None if v.price is None else str(v.price),
                    "options": [{"name": n, "value": value} for n, value in v.options],
                    "provider_product_uid": v.provider_product_uid,
                    "files": v.files,
                }
                for v in self.variants
            ],
        }


def validate(spec: PublishSpec) -> None:
    """InvalidInput naming the first problem; nothing is sent to the store before this passes."""
    _check_product(spec)
    seen: set[str] = set()
    for index, variant in enumerate(spec.variants):
        _check_variant(index, variant, seen)
    _check_options(spec)


def _fail(message: str, field: str) -> None:
    raise InvalidInput(message, field=field)


def _check_product(spec: PublishSpec) -> None:
    if not spec.name.strip() or len(spec.name) > MAX_NAME:
        _fail(f"Give the product a name of 1 to {MAX_NAME} characters", "name")
    if spec.price < 0 or spec.weight < 0:
        _fail("Price and weight cannot be negative", "price" if spec.price < 0 else "weight")
    if not spec.variants:
        _fail("Give at least one variant with its SKU and fulfilment product", "variants")
    if len(spec.variants) > MAX_SKUS:
        _fail(f"A BigCommerce product has at most {MAX_SKUS} variants", "variants")
    if spec.image_url and not _is_web_url(spec.image_url, MAX_IMAGE_URL):
        _fail(f"The image URL must be an http(s) URL of at most {MAX_IMAGE_URL} characters", "image_url")


def _check_variant(index: int, variant: VariantSpec, seen: set[str]) -> None:
    where = f"variants.{index}"
    if not variant.sku.strip() or len(variant.sku) > MAX_SKU or variant.sku != variant.sku.strip():
        _fail(
            f"Variant {index + 1}: give a SKU of 1 to {MAX_SKU} characters, without spaces around it",
            f"{where}.sku",
        )
    if variant.sku.casefold() in seen:
        _fail(f"SKU {variant.sku} is given twice: every variant needs its own SKU", f"{where}.sku")
    seen.add(variant.sku.casefold())
    if variant.price is not None and variant.price < 0:
        _fail(f"Variant {variant.sku}: the price cannot be negative", f"{where}.price")
    if not variant.provider_product_uid.strip():
        _fail(
            f"Variant {variant.sku}: choose the fulfilment product it is made from",
            f"{where}.provider_product_uid",
        )
    for area, url in variant.files.items():
        if not area.strip() or not (_is_web_url(url, MAX_FILE_URL) or design_refs.is_reference(url)):
            _fail(
                f"Variant {variant.sku}: the design file for {area!r} must be an http(s) URL or a design reference",
                f"{where}.files",
            )


def _check_options(spec: PublishSpec) -> None:
    names = [name for name, _ in spec.options] or [n for n, _ in spec.variants[0].options]
    if len(spec.variants) > 1 and not names:
        _fail("Variants of one product differ by their options: give each its option values", "variants")
    if len({name.casefold() for name in names}) != len(names) or any(not n.strip() for n in names):
        _fail("Give each option a name, once", "options")
    if any(not values for _, values in spec.options):
        _fail("Give each option at least one value", "options")
    declared = {name: set(values) for name, values in spec.options}
    combinations: set[tuple[str, ...]] = set()
    for index, variant in enumerate(spec.variants):
        where = f"variants.{index}.options"
        if [n for n, _ in variant.options] != names or any(not v.strip() for _, v in variant.options):
            _fail(f"Variant {variant.sku}: give a value for each option, in order: {', '.join(names)}", where)
        unknown = [f"{n}: {v}" for n, v in variant.options if declared and v not in declared[n]]
        if unknown:
            _fail(f"Variant {variant.sku}: {unknown[0]} is not one of the option's values", where)
        combination = tuple(v.casefold() for _, v in variant.options)
        if combination in combinations:
            _fail(f"Variant {variant.sku}: another variant has the same option values", where)
        combinations.add(combination)


def _is_web_url(url: str, limit: int) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and len(url) <= limit
