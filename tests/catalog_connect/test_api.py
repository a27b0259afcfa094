"""POST /api/v1/orders/{id}/items/{item}/create-product: ?preview=true answers the plan and writes nothing; without
it the variants are connected and the order continues (201); refusals are 422/409 with nothing written."""

from __future__ import annotations

import pytest

from printbridge.orders.models import Order, OrderEvent
from printbridge.routing.models import Connection
from tests.catalog_connect.conftest import receive, shirt_uid, tee


@pytest.fixture
def waiting(store, gelato):
    return receive(store, "1001", tee("1", "XL")), receive(store, "1002", tee("1", "2XL"))


def url(o, preview=False) -> str:
    path = f"/api/v1/orders/{o.pk}/items/{o.items.get().pk}/create-product"
    return path + ("?preview=true" if preview else "")


def body(design, **changes) -> dict:
    return {
        "product_uid": shirt_uid("m"),
        "mapping": {"Size": "GarmentSize"},
        "designs": {"default": design.pk},
        "connect_siblings": True,
        **changes,
    }


def test_the_preview_answers_each_variant_and_the_waiting_orders_and_writes_nothing(api, waiting, design):
    first, second = waiting
    before = OrderEvent.objects.count()

    response = api.post(url(first, preview=True), body(design))

    assert response.status_code == 200
    assert response.json() == {
        "order_id": first.pk,
        "item_id": first.items.get().pk,
        "product_uid": shirt_uid("m"),
        "catalog_uid": "t-shirts",
        "files": {"default": f"design:{design.pk}"},
        "variants": [
            {
                "product_id": "tshirt",
                "variant_id": variant,
                "sku": sku,
                "label": f"Classic T-shirt (Size: {size})",
                "options": [{"name": "Size", "value": size}],
                "provider_product_uid": shirt_uid(size),
                "action": "connect",
                "reason": "",
                "is_item": size == "XL",
            }
            for variant, sku, size in (("tshirt-xl", "TS-XL", "XL"), ("tshirt-2xl", "TS-2XL", "2XL"))
        ],
        "waiting_orders": [{"id": second.pk, "number": "1002", "outcome": "continues"}],
        "publish": None,
    }
    assert (Connection.objects.count(), OrderEvent.objects.count()) == (0, before)


def test_creating_connects_and_answers_201_with_the_connections(api, waiting, design):
    first, _second = waiting

    response = api.post(url(first), body(design, apply_to_waiting_orders=True))

    assert response.status_code == 201
    data = response.json()
    assert (data["order_id"], data["order_status"], data["completed"]) == (first.pk, "ready", True)
    assert [(c["variant_id"], c["provider_product_uid"], c["files"]) for c in data["connections"]] == [
        ("tshirt-xl", shirt_uid("XL"), {"default": f"design:{design.pk}"}),
        ("tshirt-2xl", shirt_uid("2XL"), {"default": f"design:{design.pk}"}),
    ]
    assert (data["applied"], data["published"]) == ({"continued": 1, "ignored": 0, "still_waiting": 0}, None)
    assert list(Order.objects.order_by("number").values_list("status", flat=True)) == ["ready", "ready"]


def test_a_variant_without_a_product_is_422_and_nothing_is_written(api, store, waiting, design):
    receive(store, "1003", tee("1", "9XL"))
    before = OrderEvent.objects.count()

    response = api.post(url(waiting[0]), body(design))

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Classic T-shirt (Size: 9XL) cannot be made from this catalog product: Size '9XL' matches no "
        "Garment size of the catalog (XS, S, M, L, XL, 2XL, 3XL, 4XL, 5XL). Nothing was connected; map the "
        "options differently or pick another product",
        "field": "mapping",
        "variant_id": "tshirt-9xl",
        "errors": [
            {
                "field": "mapping",
                "message": "Classic T-shirt (Size: 9XL) cannot be made from this catalog product: Size '9XL' "
                "matches no Garment size of the catalog (XS, S, M, L, XL, 2XL, 3XL, 4XL, 5XL). Nothing was "
                "connected; map the options differently or pick another product",
            }
        ],
    }
    assert (Connection.objects.count(), OrderEvent.objects.count()) == (0, before)


def test_an_item_no_longer_waiting_is_409(api, waiting, design):
    api.post(url(waiting[0]), body(design, connect_siblings=False))

    again = api.post(url(waiting[0]), body(design))

    assert (again.status_code, again.json()) == (
        409,
        {"detail": "Item 'Classic T-shirt' of order #1001 is not waiting for a Connect or Ignore"},
    )


def test_a_body_without_designs_is_422(api, waiting):
    response = api.post(url(waiting[0]), {"product_uid": shirt_uid("m")})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "designs", "message": "Field required"}]
    assert Connection.objects.count() == 0
