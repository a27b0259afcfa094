"""Who may call what: token and session auth (CSRF), 401 everywhere without credentials, 404 for another
account's ids on every endpoint, and the OpenAPI schema documenting every path and error."""

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from printbridge.orders.models import OrderEvent
from printbridge.orders.services import VariantRef, create_connection
from printbridge.stores.models import ApiToken, Membership, Store
from tests.api.conftest import nothing_written
from tests.conftest import item

OPERATIONS = {
    ("get", "/api/v1/stores"),
    ("post", "/api/v1/stores"),
    ("get", "/api/v1/stores/{store_id}"),
    ("post", "/api/v1/stores/{store_id}/rotate-key"),
    ("get", "/api/v1/stores/{store_id}/settings"),
    ("patch", "/api/v1/stores/{store_id}/settings"),
    ("get", "/api/v1/stores/{store_id}/blocking-variants"),
    ("post", "/api/v1/stores/bigcommerce"),
    ("post", "/api/v1/stores/{store_id}/backfill"),
    ("patch", "/api/v1/stores/{store_id}/bigcommerce"),
    ("put", "/api/v1/providers/gelato"),
    ("post", "/api/v1/stores/{store_id}/orders"),
    ("get", "/api/v1/orders"),
    ("get", "/api/v1/orders/{order_id}"),
    ("post", "/api/v1/orders/{order_id}/items/{item_id}/connect"),
    ("post", "/api/v1/orders/{order_id}/items/{item_id}/ignore"),
    ("post", "/api/v1/orders/{order_id}/approve"),
    ("post", "/api/v1/orders/approve"),
    ("patch", "/api/v1/orders/{order_id}/shipping-address"),
    ("put", "/api/v1/orders/{order_id}/items/{item_id}/fulfilment"),
    ("post", "/api/v1/orders/{order_id}/retry"),
    ("put", "/api/v1/stores/{store_id}/outbound-webhook"),
    ("get", "/api/v1/stores/{store_id}/outbound-webhook"),
    ("delete", "/api/v1/stores/{store_id}/outbound-webhook"),
    ("get", "/api/v1/connections"),
    ("post", "/api/v1/connections"),
    ("delete", "/api/v1/connections/{connection_id}"),
    ("get", "/api/v1/ignore-rules"),
    ("post", "/api/v1/ignore-rules"),
    ("post", "/api/v1/ignore-rules/{rule_id}/revoke"),
    ("post", "/api/v1/reevaluate/preview"),
    ("post", "/api/v1/reevaluate/apply"),
    ("get", "/api/v1/suppressed-orders"),
    ("get", "/api/v1/events"),
    ("post", "/api/v1/stores/{store_id}/products:publish"),
    ("post", "/api/v1/connections/{connection_id}/confirm"),
    ("get", "/api/v1/orders/{order_id}/items/{item_id}/suggestions"),
    ("get", "/api/v1/catalog/catalogs"),
    ("get", "/api/v1/catalog/catalogs/{catalog_uid}/products"),
    ("get", "/api/v1/catalog/products/{product_uid}"),
    ("post", "/api/v1/catalog/refresh"),
    ("get", "/api/v1/designs"),
    ("post", "/api/v1/designs"),
    ("post", "/api/v1/designs/import-url"),
    ("get", "/api/v1/designs/{design_id}"),
    ("post", "/api/v1/orders/{order_id}/items/{item_id}/create-product"),
}
INTAKE = ("post", "/api/v1/stores/{store_id}/orders")


def concrete(path: str, store: Store, **ids) -> str:
    return path.format(
        **{
            "store_id": store.pk,
            "order_id": 1,
            "item_id": 1,
            "connection_id": 1,
            "rule_id": 1,
            "catalog_uid": "mugs",
            "product_uid": "mug",
            "design_id": 1,
            **ids,
        }
    )


def call(client, method: str, path: str, body=None, **headers):
    if method in ("get", "delete"):
        return getattr(client, method)(path, headers=headers)
    return getattr(client, method)(path, body or {}, content_type="application/json", headers=headers)


# --- 401 --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"), sorted(OPERATIONS), ids=[f"{m} {p}" for m, p in sorted(OPERATIONS)]
)
def test_every_endpoint_without_credentials_is_401_and_writes_nothing(store, method, path):
    with nothing_written():
        response = call(Client(enforce_csrf_checks=True), method, concrete(path, store))

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required"}


@pytest.mark.parametrize(
    "header", ["Bearer pbt_deadbeef_wrong", "Bearer not-a-token", "Token abc", "Bearer "], ids=str
)
def test_wrong_token_is_401_even_for_unsafe_methods(store, header):
    with nothing_written():
        response = call(
            Client(enforce_csrf_checks=True), "post", "/api/v1/stores", {"name": "X"}, Authorization=header
        )

    assert (response.status_code, response.json()) == (401, {"detail": "Authentication required"})


