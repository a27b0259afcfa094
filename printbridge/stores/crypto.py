"""Secrets at rest (store tokens, webhook secrets): Fernet with key rotation (MultiFernet).

Keys come from PRINTBRIDGE_FERNET_KEYS (comma-separated, newest first) or, when unset, from the key file
`var/fernet.keys` (one key per line, newest first), made on first use with mode 0600. Decryption fails closed:
a value no key can open raises SecretUnreadable, never returns garbage.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretUnreadable(Exception):
    """No configured key decrypts this value (wrong key, or the value was tampered with)."""


def key_file() -> Path:
    return Path(settings.VAR_DIR) / "fernet.keys"


def _read_keys() -> list[str]:
    configured = os.environ.get("PRINTBRIDGE_FERNET_KEYS", "").strip()
    if configured:
        return [k.strip() for k in configured.split(",") if k.strip()]
    path = key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Fernet.generate_key().decode() + "\n")
        path.chmod(0o600)
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in _read_keys()])


def reset_cache() -> None:
    _fernet.cache_clear()


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable("This secret cannot be decrypted with the configured keys") from None


def reencrypt(token: str) -> str:
    """The same secret encrypted under the newest key."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable("This secret cannot be decrypted with the configured keys") from None


def add_primary_key() -> None:
    """Put a new key first in the key file (older keys stay, to read what is not yet re-encrypted)."""
    if os.environ.get("PRINTBRIDGE_FERNET_KEYS"):
        raise RuntimeError(
            "Keys come from PRINTBRIDGE_FERNET_KEYS: add the new key first there, then re-encrypt"
        )
    keys = _read_keys()
    key_file().write_text("\n".join([Fernet.generate_key().decode(), *keys]) + "\n")
    reset_cache()
