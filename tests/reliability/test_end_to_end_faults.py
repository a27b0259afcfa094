"""Every fault at once, through the real processes: the BigCommerce emulator, the web server receiving its
webhooks, two task workers and the scheduler, on a throwaway database (SQLite, or PostgreSQL when
$DATABASE_URL says so).

Webhooks: 20% sent twice, 5% held back behind the next one, 3% dropped, and every webhook of the last three
orders dropped. Store API: a worker's first order call answers 500, then 503; reconciliation's first call
answers 429 (short reset), then is held past the client's 10 s timeout; the chaos run adds one such fault per
twenty order calls (5%). A worker is SIGKILLed while it holds the store's sync lease with refreshes claimed, after some
orders were imported (the chaos run: three times), and a replacement starts. Afterwards every order placed in
the store exists exactly once, imported once, with the status its lines call for; the orders no webhook reached
are found by reconciliation within two cycles."""

from __future__ import annotations

import signal
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from printbridge.demo import bigcommerce_demo
from printbridge.ingestion.models import RefreshRequest, StoreLease, WebhookDelivery
from printbridge.ingestion.services.stores import reconcile_store
from printbridge.integrations.bigcommerce.webhooks import SUBSCRIBED_SCOPES
from printbridge.orders.models import Order, OrderEvent, SuppressedOrder
from printbridge.stores.models import BigCommerceConnection
from printbridge.stores.services import create_account
from tests.reliability.harness import (
    ORDER_API,
    RECONCILING,
    EmulatorAdmin,
    StoreApiFaults,
    arm_one_fault_of_each_kind,
    free_port,
    holder_of,
    printbridge_stack,
    start_worker,
    this_process_on,
    throwaway_database,
    wait_for,
)

HASH, TOKEN = bigcommerce_demo.STORE_HASH, bigcommerce_demo.TOKEN
# The lines of each order, in turn, and what Printbridge makes of them with the demo store's connections
# (T-shirt 205, mug 246/247 and wall art 237 connected; candles ignored by a rule; import not connected on).
TEMPLATES = (
    ([[111, 205, 1]], "ready"),
    ([[114, 246, 2], [112, 237, 1]], "ready"),
    ([[113, 241, 1]], "not_connected"),
    ([[111, 201, 1], [114, 247, 1]], "not_connected"),
    ([[115, 250, 1]], "suppressed"),
)
WEBHOOK_FAULTS = {"duplicate": 0.2, "reorder": 0.05, "drop": 0.03}
UNHEARD = 3  # orders placed while every webhook is dropped: only reconciliation can find them
ORDER_EVENTS = ("store/order/created", "store/order/statusUpdated")  # what placing a paid order fires


@dataclass(frozen=True)
class Scenario:
    orders: int
    burst: int  # orders placed back to back, then a pause
    pause: float
    kills: int  # workers SIGKILLed mid-sync, spread over the run
    fault_every: int | None  # besides one fault of each kind: one per this many order calls (20 = 5%)
    lease_seconds: (
        float  # the workers' sync lease; above the 10 s client timeout when workers meet one (chaos)
    )
    drain_timeout: float  # bound for everything to settle after the last order
    poll: float  # seconds between looks at the emulator's webhook log while settling


FAST = Scenario(
    orders=120, burst=6, pause=0.2, kills=1, fault_every=None, lease_seconds=6, drain_timeout=120, poll=0.3
)
CHAOS = Scenario(
    orders=2000, burst=10, pause=0.1, kills=3, fault_every=20, lease_seconds=20, drain_timeout=600, poll=2
)


@dataclass
class Kill:
    worker: str
    holder: str
    imported: int  # orders present when it died
    claimed: set[int]  # refresh requests it held


@dataclass
class Run:
    admin: EmulatorAdmin
    store_id: int
    workers: dict = field(default_factory=dict)  # name → live worker process
    expected: dict[str, str] = field(default_factory=dict)  # external id → status or "suppressed"
    unheard: set[str] = field(default_factory=set)
    kills: list[Kill] = field(default_factory=list)


