import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from printbridge.integrations.bigcommerce.emulator import BigCommerceEmulator, EmulatorConfig
from printbridge.orders import events
from printbridge.orders.services import import_order
from printbridge.stores.models import BigCommerceConnection, Store
from printbridge.stores.services import create_store
from tests.conftest import NOW, item, order
from tests.ingestion.conftest import _keys  # noqa: F401 - autouse: a fresh key file per test


@pytest.fixture
def bigcommerce(settings):
    emulator = BigCommerceEmulator(EmulatorConfig(port=0, seed=5)).start()
    store = emulator.add_store(store_hash="web123", access_token="web-token", name="Web shop")
    settings.BIGCOMMERCE_API_URL = emulator.api_url("web123").rsplit("/stores/", 1)[0]
    settings.PRINTBRIDGE_BASE_URL = "http://127.0.0.1:9"
    try:
        yield store
    finally:
        emulator.stop()


def logged_in(user, csrf=False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def test_the_connect_form_connects_the_store_and_lists_it_with_its_health(user, bigcommerce):
    client = logged_in(user)
    response = client.post(
        "/stores/connect/bigcommerce", {"store_hash": "web123", "access_token": "web-token"}
    )
    assert (response.status_code, response["Location"]) == (302, "/stores/")
    page = client.get("/stores/").content.decode()
    assert "Connected Web shop (web123); webhooks registered. New paid orders arrive within seconds." in page
    assert '<th scope="row">Web shop<br><small>BigCommerce · web123</small></th>' in page
    assert '<span class="pb-health-ok">Healthy</span>' in page and "Active<br><small>checked <time" in page
    assert len(bigcommerce.hooks) == 8
    assert BigCommerceConnection.objects.get().store.account.memberships.get().user == user


def test_a_refused_token_shows_the_reason_and_saves_nothing(user, bigcommerce):
    response = logged_in(user).post(
        "/stores/connect/bigcommerce", {"store_hash": "web123", "access_token": "nope"}
    )
    assert response.status_code == 422
    assert "BigCommerce refused these credentials" in response.content.decode()
    assert Store.objects.filter(platform="bigcommerce").count() == 0


def test_an_invalid_store_hash_is_a_field_error(user, bigcommerce):
    response = logged_in(user).post("/stores/connect/bigcommerce", {"store_hash": "a/b", "access_token": "x"})
    assert response.status_code == 422
    assert "The store hash is letters and digits only." in response.content.decode()
    assert bigcommerce.requests == []


def test_the_connect_form_without_its_csrf_token_is_rejected(user, bigcommerce):
    response = logged_in(user, csrf=True).post(
        "/stores/connect/bigcommerce", {"store_hash": "web123", "access_token": "web-token"}
    )
    assert response.status_code == 403
    assert Store.objects.filter(platform="bigcommerce").count() == 0


# --- connection health -------------------------------------------------------------------------------------------


def _bigcommerce(account, actor, name, store_hash, **health):
    store = create_store(account, name, "bigcommerce", actor).store
    BigCommerceConnection.objects.create(
        store=store,
        store_hash=store_hash,
        api_base_url=f"https://api.bigcommerce.com/stores/{store_hash}",
        access_token_encrypted="x",
        webhook_secret_encrypted="x",
        public_id=f"pub-{store_hash}",
        **health,
    )
    return store


def _rows(html: str) -> dict[str, list[str]]:
    """Each store's row as its cells' text (tags dropped, spaces collapsed), by store name."""
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        cells = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        ]
        rows[cells[0].split(" ")[0]] = cells
    return rows


def test_each_store_shows_its_connection_health(account, actor, user, make_store):
    now = timezone.now()

    def ago(**kw):
        return now - timedelta(**kw)

    _bigcommerce(
        account, actor, "Healthy", "h1", hooks_checked_at=ago(minutes=5), last_sync_at=ago(minutes=2)
    )
    _bigcommerce(
        account,
        actor,
        "Failing",
        "f1",
        hooks_checked_at=ago(minutes=5),
        last_sync_at=ago(hours=3),
        last_error="BigCommerce answered 503",
        last_error_at=ago(minutes=1),
    )
    _bigcommerce(
        account,
        actor,
        "Recovered",
        "r1",
        hooks_checked_at=ago(minutes=5),
        last_sync_at=ago(minutes=1),
        last_error="BigCommerce answered 429",
        last_error_at=ago(hours=2),
    )
    _bigcommerce(
        account,
        actor,
        "Unhooked",
        "u1",
        alert="Webhooks could not be registered (403); reconciliation still imports orders",
    )
    _bigcommerce(account, actor, "Removed", "x1", uninstalled_at=ago(days=1))
    custom = make_store("Custom")
    import_order(custom, order("1", item("1", "mug")), events.SYSTEM, now=NOW)

    rows = _rows(logged_in(user).get("/stores/").content.decode())

    assert list(rows) == ["Custom", "Failing", "Healthy", "Recovered", "Removed", "Unhooked"]
    assert rows["Healthy"][1:] == [
        "Healthy",
        f"Store-level API account connected {now:%-d %b %Y}",
        "Active checked 5 minutes ago",
        "2 minutes ago",
        "None",
        "None yet",
        "Settings",
    ]
    assert rows["Failing"][1:6] == [
        "Needs attention The last sync failed: BigCommerce answered 503",
        f"Store-level API account connected {now:%-d %b %Y}",
        "Active checked 5 minutes ago",
        "3 hours ago",
        "BigCommerce answered 503 1 minute ago",
    ]
    assert rows["Recovered"][1] == "Healthy"
    assert rows["Recovered"][5] == "BigCommerce answered 429 2 hours ago ; synced fine since"
    assert rows["Unhooked"][1:5] == [
        "Needs attention Webhooks could not be registered (403); reconciliation still imports orders",
        f"Store-level API account connected {now:%-d %b %Y}",
        "Not active",
        "Never",
    ]
    assert rows["Removed"][1:4] == [
        "Needs attention The Printbridge app is not installed in this store: no orders arrive.",
        f"Store-level API account connected {now:%-d %b %Y}",
        f"None (app uninstalled {now - timedelta(days=1):%-d %b %Y})",
    ]
    assert rows["Custom"][1:4] == [
        "Healthy",
        f"Intake API key pbs_{custom.api_key_prefix}_…",
        "Not used (the store posts its orders)",
    ]
    assert rows["Custom"][4:6] == ["—", "None"]
    assert rows["Custom"][6] == "just now"


def test_each_store_links_to_its_settings(store, user):
    html = logged_in(user).get("/stores/").content.decode()
    assert f'<a href="/stores/{store.pk}/settings/" aria-label="Settings of Shop">Settings</a>' in html


def test_another_accounts_stores_never_show(store, user, other_account):
    html = logged_in(user).get("/stores/").content.decode()
    assert list(_rows(html)) == ["Shop"]
    assert "Other shop" not in html


def test_the_connect_form_describes_its_fields(user):
    html = logged_in(user).get("/stores/").content.decode()
    assert 'aria-describedby="id_store_hash_helptext"' in html
    assert '<small id="id_store_hash_helptext" style="display:block">From your API path:' in html
