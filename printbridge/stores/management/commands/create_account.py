import getpass

from django.core.management.base import BaseCommand, CommandError

from printbridge.stores.services import create_account


class Command(BaseCommand):
    help = "Create a merchant account and its owner (the user is created when the e-mail is new)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("email")
        parser.add_argument(
            "--password", help="The owner's password (asked for when omitted and the user is new)"
        )

    def handle(self, *args, name, email, password=None, **options):
        if password is None and self.stdin_is_tty():
            password = getpass.getpass(f"Password for {email}: ")
        if not password:
            raise CommandError("Give --password (no terminal to ask on)")
        account, user = create_account(name, email, password)
        self.stdout.write(f"Account {account.name} (id {account.pk}); owner {user.email}")

    def stdin_is_tty(self) -> bool:
        import sys

        return sys.stdin.isatty()
