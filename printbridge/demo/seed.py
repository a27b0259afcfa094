"""Demo data: an account, its owner, a custom store, and sample orders covering the seed's three examples."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from printbridge.orders import events, rules
from printbridge.orders.incoming import IncomingItem, IncomingOrder
from printbridge.orders.services import VariantRef, create_connection, ensure_ignore_rule, import_order
from printbridge.stores.models import Account, Store
from printbridge.stores.services import create_account, create_store, update_settings

DEMO_EMAIL = "demo@printbridge.local"
DEMO_PASSWORD = "printbridge-demo"
ACCOUNT_NAME = "Demo Prints"
ADDRESS = {
    "first_name": "Jane",
    "last_name": "Doe",
    "address1": "1 Main St",
    "city": "Austin",
    "state": "TX",
    "postal_code": "78701",
    "country_code": "US",
}
TSHIRT_UID = "apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic_gsi_{size}_gco_white_gpr_4-4"
WALL_ART_UID = "flat_product_pf_a3_pt_200-gsm-uncoated_cl_4-0_ct_none_prt_none_sft_none_set_none_ver"


@dataclass(frozen=True)
class Demo:
    account: Account
    store: Store
    api_key: str


def tshirt(size: str, item_id: str) -> IncomingItem:
    return IncomingItem(
        item_id,
        "tshirt",
        f"tshirt-{size.lower()}",
        "Classic T-shirt",
        1,
        f"TS-{size}",
        Decimal("19.00"),
        (("Size", size),),
    )


def seed() -> Demo | None:
    """Create the demo data once; returns None when it already exists."""
    if Account.objects.filter(name=ACCOUNT_NAME).exists():
        return None
    account, user = create_account(ACCOUNT_NAME, DEMO_EMAIL, DEMO_PASSWORD)
    actor = events.Actor.for_user(user)
    new = create_store(account, "Demo custom store", Store.Platform.CUSTOM, actor)
    update_settings(account.pk, new.store.pk, {"import_not_connected": True}, actor)
    _routing(new.store, actor)
    for order in _orders():  # imported a minute after it was placed, as a webhook would have brought it
        import_order(
            new.store, order, events.Actor.system("demo data"), now=order.placed_at + timedelta(minutes=1)
        )
    return Demo(account, new.store, new.api_key)


def _routing(store: Store, actor: events.Actor) -> None:
    create_connection(
        store,
        VariantRef("tshirt", "tshirt-m", "TS-M", "Classic T-shirt (Size: M)"),
        TSHIRT_UID.format(size="m"),
        {"default": "https://example.com/designs/logo.png"},
        actor,
    )
    create_connection(
        store,
        VariantRef("wall-art", "wall-art-a3", "WA-A3", "Wall art A3"),
        WALL_ART_UID,
        {"default": "https://example.com/designs/poster.pdf"},
        actor,
    )
    ensure_ignore_rule(
        store,
        rules.IgnoreScope.VARIANT,
        VariantRef("tshirt", "tshirt-4xl", "TS-4XL", "Classic T-shirt (Size: 4XL)"),
        "4XL is printed locally",
        actor,
    )
    ensure_ignore_rule(
        store,
        rules.IgnoreScope.PRODUCT,
        VariantRef("car", "car-red", "", "Toy car"),
        "Cars come from another supplier",
        actor,
    )


def _order(number: str, hours_ago: int, *items: IncomingItem) -> IncomingOrder:
    total = sum((i.unit_price * i.quantity for i in items), Decimal("0"))
    return IncomingOrder(
        number,
        number,
        timezone.now() - timedelta(hours=hours_ago),
        "USD",
        items,
        f"Customer {number}",
        f"customer{number}@example.com",
        ADDRESS,
        total,
        total,
    )


def car(colour: str, item_id: str) -> IncomingItem:
    return IncomingItem(
        item_id,
        "car",
        f"car-{colour}",
        "Toy car",
        1,
        f"CAR-{colour.upper()}",
        Decimal("25.00"),
        (("Colour", colour.capitalize()),),
    )


def _orders() -> list[IncomingOrder]:
    local = IncomingItem(
        "1", "candle", "candle", "Scented candle (local supplier)", 1, "CANDLE", Decimal("12.00")
    )
    wall_art = IncomingItem("1", "wall-art", "wall-art-a3", "Wall art A3", 1, "WA-A3", Decimal("30.00"))
    return [
        _order("1000", 50, local, tshirt("M", "2")),
        _order("1001", 30, tshirt("M", "1"), tshirt("4XL", "2"), tshirt("5XL", "3")),
        _order("1002", 28, tshirt("4XL", "1")),
        _order("1003", 26, car("red", "1")),
        _order("1004", 24, car("blue", "1")),
        _order("1005", 20, wall_art, car("red", "2")),
        _order("1006", 10, tshirt("5XL", "1")),
        _order("1007", 5, tshirt("L", "1"), tshirt("5XL", "2")),
        _order("1008", 2, tshirt("M", "1")),
    ]
