"""The app shell: login required, the main navigation, the account switcher, logout, messages."""

import re

import pytest
from django.test import Client

from printbridge.orders import events
from printbridge.orders.services import import_order
from printbridge.stores.models import Account
from printbridge.stores.services import create_account, create_store, update_settings
from printbridge.web.templatetags import pb_shell
from tests.conftest import NOW, item, order


def logged_in(user, csrf=False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def _nav(html: str) -> list[tuple[str, str, bool]]:
    nav = html[html.index('<nav class="pb-nav"') : html.index("</nav>")]
    links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav)
    return [(href, label, bool(current)) for href, current, label in links]


@pytest.fixture
def second_account(user, actor):
    """The same user is also a member of a second account, with its own store and order."""
    account, same_user = create_account("Beta Merch", user.email)
    assert same_user == user
    shop = create_store(account, "Beta shop", "custom", actor).store
    update_settings(account.pk, shop.pk, {"import_not_connected": True}, actor)
    import_order(shop, order("B-1", item("1", "mug-red")), events.SYSTEM, now=NOW)
    return account


@pytest.mark.parametrize("path", ["/", "/orders/", "/stores/"])
def test_every_page_needs_a_login(db, path):
    response = Client().get(path)
    assert (response.status_code, response["Location"]) == (302, f"/login/?next={path}")


def test_the_login_page_has_no_navigation_and_logs_in(user):
    client = Client()
    page = client.get("/login/").content.decode()
    assert 'class="pb-nav"' not in page and "Log out" not in page
    assert '<a class="pb-skip" href="#main">Skip to main content</a>' in page
    response = client.post("/login/", {"username": "ana@example.com", "password": "s3cret-pass"})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_the_shell_has_a_skip_link_navigation_and_the_vendored_htmx(store, user):
    html = logged_in(user).get("/orders/").content.decode()
    assert '<a class="pb-skip" href="#main">Skip to main content</a>' in html
    assert '<main id="main" tabindex="-1">' in html
    assert '<script src="/static/web/htmx.min.js" defer></script>' in html
    assert _nav(html) == [
        ("/", "Dashboard", False),
        ("/orders/", "Orders", True),
        ("/resolve/", "Resolve", False),
        ("/rules/", "Rules", False),
        ("/connections/", "Connections", False),
        ("/catalog/", "Catalog", False),
        ("/audit/", "Audit", False),
        ("/stores/", "Stores", False),
        ("/mail/", "E-mails", False),
    ]


def test_the_order_page_belongs_to_the_orders_section(store, user):
    created = import_order(store, order("77", item("1", "mug-red")), events.SYSTEM, now=NOW).order
    html = logged_in(user).get(f"/orders/{created.pk}/").content.decode()
    assert [label for _, label, current in _nav(html) if current] == ["Orders"]


def test_the_navigation_skips_pages_that_do_not_exist_yet(store, user, monkeypatch):
    monkeypatch.setattr(
        pb_shell, "NAV", (("home", "Dashboard", ("home",)), ("not-built", "Not built", ("not-built",)))
    )
    html = logged_in(user).get("/").content.decode()
    assert _nav(html) == [("/", "Dashboard", True)]
    assert pb_shell.optional_url("not-built") == ""
    assert pb_shell.optional_url("store-settings", store.pk) == f"/stores/{store.pk}/settings/"


def test_the_vendored_htmx_is_served_from_the_app(db):
    from django.contrib.staticfiles import finders

    path = finders.find("web/htmx.min.js")
    assert path is not None and path.endswith("printbridge/web/static/web/htmx.min.js")
    with open(path) as f:
        assert 'version:"2.0.10"' in f.read()


def test_a_user_in_one_account_sees_its_name_and_no_switcher(store, user):
    html = logged_in(user).get("/").content.decode()
    assert '<span><span class="pb-visually-hidden">Account: </span>Acme Prints</span>' in html
    assert 'action="/account/switch"' not in html


def test_a_user_in_two_accounts_gets_a_switcher_with_the_current_one_selected(store, user, second_account):
    html = logged_in(user).get("/").content.decode()
    assert '<label for="pb-account">Account</label>' in html
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]+)</option>', html)
    account = Account.objects.get(name="Acme Prints")
    assert options == [
        (str(account.pk), " selected", "Acme Prints"),
        (str(second_account.pk), "", "Beta Merch"),
    ]


def test_switching_to_a_member_account_shows_its_data_only(store, user, second_account):
    import_order(store, order("A-1", item("1", "tshirt-m")), events.SYSTEM, now=NOW)
    client = logged_in(user)
    response = client.post("/account/switch", {"account": second_account.pk})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.session["account_id"] == second_account.pk
    home = client.get("/").content.decode()
    assert "<h1>Dashboard <small>— Beta Merch</small></h1>" in home
    assert home.count("You are now working in Beta Merch.") == 1
    orders = client.get("/orders/").content.decode()
    assert re.findall(r'href="/orders/\d+/">#([^<]+)</a>', orders) == ["B-1"]


def test_switching_to_an_account_the_user_is_not_in_is_404_and_changes_nothing(store, user, other_account):
    client = logged_in(user)
    response = client.post("/account/switch", {"account": other_account[0].pk})
    assert response.status_code == 404
    assert "account_id" not in client.session
    assert "<h1>Dashboard <small>— Acme Prints</small></h1>" in client.get("/").content.decode()


@pytest.mark.parametrize("value", ["", "abc", "0", "-3"])
def test_a_malformed_account_is_404(user, value):
    client = logged_in(user)
    assert client.post("/account/switch", {"account": value}).status_code == 404
    assert "account_id" not in client.session


def test_switching_without_the_csrf_token_is_refused(user, second_account):
    client = logged_in(user, csrf=True)
    response = client.post("/account/switch", {"account": second_account.pk})
    assert response.status_code == 403
    assert "account_id" not in client.session


def test_switching_is_a_post_and_needs_a_login(user, second_account):
    assert logged_in(user).get("/account/switch").status_code == 405
    response = Client().post("/account/switch", {"account": second_account.pk})
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/account/switch")


def test_log_out_ends_the_session(store, user):
    client = logged_in(user)
    html = client.get("/").content.decode()
    assert '<form method="post" action="/logout/">' in html
    response = client.post("/logout/")
    assert (response.status_code, response["Location"]) == (302, "/login/")
    assert client.get("/")["Location"] == "/login/?next=/"


def _page_with_message(rf, user, content: str) -> str:
    from django.contrib import messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.template import RequestContext, Template

    request = rf.get("/")
    request.user, request.session = user, SessionStore()
    request._messages = FallbackStorage(request)
    messages.success(request, "Changes saved.")
    template = Template('{% extends "web/base.html" %}{% block content %}' + content + "{% endblock %}")
    return template.render(RequestContext(request))


def test_the_shell_shows_the_messages_before_the_page_content(rf, user):
    page = _page_with_message(rf, user, "<h1>Page</h1>")
    assert (
        '<main id="main" tabindex="-1">\n<div class="pb-messages" role="status" tabindex="-1" autofocus>\n'
        '  <p class="pb-notice">Changes saved.</p>\n</div>\n<h1>Page</h1>'
    ) in page


def test_a_page_that_lists_the_messages_itself_gets_no_second_copy(rf, user):
    page = _page_with_message(rf, user, "{% for m in messages %}<p>own: {{ m }}</p>{% endfor %}")
    assert page.count("Changes saved.") == 1
    assert "<p>own: Changes saved.</p>" in page and 'class="pb-messages"' not in page