def test_fast_intake_under_webhook_api_and_worker_faults_loses_and_duplicates_nothing(
    tmp_path, settings, django_db_blocker
):
    run_scenario(FAST, tmp_path, settings, django_db_blocker)


@pytest.mark.chaos
def test_chaos_two_thousand_orders_under_every_fault_lose_and_duplicate_nothing(
    tmp_path, settings, django_db_blocker
):
    run_scenario(CHAOS, tmp_path, settings, django_db_blocker)


def run_scenario(scenario: Scenario, tmp_path, settings, django_db_blocker) -> None:
    var_dir = tmp_path / "var"
    web, emulator = f"127.0.0.1:{free_port()}", free_port()
    settings.PRINTBRIDGE_BASE_URL = f"http://{web}"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with (
        throwaway_database(var_dir) as url,
        django_db_blocker.unblock(),
        this_process_on(url),
        printbridge_stack(var_dir, url, f"http://{web}", scenario.lease_seconds) as stack,
    ):
        stack.emulator(emulator, "--store", f"{HASH}:{TOKEN}", "--time-scale", "10", "--seed", "11")
        stack.web(web)
        run = Run(EmulatorAdmin(emulator, HASH), store_id=0)
        try:
            run.workers = {name: start_worker(stack, name) for name in ("worker-1", "worker-2")}
            stack.wait_http(f"http://{web}/healthz")
            stack.wait_http(f"{run.admin.url}/_emulator/health")
            run.store_id = connect_store(run.admin)
            stack.scheduler()
            exercise(scenario, stack, run)
        finally:
            run.admin.close()


def exercise(scenario: Scenario, stack, run: Run) -> None:
    arm_one_fault_of_each_kind(run.admin)
    run.admin.fault("webhooks", **WEBHOOK_FAULTS)
    started = time.monotonic()
    with StoreApiFaults(run.admin, scenario.fault_every, after=3) as faults:
        place_orders(scenario, stack, run)
        placed = time.monotonic()
        missing = found_by_webhooks(scenario, run)
        drained = time.monotonic()
        missing |= place_unheard(scenario, run)
    cycles = reconcile(run, missing)
    print(  # shown with -s, or when a check below fails
        f"{len(run.expected)} orders placed in {placed - started:.1f} s, settled {drained - placed:.1f} s later; "
        f"{len(missing)} missing until reconciliation ({cycles} cycle(s), {time.monotonic() - drained:.1f} s); "
        f"{run.admin.order_calls()} order calls, extra faults {faults.injected}; "
        f"kills (worker, orders in, refreshes held) {[(k.worker, k.imported, len(k.claimed)) for k in run.kills]}"
    )
    check_outcome(run, cycles)
    check_store_api_faults(run.admin, faults)


def connect_store(admin: EmulatorAdmin) -> int:
    """Connect the emulator's store the way the demo does; the test drives reconciliation cycles itself."""
    account, user = create_account("Reliability Prints", "ops@example.com", "s3cret-pass")
    result = bigcommerce_demo.connect_demo_store(account, user, admin.url)
    assert (result.hooks_registered, result.hook_error) == (len(SUBSCRIBED_SCOPES), "")
    connection = result.connection
    BigCommerceConnection.objects.filter(pk=connection.pk).update(
        reconcile_every_minutes=1440, reconciled_at=timezone.now()
    )
    return connection.store_id


