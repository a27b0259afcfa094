from django.core.management.base import BaseCommand, CommandError

from printbridge.stores import crypto, key_rotation


class Command(BaseCommand):
    help = (
        "Rotate the key of secrets at rest: add a new primary key to the key file and re-encrypt every store "
        "token and webhook secret under it (one transaction). Restart the web server and workers afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--drop-old",
            action="store_true",
            help="Then rewrite the key file with the new key only, once every row decrypts with it "
            "(run it after restarting every process that loaded the old keys)",
        )
        parser.add_argument(
            "--reencrypt-only",
            action="store_true",
            help="Add no key: re-encrypt under the current first key (keys given in PRINTBRIDGE_FERNET_KEYS)",
        )

    def handle(self, *args, drop_old=False, reencrypt_only=False, **options):
        try:
            result = key_rotation.rotate_keys(new_key=not reencrypt_only, drop_old=drop_old)
        except (crypto.SecretUnreadable, RuntimeError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Re-encrypted {result.rows} row(s) with secrets under the new key: {_counts(result)}"
        )
        if drop_old:
            self.stdout.write(
                f"Dropped {result.dropped_keys} old key(s); the key file holds the new key only"
            )


def _counts(result: key_rotation.Rotation) -> str:
    return ", ".join(f"{count} {name}(s)" for name, count in result.by_model.items())
