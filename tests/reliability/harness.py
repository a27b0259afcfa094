"""What the process-level reliability tests share: a throwaway database, this test process pointed at it,
Printbridge's processes (printbridge.demo.stack) beside the BigCommerce emulator, and the emulator's admin API.
Everything listens on 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar
from unittest import mock
from urllib.parse import urlsplit

import httpx
from django.db import connections
from django.db.utils import load_backend

from printbridge.demo.stack import Stack

REPO = Path(__file__).resolve().parents[2]
ORDER_API = "/v2/orders"
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check: Callable[[], T], timeout: float, what: str, every: float = 0.2) -> T:
    """Poll until check() returns something truthy and return it; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: not reached within {timeout:g} s")
        time.sleep(every)


def holder_of(process: subprocess.Popen) -> str:
    """The lease holder name a worker process uses (printbridge.jobs.tasks.holder)."""
    return f"{socket.gethostname()}:{process.pid}"


# --- the database ----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def throwaway_database(var_dir: Path) -> Iterator[str]:
    """A database URL for one test: a SQLite file under var_dir, or, when $DATABASE_URL is PostgreSQL, a new
    database on that server, created here and dropped afterwards (never the one pytest-django made)."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgres"):
        yield f"sqlite:///{var_dir / 'printbridge.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    name = f"printbridge_reliability_{os.getpid()}_{secrets.token_hex(4)}"
    server = urlsplit(configured)
    maintenance = server._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield server._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextlib.contextmanager
def this_process_on(url: str) -> Iterator[None]:
    """Point this process's default connection at `url`, configured as the project's settings configure it."""
    import printbridge.settings as project

    with mock.patch.dict(os.environ, {"DATABASE_URL": url}):
        config = project._database()
    configured = connections.configure_settings({"default": config})["default"]
    wrapper = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, "default")
    previous = connections["default"]
    connections["default"] = wrapper
    try:
        yield
    finally:
        wrapper.close()
        connections["default"] = previous


# --- the processes ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def printbridge_stack(
    var_dir: Path, database_url: str, base_url: str, lease_seconds: float
) -> Iterator[Stack]:
    """A Stack on `database_url` (migrated here); every process it starts is stopped on the way out."""
    logs = var_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.reliability.process_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "DATABASE_URL": database_url,
        "PRINTBRIDGE_VAR_DIR": str(var_dir),
        "PRINTBRIDGE_FERNET_KEYS": os.environ["PRINTBRIDGE_FERNET_KEYS"],
        "PRINTBRIDGE_BASE_URL": base_url,
        "PRINTBRIDGE_SYNC_LEASE_SECONDS": str(lease_seconds),
        "SECRET_KEY": "reliability-tests-only",
        "DEBUG": "0",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    stack = Stack(env=env, log_dir=logs)
    try:
        migrate = stack.start("migrate", "migrate", "--verbosity", "0")
        assert migrate.wait(timeout=120) == 0, tail(logs / "migrate.log")
        del stack.processes["migrate"]  # done, not dead
        yield stack
    finally:
        stack.stop()
        for log in sorted(logs.glob("*.log")):  # shown by pytest when the test failed
            print(f"----- {log.name} (last lines)\n{tail(log)}")


def start_worker(stack: Stack, name: str) -> subprocess.Popen:
    """Stack.worker without django-tasks-db's random start-up delay of up to a second."""
    return stack.start(name, "db_worker", "--interval", "0.2", "--worker-id", name, "--no-startup-delay")


def tail(path: Path, lines: int = 25) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


# --- the emulator's admin API ----------------------------------------------------------------------------------


class EmulatorAdmin:
    """The BigCommerce emulator process's /_emulator/ API, for one store."""

    def __init__(self, port: int, store_hash: str) -> None:
        self.url, self.store_hash = f"http://127.0.0.1:{port}", store_hash
        self._http = httpx.Client(base_url=f"{self.url}/_emulator", trust_env=False, timeout=30)

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, body: dict | None = None):
        response = self._http.request(method, path, json=body)
        response.raise_for_status()
        return response.json() if response.content else None

    def place(self, lines: list[list[int]], status_id: int = 11) -> int:
        body = {"lines": lines, "status_id": status_id}
        return self._call("POST", f"/stores/{self.store_hash}/orders", body)["id"]

    def fault(self, kind: str, **fields) -> None:
        self._call("POST", f"/faults/{kind}", fields)

    def requests(self) -> list[list[str]]:
        return self._call("GET", f"/stores/{self.store_hash}/requests")

    def webhook_log(self) -> list[dict]:
        return self._call("GET", f"/stores/{self.store_hash}/webhook_log")

    def order_calls(self) -> int:
        return sum(1 for _, path in self.requests() if ORDER_API in path)


RECONCILING = "min_date_modified"  # only reconciliation's list calls carry it
ONE_OF_EACH = (
    ("fail_next", {"status": 500, "path_contains": ORDER_API}),
    ("fail_next", {"status": 503, "path_contains": ORDER_API}),
    ("rate_limit_next", {"reset_ms": 500, "path_contains": RECONCILING}),
    ("delay_next", {"seconds": 11, "path_contains": RECONCILING}),
)


def arm_one_fault_of_each_kind(admin: EmulatorAdmin) -> None:
    """The first order call (a worker's) answers 500, its retry 503; the first reconciliation call answers 429
    (0.5 s reset) and its retry is held past the client's 10 s read timeout. Each request meets one of them."""
    for kind, fields in ONE_OF_EACH:
        admin.fault(kind, count=1, **fields)


class StoreApiFaults:
    """One store-API fault per `every` order calls (20 = 5%; None = none), armed one at a time, in turn: a 429
    with a short reset, a 500, a 503, and a response held past the client's 10 s read timeout. A fault is armed
    once `every` calls came after the previous one was armed (the first of them met it)."""

    KINDS = (
        ("429", "rate_limit_next", {"reset_ms": 800}),
        ("500", "fail_next", {"status": 500}),
        ("503", "fail_next", {"status": 503}),
        ("timeout", "delay_next", {"seconds": 11}),
    )

    def __init__(self, admin: EmulatorAdmin, every: int | None, after: int) -> None:
        self.admin, self.every = admin, every
        self.injected: list[str] = []
        self.calls_when_armed = after
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="store-api-faults", daemon=True)

    def __enter__(self) -> StoreApiFaults:
        if self.every:
            self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        every = self.every or 0
        while not self._stop.wait(0.05):
            if self.admin.order_calls() - self.calls_when_armed >= every:
                label, kind, fields = self.KINDS[len(self.injected) % len(self.KINDS)]
                self.admin.fault(kind, count=1, path_contains=ORDER_API, **fields)
                self.injected.append(label)
                self.calls_when_armed = self.admin.order_calls()  # later calls meet the fault
