"""Logging in and out in a real browser, and what the server refuses."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in


def test_a_merchant_logs_in_and_out(page, merchant):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    page.get_by_label("E-mail").fill("ana@example.com")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Your e-mail and password did not match. Please try again."
    )
    log_in(page)
    expect(page).to_have_url(re.compile(r"/$"))
    page.get_by_role("button", name="Log out").click()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


def test_a_form_posted_without_its_csrf_token_is_rejected(page, merchant):
    log_in(page)
    response = page.request.post("/logout/", form={})  # the session cookie, but no CSRF token
    assert response.status == 403
    page.goto("/")
    expect(page).not_to_have_url(re.compile(r"/login/"))  # still logged in: the forged POST did nothing
