"""The demo data: the seed's three worked examples as orders a merchant can complete, waiting since they came."""

from datetime import timedelta

from printbridge.demo import seed
from printbridge.orders.models import Order, SuppressedOrder


def test_the_demo_seed_holds_the_worked_examples_waiting_since_a_minute_after_they_were_placed(db):
    demo = seed.seed()
    orders = Order.objects.filter(store=demo.store).order_by("number")
    assert list(orders.values_list("number", "status")) == [
        ("1000", "not_connected"),  # a local-supplier candle beside a connected T-shirt
        ("1001", "not_connected"),  # T-shirts: M connected, 4XL ignored by a rule, 5XL not connected
        ("1005", "ready"),  # wall art connected; the toy car ignored by the product rule
        ("1006", "not_connected"),
        ("1007", "not_connected"),
        ("1008", "ready"),
    ]
    reason = "no physical item left after ignore rules"
    suppressed = SuppressedOrder.objects.order_by("external_id").values_list("external_id", "reason")
    assert list(suppressed) == [("1002", reason), ("1003", reason), ("1004", reason)]
    held = orders.filter(status="not_connected")
    assert [o.held_since - o.placed_at for o in held] == [timedelta(minutes=1)] * 4
    assert seed.seed() is None  # once only
