"""Rotate the key of secrets at rest: a new primary key, every encrypted column re-encrypted under it in one
transaction, and, on request, the old keys dropped once every row decrypts with the new key alone.

Processes that already loaded the keys keep them cached: restart them after a rotation, and before dropping
the old keys, or they go on writing secrets under the old key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken
from django.db import transaction

from printbridge.orders import events
from printbridge.orders.models import OrderEvent
from printbridge.stores import crypto

ACTOR = events.Actor.system("key rotation")


@dataclass(frozen=True)
class Secrets:
    """A model with encrypted columns, and how its rows are named in messages and audit events."""

    model_label: str
    name: str
    fields: tuple[str, ...]

    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_label)

    def audit(self, row) -> None:
        message = f"Encryption key rotated: {', '.join(self.fields)} of {self.name} {row.pk} re-encrypted"
        store = getattr(row, "store", None)
        account_id = None if store else row.account_id
        events.record(
            OrderEvent.Type.STORE_KEY_ROTATED,
            message,
            ACTOR,
            store=store,
            account_id=account_id,
            key="encryption",
        )


# Every column encrypted at rest, so a rotation leaves nothing under a key about to be dropped.
SECRETS = (
    Secrets(
        "stores.BigCommerceConnection",
        "BigCommerce connection",
        ("access_token_encrypted", "webhook_secret_encrypted"),
    ),
    Secrets(
        "fulfilment.ProviderAccount", "provider account", ("api_key_encrypted", "webhook_secret_encrypted")
    ),
    Secrets("fulfilment.OutboundWebhook", "outbound webhook", ("secret_encrypted",)),
)


@dataclass(frozen=True)
class Rotation:
    rows: int  # rows re-encrypted, over every model with secrets
    dropped_keys: int  # old keys removed from the key file (0 unless asked)
    by_model: dict[str, int] = field(default_factory=dict)  # rows per kind of secret holder


def rotate_keys(new_key: bool = True, drop_old: bool = False) -> Rotation:
    """With `new_key=False` the rows are re-encrypted under the current primary key (for keys given in
    PRINTBRIDGE_FERNET_KEYS, where the operator puts the new key first)."""
    if new_key:
        crypto.add_primary_key()
    by_model = reencrypt_all()
    return Rotation(sum(by_model.values()), drop_old_keys() if drop_old else 0, by_model)


@transaction.atomic
def reencrypt_all() -> dict[str, int]:
    """Every secret at rest under the primary key; one unreadable value changes nothing (one transaction)."""
    counts = {}
    for secrets in SECRETS:
        model = secrets.model()
        rows = list(model.objects.select_for_update().order_by("pk"))
        for row in rows:
            values = {name: _reencrypt(secrets, row, name) for name in secrets.fields}
            model.objects.filter(pk=row.pk).update(**values)
            secrets.audit(row)
        counts[secrets.name] = len(rows)
    return counts


def _reencrypt(secrets: Secrets, row, name: str) -> str:
    try:
        return crypto.reencrypt(getattr(row, name))
    except crypto.SecretUnreadable:
        raise crypto.SecretUnreadable(
            f"{secrets.name} {row.pk}: {name} cannot be decrypted with any configured key; "
            "nothing was re-encrypted"
        ) from None


def drop_old_keys() -> int:
    """Rewrite the key file with its first (primary) key only, after checking that every secret decrypts with
    that key alone. Returns how many keys were dropped."""
    if os.environ.get("PRINTBRIDGE_FERNET_KEYS"):
        raise RuntimeError("Keys come from PRINTBRIDGE_FERNET_KEYS: remove the old keys there instead")
    keys = [line.strip() for line in crypto.key_file().read_text().splitlines() if line.strip()]
    primary = Fernet(keys[0].encode())
    with transaction.atomic():
        for secrets in SECRETS:
            for row in secrets.model().objects.select_for_update().order_by("pk"):
                for name in secrets.fields:
                    _check_primary(primary, secrets, row, name)
        _write_key_file(keys[0])
    crypto.reset_cache()
    return len(keys) - 1


def _check_primary(primary: Fernet, secrets: Secrets, row, name: str) -> None:
    try:
        primary.decrypt(getattr(row, name).encode())
    except InvalidToken:
        raise crypto.SecretUnreadable(
            f"{secrets.name} {row.pk}: {name} is not encrypted under the new key; no key was dropped"
        ) from None


def _write_key_file(key: str) -> None:
    path = crypto.key_file()
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(key + "\n")
    temporary.chmod(0o600)
    os.replace(temporary, path)
