from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from internkontroll.exchange.importer import ImportFailed, import_document, read_document
from internkontroll.exchange.validation import MAX_PROBLEMS, more_problems


class Command(BaseCommand):
    help = "Import an exchange document (internkontroll/1): all or nothing, updating by id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--user", help="Username the changes are recorded under in the history."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        acting_user = None
        if options["user"]:
            acting_user = get_user_model().objects.filter(username=options["user"]).first()
            if acting_user is None:
                raise CommandError(_('There is no user "%(name)s".') % {"name": options["user"]})
        try:
            summary = import_document(read_document(options["file"]), acting_user=acting_user)
        except ImportFailed as failure:
            # Validation lists at most MAX_PROBLEMS and a last one; the database's may be more.
            problems = failure.problems
            if len(problems) > MAX_PROBLEMS + 1:
                problems = [*problems[:MAX_PROBLEMS], more_problems(len(problems) - MAX_PROBLEMS)]
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("%(file)s was not imported because of the problems above. Nothing was changed.")
                % {"file": options["file"]}
            ) from None
        self.stdout.write(
            _(
                "Imported %(file)s into %(organisation)s: %(created)s created, "
                "%(updated)s updated, %(unchanged)s unchanged."
            )
            % {
                "file": options["file"],
                "organisation": summary.organisation,
                "created": summary.created.total(),
                "updated": summary.updated.total(),
                "unchanged": summary.unchanged.total(),
            }
        )
