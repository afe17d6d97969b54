import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from internkontroll.reminders.send import send_reminders
from internkontroll.reminders.tasks import enqueue_daily_reminders


def day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today must be a date such as 2025-05-15, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Send the day's reminders of follow-ups to report and, on the digest weekday, the "
        "coordinators' summaries. Run it daily; a second run the same day sends nothing again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=day, help="The day to send for (YYYY-MM-DD).")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Put the daily task on the worker's queue instead; it then schedules itself.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            if not enqueue_daily_reminders():
                raise CommandError(_("The task backend cannot run tasks later; use cron instead."))
            self.stdout.write(_("The daily reminders are on the queue."))
            return
        today = options["today"] or timezone.localdate()
        mails = send_reminders(today, dry_run=options["dry_run"])
        dry_run = options["dry_run"]
        one = (
            _("Would send to %(email)s: %(subject)s")
            if dry_run
            else _("Sent to %(email)s: %(subject)s")
        )
        for mail in mails:
            self.stdout.write(one % {"email": mail.user.email, "subject": mail.subject})
        total = (
            ngettext(
                "Would send %(count)s e-mail for %(day)s.",
                "Would send %(count)s e-mails for %(day)s.",
                len(mails),
            )
            if dry_run
            else ngettext(
                "Sent %(count)s e-mail for %(day)s.",
                "Sent %(count)s e-mails for %(day)s.",
                len(mails),
            )
        )
        self.stdout.write(total % {"count": len(mails), "day": f"{today:%Y-%m-%d}"})
