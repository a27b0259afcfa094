"""The demo's BigCommerce store: the emulator's store `demo1`, connected like a merchant would, with a few
variants connected so that generated orders show every outcome (ready, Not connected, ignored)."""

from __future__ import annotations

from django.db.models import IntegerField, Max
from django.db.models.functions import Cast

from printbridge.ingestion.services.stores import Connected, connect_bigcommerce
from printbridge.orders import events, rules
from printbridge.orders.models import Order
from printbridge.orders.services import VariantRef, create_connection, ensure_ignore_rule
from printbridge.orders.services.routing_changes import active_connection
from printbridge.stores.models import Account, BigCommerceConnection
from printbridge.stores.services import update_settings

STORE_HASH, TOKEN = "demo1", "demo-token"
SHIRT_UID = "apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic_gsi_{size}_gco_{colour}_gpr_4-4"
# Emulator catalog ids (seeded deterministically): T-shirt 111 (variants 201–236: size × colour), wall art 112,
# toy car 113, mug 114, candle 115.
SIZES = {"s": 205, "m": 209, "l": 213, "xl": 217}  # the white variant; black is the next id
CONNECTED = [
    (
        "111",
        str(first + offset),
        SHIRT_UID.format(size=size, colour=colour),
        f"Classic T-shirt ({size.upper()}, {colour})",
    )
    for size, first in SIZES.items()
    for offset, colour in enumerate(("white", "black"))
] + [
    (
        "112",
        "237",
        "flat_product_pf_a4_pt_200-gsm-uncoated_cl_4-0_ct_none_prt_none_sft_none_set_none_ver",
        "Wall art print (A4)",
    ),
    (
        "112",
        "238",
        "flat_product_pf_a3_pt_200-gsm-uncoated_cl_4-0_ct_none_prt_none_sft_none_set_none_ver",
        "Wall art print (A3)",
    ),
    ("114", "246", "mug_product_msz_11-oz_mmat_ceramic-white_cl_4-0", "Ceramic mug (11 oz, white)"),
    ("114", "247", "mug_product_msz_11-oz_mmat_ceramic-black_cl_4-0", "Ceramic mug (11 oz, black)"),
]
DESIGN = {"default": "https://printbridge.local/media/designs/demo-logo.png"}


def first_order_id(account: Account) -> int:
    """Above every order the demo imported before, so a restarted (empty) emulator never reuses an id."""
    store = (
        BigCommerceConnection.objects.filter(store_hash=STORE_HASH).values_list("store_id", flat=True).first()
    )
    numeric = Order.objects.filter(store_id=store, external_id__regex=r"^[0-9]+$")
    top = numeric.aggregate(top=Max(Cast("external_id", IntegerField())))["top"]
    return max(100, (top or 0) + 1)


def connect_demo_store(account: Account, user, api_url: str) -> Connected:
    actor = events.Actor.for_user(user)
    result = connect_bigcommerce(account, STORE_HASH, TOKEN, actor, api_url=api_url)
    store = result.connection.store
    update_settings(account.pk, store.pk, {"import_not_connected": True}, actor)
    for product_id, variant_id, uid, label in CONNECTED:
        if active_connection(store, variant_id) is None:
            create_connection(store, VariantRef(product_id, variant_id, label=label), uid, DESIGN, actor)
    ensure_ignore_rule(
        store,
        rules.IgnoreScope.PRODUCT,
        VariantRef("115", "250", label="Scented candle"),
        "Candles come from a local supplier",
        actor,
    )
    return result
