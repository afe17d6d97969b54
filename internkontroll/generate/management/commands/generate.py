from argparse import ArgumentTypeError
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from internkontroll.accounts.models import Role
from internkontroll.generate.generator import (
    GENERATED_PASSWORD,
    NameTaken,
    Summary,
    default_jobs,
    generate,
)
from internkontroll.generate.profiles import PROFILES


def number(value: int) -> str:
    return number_format(value, force_grouping=True)


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ArgumentTypeError(_("Give a number of at least 1."))
    return value


class Command(BaseCommand):
    help = (
        "Generate synthetic organisations (tiny, city or country scale) with years of plans, "
        "follow-ups and audits, written in bulk with their history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", choices=sorted(PROFILES), required=True)
        parser.add_argument("--seed", type=int, default=1, help="Same seed (and day), same data.")
        parser.add_argument(
            "--organisations",
            type=positive,
            help="Only the first N organisations of the profile.",
        )
        parser.add_argument(
            "--password", default=GENERATED_PASSWORD, help="Every generated user's password."
        )
        parser.add_argument(
            "--jobs",
            type=positive,
            help="Organisations built at once (PostgreSQL; default: one per core).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                _(
                    "Generated organisations have users with a known password and do not "
                    "belong in production; generate into a test database instead."
                )
            )
        profile = PROFILES[options["profile"]]
        try:
            result = generate(
                profile,
                seed=options["seed"],
                organisations=options["organisations"],
                password=options["password"],
                jobs=options["jobs"] or default_jobs(),
                on_organisation=self.organisation_done,
                on_year=self.year_done if profile.organisations == 1 else None,
            )
        except NameTaken as taken:
            raise CommandError(
                _(
                    "%(names)s is already in the database (the organisation or its generated "
                    "logins); generate into an empty database or choose another --seed."
                )
                % {"names": ", ".join(taken.names)}
            ) from None
        self.stdout.write("")
        for count in result.counts.values():
            line = f"{capfirst(count.label)}: {number(count.rows)}"
            if count.history is not None:
                line += " " + _("(%(history)s in the history)") % {"history": number(count.history)}
            self.stdout.write(line)
        self.stdout.write(_("Done in %(seconds)s s.") % {"seconds": f"{result.seconds:.1f}"})
        first = result.organisations[0]
        self.stdout.write(
            _("Logins in %(name)s (password for all: %(password)s):")
            % {"name": first.name, "password": options["password"]}
        )
        for role, username in first.logins.items():
            self.stdout.write(f"  {username:<32} {Role(role).label}")

    def year_done(self, year: int, summary: Summary) -> None:
        self.stdout.write(
            _("%(year)s: %(risks)s risks, %(actions)s actions, %(follow_ups)s follow-ups so far")
            % {
                "year": year,
                "risks": number(summary.risks),
                "actions": number(summary.actions),
                "follow_ups": number(summary.follow_ups),
            }
        )
        self.stdout.flush()

    def organisation_done(self, done: int, total: int, summary: Summary, seconds: float) -> None:
        self.stdout.write(
            _(
                "%(done)s/%(total)s %(name)s: %(risks)s risks, %(actions)s actions, "
                "%(follow_ups)s follow-ups (%(seconds)s s)"
            )
            % {
                "done": done,
                "total": total,
                "name": summary.name,
                "risks": number(summary.risks),
                "actions": number(summary.actions),
                "follow_ups": number(summary.follow_ups),
                "seconds": f"{seconds:.1f}",
            }
        )
        self.stdout.flush()
