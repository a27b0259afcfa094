"""POST /api/v1/stores/{id}/products:publish: 201 with the store's ids, BigCommerce's refusal as 422, another
account's store 404, a custom store 409, a session without the CSRF token 403 — and nothing written then."""

from __future__ import annotations

import pytest
from django.test import Client

from printbridge.routing.models import Connection, Publication
from tests.publishing.conftest import catalog_calls

BODY = {
    "name": "Cat tee",
    "price": "19.00",
    "weight": "6",
    "image_url": "https://designs.example.com/cat-mockup.png",
    "options": [{"name": "Size", "values": ["S", "M"]}, {"name": "Colour", "values": ["Red"]}],
    "variants": [
        {
            "sku": "CAT-S-RED",
            "options": [{"name": "Size", "value": "S"}, {"name": "Colour", "value": "Red"}],
            "provider_product_uid": "apparel_cat_s",
            "files": {"front": "https://designs.example.com/cat-s.png"},
        },
        {
            "sku": "CAT-M-RED",
            "price": "21.00",
            "options": [{"name": "Size", "value": "M"}, {"name": "Colour", "value": "Red"}],
            "provider_product_uid": "apparel_cat_m",
            "files": {"front": "https://designs.example.com/cat-m.png"},
        },
    ],
}


def url(store_id: int) -> str:
    return f"/api/v1/stores/{store_id}/products:publish"


def test_publish_answers_the_new_product_and_its_connected_variants(emulated, api):
    response = api.post(url(emulated.connection.store_id), BODY)

    connections = dict(Connection.objects.values_list("sku", "pk"))
    assert response.status_code == 201
    assert response.json() == {
        "publication_id": Publication.objects.get().pk,
        "store_id": emulated.connection.store_id,
        "product_id": 117,
        "image_id": 1,
        "adopted": False,
        "variants": [
            {"sku": "CAT-S-RED", "variant_id": 252, "connection_id": connections["CAT-S-RED"]},
            {"sku": "CAT-M-RED", "variant_id": 253, "connection_id": connections["CAT-M-RED"]},
        ],
        "waiting_orders_moved": 0,
    }


def test_a_duplicate_sku_answers_422_in_bigcommerces_words(emulated, api):
    body = {**BODY, "variants": [BODY["variants"][0], {**BODY["variants"][1], "sku": "TS-M-WHT"}]}

    response = api.post(url(emulated.connection.store_id), body)

    message = (
        'BigCommerce refused the product: The SKU is a duplicate {"sku": "\'TS-M-WHT\' is already used"}; '
        "nothing was created"
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": message,
        "field": "variants",
        "publication_id": Publication.objects.get().pk,
        "errors": [{"field": "variants", "message": message}],
    }
    assert 117 not in emulated.store.products
    assert Connection.objects.count() == 0


def test_an_unanswered_create_answers_502_and_publishing_again_adopts_the_product(emulated, api):
    emulated.emulator.faults.fail_next(503, path_contains="/v3/catalog/products", after_effect=True)

    first = api.post(url(emulated.connection.store_id), BODY)
    second = api.post(url(emulated.connection.store_id), BODY)

    assert first.status_code == 502
    assert first.json()["publication_id"] == second.json()["publication_id"]
    assert (second.status_code, second.json()["product_id"], second.json()["adopted"]) == (201, 117, True)
    assert sorted(emulated.store.products)[-2:] == [116, 117]


def test_invalid_input_is_422_naming_the_field(emulated, api):
    body = {**BODY, "variants": [{**BODY["variants"][0], "options": [{"name": "Size", "value": "S"}]}]}

    response = api.post(url(emulated.connection.store_id), body)

    message = "Variant CAT-S-RED: give a value for each option, in order: Size, Colour"
    assert (response.status_code, response.json()) == (
        422,
        {
            "detail": message,
            "field": "variants.0.options",
            "errors": [{"field": "variants.0.options", "message": message}],
        },
    )
    assert catalog_calls(emulated) == []


def test_another_accounts_store_is_404_and_nothing_is_written(emulated, other_account, api):
    _, _, foreign = other_account

    response = api.post(url(foreign.pk), BODY)

    assert (response.status_code, response.json()) == (404, {"detail": "No such store"})
    assert (Publication.objects.count(), catalog_calls(emulated)) == (0, [])


def test_a_custom_store_is_409(store, api):
    response = api.post(url(store.pk), BODY)

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Publishing creates the product in a BigCommerce store: connect the store first"
    }


@pytest.mark.django_db
def test_a_session_without_the_csrf_token_is_403_and_nothing_is_sent(emulated, user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.post(url(emulated.connection.store_id), BODY, content_type="application/json")

    assert response.status_code == 403
    assert (Publication.objects.count(), catalog_calls(emulated)) == (0, [])