def place_orders(scenario: Scenario, stack, run: Run) -> None:
    kill_points = {scenario.orders * (k + 1) // (scenario.kills + 1) for k in range(scenario.kills)}
    for index in range(scenario.orders):
        if index in kill_points:
            kill_a_worker_mid_sync(stack, run, timeout=4 * scenario.lease_seconds + 30)
        place(run, index)
        if (index + 1) % scenario.burst == 0:
            time.sleep(scenario.pause)


def place_unheard(scenario: Scenario, run: Run) -> set[str]:
    """Orders whose every webhook is lost, placed once the rest have settled, so that no sweep for new orders or
    range list call for a neighbour's webhook can pick them up: only reconciliation can find them."""
    run.admin.fault("webhooks", **{**WEBHOOK_FAULTS, "drop": 1.0})
    run.unheard = {place(run, scenario.orders + n) for n in range(UNHEARD)}
    run.admin.fault("webhooks", **WEBHOOK_FAULTS)
    return run.unheard


def place(run: Run, index: int) -> str:
    lines, outcome = TEMPLATES[index % len(TEMPLATES)]
    external_id = str(run.admin.place(lines))
    run.expected[external_id] = outcome
    return external_id


def present(store_id: int) -> set[str]:
    orders = Order.objects.filter(store_id=store_id).values_list("external_id", flat=True)
    suppressed = SuppressedOrder.objects.filter(store_id=store_id).values_list("external_id", flat=True)
    return set(orders) | set(suppressed)


def kill_a_worker_mid_sync(stack, run: Run, timeout: float) -> None:
    """Freeze the worker holding the store's lease with refreshes claimed (once orders were imported since the
    previous kill), check it still holds the lease, SIGKILL it, and start a replacement."""
    imported_before = run.kills[-1].imported if run.kills else 0

    def frozen_holder() -> str | None:
        lease = StoreLease.objects.filter(store_id=run.store_id, lease_until__gt=timezone.now()).first()
        name = next((n for n, p in run.workers.items() if lease and lease.holder == holder_of(p)), None)
        if name is None or len(present(run.store_id)) <= imported_before or not claimed.exists():
            return None
        run.workers[name].send_signal(signal.SIGSTOP)
        lease.refresh_from_db()
        if lease.holder == holder_of(run.workers[name]) and lease.lease_until > timezone.now():
            return name
        run.workers[name].send_signal(signal.SIGCONT)
        return None

    claimed = RefreshRequest.objects.filter(store_id=run.store_id, state=RefreshRequest.State.CLAIMED)
    name = wait_for(frozen_holder, timeout, "a worker syncing the store", every=0.02)
    kill = Kill(
        name,
        holder_of(run.workers[name]),
        len(present(run.store_id)),
        set(claimed.values_list("pk", flat=True)),
    )
    stack.kill(name)
    run.kills.append(kill)
    del run.workers[name]
    replacement = f"worker-{len(run.kills) + 2}"
    run.workers[replacement] = start_worker(stack, replacement)
    assert StoreLease.objects.get(store_id=run.store_id).holder == kill.holder  # nobody released it


def found_by_webhooks(scenario: Scenario, run: Run) -> set[str]:
    """Wait until every webhook was delivered or dropped and every refresh it queued is done. Every order a
    delivered webhook named is in; only orders whose webhooks were all dropped can be missing (the sweep for new
    orders and range list calls may have found them). Returns the orders still missing."""
    log_sizes: list[int] = []

    def settled() -> list[dict] | None:
        busy = RefreshRequest.objects.filter(
            store_id=run.store_id, state__in=[RefreshRequest.State.PENDING, RefreshRequest.State.CLAIMED]
        )
        if busy.exists():
            return None
        log = run.admin.webhook_log()
        log_sizes.append(len(log))
        ended = {
            (e["payload"]["data"]["id"], e["scope"]) for e in log if e["outcome"] in ("delivered", "dropped")
        }
        every_event = all((int(i), scope) in ended for i in run.expected for scope in ORDER_EVENTS)
        quiet = log_sizes[-3:] == [len(log)] * 3
        return log if every_event and quiet else None

    log = wait_for(
        settled, scenario.drain_timeout, "webhooks delivered and refreshes done", every=scenario.poll
    )
    assert [e for e in log if e["outcome"] == "failed"] == []  # the receiver answered 200 every time
    delivered = [e["payload"] for e in log if e["outcome"] == "delivered"]
    inbox = WebhookDelivery.objects.filter(store_id=run.store_id)
    assert inbox.count() == len({p["hash"] for p in delivered})
    assert sum(inbox.values_list("delivery_count", flat=True)) == len(delivered)
    missing = set(run.expected) - present(run.store_id)
    assert missing <= set(run.expected) - {str(p["data"]["id"]) for p in delivered}
    return missing


def reconcile(run: Run, missing: set[str]) -> int:
    """Reconciliation cycles until nothing is missing; returns how many it took (at most two)."""
    new = len([m for m in missing if run.expected[m] != "suppressed"])
    for cycle in (1, 2):
        report = wait_for(
            lambda: reconcile_store(run.store_id, "reliability-test"),
            60,
            "the store's lease for reconciliation",
        )
        if cycle == 1:
            assert report.outcomes.get("created", 0) == new
        if not set(run.expected) - present(run.store_id):
            return cycle
    raise AssertionError(f"missing after two cycles: {sorted(set(run.expected) - present(run.store_id))}")


def check_outcome(run: Run, cycles: int) -> None:
    orders = Counter(Order.objects.filter(store_id=run.store_id).values_list("external_id", flat=True))
    ledger = Counter(
        SuppressedOrder.objects.filter(store_id=run.store_id).values_list("external_id", flat=True)
    )
    assert cycles <= 2
    assert set(orders) | set(ledger) == set(run.expected)  # 0 lost
    assert set(orders.values()) | set(ledger.values()) == {1} and not set(orders) & set(ledger)  # 0 twice
    statuses = dict(Order.objects.filter(store_id=run.store_id).values_list("external_id", "status"))
    assert {**statuses, **dict.fromkeys(ledger, "suppressed")} == run.expected
    imported = OrderEvent.objects.filter(store_id=run.store_id, type=OrderEvent.Type.ORDER_IMPORTED)
    assert Counter(imported.values_list("order__external_id", flat=True)) == dict.fromkeys(orders, 1)
    refreshes = RefreshRequest.objects.filter(store_id=run.store_id)
    assert set(refreshes.values_list("state", flat=True)) == {RefreshRequest.State.DONE}
    imported_at_kills = [kill.imported for kill in run.kills]  # each kill after some, never all, orders
    assert imported_at_kills[0] > 0 and imported_at_kills == sorted(set(imported_at_kills))
    assert imported_at_kills[-1] < len(run.expected)
    claimed_by_the_dead = set().union(*(kill.claimed for kill in run.kills))
    assert refreshes.filter(pk__in=claimed_by_the_dead, state="done").count() == len(claimed_by_the_dead)
    lease = StoreLease.objects.get(store_id=run.store_id)
    assert (lease.holder, lease.lease_until) == ("", None)
    # django-tasks has no reaper: the task each killed worker ran stays RUNNING; the leases did its work.
    killed = {kill.worker for kill in run.kills}
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    stuck = sorted((t.worker_ids[-1], t.task_path) for t in running if t.worker_ids[-1] in killed)
    assert stuck == [(worker, "printbridge.jobs.tasks.sync_store_task") for worker in sorted(killed)]


def check_store_api_faults(admin: EmulatorAdmin, faults: StoreApiFaults) -> None:
    calls = [path for _, path in admin.requests() if ORDER_API in path]
    assert len(set(calls[:3])) == 1  # a worker's list call: 500, 503, then answered (one StoreCalls.call)
    reconciling = [path for path in calls if RECONCILING in path]
    assert len(set(reconciling[:3])) == 1  # 429, held past the client's timeout, then answered
    assert faults.injected == [StoreApiFaults.KINDS[i % 4][0] for i in range(len(faults.injected))]
    assert admin.order_calls() > faults.calls_when_armed  # the last fault armed met a call
