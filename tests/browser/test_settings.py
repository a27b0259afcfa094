"""A store's settings page in a real browser: Save Changes, and a refused save that changes nothing."""

from __future__ import annotations

from playwright.sync_api import expect

from printbridge.stores.models import StoreSettings
from tests.browser.conftest import log_in
from tests.browser.helpers import notice

SAVED = "Changes saved."


def _saved(store) -> tuple:
    s = StoreSettings.objects.get(store=store)
    return s.import_not_connected, s.approval_mode, s.approval_delay_hours, s.notification_recipients


def test_save_changes_stores_the_import_setting_and_the_approval_mode(page, merchant):
    store = merchant[2]
    log_in(page)
    page.goto(f"/stores/{store.pk}/settings/")
    import_not_connected = page.get_by_label("Import not connected orders")
    expect(import_not_connected).to_be_checked()
    expect(page.get_by_label("Instant")).to_be_checked()
    import_not_connected.uncheck()
    page.get_by_label("Delayed", exact=True).check()
    page.get_by_label("Delay for delayed approval").select_option(label="12 hours")
    page.get_by_role("button", name="Save Changes").click()
    expect(notice(page)).to_have_text(SAVED)
    assert _saved(store) == (False, "delayed", 12, [])
    expect(import_not_connected).not_to_be_checked()
    expect(page.get_by_label("Delayed", exact=True)).to_be_checked()
    expect(page.get_by_label("Delay for delayed approval")).to_have_value("12")

    import_not_connected.check()
    page.get_by_label("Manual").check()
    page.get_by_role("button", name="Save Changes").click()
    expect(notice(page)).to_have_text(SAVED)
    assert _saved(store) == (True, "manual", 12, [])
    expect(import_not_connected).to_be_checked()
    expect(page.get_by_label("Manual")).to_be_checked()


def test_an_invalid_recipient_shows_the_field_error_and_saves_nothing(page, merchant):
    store = merchant[2]
    before = _saved(store)
    log_in(page)
    page.goto(f"/stores/{store.pk}/settings/")
    page.get_by_label("Import not connected orders").uncheck()
    recipients = page.get_by_label("Notification recipients")
    recipients.fill("ops@example.com, not-an-email")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Save Changes").click()
    assert answer.value.status == 422
    expect(page.get_by_role("alert")).to_have_text(
        "Nothing was saved. Please correct: Notification recipients: Not an e-mail address: not-an-email"
    )
    expect(
        page.get_by_text("Not an e-mail address: not-an-email", exact=True)
    ).to_be_visible()  # by the field
    expect(recipients).to_have_attribute("aria-invalid", "true")
    expect(recipients).to_have_value("ops@example.com, not-an-email")  # what was typed is kept to correct it
    expect(notice(page)).to_have_count(0)
    assert _saved(store) == before == (True, "instant", 24, [])
