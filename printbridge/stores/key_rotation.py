"""Rotate the key of secrets at rest: a new primary key, every encrypted column re-encrypted under it in one
transaction, and, on request, the old keys dropped once every row decrypts with the new key alone.

Processes that already loaded the keys keep them cached: restart them after a rotation, and before dropping
the old keys, or they go on writing secrets under the old key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.db import transaction

from printbridge.orders import events
from printbridge.orders.models import OrderEvent
from printbridge.stores import crypto
from printbridge.stores.models import BigCommerceConnection

ENCRYPTED_FIELDS = ("access_token_encrypted", "webhook_secret_encrypted")
ACTOR = events.Actor.system("key rotation")


@dataclass(frozen=True)
class Rotation:
    rows: int  # connections re-encrypted
    dropped_keys: int  # old keys removed from the key file (0 unless asked)


def rotate_keys(new_key: bool = True, drop_old: bool = False) -> Rotation:
    """With `new_key=False` the rows are re-encrypted under the current primary key (for keys given in
    PRINTBRIDGE_FERNET_KEYS, where the operator puts the new key first)."""
    if new_key:
        crypto.add_primary_key()
    rows = reencrypt_all()
    return Rotation(rows, drop_old_keys() if drop_old else 0)


@transaction.atomic
def reencrypt_all() -> int:
    """Every connection's secrets under the primary key; one unreadable value changes nothing."""
    connections = BigCommerceConnection.objects.select_for_update().select_related("store").order_by("pk")
    rows = 0
    for connection in connections:
        values = {field: _reencrypt(connection, field) for field in ENCRYPTED_FIELDS}
        BigCommerceConnection.objects.filter(pk=connection.pk).update(**values)
        message = "Encryption key rotated: the store's access token and webhook secret were re-encrypted"
        events.record(
            OrderEvent.Type.STORE_KEY_ROTATED, message, ACTOR, store=connection.store, key="encryption"
        )
        rows += 1
    return rows


def _reencrypt(connection: BigCommerceConnection, field: str) -> str:
    try:
        return crypto.reencrypt(getattr(connection, field))
    except crypto.SecretUnreadable:
        raise crypto.SecretUnreadable(
            f"BigCommerce connection {connection.pk}: {field} cannot be decrypted with any configured key; "
            "nothing was re-encrypted"
        ) from None


def drop_old_keys() -> int:
    """Rewrite the key file with its first (primary) key only, after checking that every row decrypts with
    that key alone. Returns how many keys were dropped."""
    if os.environ.get("PRINTBRIDGE_FERNET_KEYS"):
        raise RuntimeError("Keys come from PRINTBRIDGE_FERNET_KEYS: remove the old keys there instead")
    keys = [line.strip() for line in crypto.key_file().read_text().splitlines() if line.strip()]
    primary = Fernet(keys[0].encode())
    with transaction.atomic():
        for connection in BigCommerceConnection.objects.select_for_update().order_by("pk"):
            for field in ENCRYPTED_FIELDS:
                _check_primary(primary, connection, field)
        _write_key_file(keys[0])
    crypto.reset_cache()
    return len(keys) - 1


def _check_primary(primary: Fernet, connection: BigCommerceConnection, field: str) -> None:
    try:
        primary.decrypt(getattr(connection, field).encode())
    except InvalidToken:
        raise crypto.SecretUnreadable(
            f"BigCommerce connection {connection.pk}: {field} is not encrypted under the new key; "
            "no key was dropped"
        ) from None


def _write_key_file(key: str) -> None:
    path = crypto.key_file()
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(key + "\n")
    temporary.chmod(0o600)
    os.replace(temporary, path)
