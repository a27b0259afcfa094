"""Connect to existing: connected products ranked by the same SKU, then by name and option similarity."""

from __future__ import annotations

import pytest

from printbridge.orders import events
from printbridge.orders.incoming import IncomingItem
from printbridge.orders.services import VariantRef, create_connection, import_order
from printbridge.routing.models import Connection
from printbridge.routing.suggestions import Wanted, split_label, suggest_connections
from printbridge.stores.models import StoreSettings
from tests.conftest import NOW, order

SHIRT_FILES = {"front": "https://designs.example.com/shirt.png"}


@pytest.fixture
def connected(store, actor):
    """Connections made in this order (pk ascending); returns them by key."""

    def connect(key, product, variant, sku, label, options, uid, files=None):
        ref = VariantRef(product, variant, sku, label, options)
        return key, create_connection(
            store, ref, uid, files or {"front": f"https://designs.example.com/{key}.png"}, actor
        )

    made = dict(
        [
            connect(
                "tee_m_white",
                "tshirt",
                "ts-m-wht",
                "TS-M-WHT",
                "Classic T-shirt (Size: M, Colour: White)",
                (("Size", "M"), ("Colour", "White")),
                "uid-tshirt-m",
                SHIRT_FILES,
            ),
            connect(
                "tee_l_white",
                "tshirt",
                "ts-l-wht",
                "TS-L-WHT",
                "Classic T-shirt (Size: L, Colour: White)",
                (("Size", "L"), ("Colour", "White")),
                "uid-tshirt-l",
            ),
            connect(
                "hoodie",
                "hoodie",
                "hd-m-red",
                "HD-M-RED",
                "Classic Hoodie (Size: M, Colour: Red)",
                (("Size", "M"), ("Colour", "Red")),
                "uid-hoodie-m",
            ),
            connect(
                "mug",
                "mug",
                "mug-red",
                "MUG-RED",
                "Ceramic mug (Colour: Red)",
                (("Colour", "Red"),),
                "uid-mug",
            ),
            connect(
                "old_tee",
                "old-tee",
                "old-1",
                "TS-M-RED",
                "Tee (old) (Size: M, Colour: Red)",
                (("Size", "M"), ("Colour", "Red")),
                "uid-old",
            ),
            connect(
                "tee_m_black",
                "tshirt",
                "ts-m-blk",
                "TS-M-BLK",
                "Classic T-shirt (Size: M, Colour: Black)",
                (("Size", "M"), ("Colour", "Black")),
                "uid-tshirt-m",
                SHIRT_FILES,
            ),
            connect(
                "tee_xl_blue",
                "tshirt",
                "ts-xl-blu",
                "TS-XL-BLU",
                "Classic T-shirt (Size: XL, Colour: Blue)",
                (("Size", "XL"), ("Colour", "Blue")),
                "uid-tshirt-xl",
            ),
            connect(
                "flagged",
                "tshirt",
                "ts-s-red",
                "TS-S-RED",
                "Classic T-shirt (Size: S, Colour: Red)",
                (("Size", "S"), ("Colour", "Red")),
                "uid-tshirt-s",
            ),
        ]
    )
    Connection.objects.filter(pk=made["flagged"].pk).update(needs_review=True, review_reason="SKU changed")
    return made


WANTED = Wanted("tshirt", "ts-m-red", "TS-M-RED", "Classic T-shirt", (("Size", "M"), ("Colour", "Red")))


def test_same_sku_first_then_name_and_options_top_five_one_per_fulfilment_product(store, connected):
    found = suggest_connections(store, WANTED)

    assert [(s.connection_id, s.score, s.reason) for s in found] == [
        (connected["old_tee"].pk, 1.0, "same SKU"),
        (connected["hoodie"].pk, 0.81, "similar name (Classic Hoodie), size M, colour Red"),
        (connected["tee_m_black"].pk, 0.8, "same product, size M"),
        (connected["tee_xl_blue"].pk, 0.6, "same product"),
        (connected["tee_l_white"].pk, 0.6, "same product"),
    ]
    assert [s.provider_product_uid for s in found] == [
        "uid-old",
        "uid-hoodie-m",
        "uid-tshirt-m",
        "uid-tshirt-xl",
        "uid-tshirt-l",
    ]


