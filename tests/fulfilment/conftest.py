import pytest

from printbridge.fulfilment.services.accounts import set_gelato_key
from printbridge.integrations.gelato.emulator import GelatoEmulator, GelatoEmulatorConfig
from printbridge.orders import events
from printbridge.orders.services import VariantRef, create_connection, import_order
from tests.conftest import NOW, item, order
from tests.fulfilment.webhook_receiver import endpoint  # noqa: F401 - a custom store's webhook endpoint
from tests.ingestion.conftest import _keys  # noqa: F401 - autouse: a fresh key file per test
from tests.ingestion.emulated import emulated  # noqa: F401 - the BigCommerce store fixture

SHIRT_M = "apparel_product_gca_t-shirt_gsc_crewneck_gcu_unisex_gqa_classic_gsi_m_gco_white_gpr_4-4"
MUG = "mug_product_msz_11-oz_mmat_ceramic-white_cl_4-0"
DESIGN = {"default": "https://example.com/designs/logo.png"}


@pytest.fixture
def gelato(account, actor, settings):
    emulator = GelatoEmulator(GelatoEmulatorConfig(port=0, time_scale=1.0, seed=2)).start()
    emulator.add_account(api_key="gelato-key")
    settings.PRINTBRIDGE_BASE_URL = "http://127.0.0.1:9"
    set_gelato_key(
        account, "gelato-key", actor, order_url=emulator.order_url, product_url=emulator.product_url
    )
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def ready_order(store, actor, gelato):
    """A custom-store order whose two items are connected: ready for fulfilment, one submission queued."""
    create_connection(store, VariantRef("tshirt", "tshirt-m", "TS-M", "T-shirt M"), SHIRT_M, DESIGN, actor)
    create_connection(store, VariantRef("mug", "mug-11", "MUG", "Mug"), MUG, DESIGN, actor)
    incoming = order("5001", item("1", "tshirt-m", quantity=2), item("2", "mug-11", "mug", "Mug"))
    return import_order(store, incoming, events.SYSTEM, now=NOW).order
