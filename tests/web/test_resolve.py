"""Resolve by variant: the queue, one Connect or Ignore with a preview of the orders it moves, then applied."""

from __future__ import annotations

from printbridge.orders import events
from printbridge.orders.models import Order, OrderEvent
from printbridge.routing.models import Connection, IgnoreRule
from tests.conftest import item
from tests.web.routing_helpers import (
    HTMX,
    body_rows,
    car,
    connect,
    errors,
    item_rows,
    logged_in,
    notices,
    receive,
    status,
    texts,
    tshirt,
)


def _changes():
    return (
        list(Order.objects.order_by("pk").values_list("status", "release_count")),
        list(Connection.objects.values_list("pk", flat=True)),
        list(IgnoreRule.objects.values_list("pk", flat=True)),
        OrderEvent.objects.count(),
    )


def _params(store, variant_id: str, **extra) -> dict:
    return {"store": store.pk, "variant": variant_id, **extra}


def test_the_queue_lists_each_not_connected_variant_with_the_orders_it_blocks(store, user, actor):
    connect(store, actor, "tshirt-m")
    receive(store, "1006", tshirt("1", "5xl"))
    receive(store, "1007", tshirt("1", "l"), tshirt("2", "5xl"))
    receive(store, "1008", tshirt("1", "l"))
    receive(store, "1009", tshirt("1", "m"))
    html = logged_in(user).get("/resolve/").content.decode()
    assert body_rows(html) == [
        "Classic T-shirt 5XL variant tshirt-5xl · product tshirt TSHIRT-5XL Shop 2 2 20.00 2 days Connect Ignore",
        "Classic T-shirt L variant tshirt-l · product tshirt TSHIRT-L Shop 2 2 20.00 2 days Connect Ignore",
    ]
    assert f'href="/resolve/variant/?store={store.pk}&amp;variant=tshirt-5xl#connect"' in html


def test_the_queue_is_empty_when_nothing_waits_and_a_foreign_store_filter_is_refused(
    store, user, other_account
):
    client = logged_in(user)
    assert body_rows(client.get("/resolve/").content.decode()) == [
        "No order is waiting for a Connect or Ignore."
    ]
    response = client.get("/resolve/", {"store": other_account[2].pk})
    assert (response.status_code, errors(response)) == (422, ["Check the filter: Choose one of your stores."])


def test_tshirts_connect_5xl_for_every_order_preview_then_confirm(store, user, actor):
    m = connect(store, actor, "tshirt-m", label="Classic T-shirt (Size: M)")
    o1006 = receive(store, "1006", tshirt("1", "5xl")).order
    o1007 = receive(store, "1007", tshirt("1", "l"), tshirt("2", "5xl")).order
    client = logged_in(user)
    page = client.get("/resolve/variant/", _params(store, "tshirt-5xl")).content.decode()
    assert texts(page, "h1") == ["Classic T-shirt 5XL"]
    assert texts(page, "li") == [
        "#1006 — Jane Doe · 10.00 USD · waiting 2 days",
        "#1007 — Jane Doe · 10.00 USD · waiting 2 days",
    ]
    assert texts(page, "label")[1] == "Classic T-shirt (Size: M) SKU TSHIRT-M · uid-tshirt-m · Shop"
    before = _changes()
    preview = client.get("/resolve/preview/", _params(store, "tshirt-5xl", action="connect", connection=m.pk))
    html = preview.content.decode()
    assert (preview.status_code, texts(html, "h1"), _changes()) == (
        200,
        ["Preview: connect Classic T-shirt 5XL to uid-tshirt-m"],
        before,
    )
    assert texts(html, "li") == [
        "1 continues (every item resolved)",
        "0 become Ignored (nothing to fulfil)",
        "1 still waits for other items",
    ]
    assert body_rows(html) == ["#1006 10.00 USD Continues", "#1007 10.00 USD Still waits for other items"]
    response = client.post("/resolve/apply", _params(store, "tshirt-5xl", action="connect", connection=m.pk))
    assert (response.status_code, response["Location"]) == (302, "/resolve/")
    queue = client.get("/resolve/")
    assert notices(queue) == [
        "Connected Classic T-shirt 5XL to uid-tshirt-m. 2 waiting orders updated: 1 continues, "
        "1 still waits for other items."
    ]
    assert body_rows(queue.content.decode()) == [
        "Classic T-shirt L variant tshirt-l · product tshirt TSHIRT-L Shop 1 1 10.00 2 days Connect Ignore"
    ]
    five = Connection.objects.get(variant_id="tshirt-5xl")
    assert (five.provider_product_uid, five.files, five.label, five.sku, five.created_by) == (
        "uid-tshirt-m", m.files, "Classic T-shirt 5XL", "TSHIRT-5XL", user,
    )  # fmt: skip
    assert (status(o1006), status(o1007)) == (("ready", 1), ("not_connected", 0))
    assert item_rows(o1007) == [
        ("1", "not_connected", "no_connection", None),
        ("2", "connected", "connection", None),
    ]
    assert list(OrderEvent.objects.filter(type="order_reevaluated").order_by("order").values_list("order", "actor", "message")) == [
        (o1006.pk, "ana@example.com", "Re-evaluated after a new connection: order complete, continues"),
        (o1007.pk, "ana@example.com", "Re-evaluated after a new connection: still waiting for other items"),
    ]  # fmt: skip


