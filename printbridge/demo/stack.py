"""Run Printbridge as processes (web, workers, scheduler) beside the emulators, for the demo, the benchmarks
and the crash tests. Everything listens on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Stack:
    env: dict[str, str] = field(default_factory=dict)
    log_dir: Path | None = None
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, *command: str) -> subprocess.Popen:
        """`printbridge COMMAND …` as a child process named `name` (output to log_dir/name.log when set)."""
        argv = [sys.executable, "-m", "printbridge.cli", *command]
        env = {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}
        out = open(self.log_dir / f"{name}.log", "ab") if self.log_dir else None  # noqa: SIM115 - the child owns it
        self.processes[name] = subprocess.Popen(
            argv, env=env, stdout=out, stderr=subprocess.STDOUT if out else None
        )
        return self.processes[name]

    def web(self, address: str) -> subprocess.Popen:
        return self.start("web", "serve", address, "--noreload", "--insecure")

    def worker(self, name: str = "worker") -> subprocess.Popen:
        return self.start(name, "db_worker", "--interval", "0.2", "--worker-id", name)

    def scheduler(self) -> subprocess.Popen:
        return self.start("scheduler", "scheduler")

    def emulator(self, port: int, *args: str) -> subprocess.Popen:
        return self.start("bigcommerce", "emulate", "bigcommerce", "--port", str(port), *args)

    def dead(self) -> list[str]:
        return [name for name, p in self.processes.items() if p.poll() is not None]

    def wait_http(self, url: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.dead():
                raise RuntimeError(f"{', '.join(self.dead())} exited; see its output")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{url} did not answer within {timeout:g} s")

    def kill(self, name: str) -> None:
        """SIGKILL: no clean-up, as a crash."""
        self.processes[name].send_signal(signal.SIGKILL)
        self.processes[name].wait()

    def stop(self) -> None:
        for p in self.processes.values():
            if p.poll() is None:
                p.terminate()
        for p in self.processes.values():
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
