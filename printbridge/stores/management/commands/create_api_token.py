from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from printbridge.stores.models import Membership
from printbridge.stores.services import issue_api_token


class Command(BaseCommand):
    help = "Issue a personal API token for a user (shown once). Use it as `Authorization: Bearer <token>`."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--account", type=int, help="Account id (default: the user's first account)")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, email, account=None, name="command line", **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with e-mail {email}")
        memberships = Membership.objects.filter(user=user).select_related("account").order_by("pk")
        membership = memberships.filter(account_id=account).first() if account else memberships.first()
        if membership is None:
            raise CommandError(
                f"{email} is not a member of {'account ' + str(account) if account else 'any account'}"
            )
        _, raw = issue_api_token(user, membership.account, name)
        self.stdout.write(raw)
