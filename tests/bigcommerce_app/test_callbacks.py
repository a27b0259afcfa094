"""/load, /uninstall and /remove_user with valid tokens: who gets in, what is disabled, who is removed."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from printbridge.orders import events
from printbridge.orders.models import Order, OrderEvent
from printbridge.orders.services import import_order
from printbridge.stores import crypto
from printbridge.stores.models import BigCommerceConnection, Membership, StoreSettings
from printbridge.stores.services import update_settings
from tests.bigcommerce_app.conftest import OWNER_ID, signed
from tests.conftest import item, order
from tests.ingestion.conftest import deliver, payload

pytestmark = pytest.mark.django_db
AUTH_KEYS = {"_auth_user_id", "_auth_user_backend", "_auth_user_hash"}


@pytest.fixture
def actor_for_a(store_a):
    return events.Actor.for_user(get_user_model().objects.get(email="owner@abc123.example"))


def call(callback: str, token: str, client: Client | None = None):
    return (client or Client()).get(f"/bigcommerce/{callback}", {"signed_payload_jwt": token})


def members(connection) -> list[tuple[str, str]]:
    rows = Membership.objects.filter(account_id=connection.store.account_id).order_by("pk")
    return list(rows.values_list("user__email", "role"))


def events_of(connection) -> list[tuple[str, str]]:
    rows = OrderEvent.objects.filter(store_id=connection.store_id).order_by("pk")
    return list(rows.values_list("type", "actor"))


# /load


def test_load_logs_the_owner_in_and_rotates_the_session_id(store_a):
    client = Client()
    session = client.session
    session["planted"] = "pre-login value"
    session.save()
    before = session.session_key
    response = call("load", signed(), client)
    assert (response.status_code, response["Location"]) == (302, "/")
    owner = get_user_model().objects.get(email="owner@abc123.example")
    assert client.cookies["sessionid"].value != before
    assert not SessionStore().exists(before)
    assert set(client.session.keys()) == {*AUTH_KEYS, "account_id"}
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert client.session["account_id"] == store_a.store.account_id
    assert client.get("/").status_code == 200


def test_load_by_a_new_store_user_creates_them_as_a_member(store_a):
    client = Client()
    assert call("load", signed(user_id=2002, email="staff@abc123.example"), client).status_code == 302
    staff = get_user_model().objects.get(email="staff@abc123.example")
    assert (staff.username, staff.has_usable_password()) == ("staff@abc123.example", False)
    assert members(store_a) == [("owner@abc123.example", "owner"), ("staff@abc123.example", "member")]
    assert events_of(store_a)[-1] == ("member_added", "staff@abc123.example (BigCommerce)")
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_load_by_the_owner_of_a_new_email_makes_them_an_owner(store_a):
    call("load", signed(user_id=OWNER_ID, email="new-owner@abc123.example"))
    assert members(store_a) == [("owner@abc123.example", "owner"), ("new-owner@abc123.example", "owner")]


def test_second_load_of_a_member_adds_no_membership_or_event(store_a):
    call("load", signed(user_id=2002, email="staff@abc123.example"))
    count = OrderEvent.objects.count()
    assert call("load", signed(user_id=2002, email="Staff@abc123.example")).status_code == 302
    assert members(store_a) == [("owner@abc123.example", "owner"), ("staff@abc123.example", "member")]
    assert OrderEvent.objects.count() == count


def test_load_of_a_disabled_user_is_refused(store_a):
    get_user_model().objects.filter(email="owner@abc123.example").update(is_active=False)
    client = Client()
    assert call("load", signed(), client).status_code == 401
    assert "_auth_user_id" not in client.session


def test_load_of_store_b_while_logged_into_a_gives_only_a_b_session(store_a, store_b):
    client = Client()
    assert call("load", signed(), client).status_code == 302
    session = client.session
    session["recent_orders_of_a"] = [1, 2, 3]
    session.save()
    a_session = session.session_key
    assert call("load", signed(store_hash="bbb222"), client).status_code == 302
    b_owner = get_user_model().objects.get(email="owner@bbb222.example")
    assert client.cookies["sessionid"].value != a_session
    assert not SessionStore().exists(a_session)
    assert set(client.session.keys()) == {*AUTH_KEYS, "account_id"}
    assert (client.session["_auth_user_id"], client.session["account_id"]) == (
        str(b_owner.pk),
        store_b.store.account_id,
    )
    assert members(store_a) == [("owner@abc123.example", "owner")]


def test_same_person_in_a_and_b_loading_b_gets_account_b(store_a, store_b):
    client = Client()
    call("load", signed(user_id=3003, email="both@example.com"), client)
    call("load", signed(store_hash="bbb222", user_id=3003, email="both@example.com"), client)
    assert client.session["account_id"] == store_b.store.account_id
    assert set(client.session.keys()) == {*AUTH_KEYS, "account_id"}


def test_load_of_a_never_installed_store_while_logged_into_a_is_refused_and_a_stays(store_a):
    client = Client()
    call("load", signed(), client)
    response = call("load", signed(store_hash="nev3r1"), client)
    assert response.status_code == 401
    assert client.session["account_id"] == store_a.store.account_id


# /uninstall


def test_uninstall_disables_the_store_and_keeps_its_orders(store_a, actor_for_a):
    update_settings(store_a.store.account_id, store_a.store_id, {"import_not_connected": True}, actor_for_a)
    imported = import_order(store_a.store, order("101", item("1", "v-red")), actor_for_a)
    response = call("uninstall", signed())
    assert (response.status_code, response.content) == (200, b"")
    after = BigCommerceConnection.objects.select_related("store").get(pk=store_a.pk)
    assert after.uninstalled_at is not None
    assert after.store.is_active is False
    assert list(Order.objects.filter(store=after.store).values_list("pk", "external_id")) == [
        (imported.order.pk, "101")
    ]
    assert StoreSettings.objects.get(store=after.store).import_not_connected is True
    assert crypto.decrypt(after.access_token_encrypted) == "token-abc123"
    assert events_of(store_a)[-1] == ("store_uninstalled", "owner@abc123.example (BigCommerce)")


def test_after_uninstall_load_and_webhooks_are_refused(store_a):
    call("uninstall", signed())
    assert call("load", signed()).status_code == 401
    assert call("uninstall", signed()).status_code == 401
    response = deliver(store_a, payload(producer="stores/abc123"), secret="webhook-secret-abc123")
    assert response.status_code == 401


def test_uninstall_with_a_bad_token_changes_nothing(store_a):
    assert call("uninstall", signed(aud="another-app")).status_code == 401
    after = BigCommerceConnection.objects.select_related("store").get(pk=store_a.pk)
    assert (after.uninstalled_at, after.store.is_active) == (None, True)


# /remove_user


def test_remove_user_removes_their_membership(store_a):
    call("load", signed(user_id=2002, email="staff@abc123.example"))
    response = call("remove_user", signed(user_id=2002, email="staff@abc123.example"))
    assert (response.status_code, response.content) == (200, b"")
    assert members(store_a) == [("owner@abc123.example", "owner")]
    assert events_of(store_a)[-1] == ("member_removed", "staff@abc123.example (BigCommerce)")


def test_remove_user_never_removes_the_last_owner(store_a):
    count = OrderEvent.objects.count()
    assert call("remove_user", signed()).status_code == 200
    assert members(store_a) == [("owner@abc123.example", "owner")]
    assert OrderEvent.objects.count() == count


def test_remove_user_of_an_unknown_user_changes_nothing(store_a):
    assert call("remove_user", signed(user_id=9, email="nobody@example.com")).status_code == 200
    assert members(store_a) == [("owner@abc123.example", "owner")]


def test_remove_user_for_store_b_does_not_touch_account_a(store_a, store_b):
    call("load", signed(user_id=3003, email="both@example.com"))
    call("load", signed(store_hash="bbb222", user_id=3003, email="both@example.com"))
    call("remove_user", signed(store_hash="bbb222", user_id=3003, email="both@example.com"))
    assert members(store_a) == [("owner@abc123.example", "owner"), ("both@example.com", "member")]
    assert members(store_b) == [("owner@bbb222.example", "owner")]


def test_remove_user_with_a_bad_token_is_refused(store_a):
    call("load", signed(user_id=2002, email="staff@abc123.example"))
    assert (
        call("remove_user", signed(iss="xx", user_id=2002, email="staff@abc123.example")).status_code == 401
    )
    assert members(store_a) == [("owner@abc123.example", "owner"), ("staff@abc123.example", "member")]
