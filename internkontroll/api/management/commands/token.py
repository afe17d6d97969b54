from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from internkontroll.accounts.models import User
from internkontroll.api.actions import create_token


class Command(BaseCommand):
    help = "Create a personal access token for the API; the token is printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        create = commands.add_parser("create", help="Create a token for a user.")
        create.add_argument("username")
        create.add_argument(
            "--expires", type=int, metavar="DAYS", help="Days until it expires; never if absent."
        )
        create.add_argument("--name", default="ik token create", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(
                _("There is no active user %(username)s.") % {"username": options["username"]}
            )
        days = options["expires"]
        if days is not None and not 1 <= days <= 3650:
            raise CommandError(_("--expires takes a number of days from 1 to 3650."))
        _token, key = create_token(
            user, name=options["name"][:100], expires_in_days=days, acting_user=None
        )
        self.stdout.write(key)
