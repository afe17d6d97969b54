"""When a control activity is due: its occurrences in the plan's year and the periods they fall in.

The one definition of "due in a period" that reports, the follow-up board, reminders and the
report form share. An activity is carried out on its *occurrences*: the end of every month,
quarter or term (monthly, quarterly, per term: June and December), every reporting period's end
(per period, continuously), else once, on its due date or at the end of its last reporting
period. An occurrence is reported in the first of the activity's reporting periods (its named
periods, else all) that ends on or after it; one after the last of them in the year's period
that holds it. The activity is due in its named periods and in every period that holds an
occurrence.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from internkontroll.controls.models import Frequency
from internkontroll.organisation.models import Period

# The months whose last day is an occurrence, for the frequencies counted in months.
MONTHS = {
    Frequency.MONTHLY: tuple(range(1, 13)),
    Frequency.QUARTERLY: (3, 6, 9, 12),
    Frequency.PER_TERM: (6, 12),
}
# Frequencies carried out once in each reporting period.
EVERY_PERIOD = frozenset({Frequency.PER_PERIOD, Frequency.CONTINUOUS})


@dataclass(frozen=True)
class Occurrence:
    """One time a control activity is carried out: its due date and the period it is reported in."""

    due: datetime.date
    period: Period


def period_start(periods: list[Period], period: Period, year: int) -> datetime.date:
    """The day after the previous period's end (periods in order), or the year's first day."""
    earlier = [p.end_date(year) for p in periods if p.end_date(year) < period.end_date(year)]
    if not earlier:
        return datetime.date(year, 1, 1)
    return max(earlier) + datetime.timedelta(days=1)


def _first_ending_by(periods: list[Period], day: datetime.date, year: int) -> Period | None:
    ending = [p for p in periods if p.end_date(year) >= day]
    return min(ending, key=lambda p: p.end_date(year)) if ending else None


def reported_in(
    reporting: list[Period], periods: list[Period], day: datetime.date, year: int
) -> Period:
    """The period an occurrence on `day` is reported in (see the module's rule)."""
    return (
        _first_ending_by(reporting, day, year)
        or _first_ending_by(periods, day, year)
        or max(periods, key=lambda p: p.end_date(year))
    )


def occurrences(
    frequency: str,
    due_date: datetime.date | None,
    named: Iterable[int],
    periods: list[Period],
    year: int,
) -> list[Occurrence]:
    """The occurrences, by due date, of an activity of a `year`'s plan.

    `named` holds the ids of the periods it is reported in; `periods` are the organisation's,
    in order.
    """
    if not periods:
        return []
    chosen = set(named)
    reporting = [p for p in periods if p.pk in chosen] or list(periods)
    if frequency in MONTHS:
        days = [
            datetime.date(year, month, calendar.monthrange(year, month)[1])
            for month in MONTHS[Frequency(frequency)]
        ]
    elif frequency in EVERY_PERIOD:
        days = [period.end_date(year) for period in reporting]
    elif due_date is not None and due_date.year == year:
        days = [due_date]
    else:
        days = [max(period.end_date(year) for period in reporting)]
    return [Occurrence(day, reported_in(reporting, periods, day, year)) for day in sorted(days)]


def activity_occurrences(
    activity: Any, named: Iterable[int], periods: list[Period], year: int
) -> list[Occurrence]:
    return occurrences(activity.frequency, activity.due_date, named, periods, year)


def activity_due_periods(
    activity: Any, named: Iterable[int], periods: list[Period], year: int
) -> list[Period]:
    """The periods (of `periods`, in order) a control activity of a year's plan is due in.

    Its named periods and every period one of its occurrences is reported in. `named` holds
    period ids.
    """
    chosen = set(named)
    held = {o.period.pk for o in activity_occurrences(activity, chosen, periods, year)}
    return [p for p in periods if p.pk in chosen or p.pk in held]


def schedule_of(activity: Any) -> list[Occurrence]:
    """A saved activity's occurrences in its plan's year (two queries)."""
    periods = list(
        Period.objects.filter(organisation_id=activity.risk.plan.unit.organisation_id).order_by(
            "position", "pk"
        )
    )
    named = activity.periods.values_list("pk", flat=True)
    return activity_occurrences(activity, named, periods, activity.risk.plan.year)


def suggested(
    schedule: list[Occurrence],
    reported: set[datetime.date],
    today: datetime.date,
    period_pk: int | None = None,
) -> Occurrence | None:
    """The occurrence a new report is most likely for.

    The earliest one past its due date without a result (in the given period, if it has one),
    else the next one to come, else the latest one past.
    """
    waiting = [o for o in schedule if o.due not in reported]
    past = [o for o in waiting if o.due <= today]
    in_period = [o for o in past if o.period.pk == period_pk]
    if in_period or past:
        return (in_period or past)[0]
    if waiting:
        return waiting[0]
    done = [o for o in schedule if o.due <= today]
    return done[-1] if done else next(iter(schedule), None)
