"""Catalog V3 products and variants, and GET /v2/store."""

from __future__ import annotations

from printbridge.integrations.bigcommerce.emulator.catalog import SIZES


def test_seeded_catalog_has_shirts_in_every_size_and_colour_art_cars_and_mugs(store):
    shirt_skus = [v["sku"] for v in store.products[111]["variants"]]
    assert len(shirt_skus) == len(SIZES) * 4 == 36
    assert shirt_skus[:5] == ["TS-XS-WHT", "TS-XS-BLK", "TS-XS-NVY", "TS-XS-RED", "TS-S-WHT"]
    assert shirt_skus[-1] == "TS-5XL-RED"
    assert [p["name"] for p in store.products.values()] == [
        "Classic T-shirt",
        "Wall art print",
        "Toy car",
        "Ceramic mug",
        "Scented candle",
        "Printable wall art (download)",
    ]
    assert [v["sku"] for v in store.products[113]["variants"]] == [
        "CAR-RED",
        "CAR-BLU",
        "CAR-GRN",
        "CAR-YEL",
        "CAR-BLK",
    ]


def test_products_page_with_v3_pagination(store, api):
    body = api.get("/v3/catalog/products", params={"limit": 4, "page": 2}).json()
    assert [p["id"] for p in body["data"]] == [115, 116]
    assert body["meta"]["pagination"] == {
        "total": 6,
        "count": 2,
        "per_page": 4,
        "current_page": 2,
        "total_pages": 2,
        "links": {"current": "?page=2&limit=4", "previous": "?page=1&limit=4"},
    }
    assert "variants" not in body["data"][0]


def test_products_filter_by_id_in_and_base_sku_and_include_variants(store, api):
    by_ids = api.get("/v3/catalog/products", params={"id:in": "113,115", "include": "variants"}).json()
    assert [p["id"] for p in by_ids["data"]] == [113, 115]
    assert [len(p["variants"]) for p in by_ids["data"]] == [5, 1]
    assert by_ids["data"][1]["base_variant_id"] == by_ids["data"][1]["variants"][0]["id"] == 250
    by_sku = api.get("/v3/catalog/products", params={"sku": "mug"}).json()
    assert [p["id"] for p in by_sku["data"]] == [114]
    nothing = api.get("/v3/catalog/products", params={"sku": "MUG-11-WHT"})
    assert (nothing.status_code, nothing.json()["data"]) == (200, [])


def test_single_product_and_404(store, api):
    answer = api.get("/v3/catalog/products/112", params={"include": "variants"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["meta"] == {}
    assert [v["sku"] for v in body["data"]["variants"]] == ["WA-A4", "WA-A3", "WA-A2", "WA-5070"]
    assert [v["price"] for v in body["data"]["variants"]] == [20.0, 30.0, 45.0, 60.0]
    missing = api.get("/v3/catalog/products/999")
    assert missing.status_code == 404
    assert missing.json()["status"] == 404


def test_variants_across_products_by_sku_and_product_ids(store, api):
    by_sku = api.get("/v3/catalog/variants", params={"sku": "ts-5xl-red"}).json()["data"]
    assert [(v["id"], v["product_id"], v["sku"]) for v in by_sku] == [(236, 111, "TS-5XL-RED")]
    assert [o["label"] for o in by_sku[0]["option_values"]] == ["5XL", "Red"]
    by_product = api.get("/v3/catalog/variants", params={"product_id:in": "113,114"}).json()
    assert [v["id"] for v in by_product["data"]] == list(range(241, 250))
    assert by_product["meta"]["pagination"]["total"] == 9


def test_store_information_and_time(emulator, store, api):
    info = api.get("/v2/store").json()
    assert (info["id"], info["store_id"], info["name"]) == ("abc123", 1000001, "Demo BC store")
    assert (info["plan_name"], info["currency"], info["weight_units"]) == ("Standard", "USD", "Ounces")
    assert isinstance(api.get("/v2/time").json()["time"], int)
