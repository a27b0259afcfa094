"""The Product API v3: authentication, catalogs, faceted search and single products, over a real socket."""

from __future__ import annotations

import pytest

from printbridge.demo import bigcommerce_demo, seed

from .conftest import MUG_WHITE, client_for

T_SHIRT = (
    "apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic_gsi_{size}_gco_{colour}_gpr_{sides}"
)
# 27 countries less BR, IN and ZA (no ceramics there)
MUG_COUNTRIES = ["AT", "AU", "BE", "CA", "CH", "CZ", "DE", "DK", "ES", "FI", "FR", "GB"]
MUG_COUNTRIES += ["IE", "IT", "JP", "MX", "NL", "NO", "NZ", "PL", "PT", "SE", "SG", "US"]
UNAUTHORIZED = {
    "code": "unauthorized",
    "message": "Unauthorized: the X-API-KEY header is missing or not a known API key.",
    "details": [],
}


@pytest.mark.parametrize("api_key", [None, "", "gelato-kez", "gelato-key-longer"])
def test_calls_without_a_known_api_key_are_401(gelato, api_key):
    with client_for(gelato, api_key) as http:
        answers = [http.get("/v3/catalogs"), http.post("/v4/orders", json={}), http.get("/v4/orders/x")]
    assert [(a.status_code, a.json()) for a in answers] == [(401, UNAUTHORIZED)] * 3
    assert gelato.orders == {}
    assert gelato.requests == [("GET", "/v3/catalogs"), ("POST", "/v4/orders"), ("GET", "/v4/orders/x")]


def test_a_second_account_has_its_own_key(gelato):
    gelato.add_account("other-key")
    with client_for(gelato, "other-key") as http:
        assert http.get("/v3/catalogs").status_code == 200


def test_catalog_list_names_every_catalog(client):
    answer = client.get("/v3/catalogs")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json() == {
        "data": [
            {"catalogUid": "t-shirts", "title": "T-shirts"},
            {"catalogUid": "posters", "title": "Posters"},
            {"catalogUid": "canvas", "title": "Canvas (wall art)"},
            {"catalogUid": "mugs", "title": "Mugs"},
        ],
        "pagination": {"total": 4, "offset": 0},
    }


def test_catalog_lists_its_attributes_with_values(client):
    answer = client.get("/v3/catalogs/mugs")
    assert answer.status_code == 200
    assert answer.json() == {
        "catalogUid": "mugs",
        "title": "Mugs",
        "productAttributes": [
            {
                "productAttributeUid": "MugSize",
                "title": "Mug size",
                "values": [
                    {"productAttributeValueUid": "11-oz", "title": "11 oz"},
                    {"productAttributeValueUid": "15-oz", "title": "15 oz"},
                ],
            },
            {
                "productAttributeUid": "MugMaterial",
                "title": "Mug material",
                "values": [
                    {"productAttributeValueUid": "ceramic-white", "title": "Ceramic, white"},
                    {"productAttributeValueUid": "ceramic-black", "title": "Ceramic, black"},
                ],
            },
            {
                "productAttributeUid": "ColorType",
                "title": "Color type",
                "values": [{"productAttributeValueUid": "4-0", "title": "4/0 (wrap-around print)"}],
            },
        ],
    }


def test_t_shirt_sizes_run_from_xs_to_5xl_in_four_colours(client):
    attributes = {
        a["productAttributeUid"]: a for a in client.get("/v3/catalogs/t-shirts").json()["productAttributes"]
    }
    sizes = [value["productAttributeValueUid"] for value in attributes["GarmentSize"]["values"]]
    colours = [value["productAttributeValueUid"] for value in attributes["GarmentColor"]["values"]]
    assert sizes == ["XS", "S", "M", "L", "XL", "2XL", "3XL", "4XL", "5XL"]
    assert colours == ["white", "black", "navy", "red"]


def test_unknown_catalog_is_404(client):
    answer = client.get("/v3/catalogs/photo-books")
    assert (answer.status_code, answer.json()["message"]) == (404, "Catalog 'photo-books' not found.")


def test_search_filters_by_any_value_of_each_attribute_and_counts_facets(client):
    filters = {"GarmentSize": ["XS", "5XL"], "GarmentColor": ["navy"]}
    answer = client.post("/v3/catalogs/t-shirts/products:search", json={"attributeFilters": filters})
    assert answer.status_code == 200
    body = answer.json()
    assert [product["productUid"] for product in body["products"]] == [
        T_SHIRT.format(size="xs", colour="navy", sides="4-0"),
        T_SHIRT.format(size="xs", colour="navy", sides="4-4"),
        T_SHIRT.format(size="5xl", colour="navy", sides="4-0"),
        T_SHIRT.format(size="5xl", colour="navy", sides="4-4"),
    ]
    assert body["hits"] == {
        "attributeHits": {
            "GarmentCategory": {"t-shirt": 4},
            "GarmentSubcategory": {"crewneck": 4},
            "GarmentCut": {"unisex": 4},
            "GarmentQuality": {"classic": 4},
            "GarmentSize": {"XS": 2, "5XL": 2},
            "GarmentColor": {"navy": 4},
            "GarmentPrint": {"4-0": 2, "4-4": 2},
        }
    }


