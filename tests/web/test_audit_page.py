"""The audit log page: every change of the account with who, what and why; filters and pages."""

from __future__ import annotations

from printbridge.orders import events, rules
from printbridge.orders.models import OrderEvent
from printbridge.orders.services import ignore_item
from printbridge.stores.services import update_settings
from printbridge.web.views import audit
from tests.web.routing_helpers import body_rows, errors, line, logged_in, receive, tshirt


def _rows(response) -> list[str]:
    """Each row without its time: who, event, what and why, order."""
    return [row.split(" ", 4)[4] for row in body_rows(response.content.decode()) if row != "No events match."]


def _completed_order(store, account, actor):
    o = receive(store, "1000", tshirt("1", "xl")).order
    ignore_item(account.pk, o.pk, line(o, "1").pk, rules.IgnoreScope.ITEM, actor)
    return o


def test_the_audit_log_lists_an_orders_events_newest_first_with_who_what_and_why(store, account, user, actor):
    o = _completed_order(store, account, actor)
    receive(store, "1001", tshirt("1", "xl"))
    response = logged_in(user).get("/audit/", {"order": "#1000"})
    assert (response.status_code, _rows(response)) == (
        200,
        [
            "ana@example.com Order Completed Order complete: now Ignored (nothing to fulfil) #1000",
            "ana@example.com Item Ignored Ignored Classic T-shirt XL: this item for this order #1000",
            "custom store API Order Held Held: 1 item(s) not connected (Classic T-shirt XL); Import not connected "
            "orders is on #1000",
            "custom store API Order Imported Imported as Not connected #1000",
        ],
    )
    assert f'<a href="/orders/{o.pk}/">#1000</a>' in response.content.decode()


def test_the_audit_log_filters_by_event_type_and_by_who(store, account, user, actor):
    _completed_order(store, account, actor)
    client = logged_in(user)
    assert _rows(client.get("/audit/", {"type": "item_ignored"})) == [
        "ana@example.com Item Ignored Ignored Classic T-shirt XL: this item for this order #1000"
    ]
    assert _rows(client.get("/audit/", {"actor": "store api", "type": "order_imported"})) == [
        "custom store API Order Imported Imported as Not connected #1000"
    ]
    assert _rows(client.get("/audit/", {"order": "999"})) == []
    assert body_rows(client.get("/audit/", {"order": "999"}).content.decode()) == ["No events match."]


def test_the_audit_log_pages_newest_first(store, account, user, actor, monkeypatch):
    monkeypatch.setattr(audit, "PAGE_SIZE", 3)
    o = _completed_order(store, account, actor)
    client = logged_in(user)
    first = client.get("/audit/", {"order": "1000"})
    ids = list(OrderEvent.objects.filter(order=o).order_by("-pk").values_list("pk", flat=True))
    assert [r.split(" ", 1)[0] for r in _rows(first)] == ["ana@example.com", "ana@example.com", "custom"]
    html = first.content.decode()
    assert f'<a href="?order=1000&amp;before={ids[2]}">Older →</a>' in html
    second = client.get("/audit/", {"order": "1000", "before": ids[2]})
    assert (_rows(second), "Older →" in second.content.decode()) == (
        ["custom store API Order Imported Imported as Not connected #1000"],
        False,
    )
    assert '<a href="?order=1000">← Newest</a>' in second.content.decode()


def test_the_audit_log_shows_only_the_accounts_events_and_refuses_an_unknown_type(user, other_account, store):
    account, other_user, other_store = other_account
    update_settings(
        account.pk, other_store.pk, {"import_not_connected": True}, events.Actor.for_user(other_user)
    )
    receive(other_store, "9003", tshirt("1", "xl"))
    client = logged_in(user)
    assert _rows(client.get("/audit/", {"order": "9003"})) == []
    foreign = OrderEvent.objects.filter(account=account).values_list("message", flat=True)
    assert "Store Other shop created" in foreign
    assert _rows(client.get("/audit/")) == [
        "ana@example.com Settings Changed Settings changed: import_not_connected —",
        "ana@example.com Store Created Store Shop created —",
    ]
    refused = client.get("/audit/", {"type": "order_deleted"})
    assert (refused.status_code, errors(refused)) == (
        422,
        ["Check the filter: Choose an event type from the list."],
    )


def test_the_audit_log_needs_a_login(db):
    from django.test import Client

    response = Client().get("/audit/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/audit/")
