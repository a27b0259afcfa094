"""The order generator: deterministic plans, the mix and its occasional odd lines, bursts, late payment."""

from __future__ import annotations

from dataclasses import replace

from printbridge.integrations.bigcommerce.emulator import GeneratorConfig
from printbridge.integrations.bigcommerce.emulator.generator import plan_orders

from .conftest import STORE_HASH, TOKEN, start_emulator, wait_until

CONFIG = GeneratorConfig()


def _summary(store) -> list[tuple]:
    return [
        (
            order_id,
            order["status_id"],
            order["billing_address"]["email"],
            tuple((p["sku"], p["quantity"], p["order_address_id"]) for p in store.order_products[order_id]),
        )
        for order_id, order in store.orders.items()
    ]


def test_same_seed_gives_the_same_plan_and_another_seed_does_not():
    assert plan_orders(7, CONFIG, 40) == plan_orders(7, CONFIG, 40)
    assert plan_orders(7, CONFIG, 40) != plan_orders(8, CONFIG, 40)


def test_same_seed_places_identical_orders_in_two_emulators():
    summaries = []
    for _ in range(2):
        emu = start_emulator(seed=11)
        try:
            store = emu.add_store(STORE_HASH, TOKEN)
            assert emu.generator.generate(store, 25) == list(range(100, 125))
            summaries.append(_summary(store))
        finally:
            emu.stop()
    assert summaries[0] == summaries[1]
    assert len({row[2] for row in summaries[0]}) > 1


def test_mix_only_uses_the_configured_products():
    mugs_only = replace(CONFIG, mix=(("mug", 1.0),), digital_fraction=0.0, gift_certificate_fraction=0.0)
    plans = plan_orders(3, mugs_only, 50)
    assert {line.product_id for plan in plans for line in plan.lines} == {114}
    assert {line.variant_id for plan in plans for line in plan.lines} == {246, 247, 248, 249}
    personalised = [line.personalisation for plan in plans for line in plan.lines if line.personalisation]
    assert 0 < len(personalised) < sum(len(plan.lines) for plan in plans)
    assert {line.upload for plan in plans for line in plan.lines} == {None}
    art = plan_orders(3, replace(mugs_only, mix=(("wall_art", 1.0),)), 50)
    uploads = [line.upload for plan in art for line in plan.lines if line.upload]
    assert 0 < len(uploads) < sum(len(plan.lines) for plan in art)
    assert all(name.startswith("artwork-") and name.endswith(".png") for name in uploads)


def test_every_odd_kind_of_line_appears_when_asked_for():
    odd = replace(
        CONFIG,
        multi_address_fraction=1.0,
        digital_fraction=1.0,
        gift_certificate_fraction=1.0,
        unpaid_fraction=1.0,
    )
    for plan in plan_orders(5, odd, 10):
        assert len(plan.shipping) == 2
        assert [line.kind for line in plan.lines][-2:] == ["digital", "giftcertificate"]
        assert (plan.status_id, plan.pays_after_seconds) == (7, 120.0)


def test_bursts_arrive_together():
    bursty = replace(CONFIG, burst_probability=1.0, burst_size=(4, 4))
    gaps = [plan.gap_seconds for plan in plan_orders(9, bursty, 8)]
    assert [gap == 0.0 for gap in gaps] == [False, True, True, True, False, True, True, True]


def test_unpaid_orders_become_paid_after_the_scaled_delay():
    config = replace(CONFIG, unpaid_fraction=1.0, pay_after_seconds=150.0)
    emu = start_emulator(time_scale=300.0, generator=config)  # paid 0.5 s later
    try:
        store = emu.add_store(STORE_HASH, TOKEN)
        (order_id,) = emu.generator.generate(store, 1)
        assert store.orders[order_id]["status_id"] == 7
        wait_until(lambda: store.orders[order_id]["status_id"] == 11, timeout=3)
        assert store.orders[order_id]["payment_status"] == "captured"
    finally:
        emu.stop()


def test_running_generator_places_orders_round_robin_until_stopped():
    config = replace(CONFIG, rate_per_minute=60.0, burst_probability=0.0)
    emu = start_emulator(time_scale=60.0, generator=config)  # about 60 orders a second
    try:
        first, second = emu.add_store("s1", "t1"), emu.add_store("s2", "t2")
        emu.generator.start()
        wait_until(lambda: len(emu.generator.placed) >= 4, timeout=5)
        emu.generator.stop()
        placed = list(emu.generator.placed)
        assert [store_hash for store_hash, _ in placed[:4]] == ["s1", "s2", "s1", "s2"]
        assert len(first.orders) + len(second.orders) == len(placed)
        assert emu.generator.running is False
    finally:
        emu.stop()
