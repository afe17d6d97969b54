import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

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
                raise CommandError("The task backend cannot run tasks later; use cron instead.")
            self.stdout.write("The daily reminders are on the queue.")
            return
        today = options["today"] or timezone.localdate()
        mails = send_reminders(today, dry_run=options["dry_run"])
        verb = "Would send" if options["dry_run"] else "Sent"
        for mail in mails:
            self.stdout.write(f"{verb} to {mail.user.email}: {mail.subject}")
        self.stdout.write(f"{verb} {len(mails)} e-mails for {today:%Y-%m-%d}.")
