"""GET /bigcommerce/auth: the OAuth code exchange against a login stub on 127.0.0.1, and what it saves."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from printbridge.integrations.bigcommerce.app_auth import TokenGrant, exchange_code
from printbridge.integrations.bigcommerce.emulator import BigCommerceEmulator, EmulatorConfig
from printbridge.integrations.bigcommerce.webhooks import SUBSCRIBED_SCOPES
from printbridge.integrations.errors import PermanentError, RateLimited
from printbridge.orders.models import OrderEvent
from printbridge.stores import crypto
from printbridge.stores.models import Account, BigCommerceConnection, Membership, Store, StoreSettings
from printbridge.stores.services import create_account
from tests.bigcommerce_app.conftest import CLIENT_ID, CLIENT_SECRET, install
from tests.bigcommerce_app.login_stub import LoginStub, Seen

pytestmark = pytest.mark.django_db
SCOPE = "store_v2_orders store_v2_products_read_only store_v2_information_read_only store_v2_default"
OWNER = {"id": 1001, "username": "owner@abc123.example", "email": "owner@abc123.example"}
GRANT = {
    "access_token": "grant-token-abc123",
    "scope": SCOPE,
    "user": OWNER,
    "owner": OWNER,
    "context": "stores/abc123",
    "account_uuid": "12345678-90ab-cdef-1234-567890abcdef",
}
FORM = (
    f"client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}&code=code-123&context=stores%2Fabc123"
    "&scope=store_v2_orders+store_v2_products_read_only+store_v2_information_read_only+store_v2_default"
    "&grant_type=authorization_code&redirect_uri=https%3A%2F%2Fprintbridge.example%2Fbigcommerce%2Fauth"
).encode()


@pytest.fixture(autouse=True)
def bigcommerce_api(settings):
    """The store's API (the emulator): install registers the webhooks there."""
    emulator = BigCommerceEmulator(EmulatorConfig(port=0, seed=3)).start()
    store = emulator.add_store(store_hash="abc123", access_token="grant-token-abc123", name="Shop abc123")
    settings.BIGCOMMERCE_API_URL = emulator.api_url("abc123").rsplit("/stores/", 1)[0]
    try:
        yield store
    finally:
        emulator.stop()


@pytest.fixture
def login_stub(settings):
    started: list[LoginStub] = []

    def _start(status: int = 200, body: object = None) -> LoginStub:
        stub = LoginStub(status, GRANT if body is None else body).start()
        started.append(stub)
        settings.BIGCOMMERCE_LOGIN_URL = stub.url
        return stub

    yield _start
    for stub in started:
        stub.stop()


def auth(client: Client | None = None, code="code-123", scope=SCOPE, context="stores/abc123"):
    query = {"code": code, "scope": scope, "context": context, "account_uuid": GRANT["account_uuid"]}
    return (client or Client()).get("/bigcommerce/auth", query)


def event_types(store) -> list[tuple[str, str]]:
    return list(OrderEvent.objects.filter(store=store).order_by("pk").values_list("type", "actor"))


def assert_nothing_saved() -> None:
    assert (Account.objects.count(), Store.objects.count(), BigCommerceConnection.objects.count()) == (
        0,
        0,
        0,
    )
    assert OrderEvent.objects.count() == 0


def test_install_posts_the_exact_form_to_the_token_endpoint(login_stub):
    stub = login_stub()
    assert auth().status_code == 200
    assert stub.seen == [Seen("POST", "/oauth2/token", "application/x-www-form-urlencoded", FORM)]


