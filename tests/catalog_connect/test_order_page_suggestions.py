"""Connect to existing on the order page: up to three suggested connected products above the list, each with its
reason and a one-click Connect (a POST to the order's Connect with that connection)."""

from __future__ import annotations

import re
from html import unescape

from django.test import Client

from printbridge.orders.models import Order
from printbridge.orders.services import VariantRef, create_connection
from tests.catalog_connect.conftest import receive, tee


def connect(store, actor, variant_id, sku, label, options, uid, product_id="tshirt"):
    return create_connection(
        store,
        VariantRef(product_id, variant_id, sku, label, options),
        uid,
        {"default": f"https://e.test/{uid}.png"},
        actor,
    )


def suggestions_of(html: str) -> list[str]:
    block = re.search(r'<div class="pb-suggestions".*?</div>', html, re.S)
    if block is None:
        return []
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", li)).split())
        for li in re.findall(r"<li>(.*?)</li>", block.group(0), re.S)
    ]


def test_the_three_best_suggestions_are_shown_with_their_reason_and_one_click_connects(store, actor, user):
    m = connect(store, actor, "tshirt-m", "TS-M", "Classic T-shirt (Size: M)", (("Size", "M"),), "uid-m")
    connect(store, actor, "tshirt-l", "TS-L", "Classic T-shirt (Size: L)", (("Size", "L"),), "uid-l")
    connect(
        store, actor, "hoodie-m", "HD-M", "Classic hoodie (Size: M)", (("Size", "M"),), "uid-hoodie", "hoodie"
    )
    connect(store, actor, "tote", "TOTE", "Tote bag", (), "uid-tote", "tote")
    connect(store, actor, "tshirt-s", "TS-5XL", "Old tee (Size: S)", (("Size", "S"),), "uid-same-sku", "old")
    o = receive(store, "1001", tee("1", "5XL"))
    client = Client()
    client.force_login(user)

    html = client.get(f"/orders/{o.pk}/").content.decode()

    assert suggestions_of(html) == [
        "Old tee (Size: S) → uid-same-sku (same SKU) Connect to Old tee (Size: S)",
        "Classic T-shirt (Size: L) → uid-l (same product) Connect to Classic T-shirt (Size: L)",
        "Classic T-shirt (Size: M) → uid-m (same product) Connect to Classic T-shirt (Size: M)",
    ]
    response = client.post(
        f"/orders/{o.pk}/items/{o.items.get().pk}/connect", {"connection": m.pk}, follow=True
    )

    assert [str(x) for x in response.context["messages"]] == [
        "Connected Classic T-shirt (Size: 5XL) to uid-m. Order #1001 continues: 1 item released for fulfilment."
    ]
    item = Order.objects.get(pk=o.pk).items.get()
    assert (item.state, item.connection.provider_product_uid, item.connection.variant_id) == (
        "connected",
        "uid-m",
        "tshirt-5xl",
    )


def test_without_connected_products_no_suggestion_is_shown(store, user):
    o = receive(store, "1001", tee("1", "5XL"))
    client = Client()
    client.force_login(user)

    html = client.get(f"/orders/{o.pk}/").content.decode()

    assert suggestions_of(html) == []
    assert "Suggested" not in html
