"""Reliability tests: one Fernet key for this process and every process a test starts."""

import pytest
from cryptography.fernet import Fernet

from printbridge.stores import crypto


@pytest.fixture(autouse=True)
def _shared_keys(monkeypatch):
    monkeypatch.setenv("PRINTBRIDGE_FERNET_KEYS", Fernet.generate_key().decode())
    crypto.reset_cache()
    yield
    crypto.reset_cache()