def test_install_creates_account_store_settings_and_encrypted_connection(
    login_stub, bigcommerce_api, settings
):
    login_stub()
    client = Client()
    response = auth(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"<h1>Printbridge is installed</h1><p>Account: BigCommerce store abc123</p>" in response.content
    connection = BigCommerceConnection.objects.select_related("store__account").get()
    store, account = connection.store, connection.store.account
    assert (account.name, store.name, store.platform, store.is_active) == (
        "BigCommerce store abc123",
        "BigCommerce store abc123",
        "bigcommerce",
        True,
    )
    assert StoreSettings.objects.filter(store=store).count() == 1
    assert list(Membership.objects.values_list("user__email", "account_id", "role")) == [
        ("owner@abc123.example", account.pk, "owner")
    ]
    assert (connection.store_hash, connection.installed_via, connection.uninstalled_at) == (
        "abc123",
        "app",
        None,
    )
    assert connection.api_base_url == f"{settings.BIGCOMMERCE_API_URL}/stores/abc123"
    assert sorted(h["scope"] for h in bigcommerce_api.hooks.values()) == sorted(SUBSCRIBED_SCOPES)
    assert crypto.decrypt(connection.access_token_encrypted) == "grant-token-abc123"
    assert "grant-token-abc123" not in connection.access_token_encrypted
    assert len(crypto.decrypt(connection.webhook_secret_encrypted)) == 43
    assert len(connection.public_id) == 22
    assert event_types(store) == [
        ("store_created", "owner@abc123.example"),
        ("store_installed", "owner@abc123.example"),
    ]
    owner = get_user_model().objects.get(email="owner@abc123.example")
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert client.session["account_id"] == account.pk


def test_install_by_a_store_user_who_is_not_the_owner_logs_that_user_in_as_a_member(login_stub):
    staff = {"id": 2002, "username": "staff@abc123.example", "email": "staff@abc123.example"}
    login_stub(body={**GRANT, "user": staff})
    client = Client()
    assert auth(client).status_code == 200
    connection = BigCommerceConnection.objects.get()
    assert list(Membership.objects.order_by("pk").values_list("user__email", "role")) == [
        ("owner@abc123.example", "owner"),
        ("staff@abc123.example", "member"),
    ]
    assert event_types(connection.store)[-1] == ("member_added", "staff@abc123.example (BigCommerce)")
    staff_user = get_user_model().objects.get(email="staff@abc123.example")
    assert client.session["_auth_user_id"] == str(staff_user.pk)


def test_install_rotates_the_session_id(login_stub):
    login_stub()
    client = Client()
    session = client.session
    session["planted"] = "before install"
    session.save()
    before = session.session_key
    auth(client)
    assert client.cookies["sessionid"].value != before
    assert "planted" not in client.session


def test_install_reuses_an_existing_user_with_the_owner_email(login_stub):
    login_stub()
    _, existing = create_account("Earlier account", "Owner@abc123.example", "s3cret-pass")
    auth()
    assert get_user_model().objects.count() == 1
    new_account = Account.objects.get(name="BigCommerce store abc123")
    assert Membership.objects.get(account=new_account).user == existing


def test_refused_code_creates_nothing_and_answers_401(login_stub):
    login_stub(400, {"error": "invalid_grant", "error_description": "Invalid code"})
    client = Client()
    response = auth(client)
    assert (response.status_code, response.content) == (401, b"Unauthorized\n")
    assert_nothing_saved()
    assert "_auth_user_id" not in client.session


def test_grant_without_the_orders_scope_creates_nothing(login_stub):
    stub = login_stub(body={**GRANT, "scope": "store_v2_products_read_only store_v2_information_read_only"})
    assert auth().status_code == 401
    assert len(stub.seen) == 1
    assert_nothing_saved()


def test_grant_for_another_store_creates_nothing(login_stub):
    login_stub(body={**GRANT, "context": "stores/zzz999"})
    assert auth().status_code == 401
    assert_nothing_saved()


@pytest.mark.parametrize("context", ["stores/abc123/../x", "abc123", "", "stores/"])
def test_bad_context_is_refused_before_any_request(login_stub, context):
    stub = login_stub()
    assert auth(context=context).status_code == 401
    assert stub.seen == []
    assert_nothing_saved()


def test_missing_code_is_refused_before_any_request(login_stub):
    stub = login_stub()
    assert auth(code="").status_code == 401
    assert stub.seen == []


def test_login_service_error_answers_502_and_saves_nothing(login_stub):
    login_stub(503, {"error": "unavailable"})
    response = auth()
    assert (response.status_code, response.content) == (
        502,
        b"BigCommerce could not be reached; try again.\n",
    )
    assert_nothing_saved()


def test_unreachable_login_service_answers_502(settings):
    settings.BIGCOMMERCE_LOGIN_URL = "http://127.0.0.1:1"
    assert auth().status_code == 502
    assert_nothing_saved()


def test_post_to_auth_is_405():
    assert Client().post("/bigcommerce/auth").status_code == 405


def test_reinstall_reactivates_the_uninstalled_store_and_replaces_the_token(login_stub):
    connection = install("abc123")
    BigCommerceConnection.objects.filter(pk=connection.pk).update(uninstalled_at="2026-11-30T12:00:00Z")
    Store.objects.filter(pk=connection.store_id).update(is_active=False)
    login_stub()
    assert auth().status_code == 200
    after = BigCommerceConnection.objects.select_related("store").get()
    assert (after.pk, after.store_id, after.uninstalled_at, after.store.is_active) == (
        connection.pk,
        connection.store_id,
        None,
        True,
    )
    assert crypto.decrypt(after.access_token_encrypted) == "grant-token-abc123"
    assert after.webhook_secret_encrypted == connection.webhook_secret_encrypted
    assert after.public_id == connection.public_id
    assert Account.objects.count() == 1
    assert event_types(after.store)[-1] == ("store_installed", "owner@abc123.example")


def test_reinstall_by_an_owner_outside_the_account_is_refused(login_stub):
    connection = install("abc123", owner_email="someone-else@example.com")
    BigCommerceConnection.objects.filter(pk=connection.pk).update(uninstalled_at="2026-11-30T12:00:00Z")
    login_stub()
    client = Client()
    assert auth(client).status_code == 401
    after = BigCommerceConnection.objects.get()
    assert crypto.decrypt(after.access_token_encrypted) == "token-abc123"
    assert after.uninstalled_at is not None
    assert "_auth_user_id" not in client.session


def test_install_over_an_api_account_connection_of_the_same_owner_switches_it_to_the_app(login_stub):
    install("abc123", via=BigCommerceConnection.InstalledVia.API_ACCOUNT)
    login_stub()
    assert auth().status_code == 200
    after = BigCommerceConnection.objects.get()
    assert (after.installed_via, crypto.decrypt(after.access_token_encrypted)) == (
        "app",
        "grant-token-abc123",
    )


# The client function on its own


def test_exchange_code_returns_the_grant(login_stub):
    stub = login_stub()
    grant = exchange_code(
        stub.url,
        CLIENT_ID,
        CLIENT_SECRET,
        "code-123",
        SCOPE,
        "stores/abc123",
        "https://printbridge.example/bigcommerce/auth",
    )
    assert grant == TokenGrant(
        "grant-token-abc123",
        SCOPE,
        "abc123",
        1001,
        "owner@abc123.example",
        1001,
        "owner@abc123.example",
        "12345678-90ab-cdef-1234-567890abcdef",
    )
    assert "grant-token-abc123" not in repr(grant)


def test_exchange_code_429_is_rate_limited_with_the_reset_time(login_stub):
    stub = login_stub(429, {"title": "Too many requests"})
    with pytest.raises(RateLimited) as caught:
        exchange_code(
            stub.url, CLIENT_ID, CLIENT_SECRET, "c", SCOPE, "stores/abc123", "https://x.example/auth"
        )
    assert (caught.value.status, caught.value.message, caught.value.reset_seconds) == (
        429,
        "Too many requests",
        3.0,
    )


def test_exchange_code_401_is_permanent_with_the_services_words(login_stub):
    stub = login_stub(401, {"error": "invalid_client"})
    with pytest.raises(PermanentError) as caught:
        exchange_code(stub.url, CLIENT_ID, "wrong", "c", SCOPE, "stores/abc123", "https://x.example/auth")
    assert str(caught.value) == "HTTP 401 POST /oauth2/token: invalid_client"
