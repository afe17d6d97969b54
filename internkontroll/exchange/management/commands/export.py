import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from internkontroll.exchange.exporter import ExportError, export_document, find_organisation


class Command(BaseCommand):
    help = "Export an organisation's data as an exchange document (internkontroll/1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="Only this unit (exchange id) and the units below it.")
        parser.add_argument("--year", type=int, help="Only the plans and goals of this year.")
        parser.add_argument("--organisation", help="The organisation's name, if there are several.")
        parser.add_argument(
            "-o", "--output", type=Path, help="File to write; standard output if absent."
        )
        parser.add_argument(
            "--history",
            action="store_true",
            help="Include the history (who changed what, when) of units, goals, plans and what "
            "they hold, audit reports and recommendations: a backup that `ik import` restores "
            "into an empty instance.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = find_organisation(options["organisation"])
            document = export_document(
                organisation,
                unit_id=options["unit"],
                year=options["year"],
                history=options["history"],
            )
        except ExportError as error:
            raise CommandError(str(error)) from None
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if options["output"] is None:
            self.stdout.write(text, ending="")
            return
        try:
            options["output"].write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s")
                % {"file": options["output"], "reason": error.strerror}
            ) from None