def test_revoked_token_or_inactive_user_is_401(user, api_token, api):
    ApiToken.objects.update(revoked_at=timezone.now())
    revoked = api.get("/api/v1/stores")
    ApiToken.objects.update(revoked_at=None)
    type(user).objects.filter(pk=user.pk).update(is_active=False)

    inactive = api.get("/api/v1/stores")

    assert (revoked.status_code, inactive.status_code) == (401, 401)


def test_token_records_when_it_was_last_used(store, api):
    assert ApiToken.objects.get().last_used_at is None
    before = timezone.now()

    api.get("/api/v1/stores")

    assert before <= ApiToken.objects.get().last_used_at <= timezone.now()


# --- session auth and CSRF --------------------------------------------------------------------------------------


@pytest.fixture
def browser(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_session_user_reads_without_a_csrf_token(store, browser):
    response = browser.get("/api/v1/stores")

    assert response.status_code == 200
    assert [s["name"] for s in response.json()] == ["Shop"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/stores", {"name": "Sneaky"}),
        ("patch", "/api/v1/stores/{store_id}/settings", {"approval_mode": "manual"}),
        ("post", "/api/v1/stores/{store_id}/rotate-key", {}),
        ("delete", "/api/v1/connections/{connection_id}", None),
    ],
    ids=["post", "patch", "rotate", "delete"],
)
def test_session_write_without_the_csrf_token_is_403_and_writes_nothing(
    store, actor, browser, method, path, body
):
    connection = create_connection(store, VariantRef("tshirt", "v-red"), "uid-red", {}, actor)

    with nothing_written():
        response = call(browser, method, concrete(path, store, connection_id=connection.pk), body)

    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF check Failed"}


def test_session_write_with_the_csrf_token_succeeds(account, browser):
    token = get_random_string(32)
    browser.cookies["csrftoken"] = token

    response = call(browser, "post", "/api/v1/stores", {"name": "Pop-up"}, **{"X-CSRFToken": token})

    assert response.status_code == 201
    assert list(Store.objects.filter(account=account).values_list("name", flat=True)) == ["Pop-up"]


def test_session_acts_in_the_account_chosen_in_the_session(store, user, other_tenant):
    Membership.objects.create(user=user, account=other_tenant.store.account)
    client = Client()
    client.force_login(user)
    default = [s["name"] for s in client.get("/api/v1/stores").json()]
    session = client.session
    session["account_id"] = other_tenant.store.account_id
    session.save()

    chosen = [s["name"] for s in client.get("/api/v1/stores").json()]

    assert (default, chosen) == (["Shop"], ["Other shop"])


def test_logged_in_user_without_an_account_is_401(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("drifter", "drifter@example.com"))

    assert client.get("/api/v1/stores").status_code == 401


# --- another account's ids: 404, nothing changed ----------------------------------------------------------------

CROSS_TENANT = {
    "get store": ("get", "/stores/{t.store.pk}", None, "No such store"),
    "rotate key": ("post", "/stores/{t.store.pk}/rotate-key", {}, "No such store"),
    "get settings": ("get", "/stores/{t.store.pk}/settings", None, "No such store"),
    "patch settings": (
        "patch",
        "/stores/{t.store.pk}/settings",
        {"approval_mode": "manual"},
        "No such store",
    ),
    "blocking variants": ("get", "/stores/{t.store.pk}/blocking-variants", None, "No such store"),
    "order detail": ("get", "/orders/{t.order.pk}", None, "No such order"),
    "connect": (
        "post",
        "/orders/{t.order.pk}/items/{t.item.pk}/connect",
        {"provider_product_uid": "uid"},
        "No such order item",
    ),
    "ignore": (
        "post",
        "/orders/{t.order.pk}/items/{t.item.pk}/ignore",
        {"scope": "product"},
        "No such order item",
    ),
    "create connection": (
        "post",
        "/connections",
        {"store_id": "t.store", "product_id": "tshirt", "variant_id": "v-new", "provider_product_uid": "uid"},
        "No such store",
    ),
    "delete connection": ("delete", "/connections/{t.connection.pk}", None, "No such connection"),
    "create ignore rule": (
        "post",
        "/ignore-rules",
        {"store_id": "t.store", "scope": "product", "product_id": "tshirt"},
        "No such store",
    ),
    "revoke ignore rule": (
        "post",
        "/ignore-rules/{t.rule.pk}/revoke",
        {"import_suppressed": True},
        "No such ignore rule",
    ),
    "preview": (
        "post",
        "/reevaluate/preview",
        {"store_id": "t.store", "kind": "ignore_product", "product_id": "tshirt"},
        "No such store",
    ),
    "apply connection": (
        "post",
        "/reevaluate/apply",
        {"connection_id": "t.connection"},
        "No such connection",
    ),
    "apply ignore rule": ("post", "/reevaluate/apply", {"ignore_rule_id": "t.rule"}, "No such ignore rule"),
    "edit shipping address": (
        "patch",
        "/orders/{t.order.pk}/shipping-address",
        {"city": "X"},
        "No such order",
    ),
    "fix item fulfilment": (
        "put",
        "/orders/{t.order.pk}/items/{t.item.pk}/fulfilment",
        {"provider_product_uid": "uid"},
        "No such order",
    ),
    "retry": ("post", "/orders/{t.order.pk}/retry", {}, "No such order"),
    "create product from the catalog": (
        "post",
        "/orders/{t.order.pk}/items/{t.item.pk}/create-product",
        {"product_uid": "uid", "designs": {"default": 1}},
        "No such order item",
    ),
    "set outbound webhook": (
        "put",
        "/stores/{t.store.pk}/outbound-webhook",
        {"url": "https://shop.example.com/hooks"},
        "No such store",
    ),
    "get outbound webhook": (
        "get",
        "/stores/{t.store.pk}/outbound-webhook",
        None,
        "This store has no outbound webhook",
    ),
    "delete outbound webhook": (
        "delete",
        "/stores/{t.store.pk}/outbound-webhook",
        None,
        "This store has no outbound webhook",
    ),
}


