"""`printbridge emulate bigcommerce|gelato [...]`: run an in-repo API emulator in the foreground until
SIGTERM/Ctrl-C."""

from __future__ import annotations

import signal
import threading
from dataclasses import replace

from django.core.management.base import BaseCommand, CommandError, CommandParser

DEFAULT_STORE = "demo-store:demo-token"
DEFAULT_PORTS = {"bigcommerce": 8100, "gelato": 8200}
DEFAULT_GELATO_KEY = "demo-gelato-key"


def _store_arg(value: str) -> tuple[str, str, str]:
    parts = value.split(":")
    if len(parts) not in (2, 3) or not all(parts):
        raise ValueError(value)
    store_hash, token, plan = (*parts, "standard")[:3]
    return store_hash, token, plan


class Command(BaseCommand):
    help = "Run an API emulator on 127.0.0.1 until interrupted (available: bigcommerce, gelato)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="which emulator to run: bigcommerce or gelato")
        parser.add_argument(
            "--port", type=int, help="port on 127.0.0.1 (0 = any free port; default 8100, gelato 8200)"
        )
        parser.add_argument("--time-scale", type=float, default=1.0, help="divide every duration by this")
        parser.add_argument("--seed", type=int, default=1, help="seed for the generator and webhook faults")
        parser.add_argument(
            "--store",
            action="append",
            type=_store_arg,
            help=f"HASH:TOKEN[:PLAN] (repeatable; default {DEFAULT_STORE})",
        )
        parser.add_argument("--generate-rate", type=float, default=0.0, help="orders per emulated minute")
        parser.add_argument(
            "--first-order-id", type=int, default=100, help="the first order id of each store"
        )
        parser.add_argument(
            "--delivery-threads",
            type=int,
            default=8,
            help="bigcommerce: webhooks delivered concurrently, as BigCommerce does (1 keeps their order)",
        )
        parser.add_argument(
            "--api-key",
            default=DEFAULT_GELATO_KEY,
            help=f"gelato: the account's X-API-KEY ({DEFAULT_GELATO_KEY})",
        )
        parser.add_argument(
            "--webhook-url", help="gelato: where status webhooks go (127.0.0.1/localhost only)"
        )

    def handle(self, *args, name: str, **options) -> None:
        runners = {"bigcommerce": self._run_bigcommerce, "gelato": self._run_gelato}
        if name not in runners:
            raise CommandError(f"Unknown emulator {name!r}; available: {', '.join(sorted(runners))}.")
        if options["port"] is None:
            options["port"] = DEFAULT_PORTS[name]
        runners[name](**options)

    def _run_bigcommerce(
        self, port, time_scale, seed, store, generate_rate, first_order_id, delivery_threads, **_options
    ) -> None:
        from printbridge.integrations.bigcommerce.emulator import BigCommerceEmulator, EmulatorConfig

        config = EmulatorConfig(
            port=port, time_scale=time_scale, seed=seed, delivery_threads=delivery_threads
        )
        if generate_rate:
            config = replace(config, generator=replace(config.generator, rate_per_minute=generate_rate))
        emulator = BigCommerceEmulator(config).start()
        try:
            for store_hash, token, plan in store or [_store_arg(DEFAULT_STORE)]:
                emulator.add_store(store_hash, token, plan=plan, first_order_id=first_order_id)
                self.stdout.write(f"store {store_hash} ({plan}): {emulator.api_url(store_hash)}")
            if generate_rate:
                emulator.generator.start()
            self.stdout.write(f"BigCommerce emulator listening on {emulator.login_url}", ending="\n")
            self.stdout.flush()
            _wait_for_signal()
        finally:
            emulator.stop()
        self.stdout.write("BigCommerce emulator stopped.")

    def _run_gelato(self, port, time_scale, seed, api_key, webhook_url, **_options) -> None:
        from printbridge.integrations.gelato.emulator import GelatoEmulator, GelatoEmulatorConfig

        try:
            config = GelatoEmulatorConfig(port=port, time_scale=time_scale, seed=seed)
            emulator = GelatoEmulator(config)
            emulator.add_account(api_key, webhook_url=webhook_url)
        except ValueError as error:
            raise CommandError(str(error)) from None
        emulator.start()
        try:
            self.stdout.write(f"account {api_key}: webhooks to {webhook_url or 'nowhere (no --webhook-url)'}")
            self.stdout.write(f"Gelato emulator listening on {emulator.base_url}", ending="\n")
            self.stdout.flush()
            _wait_for_signal()
        finally:
            emulator.stop()
        self.stdout.write("Gelato emulator stopped.")


def _wait_for_signal() -> None:
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
