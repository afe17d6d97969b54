from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from internkontroll.exchange.exporter import ExportError, find_organisation
from internkontroll.reports.kinds import KINDS, ReportError, find_plan
from internkontroll.reports.render import FORMATS
from internkontroll.reports.requests import make, parse_date


class Command(BaseCommand):
    help = "Make a report (web page, PDF, Word or Excel) for a committee's year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="One of: " + ", ".join(KINDS))
        parser.add_argument("--unit", required=True, help="The committee's exchange id.")
        parser.add_argument("--year", required=True, type=int, help="The plan's year.")
        parser.add_argument("--period", help="The period's code, for follow-ups (T1, VB, …).")
        parser.add_argument("--as-of", dest="as_of", help="Show the data as it stood that day.")
        parser.add_argument("--format", dest="fmt", required=True, help=", ".join(FORMATS))
        parser.add_argument("--organisation", help="The organisation's name, if there are several.")
        parser.add_argument("-o", "--output", required=True, type=Path, help="File to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = find_organisation(options["organisation"])
            as_of = parse_date(options["as_of"])
            plan = find_plan(organisation, options["unit"], options["year"])
            made = make(
                options["kind"],
                plan,
                fmt=options["fmt"],
                period_code=options["period"],
                as_of=as_of,
            )
        except (ExportError, ReportError) as error:
            raise CommandError(str(error)) from None
        try:
            options["output"].write_bytes(made.content)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s")
                % {"file": options["output"], "reason": error.strerror}
            ) from None
        self.stdout.write(
            _("Wrote %(file)s (%(size)s bytes).")
            % {"file": options["output"], "size": len(made.content)}
        )
