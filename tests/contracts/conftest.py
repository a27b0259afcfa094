"""The BigCommerce emulator fixtures of tests/emulators (a started emulator, its store, an API client, a webhook
receiver), for the contract tests here."""

from tests.emulators.conftest import admin, api, emulator, receiver, store  # noqa: F401 - fixtures
