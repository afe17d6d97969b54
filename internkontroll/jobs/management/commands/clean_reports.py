from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from internkontroll.jobs.reports import clean_expired


class Command(BaseCommand):
    help = "Delete the expired reports made in the background, and their files."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while cleaned := clean_expired():
            total += cleaned
        self.stdout.write(
            ngettext(
                "Deleted %(count)s expired report.", "Deleted %(count)s expired reports.", total
            )
            % {"count": total}
        )
