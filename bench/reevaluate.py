"""Benchmark: one connection releases N waiting Not connected orders (preview, then apply in bulk).

Target (issue 2): no query per order. Prints a table and writes bench/results/reevaluate.json.
Runs on a throwaway SQLite database (or $BENCH_DATABASE_URL).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PRINTBRIDGE_VAR_DIR"] = tempfile.mkdtemp(prefix="pb-bench-")
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "printbridge.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from printbridge.orders import events, rules  # noqa: E402
from printbridge.orders.models import Order, OrderItem  # noqa: E402
from printbridge.orders.services import VariantRef, apply_connection, create_connection, preview  # noqa: E402
from printbridge.orders.services.reevaluation import Change, ChangeKind  # noqa: E402
from printbridge.stores.services import create_account, create_store, update_settings  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "100,1000,10000").split(",")]
PLACED = datetime(2026, 12, 1, tzinfo=UTC)


def waiting_orders(store, n: int, variant: str) -> None:
    orders = Order.objects.bulk_create(
        [
            Order(
                account_id=store.account_id,
                store=store,
                external_id=f"{variant}-{i}",
                number=str(i),
                currency="USD",
                placed_at=PLACED,
                status=rules.OrderStatus.NOT_CONNECTED,
                status_changed_at=PLACED,
                held_since=PLACED,
                content_hash="x",
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    OrderItem.objects.bulk_create(
        [
            OrderItem(
                order=o,
                external_id="1",
                product_id="tshirt",
                variant_id=variant,
                name="T-shirt",
                quantity=1,
                state=rules.ItemState.NOT_CONNECTED,
                decision=rules.Decision.NO_CONNECTION,
                decided_at=PLACED,
            )
            for o in orders
        ],
        batch_size=1000,
    )


def run(n: int) -> dict:
    account, user = create_account(f"Bench {n}", f"bench{n}@example.com")
    actor = events.Actor.for_user(user)
    store = create_store(account, "Bench", "custom", actor).store
    update_settings(account.pk, store.pk, {"import_not_connected": True}, actor)
    variant = f"v{n}"
    waiting_orders(store, n, variant)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as preview_queries:
        shown = preview(store, Change(ChangeKind.CONNECT, "tshirt", variant))
    preview_seconds = time.perf_counter() - started
    connection_row = create_connection(store, VariantRef("tshirt", variant), "uid", {}, actor)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as apply_queries:
        applied = apply_connection(connection_row, actor)
    apply_seconds = time.perf_counter() - started
    ready = Order.objects.filter(store=store, status=rules.OrderStatus.READY).count()
    assert applied.continued == n == ready == len(shown.orders), (applied, n, ready)
    return {
        "orders": n,
        "preview_s": round(preview_seconds, 3),
        "preview_queries": len(preview_queries),
        "apply_s": round(apply_seconds, 3),
        "apply_queries": len(apply_queries),
        "queries_per_order": round(len(apply_queries) / n, 4),
    }


def main() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    rows = [run(n) for n in SIZES]
    columns = list(rows[0])
    print(f"\nReevaluate: one connection releases N waiting orders ({connection.vendor})\n")
    print(" | ".join(f"{c:>16}" for c in columns))
    print("-+-".join("-" * 16 for _ in columns))
    for row in rows:
        print(" | ".join(f"{row[c]:>16}" for c in columns))
    out = ROOT / "bench" / "results" / f"reevaluate-{connection.vendor}.json"
    out.write_text(json.dumps({"database": connection.vendor, "rows": rows}, indent=2) + "\n")
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
