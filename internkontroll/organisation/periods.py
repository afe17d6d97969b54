"""The organisation's reporting periods: creating, changing and deleting them, one write path each.

Once a follow-up or a control activity refers to a period, earlier years' reports and due rules
depend on the period structure, so only names (and deadlines) may change from then on.
"""

from __future__ import annotations

import calendar
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.lib.versioning import (
    ANY_VERSION,
    Version,
    lock_current,
    lock_parent,
    save_versioned,
)
from internkontroll.organisation.models import Organisation, Period

STRUCTURE = ("code", "ends_month", "ends_day", "position")
# A common year: a period must end on a day every year has, so 29 February is refused.
COMMON_YEAR = 2001


def periods_locked(organisation: Organisation) -> bool:
    """Whether a follow-up or a control activity refers to one of the organisation's periods."""
    in_activities = ControlActivity.periods.through.objects.filter(
        period__organisation=organisation
    )
    return (
        FollowUp.objects.filter(period__organisation=organisation).exists()
        or in_activities.exists()
    )


def _validate(period: Period) -> None:
    """Refuse a code used by another period, a day not in every year, or an end already taken."""
    errors: dict[str, str] = {}
    others = Period.objects.filter(organisation_id=period.organisation_id)
    if period.pk is not None:
        others = others.exclude(pk=period.pk)
    period.code = (period.code or "").strip()
    if period.code and others.filter(code__iexact=period.code).exists():
        errors["code"] = _(
            "Another period already has the code “%(code)s” (upper and lower case count as the "
            "same). Choose another code."
        ) % {"code": period.code}
    month, day = period.ends_month, period.ends_day
    if month is None or not 1 <= month <= 12:
        errors["ends_month"] = _("The month must be a number from 1 to 12.")
    elif day is None or not 1 <= day <= calendar.monthrange(COMMON_YEAR, month)[1]:
        errors["ends_day"] = _(
            "The day does not exist in that month every year: a period must end on a day "
            "every year has (29 February is not one)."
        )
    elif other := others.filter(ends_month=month, ends_day=day).first():
        errors["ends_day"] = _(
            "The period %(other)s already ends on that day; two periods cannot end on the same day."
        ) % {"other": other}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_period(organisation: Organisation, *, acting_user: Any, **values: Any) -> Period:
    # The organisation is locked so that two creates check codes and end days in turn.
    lock_parent(organisation)
    period = Period(organisation=organisation, **values)
    _validate(period)
    return save_versioned(period, values, version=ANY_VERSION, acting_user=acting_user)


@transaction.atomic
def change_period(period: Period, *, acting_user: Any, version: Version, **values: Any) -> Period:
    """Rename a period; its code, end day and place only while no history depends on them."""
    organisation = lock_parent(period.organisation)
    current = lock_current(Period, period.pk, version)
    changed = [
        name for name in STRUCTURE if name in values and values[name] != getattr(current, name)
    ]
    if changed and periods_locked(organisation):
        raise ValidationError(
            _(
                "Follow-ups or control activities already refer to the organisation's periods, "
                "so only a period's name and reporting deadline can change."
            )
        )
    for name, value in values.items():
        setattr(current, name, value)
    _validate(current)
    return save_versioned(period, values, version=version, acting_user=acting_user)


@transaction.atomic
def delete_period(period: Period, *, acting_user: Any, version: Version) -> None:
    """Delete a period no history refers to; the organisation keeps at least one."""
    organisation = lock_parent(period.organisation)
    current = lock_current(Period, period.pk, version)
    if periods_locked(organisation):
        raise ValidationError(
            _(
                "Follow-ups or control activities already refer to the organisation's periods, "
                "so no period can be deleted."
            )
        )
    if not Period.objects.filter(organisation=organisation).exclude(pk=current.pk).exists():
        raise ValidationError(_("The organisation must keep at least one reporting period."))
    current._history_user = acting_user  # type: ignore[attr-defined]
    current.delete()