def test_search_product_carries_attributes_weight_and_dimensions(client):
    filters = {"PaperFormat": ["A3"], "Orientation": ["hor"], "PaperType": ["200-gsm-uncoated"]}
    body = client.post("/v3/catalogs/posters/products:search", json={"attributeFilters": filters}).json()
    assert body["products"] == [
        {
            "productUid": "flat_product_pf_a3_pt_200-gsm-uncoated_cl_4-0_ct_none_prt_none_sft_none_set_none_hor",
            "attributes": {
                "PaperFormat": "A3",
                "PaperType": "200-gsm-uncoated",
                "ColorType": "4-0",
                "CoatingType": "none",
                "ProtectionType": "none",
                "SpotFinishingType": "none",
                "Orientation": "hor",
            },
            "weight": {"value": 24.948, "measureUnit": "grams"},
            "dimensions": {
                "Thickness": {"value": 0.24, "measureUnit": "mm"},
                "Width": {"value": 420.0, "measureUnit": "mm"},
                "Height": {"value": 297.0, "measureUnit": "mm"},
            },
        }
    ]


def test_search_pages_with_limit_and_offset_while_facets_count_every_match(client):
    first = client.post("/v3/catalogs/t-shirts/products:search", json={}).json()
    last = client.post("/v3/catalogs/t-shirts/products:search", json={"limit": 10, "offset": 70}).json()
    assert len(first["products"]) == 50
    assert [product["productUid"] for product in last["products"]] == [
        T_SHIRT.format(size="5xl", colour="red", sides="4-0"),
        T_SHIRT.format(size="5xl", colour="red", sides="4-4"),
    ]
    assert last["hits"]["attributeHits"]["GarmentSize"] == dict.fromkeys(
        ["XS", "S", "M", "L", "XL", "2XL", "3XL", "4XL", "5XL"], 8
    )
    assert last["hits"]["attributeHits"]["GarmentPrint"] == {"4-0": 36, "4-4": 36}


def test_search_with_an_unknown_attribute_matches_nothing(client):
    body = client.post("/v3/catalogs/mugs/products:search", json={"attributeFilters": {"Shape": ["round"]}})
    assert body.json() == {"products": [], "hits": {"attributeHits": {}}}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"attributeFilters": {"MugSize": "11-oz"}}, "attributeFilters must be an object"),
        ({"attributeFilters": ["MugSize"]}, "attributeFilters must be an object"),
        ({"limit": 0}, "limit must be an integer from 1 to 100."),
        ({"limit": 101}, "limit must be an integer from 1 to 100."),
        ({"offset": -1}, "offset must be an integer of at least 0."),
        ({"limit": "5"}, "limit must be an integer from 1 to 100."),
    ],
)
def test_malformed_search_is_400(client, body, message):
    answer = client.post("/v3/catalogs/mugs/products:search", json=body)
    assert answer.status_code == 400
    assert answer.json()["message"].startswith(message)


def test_product_by_uid_lists_supported_countries(client):
    answer = client.get(f"/v3/products/{MUG_WHITE}")
    assert answer.status_code == 200
    assert answer.json() == {
        "productUid": MUG_WHITE,
        "attributes": {"MugSize": "11-oz", "MugMaterial": "ceramic-white", "ColorType": "4-0"},
        "weight": {"value": 330.0, "measureUnit": "grams"},
        "supportedCountries": MUG_COUNTRIES,
        "notSupportedCountries": ["BR", "BY", "CU", "IN", "IR", "KP", "RU", "SY", "ZA"],
        "isStockable": False,
        "isPrintable": True,
        "validPageCounts": [],
    }


def test_unknown_product_is_404(client):
    answer = client.get("/v3/products/mug_product_msz_20-oz_mmat_ceramic-white_cl_4-0")
    assert answer.status_code == 404
    assert answer.json() == {
        "code": "not_found",
        "message": "Product 'mug_product_msz_20-oz_mmat_ceramic-white_cl_4-0' not found.",
        "details": [],
    }


def test_every_product_uid_the_demo_connects_is_in_the_catalog(client):
    uids = {uid for _product, _variant, uid, _label in bigcommerce_demo.CONNECTED}
    uids |= {seed.TSHIRT_UID.format(size=size) for size in ("xs", "s", "m", "l", "xl", "2xl")}
    uids.add(seed.WALL_ART_UID)
    statuses = {uid: client.get(f"/v3/products/{uid}").status_code for uid in sorted(uids)}
    assert statuses == dict.fromkeys(sorted(uids), 200)
    assert len(uids) == 14