def test_tshirts_ignore_4xl_for_all_incoming_orders_preview_then_confirm(store, user, actor):
    connect(store, actor, "tshirt-m")
    o1010 = receive(store, "1010", tshirt("1", "4xl")).order
    o1011 = receive(store, "1011", tshirt("1", "m"), tshirt("2", "4xl")).order
    client = logged_in(user)
    data = _params(store, "tshirt-4xl", action="ignore_variant", reason="never printed")
    html = client.get("/resolve/preview/", data).content.decode()
    assert texts(html, "h1") == ["Preview: ignore Classic T-shirt 4XL — this variant for all incoming orders"]
    assert texts(html, "li") == [
        "1 continues (every item resolved)",
        "1 becomes Ignored (nothing to fulfil)",
        "0 still wait for other items",
    ]
    queue = client.get(client.post("/resolve/apply", data)["Location"])
    assert notices(queue) == [
        "Ignored Classic T-shirt 4XL: this variant for all incoming orders. 2 waiting orders updated: "
        "1 continues, 1 now Ignored (nothing to fulfil)."
    ]
    rule = IgnoreRule.objects.get()
    assert (rule.scope, rule.variant_id, rule.label, rule.reason, rule.created_by) == (
        "variant", "tshirt-4xl", "Classic T-shirt 4XL", "never printed", user,
    )  # fmt: skip
    assert (status(o1010), status(o1011)) == (("ignored", 0), ("ready", 1))


def test_cars_ignore_the_product_in_all_variants_from_one_variant(store, user, actor):
    connect(store, actor, "wall-art-a3", "wall-art")
    o901 = receive(store, "901", car("1", "blue")).order
    o902 = receive(store, "902", car("1", "blue"), item("2", "wall-art-a3", "wall-art", "Wall art A3")).order
    o903 = receive(store, "903", car("1", "red"), tshirt("2", "l")).order
    client = logged_in(user)
    data = _params(store, "car-blue", action="ignore_product", reason="other supplier")
    html = client.get("/resolve/preview/", data).content.decode()
    assert texts(html, "h1") == ["Preview: ignore Toy car — this product in all variants"]
    assert body_rows(html) == [
        "#901 10.00 USD Ignored (nothing to fulfil)",
        "#902 10.00 USD Continues",
        "#903 10.00 USD Still waits for other items",
    ]
    queue = client.get(client.post("/resolve/apply", data)["Location"])
    assert notices(queue) == [
        "Ignored Toy car: this product in all variants. 3 waiting orders updated: 1 continues, "
        "1 now Ignored (nothing to fulfil), 1 still waits for other items."
    ]
    rule = IgnoreRule.objects.get()
    assert (rule.scope, rule.product_id, rule.variant_id, rule.label) == ("product", "car", "", "Toy car")
    assert [status(o) for o in (o901, o902, o903)] == [("ignored", 0), ("ready", 1), ("not_connected", 0)]


