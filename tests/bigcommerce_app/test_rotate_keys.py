"""Row 22: decrypting with the wrong key fails closed; after `printbridge rotate-keys` every row decrypts with
the new key, and the old key alone no longer opens them."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import CommandError, call_command

from printbridge import cli
from printbridge.orders.models import OrderEvent
from printbridge.stores import crypto
from printbridge.stores.models import BigCommerceConnection
from tests.bigcommerce_app.conftest import install

pytestmark = pytest.mark.django_db
FIELDS = ("access_token_encrypted", "webhook_secret_encrypted")


def key_lines() -> list[str]:
    return crypto.key_file().read_text().splitlines()


def rows() -> list[tuple[str, str]]:
    return list(BigCommerceConnection.objects.order_by("pk").values_list(*FIELDS))


def plaintexts(fernet: Fernet) -> list[tuple[str, str]]:
    return [tuple(fernet.decrypt(value.encode()).decode() for value in row) for row in rows()]


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_keys", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def two_stores(db):
    return install("abc123"), install("bbb222")


COUNTS = "2 BigCommerce connection(s), 0 provider account(s), 0 outbound webhook(s)"
EXPECTED = [("token-abc123", "webhook-secret-abc123"), ("token-bbb222", "webhook-secret-bbb222")]


def test_rotation_reencrypts_every_row_under_the_new_key(two_stores):
    [old_key] = key_lines()
    before = rows()
    assert rotate() == "Re-encrypted 2 row(s) with secrets under the new key: " + COUNTS + "\n"
    new_key, kept = key_lines()
    assert kept == old_key
    assert new_key != old_key
    assert plaintexts(Fernet(new_key.encode())) == EXPECTED
    assert [tuple(crypto.decrypt(value) for value in row) for row in rows()] == EXPECTED
    assert all(
        a != b
        for row_before, row_after in zip(before, rows(), strict=True)
        for a, b in zip(row_before, row_after, strict=True)
    )


def test_after_rotation_the_old_key_alone_opens_no_row(two_stores, monkeypatch):
    [old_key] = key_lines()
    rotate()
    for row in rows():
        for value in row:
            with pytest.raises(InvalidToken):
                Fernet(old_key.encode()).decrypt(value.encode())
    monkeypatch.setenv("PRINTBRIDGE_FERNET_KEYS", old_key)
    crypto.reset_cache()
    with pytest.raises(crypto.SecretUnreadable):
        crypto.decrypt(rows()[0][0])


def test_rotation_records_an_audit_event_per_store(two_stores):
    rotate()
    assert list(OrderEvent.objects.filter(type="store_key_rotated").values_list("store_id", "actor")) == [
        (two_stores[0].store_id, "key rotation"),
        (two_stores[1].store_id, "key rotation"),
    ]


def test_drop_old_leaves_only_the_new_key_and_every_row_readable(two_stores):
    rotate()
    newest = key_lines()[0]
    assert rotate("--drop-old").splitlines() == [
        "Re-encrypted 2 row(s) with secrets under the new key: " + COUNTS + "",
        "Dropped 2 old key(s); the key file holds the new key only",
    ]
    [only] = key_lines()
    assert only != newest
    assert plaintexts(Fernet(only.encode())) == EXPECTED
    assert [crypto.decrypt(row[0]) for row in rows()] == ["token-abc123", "token-bbb222"]
    assert oct(crypto.key_file().stat().st_mode & 0o777) == "0o600"


def test_a_value_under_a_key_that_is_not_configured_is_unreadable(db):
    foreign = Fernet(Fernet.generate_key()).encrypt(b"token-from-elsewhere").decode()
    with pytest.raises(crypto.SecretUnreadable):
        crypto.decrypt(foreign)
    with pytest.raises(crypto.SecretUnreadable):
        crypto.reencrypt(foreign)


def test_one_unreadable_row_stops_the_rotation_and_changes_no_row(two_stores):
    foreign = Fernet(Fernet.generate_key()).encrypt(b"x").decode()
    BigCommerceConnection.objects.filter(pk=two_stores[1].pk).update(webhook_secret_encrypted=foreign)
    before = rows()
    with pytest.raises(
        CommandError, match=rf"^BigCommerce connection {two_stores[1].pk}: webhook_secret_encrypted "
    ):
        rotate("--drop-old")
    assert rows() == before
    assert len(key_lines()) == 2  # the new key was added; nothing was dropped
    assert OrderEvent.objects.filter(type="store_key_rotated").count() == 0


def test_keys_from_the_environment_are_not_rewritten(two_stores, monkeypatch):
    new_key, old_key = Fernet.generate_key().decode(), key_lines()[0]
    monkeypatch.setenv("PRINTBRIDGE_FERNET_KEYS", f"{new_key},{old_key}")
    crypto.reset_cache()
    with pytest.raises(CommandError, match="PRINTBRIDGE_FERNET_KEYS"):
        rotate()
    assert (
        rotate("--reencrypt-only") == "Re-encrypted 2 row(s) with secrets under the new key: " + COUNTS + "\n"
    )
    assert plaintexts(Fernet(new_key.encode())) == EXPECTED


def test_printbridge_rotate_keys_alias(two_stores, capsys):
    assert cli.ALIASES["rotate-keys"] == ["rotate_keys"]
    assert cli.main(["printbridge", "rotate-keys"]) == 0
    assert capsys.readouterr().out == "Re-encrypted 2 row(s) with secrets under the new key: " + COUNTS + "\n"
    assert len(key_lines()) == 2


def test_provider_keys_and_outbound_webhook_secrets_are_rotated_too(two_stores, settings):
    from printbridge.fulfilment.models import OutboundWebhook, ProviderAccount
    from printbridge.fulfilment.services.accounts import _save
    from printbridge.fulfilment.services.outbound import save_outbound_webhook
    from printbridge.orders import events
    from printbridge.stores.services import create_account, create_store

    settings.PRINTBRIDGE_ALLOW_LOOPBACK_WEBHOOKS = True
    account, user = create_account("Keyed Prints", "keys@example.com", "s3cret-pass")
    actor = events.Actor.for_user(user)
    _save(account, "gelato-key-1", "http://127.0.0.1:9", "http://127.0.0.1:9", actor)
    custom = create_store(account, "Custom shop", "custom", actor).store
    secret = save_outbound_webhook(account.pk, custom.pk, "http://127.0.0.1:9/hook", actor).secret
    assert rotate() == (
        "Re-encrypted 4 row(s) with secrets under the new key: "
        "2 BigCommerce connection(s), 1 provider account(s), 1 outbound webhook(s)\n"
    )
    rotate("--drop-old")
    [only] = key_lines()
    provider = ProviderAccount.objects.get(account=account)
    assert Fernet(only.encode()).decrypt(provider.api_key_encrypted.encode()) == b"gelato-key-1"
    hook = OutboundWebhook.objects.get(store=custom)
    assert Fernet(only.encode()).decrypt(hook.secret_encrypted.encode()).decode() == secret
    rotated = OrderEvent.objects.filter(type="store_key_rotated", account_id=account.pk)
    assert sorted(rotated.values_list("store_id", flat=True), key=str) == sorted(
        [None, custom.pk] * 2, key=str
    )
