"""Orders V2 behaviour of the emulator over a real socket: auth, paging, filters, consignments, quirks."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from printbridge.integrations.bigcommerce.emulator import Line
from printbridge.integrations.bigcommerce.emulator.formats import rfc2822

from .conftest import STORE_HASH

RFC2822 = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$")
OBJECT = {"include": "consignments.line_items", "consignment_structure": "object"}
UNAUTHORIZED = {
    "status": 401,
    "title": "Unauthorized - the v3 Auth client ID or token in the request are not a valid combination "
    "for this store.",
    "type": "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes",
    "errors": {},
}


def _shirt(variant_id: int = 203, quantity: int = 1, **fields) -> Line:
    return Line(111, variant_id, quantity, **fields)


def test_missing_wrong_or_foreign_token_is_401_without_rate_limit_headers(emulator, store, api):
    other = emulator.add_store("other1", "token-other")
    answers = [
        api.get("/v2/orders", headers={"X-Auth-Token": ""}),
        api.get("/v2/orders", headers={"X-Auth-Token": "token-abd"}),
        api.get("/v2/orders", headers={"X-Auth-Token": "token-other"}),
        api.get(emulator.api_url("nope") + "/v2/orders"),
    ]
    assert [a.status_code for a in answers] == [401, 401, 401, 401]
    assert all(a.json() == UNAUTHORIZED for a in answers)
    assert all("x-rate-limit-requests-left" not in a.headers for a in answers)
    assert store.requests == [] and other.requests == []


def test_orders_list_is_a_bare_array_with_v2_money_and_dates(store, api):
    first = store.place_order([_shirt(quantity=2), (113, 241, 1)])
    second = store.place_order([(114, 248, 3)], status_id=7)
    answer = api.get("/v2/orders")
    assert answer.status_code == 200
    orders = answer.json()
    assert [o["id"] for o in orders] == [first, second] == [100, 101]
    assert [o["status_id"] for o in orders] == [11, 7]
    assert [o["status"] for o in orders] == ["Awaiting Fulfillment", "Awaiting Payment"]
    assert [o["items_total"] for o in orders] == [3, 3]
    assert [o["subtotal_inc_tax"] for o in orders] == ["63.0000", "51.0000"]
    assert [o["total_inc_tax"] for o in orders] == ["68.0000", "56.0000"]
    assert [o["is_deleted"] for o in orders] == [False, False]
    assert all(RFC2822.match(o["date_created"]) and RFC2822.match(o["date_modified"]) for o in orders)
    assert orders[0]["consignments"]["resource"] == "/orders/100/consignments"
    assert orders[0]["products"]["url"] == f"{store.base_url}/v2/orders/100/products"


def test_pages_follow_limit_and_an_empty_page_is_204_without_body(store, api):
    for _ in range(5):
        store.place_order([_shirt()])
    pages = [api.get("/v2/orders", params={"limit": 2, "page": page}) for page in (1, 2, 3, 4)]
    assert [p.status_code for p in pages] == [200, 200, 200, 204]
    assert [[o["id"] for o in p.json()] for p in pages[:3]] == [[100, 101], [102, 103], [104]]
    assert pages[3].content == b""
    assert "content-type" not in pages[3].headers


def test_no_orders_at_all_is_204(store, api):
    answer = api.get("/v2/orders")
    assert (answer.status_code, answer.content) == (204, b"")


def test_limit_above_250_is_413_and_bad_paging_is_400(store, api):
    store.place_order([_shirt()])
    too_big = api.get("/v2/orders", params={"limit": 251})
    assert too_big.status_code == 413
    assert too_big.json() == [{"status": 413, "message": "The 'limit' parameter must not exceed 250."}]
    assert api.get("/v2/orders", params={"page": 0}).status_code == 400
    assert api.get("/v2/orders", params={"limit": "ten"}).status_code == 400


def test_id_and_status_filters(store, api):
    ids = [store.place_order([_shirt()], status_id=status) for status in (11, 7, 11, 9, 11)]
    assert ids == [100, 101, 102, 103, 104]

    def listed(**params):
        return [o["id"] for o in api.get("/v2/orders", params=params).json()]

    assert listed(min_id=101, max_id=103) == [101, 102, 103]
    assert listed(status_id=11) == [100, 102, 104]
    assert listed(status_id=11, min_id=101) == [102, 104]
    assert api.get("/v2/orders", params={"status_id": 5}).status_code == 204


def _set_modified(store, order_id: int, moment: datetime) -> None:
    store.orders[order_id]["date_modified"] = rfc2822(moment)


def test_date_modified_filters_take_rfc2822_and_iso8601(store, api):
    base = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    for hours in (0, 1, 2, 3):
        _set_modified(store, store.place_order([_shirt()]), base + timedelta(hours=hours))
    rfc = {"min_date_modified": "Sun, 01 Mar 2026 13:00:00 +0000"}
    iso = {"min_date_modified": "2026-03-01T09:00:00-04:00", "max_date_modified": "2026-03-01T14:00:00Z"}
    assert [o["id"] for o in api.get("/v2/orders", params=rfc).json()] == [101, 102, 103]
    assert [o["id"] for o in api.get("/v2/orders", params=iso).json()] == [101, 102]


def test_malformed_date_filter_is_silently_ignored(store, api):
    base = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    for hours in (0, 1):
        _set_modified(store, store.place_order([_shirt()]), base + timedelta(hours=hours))
    double_encoded = "Sun%2C%2001%20Mar%202026%2013%3A00%3A00%20%2B0000"
    answer = api.get("/v2/orders", params={"min_date_modified": double_encoded})
    assert [o["id"] for o in answer.json()] == [100, 101]


def test_sort_by_date_modified_descending_and_bad_sort_is_400(store, api):
    base = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    for order_id, hours in zip((100, 101, 102), (2, 0, 1), strict=True):
        assert store.place_order([_shirt()]) == order_id
        _set_modified(store, order_id, base + timedelta(hours=hours))
    answer = api.get("/v2/orders", params={"sort": "date_modified:desc"})
    assert [o["id"] for o in answer.json()] == [100, 102, 101]
    assert [o["id"] for o in api.get("/v2/orders", params={"sort": "date_modified:asc"}).json()] == [
        101,
        102,
        100,
    ]
    assert api.get("/v2/orders", params={"sort": "price"}).status_code == 400


def test_archived_orders_leave_the_list_but_stay_readable(store, api):
    kept, archived = store.place_order([_shirt()]), store.place_order([_shirt()])
    store.archive(archived)
    assert [o["id"] for o in api.get("/v2/orders").json()] == [kept]
    assert [o["id"] for o in api.get("/v2/orders", params={"is_deleted": "true"}).json()] == [archived]
    assert api.get(f"/v2/orders/{archived}").json()["is_deleted"] is True


def test_single_order_with_object_consignments_holds_every_kind_of_line(store, api):
    lines = [
        _shirt(quantity=2),
        Line(114, 249, 1, address=1, personalisation="Best dad ever"),
        Line(116, None, 1, kind="digital"),
        Line(0, None, 1, kind="giftcertificate", name="$25 Gift Certificate", price="25.00"),
    ]
    order_id = store.place_order(lines, shipping=[None, {"city": "Denver", "state": "Colorado"}])
    body = api.get(f"/v2/orders/{order_id}", params=OBJECT).json()
    consignments = body["consignments"]
    shipping = consignments["shipping"]
    assert (
        [c["id"] for c in shipping] == [a["id"] for a in store.shipping_addresses[order_id]] == [1001, 1002]
    )
    assert [c["city"] for c in shipping] == ["Austin", "Denver"]
    assert [[li["sku"] for li in c["line_items"]] for c in shipping] == [["TS-XS-NVY"], ["MUG-15-BLK"]]
    assert [[li["order_address_id"] for li in c["line_items"]] for c in shipping] == [[1001], [1002]]
    assert [c["items_total"] for c in shipping] == [2, 1]
    assert shipping[1]["line_items"][0]["product_options"][-1]["display_value"] == "Best dad ever"
    assert [li["sku"] for li in consignments["downloads"][0]["line_items"]] == ["DL-ART"]
    gift = consignments["email"]["gift_certificates"][0]["line_items"][0]
    assert (gift["type"], gift["product_id"], "variant_id" in gift) == ("giftcertificate", 0, False)
    assert consignments["pickups"] == []
    assert body["items_total"] == 5 and body["shipping_address_count"] == 2


def test_consignments_without_line_items_link_each_product_and_legacy_shape_is_an_array(store, api):
    order_id = store.place_order([_shirt(), (113, 241, 1)])
    linked = api.get(
        f"/v2/orders/{order_id}", params={"include": "consignments", "consignment_structure": "object"}
    )
    items = linked.json()["consignments"]["shipping"][0]["line_items"]
    assert [item["resource"] for item in items] == ["/orders/100/products/1", "/orders/100/products/2"]
    legacy = api.get(f"/v2/orders/{order_id}", params={"include": "consignments.line_items"}).json()
    assert [list(entry) for entry in legacy["consignments"]] == [["shipping"]]


def test_a_consignment_returns_at_most_50_line_items_with_a_warning(store, api):
    variants = list(range(201, 250)) + [201] * 11
    products = [111 if v < 237 else 112 if v < 241 else 113 if v < 246 else 114 for v in variants]
    order_id = store.place_order([Line(p, v, 1) for p, v in zip(products, variants, strict=True)])
    shipping = api.get(f"/v2/orders/{order_id}", params=OBJECT).json()["consignments"]["shipping"][0]
    assert len(shipping["line_items"]) == 50
    assert shipping["__warning__"]["message"].startswith(
        "Not all line items of this consignment are returned with this response, only 50 are included."
    )
    assert shipping["items_total"] == 60
    default_page = api.get(f"/v2/orders/{order_id}/products")
    full = api.get(f"/v2/orders/{order_id}/products", params={"limit": 250})
    assert (len(default_page.json()), len(full.json())) == (50, 60)
    tail = api.get(f"/v2/orders/{order_id}/products", params={"page": 2})
    assert [row["id"] for row in tail.json()] == list(range(51, 61))
    assert api.get(f"/v2/orders/{order_id}/products", params={"page": 3}).status_code == 204


def test_small_consignment_has_no_warning(store, api):
    order_id = store.place_order([_shirt()])
    shipping = api.get(f"/v2/orders/{order_id}", params=OBJECT).json()["consignments"]["shipping"][0]
    assert "__warning__" not in shipping


def test_empty_line_items_fault_empties_consignments_but_not_products(emulator, store, api):
    order_id = store.place_order([_shirt(quantity=2)])
    emulator.faults.empty_line_items(order_id, store_hash=STORE_HASH)
    body = api.get(f"/v2/orders/{order_id}", params=OBJECT).json()
    assert body["consignments"]["shipping"][0]["line_items"] == []
    assert body["items_total"] == 2
    assert [row["quantity"] for row in api.get(f"/v2/orders/{order_id}/products").json()] == [2]


def test_unknown_order_is_404_with_a_v2_error_list(store, api):
    for path in ("/v2/orders/999", "/v2/orders/999/products", "/v2/orders/999/shipments"):
        answer = api.get(path)
        assert answer.status_code == 404
        assert answer.json() == [{"status": 404, "message": "The requested resource was not found."}]


def test_shipping_addresses_list_each_address_with_its_counts(store, api):
    order_id = store.place_order(
        [_shirt(quantity=2), _shirt(quantity=1, address=1)], shipping=[{"zip": "78701"}, {"zip": "80202"}]
    )
    rows = api.get(f"/v2/orders/{order_id}/shipping_addresses").json()
    assert [(r["id"], r["zip"], r["items_total"], r["items_shipped"]) for r in rows] == [
        (1001, "78701", 2, 0),
        (1002, "80202", 1, 0),
    ]


def test_put_status_changes_the_order_and_rejects_unknown_statuses(store, api):
    order_id = store.place_order([_shirt()], status_id=7)
    answer = api.put(f"/v2/orders/{order_id}", json={"status_id": 11})
    assert (answer.status_code, answer.json()["status_id"], answer.json()["status"]) == (
        200,
        11,
        "Awaiting Fulfillment",
    )
    assert store.orders[order_id]["status_id"] == 11
    assert api.put(f"/v2/orders/{order_id}", json={"status_id": 15}).status_code == 400
    assert store.orders[order_id]["status_id"] == 11


def test_order_statuses_list_the_fifteen_system_statuses(store, api):
    statuses = api.get("/v2/order_statuses").json()
    assert [s["id"] for s in statuses] == list(range(15))
    assert statuses[11]["name"] == "Awaiting Fulfillment"


def test_every_served_request_is_recorded_for_call_counting(store, api):
    api.get("/v2/orders", params={"limit": 250})
    api.get("/v2/store")
    assert store.requests == [
        ("GET", f"/stores/{STORE_HASH}/v2/orders?limit=250"),
        ("GET", f"/stores/{STORE_HASH}/v2/store"),
    ]


def test_file_upload_and_text_options_reach_the_order_products(store, api):
    order_id = store.place_order(
        [Line(112, 238, 1, upload="poster.pdf"), Line(114, 246, 1, personalisation="Hi")]
    )
    rows = api.get(f"/v2/orders/{order_id}/products").json()
    art_options = [(o["display_name"], o["type"], o["display_value"]) for o in rows[0]["product_options"]]
    assert art_options == [("Size", "Multiple choice", "A3"), ("Your artwork", "File Upload", "poster.pdf")]
    assert json.loads(rows[0]["product_options"][1]["value"]) == {
        "originalName": "poster.pdf",
        "temporaryPath": "tmp_poster.pdf",
        "path": "poster.pdf",
    }
    assert [(o["display_name"], o["type"]) for o in rows[1]["product_options"]][-1] == (
        "Personalisation",
        "Text field",
    )