def test_preview_and_confirm_refuse_an_incomplete_choice_with_422_and_change_nothing(store, user, actor):
    receive(store, "1006", tshirt("1", "5xl"))
    client = logged_in(user)
    before = _changes()
    preview = client.get("/resolve/preview/", _params(store, "tshirt-5xl", action="connect"))
    assert (preview.status_code, errors(preview)) == (
        422,
        ["Nothing was changed. Choose a connected product to connect it to."],
    )
    assert texts(preview.content.decode(), "h1") == ["Classic T-shirt 5XL"]
    confirm = client.post("/resolve/apply", _params(store, "tshirt-5xl", action="delete"))
    assert (confirm.status_code, errors(confirm)) == (
        422,
        ["Nothing was changed. Choose Connect or one of the Ignore options."],
    )
    assert _changes() == before


def test_confirming_a_variant_that_no_longer_waits_says_so_and_changes_nothing(store, user, actor):
    m = connect(store, actor, "tshirt-m")
    client = logged_in(user)
    before = _changes()
    response = client.post("/resolve/apply", _params(store, "tshirt-5xl", action="connect", connection=m.pk))
    assert (response.status_code, response["Location"]) == (302, "/resolve/")
    assert notices(client.get("/resolve/")) == [
        "No order waits for this variant any more; nothing was changed."
    ]
    assert _changes() == before


def test_live_search_on_the_variant_page_answers_a_partial(store, user, actor):
    connect(store, actor, "tshirt-m", label="Classic T-shirt (Size: M)")
    mug = connect(store, actor, "mug-white", "mug", label="White mug")
    receive(store, "1006", tshirt("1", "5xl"))
    client = logged_in(user)
    partial = client.get("/resolve/variant/choices", _params(store, "tshirt-5xl", q="mug"), headers=HTMX)
    html = partial.content.decode()
    assert (partial.status_code, html.startswith('<div id="variant-choices"')) == (200, True)
    assert texts(html, "label") == ["White mug SKU MUG-WHITE · uid-mug-white · Shop"]
    assert f'id="variant-connection-{mug.pk}"' in html
    full = client.get("/resolve/variant/", _params(store, "tshirt-5xl", q="mug")).content.decode()
    assert texts(full, "label")[1:3] == [
        "White mug SKU MUG-WHITE · uid-mug-white · Shop",
        "this variant for all incoming orders",
    ]


def test_another_accounts_store_or_a_variant_nothing_waits_for_is_404(store, user, actor, other_account):
    account, other_user, other_store = other_account
    from printbridge.stores.services import update_settings

    update_settings(
        account.pk, other_store.pk, {"import_not_connected": True}, events.Actor.for_user(other_user)
    )
    receive(other_store, "9003", tshirt("1", "5xl"))
    m = connect(store, actor, "tshirt-m")
    client = logged_in(user)
    foreign = _params(other_store, "tshirt-5xl", action="connect", connection=m.pk)
    before = _changes()
    answers = [
        client.get("/resolve/variant/", foreign).status_code,
        client.get("/resolve/variant/choices", foreign).status_code,
        client.get("/resolve/preview/", foreign).status_code,
        client.post("/resolve/apply", foreign).status_code,
        client.get("/resolve/variant/", _params(store, "tshirt-5xl")).status_code,
        client.get("/resolve/variant/", {"store": store.pk}).status_code,
    ]
    assert (answers, _changes()) == ([404] * 6, before)


def test_confirm_without_the_csrf_token_is_refused(store, user, actor):
    m = connect(store, actor, "tshirt-m")
    receive(store, "1006", tshirt("1", "5xl"))
    before = _changes()
    response = logged_in(user, csrf=True).post(
        "/resolve/apply", _params(store, "tshirt-5xl", action="connect", connection=m.pk)
    )
    assert (response.status_code, _changes()) == (403, before)
