"""Browser tests: Playwright driving Debian's Chromium against a live Printbridge server.

`make test` deselects them (and says so) when Chromium is missing; CI installs it. Chromium is started with
the flags this machine needs: no sandbox (root), no GPU, and no background networking (nothing leaves 127.0.0.1).
"""

from __future__ import annotations

import os

import pytest

from printbridge.orders import events
from printbridge.stores.services import create_account

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "browser-pass-1"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def merchant(transactional_db):
    """An account with an owner who logs in with a password, and a custom store."""
    from printbridge.stores.services import create_store, update_settings

    account, user = create_account("Browser Prints", "ana@example.com", PASSWORD)
    actor = events.Actor.for_user(user)
    store = create_store(account, "Browser shop", "custom", actor).store
    update_settings(account.pk, store.pk, {"import_not_connected": True}, actor)
    return account, user, store


def log_in(page, email: str = "ana@example.com", password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)
