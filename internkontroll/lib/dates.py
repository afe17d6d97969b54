"""Plausibility of the dates people record: the one wording for each refusal."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _


def date_problem(
    day: datetime.date | None,
    *,
    earliest: datetime.date | None = None,
    future: bool = False,
) -> str | None:
    """Why a recorded day is implausible: in the future, or before the earliest possible one."""
    if day is None:
        return None
    if not future and day > timezone.localdate():
        return _("The date cannot be in the future.")
    if earliest is not None and day < earliest:
        return _("The date cannot be before %(earliest)s.") % {"earliest": earliest.isoformat()}
    return None
