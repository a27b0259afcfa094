"""Store option values → catalog attribute values (pure): uid or title in any case, then the size spellings."""

from __future__ import annotations

import pytest

from printbridge.catalog.mapping import (
    Attribute,
    canonical,
    match_value,
    product_index,
    resolve,
    suggest_mapping,
)

SIZES = Attribute(
    "GarmentSize", "Garment size", tuple((s, s) for s in ("XS", "S", "M", "L", "XL", "2XL", "3XL"))
)
COLOURS = Attribute(
    "GarmentColor", "Garment color", (("white", "White"), ("black", "Black"), ("navy", "Navy"))
)
PRINT = Attribute("GarmentPrint", "Print sides", (("4-0", "Front print"), ("4-4", "Front and back print")))
CATEGORY = Attribute("GarmentCategory", "Garment category", (("t-shirt", "T-shirt"),))


@pytest.mark.parametrize(
    ("store_value", "expected"),
    [
        ("M", "M"),
        ("m", "M"),
        (" xl ", "XL"),
        ("XXL", "2XL"),
        ("xxxl", "3XL"),
        ("2X", "2XL"),
        ("X-Large", "XL"),
        ("Extra Small", "XS"),
        ("Small", "S"),
        ("Medium", "M"),
        ("Large", "L"),
        ("XX-Large", "2XL"),
        ("4XL", None),
        ("Huge", None),
    ],
)
def test_sizes_match_by_uid_title_or_a_common_spelling(store_value, expected):
    assert match_value(SIZES, store_value) == expected


@pytest.mark.parametrize(("store_value", "expected"), [("White", "white"), ("NAVY", "navy"), ("Red", None)])
def test_colours_match_by_title_in_any_case(store_value, expected):
    assert match_value(COLOURS, store_value) == expected


def test_canonical_spellings():
    assert [canonical(v) for v in ("XXL", "2xl", "x large", "Medium", "Navy")] == [
        "2xl",
        "2xl",
        "xl",
        "m",
        "navy",
    ]


INDEX = product_index(
    [
        (
            f"tee_{size.lower()}_{colour}_{sides}",
            {"GarmentSize": size, "GarmentColor": colour, "GarmentPrint": sides},
        )
        for size, _ in SIZES.values
        for colour, _ in COLOURS.values
        for sides, _ in PRINT.values
    ]
)
BASE = {"GarmentSize": "M", "GarmentColor": "white", "GarmentPrint": "4-4"}


def test_a_variant_is_made_from_the_picked_product_with_its_options_values_in_place():
    found = resolve(BASE, {"Size": SIZES, "Colour": COLOURS}, (("Size", "XXL"), ("Colour", "Navy")), INDEX)

    assert (found.product_uid, found.problem, found.values) == (
        "tee_2xl_navy_4-4",
        "",
        (("GarmentSize", "2XL"), ("GarmentColor", "navy")),
    )


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        (
            (("Size", "6XL"), ("Colour", "White")),
            "Size '6XL' matches no Garment size of the catalog (XS, S, M, L, XL, 2XL, 3XL)",
        ),
        ((("Colour", "White"),), "it has no Size option"),
    ],
)
def test_a_value_without_a_match_says_which_option_and_value(options, problem):
    found = resolve(BASE, {"Size": SIZES, "Colour": COLOURS}, options, INDEX)

    assert (found.product_uid, found.problem) == ("", problem)


def test_a_combination_the_catalog_lacks_is_named():
    index = {k: v for k, v in INDEX.items() if v != "tee_s_black_4-4"}

    found = resolve(BASE, {"Size": SIZES, "Colour": COLOURS}, (("Size", "S"), ("Colour", "Black")), index)

    assert found.problem == (
        "the catalog has no product with Garment size S, Garment color Black and the picked product's other attributes"
    )


def test_options_are_suggested_by_their_values_then_by_their_names():
    attributes = [CATEGORY, SIZES, COLOURS, PRINT]

    assert suggest_mapping((("Size", "5XL"), ("Colour", "White")), attributes) == {
        "Size": "GarmentSize",
        "Colour": "GarmentColor",
    }
    assert suggest_mapping((("Gift wrap", "Yes"),), attributes) == {}
    assert suggest_mapping((("Color", "Purple"),), attributes) == {"Color": "GarmentColor"}
