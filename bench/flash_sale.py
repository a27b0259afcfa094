"""Benchmark: a flash sale. N orders (default 10,000) placed within S seconds (default 60) on the BigCommerce
emulator (Standard plan: 150 requests per 30 s, time scale 1, webhooks on), imported by Printbridge running as
processes (web, one worker, the scheduler) on a throwaway database; then a naive importer as the baseline.

    .venv/bin/python bench/flash_sale.py [--orders N] [--seconds S] [--baseline-seconds T] [--keep]

The sale starts once the scheduler's first reconciliation of the new store has run, so what is measured is the
webhook path. Measures store API calls per order (the emulator's request log for the store, after the connect-time
calls, counted once every webhook is received and every refresh done), seconds from the last order placed to every
order classified (an Order or a SuppressedOrder row), the worker's peak RSS, webhooks delivered, and missing or
duplicated orders. The baseline fetches each order, its products and
its shipping addresses with the official `bigcommerce` client (3 calls per order) and imports it; at 150 calls per
30 s it would need hours for N orders, so it runs for a time box and its time for N orders is extrapolated.
Targets (SQLite, 2 cores): ≤ 0.01 calls per order, ≤ 60 s, < 250 MB, ≥ 100× faster than the baseline.
Prints a table and writes bench/results/flash_sale-<vendor>.json. Talks to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

FLASH_STORE, FLASH_TOKEN = "flash1", "flash-token"
NAIVE_STORE, NAIVE_TOKEN = "naive1", "naive-token"
WINDOW_ORDERS = 50  # the naive importer's orders per 30 s window (150 calls / 3)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=60.0, help="place the orders over this many seconds")
    parser.add_argument("--baseline-seconds", type=float, default=60.0, help="the naive importer's time box")
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="give up waiting (s after the last order)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the throwaway var dir (logs, database)")
    return parser.parse_args()


ARGS = parse_args()
VAR_DIR = Path(tempfile.mkdtemp(prefix="pb-flash-"))
os.environ["PRINTBRIDGE_VAR_DIR"] = str(VAR_DIR)
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "printbridge.settings")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"  # mail as files in VAR_DIR
os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(proxy, None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


EMULATOR_PORT, WEB_PORT = free_port(), free_port()
os.environ["PRINTBRIDGE_BASE_URL"] = f"http://127.0.0.1:{WEB_PORT}"  # where the emulator's webhooks go

import django  # noqa: E402

django.setup()

import flash_sale_parts as parts  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from printbridge.demo.stack import Stack  # noqa: E402
from printbridge.orders import events  # noqa: E402
from printbridge.stores.services import create_account, create_store, update_settings  # noqa: E402


def start(stack: Stack, account, user):
    stores = [f"{FLASH_STORE}:{FLASH_TOKEN}:standard", f"{NAIVE_STORE}:{NAIVE_TOKEN}:standard"]
    stack.emulator(EMULATOR_PORT, "--time-scale", "1", *[arg for s in stores for arg in ("--store", s)])
    stack.wait_http(f"http://127.0.0.1:{EMULATOR_PORT}/_emulator/health")
    api_url = f"http://127.0.0.1:{EMULATOR_PORT}"
    connected = parts.connect_store(account, user, FLASH_STORE, FLASH_TOKEN, api_url)
    assert not connected.hook_error, connected.hook_error
    stack.web(f"127.0.0.1:{WEB_PORT}")
    stack.worker()
    stack.scheduler()
    stack.wait_http(f"http://127.0.0.1:{WEB_PORT}/healthz")
    # The scheduler reconciles a new store at once; start the sale after that run, so the next one is due
    # 5 minutes later and what is measured is the webhook path (a run that overlaps the sale chases it).
    if wait_until(stack, parts.reconciliation_finished, time.monotonic() + 60, lambda: "reconciling") is None:
        raise RuntimeError("the connect-time reconciliation did not finish within 60 s")
    return connected


def place_orders(admin: parts.EmulatorAdmin, store_hash: str, n: int, seconds: float) -> dict:
    """Place n orders evenly over `seconds` (as fast as possible when the emulator cannot keep up)."""
    rng, ids = random.Random(2026), []
    started = time.monotonic()
    for i in range(n):
        ahead = started + i * seconds / n - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
        ids.append(admin.place_order(store_hash, parts.order_lines(rng)))
    return {"ids": ids, "first": started, "last": time.monotonic(), "last_wall": time.time()}


def wait_until(stack: Stack, done, deadline: float, progress) -> float | None:
    """Monotonic time when done() first held, None at the deadline. Prints progress every 10 s."""
    report_at = 0.0
    while time.monotonic() < deadline:
        if done():
            return time.monotonic()
        if stack.dead():
            raise RuntimeError(f"{', '.join(stack.dead())} exited; see the logs in {VAR_DIR / 'logs'}")
        if time.monotonic() >= report_at:
            print(f"  {progress()}", flush=True)
            report_at = time.monotonic() + 10
        time.sleep(0.25)
    return None


def mb(kb: int | None) -> float | None:
    return None if kb is None else round(kb / 1024, 1)


def measure_printbridge(stack: Stack, admin, account, user) -> dict:
    connected = start(stack, account, user)
    store, n = connected.connection.store, ARGS.orders
    connect_calls = len(admin.requests(FLASH_STORE))  # GET /v2/store, GET and POST /v3/hooks
    print(f"placing {n} orders over {ARGS.seconds:g} s …", flush=True)
    placed = place_orders(admin, FLASH_STORE, n, ARGS.seconds)
    last, deadline = placed["last"], placed["last"] + ARGS.timeout

    def progress() -> str:
        received, busy = parts.pipeline_state(store)
        return (
            f"{time.monotonic() - last:5.0f} s after the last order: {parts.classified_count(store)} of {n} "
            f"classified; webhooks received {received} of {2 * n}; refreshes waiting {busy}"
        )

    classified = wait_until(stack, lambda: parts.classified_count(store) >= n, deadline, progress)
    calls_when_classified = len(admin.requests(FLASH_STORE)) - connect_calls

    # Settled: every webhook (created + statusUpdated per order) received and every refresh done.
    def idle() -> bool:
        received, busy = parts.pipeline_state(store)
        return received >= 2 * n and busy == 0

    settled = wait_until(stack, idle, deadline, progress)
    time.sleep(1)  # a sync still finishing its last batch
    peak_kb = parts.proc_status_kb(stack.processes["worker"].pid, "VmHWM")
    web_peak_kb = parts.proc_status_kb(stack.processes["web"].pid, "VmHWM")
    cpu = {name: parts.cpu_seconds(process.pid) for name, process in stack.processes.items()}
    log = admin.requests(FLASH_STORE)[connect_calls:]
    hooks = parts.webhook_summary(admin.webhook_log(FLASH_STORE), placed["last_wall"])
    found = parts.classification(store, placed["ids"])
    return {
        "orders": n,
        "placed_in_s": round(placed["last"] - placed["first"], 1),
        "connect_calls_excluded": connect_calls,
        "store_api_calls": len(log),
        "store_api_calls_when_classified": calls_when_classified,
        "settled": settled is not None,
        "calls_by_kind": parts.store_calls(log),
        "calls_per_order": round(len(log) / n, 4),
        "last_order_to_all_classified_s": None if classified is None else round(classified - last, 1),
        "first_order_to_all_classified_s": None
        if classified is None
        else round(classified - placed["first"], 1),
        "last_order_to_settled_s": None if settled is None else round(settled - last, 1),
        "worker_peak_rss_mb": mb(peak_kb),
        "web_peak_rss_mb": mb(web_peak_kb),
        "cpu_seconds": cpu,
        "webhooks": hooks,
        "order_rows": found.orders,
        "suppressed_rows": found.suppressed,
        "order_statuses": found.statuses,
        "missing": len(found.missing),
        "missing_sample": found.missing[:10],
        "imported_twice": found.orders - found.distinct_orders,
        "unexpected": found.unexpected,
    }


def measure_baseline(admin, account, user, n: int, placed_s: float) -> dict:
    """The naive importer on its own store (same quota, same routing), time-boxed, then extrapolated to n."""
    actor = events.Actor.for_user(user)
    store = create_store(account, "Naive baseline", "bigcommerce", actor).store
    update_settings(account.pk, store.pk, {"import_not_connected": True}, actor)
    parts.set_up_routing(store, actor)
    windows = int(ARGS.baseline_seconds // 30) + 2
    rng = random.Random(2026)
    ids = [
        admin.place_order(NAIVE_STORE, parts.order_lines(rng)) for _ in range(min(n, windows * WINDOW_ORDERS))
    ]
    api = parts.official_api(EMULATOR_PORT, NAIVE_STORE, NAIVE_TOKEN)
    print(f"naive baseline: importing for {ARGS.baseline_seconds:g} s …", flush=True)
    run = parts.naive_import(api, store, ids, ARGS.baseline_seconds)
    rate = run.orders / run.seconds
    all_s = n / rate  # from the first order: it falls behind at once (orders arrive faster than it imports)
    return {
        "sample_orders": run.orders,
        "sample_seconds": round(run.seconds, 1),
        "sample_calls": run.calls,
        "sample_429s": run.rate_limited,
        "calls_per_order": round(run.calls / run.orders, 2),
        "orders_per_second": round(rate, 3),
        "outcomes": run.outcomes,
        "extrapolated_first_order_to_all_classified_s": round(all_s),
        "extrapolated_last_order_to_all_classified_s": round(max(0.0, all_s - placed_s)),
    }


def source_version() -> str | None:
    """The commit measured, "+dirty" when printbridge/ has uncommitted changes (None without git)."""

    def git(*args: str) -> str:
        run = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
        return run.stdout.strip()

    try:
        commit, changes = (
            git("rev-parse", "--short", "HEAD"),
            git("status", "--porcelain", "--", "printbridge"),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return (commit + ("+dirty" if changes else "")) or None


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def machine() -> dict:
    pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(pages * page_size / 2**30, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "database": connection.vendor,
    }


def verdicts(pb: dict, base: dict) -> dict:
    lag, base_lag = pb["last_order_to_all_classified_s"], base["extrapolated_last_order_to_all_classified_s"]
    speedup = None if lag is None else round(base_lag / max(lag, 0.1), 1)
    total = pb["first_order_to_all_classified_s"]
    return {
        "calls_per_order <= 0.01": pb["calls_per_order"] <= 0.01,
        "last order to all classified <= 60 s": lag is not None and lag <= 60,
        "worker peak RSS < 250 MB": pb["worker_peak_rss_mb"] is not None and pb["worker_peak_rss_mb"] < 250,
        ">= 100x faster than the baseline": speedup is not None and speedup >= 100,
        "complete, no duplicates": pb["missing"] == 0 and pb["imported_twice"] == 0,
        "_speedup_last_order": speedup,
        "_speedup_first_order": None
        if total is None
        else round(base["extrapolated_first_order_to_all_classified_s"] / total, 1),
    }


def print_table(pb: dict, base: dict, met: dict) -> None:
    def yes(key: str) -> str:
        return "met" if met[key] else "MISSED"

    def settled(value: str) -> str:
        return value if pb["settled"] else f"{value} (so far, not settled)"

    lag = pb["last_order_to_all_classified_s"]
    rows = [
        ("metric", "Printbridge (measured)", "naive baseline", "target"),
        ("orders", f"{pb['orders']} placed in {pb['placed_in_s']} s",
         f"{base['sample_orders']} in {base['sample_seconds']} s (measured)", ""),
        ("store API calls (all classified)", str(pb["store_api_calls_when_classified"]), "", ""),
        ("store API calls (settled)", settled(str(pb["store_api_calls"])), f"{base['sample_calls']} (measured)", ""),
        ("calls per order", settled(str(pb["calls_per_order"])), f"{base['calls_per_order']} (measured)",
         f"<= 0.01: {yes('calls_per_order <= 0.01')}"),
        ("last order -> all classified, s", "timed out" if lag is None else str(lag),
         f"{base['extrapolated_last_order_to_all_classified_s']} (extrapolated)",
         f"<= 60: {yes('last order to all classified <= 60 s')}"),
        ("first order -> all classified, s", str(pb["first_order_to_all_classified_s"]),
         f"{base['extrapolated_first_order_to_all_classified_s']} (extrapolated)", ""),
        ("speed-up (last order -> all)", f"{met['_speedup_last_order']}x", "1x",
         f">= 100x: {yes('>= 100x faster than the baseline')}"),
        ("speed-up (first order -> all)", f"{met['_speedup_first_order']}x", "1x", ""),
        ("last order -> settled, s", str(pb["last_order_to_settled_s"] or "timed out"), "", ""),
        ("worker peak RSS, MB", str(pb["worker_peak_rss_mb"]), "-", f"< 250: {yes('worker peak RSS < 250 MB')}"),
        ("webhooks delivered", f"{pb['webhooks']['delivered']} (failed {pb['webhooks']['failed']})", "none", ""),
        ("missing / imported twice", f"{pb['missing']} / {pb['imported_twice']}", "-",
         f"0 / 0: {yes('complete, no duplicates')}"),
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print(
        f"\nFlash sale: {pb['orders']} orders in {ARGS.seconds:g} s, Standard quota ({connection.vendor})\n"
    )
    for index, row in enumerate(rows):
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("-+-".join("-" * width for width in widths))
    print(f"\nPrintbridge's calls: {pb['calls_by_kind']}; orders by status: {pb['order_statuses']}, "
          f"suppressed: {pb['suppressed_rows']}")  # fmt: skip
    print(f"CPU seconds by process: {pb['cpu_seconds']}; web peak RSS {pb['web_peak_rss_mb']} MB")
    print(f"Baseline: {base['orders_per_second']} orders/s over a {base['sample_seconds']} s sample "
          f"({base['sample_429s']} answers 429); its times for {pb['orders']} orders are extrapolated.")  # fmt: skip


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up below on SIGTERM too
    stack = Stack(log_dir=VAR_DIR / "logs")
    stack.log_dir.mkdir()
    admin = parts.EmulatorAdmin(EMULATOR_PORT)
    ok, started_on, load_at_start = False, source_version(), load_average()
    try:
        call_command("migrate", interactive=False, verbosity=0)
        account, user = create_account("Flash sale", "flash@example.com")
        pb = measure_printbridge(stack, admin, account, user)
        base = measure_baseline(admin, account, user, ARGS.orders, ARGS.seconds)
        ok = True
    finally:
        stack.stop()
        admin.close()
        if ok and not ARGS.keep:
            shutil.rmtree(VAR_DIR, ignore_errors=True)
        else:
            print(f"var dir (logs, database) kept: {VAR_DIR}", file=sys.stderr)
    met = verdicts(pb, base)
    print_table(pb, base, met)
    source = source_version()
    if source != started_on:
        print(f"WARNING: the source changed during the run ({started_on} -> {source}); run it again")
    load = {"at_start": load_at_start, "at_end": load_average()}  # other work on the machine skews times
    print(f"load average (1, 5, 15 min) at start {load['at_start']}, at end {load['at_end']}")
    out = ROOT / "bench" / "results" / f"flash_sale-{connection.vendor}.json"
    result = {
        "source": {"at_start": started_on, "at_end": source},
        "machine": machine(),
        "load": load,
        "args": vars(ARGS),
        "printbridge": pb,
        "baseline": base,
        "targets": met,
    }
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