def resolve(body, t):
    """Body values written "t.<object>" stand for that object of the other tenant's id."""
    if body is None:
        return None
    return {
        k: getattr(t, v[2:]).pk if isinstance(v, str) and v.startswith("t.") else v for k, v in body.items()
    }


@pytest.mark.parametrize(("method", "path", "body", "detail"), CROSS_TENANT.values(), ids=CROSS_TENANT.keys())
def test_another_accounts_id_is_404_and_nothing_changes(store, api, other_tenant, method, path, body, detail):
    url = "/api/v1" + path.format(t=other_tenant)

    with nothing_written():
        response = call(api.client, method, url, resolve(body, other_tenant), **api.headers)

    assert (response.status_code, response.json()) == (404, {"detail": detail})


def test_approving_another_accounts_order_is_404_and_approves_nothing(held, api, other_tenant):
    mine = held("M-1", item("1", "v-red"))
    theirs = other_tenant.order.pk

    with nothing_written():
        one = api.post(f"/api/v1/orders/{theirs}/approve")
        many = api.post("/api/v1/orders/approve", {"order_ids": [mine.pk, theirs]})

    assert (one.status_code, many.status_code) == (404, 404)
    assert one.json() == many.json() == {"detail": "No such order", "missing": [theirs]}


def test_another_accounts_item_or_connection_within_my_order_is_404(held, api, other_tenant):
    mine = held("M-1", item("1", "v-red"))
    my_item = mine.items.get().pk

    with nothing_written():
        their_item = api.post(
            f"/api/v1/orders/{mine.pk}/items/{other_tenant.item.pk}/ignore", {"scope": "item"}
        )
        their_connection = api.post(
            f"/api/v1/orders/{mine.pk}/items/{my_item}/connect", {"connection_id": other_tenant.connection.pk}
        )

    assert (their_item.status_code, their_item.json()) == (404, {"detail": "No such order item"})
    assert (their_connection.status_code, their_connection.json()) == (
        404,
        {"detail": "No such connected product"},
    )


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/connections", {}),
        ("/connections", {"store": "t.store"}),
        ("/ignore-rules", {}),
        ("/ignore-rules", {"store": "t.store"}),
        ("/suppressed-orders", {}),
        ("/suppressed-orders", {"store": "t.store"}),
        ("/suppressed-orders", {"rule": "t.rule"}),
        ("/events", {"order": "t.order"}),
    ],
)
def test_lists_never_show_another_accounts_rows(store, api, other_tenant, path, params):
    response = api.get("/api/v1" + path, **resolve(params, other_tenant))

    assert (response.status_code, response.json()) == (200, [])


def test_orders_and_events_lists_show_only_this_accounts_rows(store, account, api, other_tenant):
    orders = api.get("/api/v1/orders", store=other_tenant.store.pk).json()
    events = api.get("/api/v1/events").json()

    assert orders == {"items": [], "next_cursor": None}
    assert {e["id"] for e in events} == set(
        OrderEvent.objects.filter(account=account).values_list("pk", flat=True)
    )
    assert api.get("/api/v1/orders").json() == {"items": [], "next_cursor": None}


# --- the schema -------------------------------------------------------------------------------------------------


@pytest.fixture
def schema(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_schema_lists_every_operation(schema):
    served = {(method, path) for path, operations in schema["paths"].items() for method in operations}

    assert served == OPERATIONS


def test_every_operation_documents_its_errors_with_the_error_body(schema):
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "404", "422"):
                assert operation["responses"][status]["content"] == error, (method, path, status)
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {"detail", "field", "errors"}


def test_schema_names_the_credentials_each_operation_takes(schema):
    security = {
        (method, path): operation["security"]
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }

    assert security.pop(INTAKE) == [{"StoreKey": []}]
    assert {str(s) for s in security.values()} == {str([{"UserToken": []}, {"UserSession": []}])}
    assert schema["components"]["securitySchemes"]["StoreKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Store-Key",
    }


def test_interactive_docs_are_served(db):
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    assert b"/api/v1/openapi.json" in response.content
