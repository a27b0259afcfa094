"""`printbridge emulate bigcommerce` runs in the foreground until SIGTERM; unknown names are refused."""

from __future__ import annotations

import signal
import subprocess
import sys

import httpx
import pytest
from django.core.management import CommandError, call_command


def test_emulate_serves_the_given_store_until_sigterm():
    argv = [sys.executable, "-m", "printbridge.cli", "emulate", "bigcommerce", "--port", "0"]
    argv += ["--store", "shop1:tok1:pro", "--time-scale", "10", "--seed", "3"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline().strip() for _ in range(2)]
        assert lines[0].startswith("store shop1 (pro): http://127.0.0.1:")
        base = lines[1].removeprefix("BigCommerce emulator listening on ")
        answer = httpx.get(f"{base}/stores/shop1/v2/store", headers={"X-Auth-Token": "tok1"}, trust_env=False)
        assert (answer.status_code, answer.json()["plan_name"]) == (200, "Pro")
        assert answer.headers["X-Rate-Limit-Time-Window-Ms"] == "3000"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert process.stdout.read().strip() == "BigCommerce emulator stopped."
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()


def test_unknown_emulator_name_is_a_clear_error():
    with pytest.raises(
        CommandError, match=r"^Unknown emulator 'printful'; available: bigcommerce, gelato\.$"
    ):
        call_command("emulate", "printful")