def test_weak_matches_and_flagged_or_removed_connections_are_not_suggested(store, connected):
    Connection.objects.filter(pk=connected["old_tee"].pk).update(disconnected_at=NOW)

    found = suggest_connections(store, WANTED, limit=10)

    assert [s.connection_id for s in found] == [
        connected["hoodie"].pk,
        connected["tee_m_black"].pk,
        connected["tee_xl_blue"].pk,
        connected["tee_l_white"].pk,
    ]  # not the Ceramic mug: it shares the colour Red, but its name is too far from Classic T-shirt


def test_a_variant_without_options_is_matched_by_name(store, connected):
    found = suggest_connections(store, Wanted("candle", "candle", "CANDLE", "Classic T-shirt"))

    assert [(s.score, s.reason) for s in found] == [
        (1.0, "same name"),
        (1.0, "same name"),
        (1.0, "same name"),
        (0.69, "similar name (Classic Hoodie)"),
    ]  # Ceramic mug (0.38 alike) is below the name floor


def test_labels_without_recorded_options_are_split_into_name_and_options():
    assert split_label("Classic T-shirt (Size: M, Colour: Red)", None) == (
        "Classic T-shirt",
        (("Size", "M"), ("Colour", "Red")),
    )
    assert split_label("Printable wall art (download)", None) == ("Printable wall art (download)", ())
    assert split_label("Mug (Size: 11 oz)", [{"name": "Size", "value": "15 oz"}]) == (
        "Mug",
        (("Size", "15 oz"),),
    )


def test_the_api_suggests_for_an_order_item_with_the_url_to_accept(store, connected, api):
    item = IncomingItem(
        "1",
        "tshirt",
        "ts-m-red",
        "Classic T-shirt",
        1,
        "TS-M-RED",
        options=(("Size", "M"), ("Colour", "Red")),
    )
    imported = import_order(store, order("5001", item), events.SYSTEM, NOW).order
    line = imported.items.get()

    response = api.get(f"/api/v1/orders/{imported.pk}/items/{line.pk}/suggestions")

    assert response.status_code == 200
    body = response.json()
    assert [s["connection_id"] for s in body] == [
        connected[key].pk for key in ("old_tee", "hoodie", "tee_m_black", "tee_xl_blue", "tee_l_white")
    ]
    assert body[0] == {
        "connection_id": connected["old_tee"].pk,
        "provider_product_uid": "uid-old",
        "files": {"front": "https://designs.example.com/old_tee.png"},
        "label": "Tee (old) (Size: M, Colour: Red)",
        "sku": "TS-M-RED",
        "score": 1.0,
        "reason": "same SKU",
        "accept_url": f"/api/v1/orders/{imported.pk}/items/{line.pk}/connect",
    }
    accepted = api.post(body[0]["accept_url"], {"connection_id": body[0]["connection_id"]})
    assert accepted.status_code == 200
    line.refresh_from_db()
    assert (line.state, line.connection.provider_product_uid) == ("connected", "uid-old")


def test_another_accounts_order_item_is_404(store, connected, other_account, api):
    _, _, foreign = other_account
    StoreSettings.objects.filter(store=foreign).update(import_not_connected=True)
    item = IncomingItem("1", "tshirt", "ts-m-red", "Classic T-shirt", 1, "TS-M-RED")
    imported = import_order(foreign, order("9001", item), events.SYSTEM, NOW).order

    response = api.get(f"/api/v1/orders/{imported.pk}/items/{imported.items.get().pk}/suggestions")

    assert (response.status_code, response.json()) == (404, {"detail": "No such order item"})


def test_a_shared_colour_alone_does_not_make_another_product_a_suggestion(store, actor):
    from printbridge.orders.services import VariantRef, create_connection
    from printbridge.routing.suggestions import Wanted, suggest_connections

    shirt = VariantRef("tshirt", "tshirt-5xl-red", "TS-5XL-RED", "Classic T-shirt (Size: 5XL, Colour: Red)")
    create_connection(store, shirt, "uid-shirt", {}, actor)
    car = Wanted("car", "car-red", "CAR-RED", "Toy car", (("Colour", "Red"),))
    assert suggest_connections(store, car) == []
