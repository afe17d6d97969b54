"""django-simple-history's commands that delete history rows, replaced by a refusal."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


class RefusedCommand(BaseCommand):
    help = "Refused: the recorded history is evidence and is never deleted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*")
        parser.add_argument("--days", type=int)
        parser.add_argument("--auto", action="store_true")
        parser.add_argument("--dry", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError(_("The history is evidence for the auditors and is never deleted."))
