"""The emulated product catalog: catalogs with their attributes, products in Gelato's productUid format, and the
faceted search (`attributeFilters` in, products plus `hits.attributeHits` out)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

# Destinations Gelato produces for in the emulator; a country in neither list is unsupported as well.
SUPPORTED = (
    "AT", "AU", "BE", "BR", "CA", "CH", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IN", "IT", "JP", "MX",
    "NL", "NO", "NZ", "PL", "PT", "SE", "SG", "US", "ZA",
)  # fmt: skip
NOT_SUPPORTED = ("BY", "CU", "IR", "KP", "RU", "SY")
FRAGILE_EXCLUDED = ("BR", "IN", "ZA")  # ceramics and framed canvas are not shipped there

SIZES = ("XS", "S", "M", "L", "XL", "2XL", "3XL", "4XL", "5XL")
COLOURS = {"white": "White", "black": "Black", "navy": "Navy", "red": "Red"}
GARMENT_PRINTS = {"4-0": "Front print", "4-4": "Front and back print"}
PAPER_FORMATS = {"A4": (210, 297), "A3": (297, 420), "A2": (420, 594), "500x700-mm": (500, 700)}
PAPER_TYPES = {"200-gsm-uncoated": (200, 0.24), "170-gsm-coated-silk": (170, 0.17)}
ORIENTATIONS = {"hor": "Landscape", "ver": "Portrait"}
CANVAS_FORMATS = {
    "300x400-mm-12x16-inch": (300, 400, 780),
    "400x500-mm-16x20-inch": (400, 500, 1150),
    "500x700-mm-20x28-inch": (500, 700, 1900),
}
CANVAS_FRAMES = {
    "wood-fsc-slim": ("Slim wood frame (2 cm)", 20),
    "wood-fsc-thick": ("Thick wood frame (4 cm)", 40),
}
MUGS = {"11-oz": ("11 oz", 330, 95, 82, "9.00"), "15-oz": ("15 oz", 420, 120, 87, "11.00")}
MUG_MATERIALS = {"ceramic-white": "Ceramic, white", "ceramic-black": "Ceramic, black"}


@dataclass(frozen=True)
class Attribute:
    uid: str
    title: str
    values: tuple[tuple[str, str], ...]  # (productAttributeValueUid, title)

    def as_json(self) -> dict:
        values = [{"productAttributeValueUid": uid, "title": title} for uid, title in self.values]
        return {"productAttributeUid": self.uid, "title": self.title, "values": values}


@dataclass(frozen=True)
class Product:
    uid: str
    catalog_uid: str
    attributes: Mapping[str, str]
    weight_grams: float
    dimensions_mm: Mapping[str, float]
    price: Decimal
    excluded: tuple[str, ...] = ()  # countries removed from SUPPORTED for this product

    @property
    def supported_countries(self) -> list[str]:
        return [country for country in SUPPORTED if country not in self.excluded]

    @property
    def not_supported_countries(self) -> list[str]:
        return sorted({*NOT_SUPPORTED, *self.excluded})

    def ships_to(self, country: str) -> bool:
        return country in self.supported_countries

    def search_json(self) -> dict:
        """An element of `products` in POST /v3/catalogs/{uid}/products:search."""
        dimensions = {
            name: {"value": value, "measureUnit": "mm"} for name, value in self.dimensions_mm.items()
        }
        return {**self._base_json(), "dimensions": dimensions}

    def detail_json(self) -> dict:
        """GET /v3/products/{productUid}."""
        return {
            **self._base_json(),
            "supportedCountries": self.supported_countries,
            "notSupportedCountries": self.not_supported_countries,
            "isStockable": False,
            "isPrintable": True,
            "validPageCounts": [],
        }

    def _base_json(self) -> dict:
        weight = {"value": self.weight_grams, "measureUnit": "grams"}
        return {"productUid": self.uid, "attributes": dict(self.attributes), "weight": weight}


@dataclass(frozen=True)
class Catalog:
    uid: str
    title: str
    attributes: tuple[Attribute, ...]
    products: tuple[Product, ...] = field(default=())

    def summary_json(self) -> dict:
        return {"catalogUid": self.uid, "title": self.title}

    def detail_json(self) -> dict:
        return {**self.summary_json(), "productAttributes": [a.as_json() for a in self.attributes]}

    def search(self, filters: Mapping[str, list[str]]) -> tuple[list[Product], dict[str, dict[str, int]]]:
        """Products matching every filter (any of its values), and facet counts over all of them."""
        matched = [p for p in self.products if all(p.attributes.get(a) in v for a, v in filters.items())]
        hits: dict[str, dict[str, int]] = {}
        for attribute in self.attributes:
            counts = {value: 0 for value, _title in attribute.values}
            for product in matched:
                counts[product.attributes[attribute.uid]] += 1
            hits[attribute.uid] = {value: count for value, count in counts.items() if count}
        return matched, {name: counts for name, counts in hits.items() if counts}


def _attribute(uid: str, title: str, values: Mapping[str, str] | tuple[str, ...]) -> Attribute:
    pairs = values.items() if isinstance(values, Mapping) else ((value, value) for value in values)
    return Attribute(uid, title, tuple(pairs))


def _fixed(uid: str, title: str, value: str, value_title: str) -> Attribute:
    return Attribute(uid, title, ((value, value_title),))


def t_shirts() -> Catalog:
    attributes = (
        _fixed("GarmentCategory", "Garment category", "t-shirt", "T-shirt"),
        _fixed("GarmentSubcategory", "Garment subcategory", "crewneck", "Crewneck"),
        _fixed("GarmentCut", "Garment cut", "unisex", "Unisex"),
        _fixed("GarmentQuality", "Garment quality", "classic", "Classic"),
        _attribute("GarmentSize", "Garment size", SIZES),
        _attribute("GarmentColor", "Garment color", COLOURS),
        _attribute("GarmentPrint", "Print sides", GARMENT_PRINTS),
    )
    return Catalog("t-shirts", "T-shirts", attributes, tuple(_t_shirt_products()))


def _t_shirt_products() -> Iterator[Product]:
    for index, size in enumerate(SIZES):
        for colour in COLOURS:
            for sides in GARMENT_PRINTS:
                uid = (
                    "apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic"
                    f"_gsi_{size.lower()}_gco_{colour}_gpr_{sides}"
                )
                attributes = {
                    "GarmentCategory": "t-shirt",
                    "GarmentSubcategory": "crewneck",
                    "GarmentCut": "unisex",
                    "GarmentQuality": "classic",
                    "GarmentSize": size,
                    "GarmentColor": colour,
                    "GarmentPrint": sides,
                }
                dimensions = {"Width": 440.0 + 30 * index, "Height": 690.0 + 20 * index}
                price = Decimal("12.50") + (2 if sides == "4-4" else 0) + (2 if index >= 5 else 0)
                yield Product(uid, "t-shirts", attributes, 140.0 + 12 * index, dimensions, price)


def posters() -> Catalog:
    attributes = (
        _attribute(
            "PaperFormat", "Paper format", {f: f if f[0] == "A" else "50x70 cm" for f in PAPER_FORMATS}
        ),
        _attribute("PaperType", "Paper type", {p: p.replace("-", " ") for p in PAPER_TYPES}),
        _fixed("ColorType", "Color type", "4-0", "4/0 (front in colour)"),
        _fixed("CoatingType", "Coating type", "none", "None"),
        _fixed("ProtectionType", "Protection type", "none", "None"),
        _fixed("SpotFinishingType", "Spot finishing type", "none", "None"),
        _attribute("Orientation", "Orientation", ORIENTATIONS),
    )
    return Catalog("posters", "Posters", attributes, tuple(_poster_products()))


def _poster_products() -> Iterator[Product]:
    for paper_format, (short, long) in PAPER_FORMATS.items():
        for paper, (gsm, thickness) in PAPER_TYPES.items():
            for orientation in ORIENTATIONS:
                uid = (
                    f"flat_product_pf_{paper_format.lower()}_pt_{paper}_cl_4-0"
                    f"_ct_none_prt_none_sft_none_set_none_{orientation}"
                )
                attributes = {
                    "PaperFormat": paper_format,
                    "PaperType": paper,
                    "ColorType": "4-0",
                    "CoatingType": "none",
                    "ProtectionType": "none",
                    "SpotFinishingType": "none",
                    "Orientation": orientation,
                }
                width, height = (long, short) if orientation == "hor" else (short, long)
                dimensions = {"Thickness": thickness, "Width": float(width), "Height": float(height)}
                weight = round(short * long / 1_000_000 * gsm, 3)
                price = Decimal(4 + short // 30)
                yield Product(uid, "posters", attributes, weight, dimensions, price)


def canvas() -> Catalog:
    attributes = (
        _attribute("CanvasFormat", "Canvas format", {f: f.split("-mm-")[0] + " mm" for f in CANVAS_FORMATS}),
        _attribute(
            "CanvasFrame", "Frame", {frame: title for frame, (title, _depth) in CANVAS_FRAMES.items()}
        ),
        _fixed("ColorType", "Color type", "4-0", "4/0 (front in colour)"),
        _attribute("Orientation", "Orientation", ORIENTATIONS),
    )
    return Catalog("canvas", "Canvas (wall art)", attributes, tuple(_canvas_products()))


def _canvas_products() -> Iterator[Product]:
    for canvas_format, (short, long, grams) in CANVAS_FORMATS.items():
        for frame, (_title, depth) in CANVAS_FRAMES.items():
            for orientation in ORIENTATIONS:
                uid = f"canvas_{canvas_format}_canvas_{frame}_4-0_{orientation}"
                attributes = {
                    "CanvasFormat": canvas_format,
                    "CanvasFrame": frame,
                    "ColorType": "4-0",
                    "Orientation": orientation,
                }
                width, height = (long, short) if orientation == "hor" else (short, long)
                dimensions = {"Thickness": float(depth), "Width": float(width), "Height": float(height)}
                price = Decimal(short // 10 + (5 if depth == 40 else 0))
                yield Product(uid, "canvas", attributes, float(grams + depth * 5), dimensions, price,
                              FRAGILE_EXCLUDED)  # fmt: skip


def mugs() -> Catalog:
    attributes = (
        _attribute("MugSize", "Mug size", {size: title for size, (title, *_rest) in MUGS.items()}),
        _attribute("MugMaterial", "Mug material", MUG_MATERIALS),
        _fixed("ColorType", "Color type", "4-0", "4/0 (wrap-around print)"),
    )
    return Catalog("mugs", "Mugs", attributes, tuple(_mug_products()))


def _mug_products() -> Iterator[Product]:
    for size, (_title, grams, height, diameter, price) in MUGS.items():
        for material in MUG_MATERIALS:
            uid = f"mug_product_msz_{size}_mmat_{material}_cl_4-0"
            attributes = {"MugSize": size, "MugMaterial": material, "ColorType": "4-0"}
            dimensions = {"Height": float(height), "Diameter": float(diameter)}
            yield Product(uid, "mugs", attributes, float(grams), dimensions, Decimal(price), FRAGILE_EXCLUDED)


class ProductCatalog:
    """Every catalog and product; immutable once built, so it is shared without a lock."""

    def __init__(self) -> None:
        self.catalogs: dict[str, Catalog] = {c.uid: c for c in (t_shirts(), posters(), canvas(), mugs())}
        self.products: dict[str, Product] = {
            product.uid: product for catalog in self.catalogs.values() for product in catalog.products
        }
