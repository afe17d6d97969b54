"""What is due to be reported for a period: the follow-up board's rows and the reminders' items.

An open action is reported on in every period (and a done one in the periods it was reported
in); a control activity in the periods the reports count it due in (`activity_due_periods`).
A period of a year is reported on from its first day until its deadline.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.lib.prepared import IdsSlot, prepared
from internkontroll.organisation.models import Period
from internkontroll.reports.rows import activity_due_periods, period_start
from internkontroll.risks.models import OPEN_PROGRESS, Action

KINDS = ("action", "control_activity")


def periods_by_organisation(organisation_ids: Iterable[int]) -> dict[int, list[Period]]:
    """Each organisation's reporting periods, in order, in one query."""
    found: dict[int, list[Period]] = defaultdict(list)
    organisations = set(organisation_ids)
    for period in _periods_of.rows(organisations=organisations) if organisations else ():
        found[period.organisation_id].append(period)
    return found


@prepared(Period)
def _periods_of() -> QuerySet[Period]:
    return Period.objects.filter(organisation_id__in_ids=IdsSlot("organisations")).order_by(
        "organisation_id", "position", "id"
    )


def has_started(periods: list[Period], period: Period, year: int, day: datetime.date) -> bool:
    return period_start(periods, period, year) <= day


def report_url(kind: str, pk: int, period: Period | None = None) -> str:
    """The report form of an item, with the period chosen when one is given."""
    name = "followups:report_action" if kind == "action" else "followups:report_control_activity"
    url = reverse(name, args=[pk])
    return f"{url}?period={period.pk}" if period is not None else url


@dataclass
class Duty:
    """An item to report on for a period of its plan's year, and its report if it has one."""

    kind: str
    item: Any
    period: Period
    year: int
    follow_up: FollowUp | None
    today: datetime.date

    @property
    def deadline(self) -> datetime.date:
        return self.period.deadline(self.year)

    @property
    def reported(self) -> bool:
        return self.follow_up is not None

    @property
    def deviation(self) -> bool:
        return self.follow_up is not None and self.follow_up.is_deviation

    @property
    def report_url(self) -> str:
        return report_url(self.kind, self.item.pk, self.period)

    @property
    def key(self) -> str:
        """Names the item and period, e.g. for the log of reminders sent."""
        return f"{self.kind}:{self.item.pk}:{self.period.pk}:{self.year}"

    @property
    def late(self) -> bool:
        """Not reported and the deadline has passed."""
        return not self.reported and self.deadline < self.today

    @property
    def action_overdue(self) -> bool:
        """An open action past its end date (slutdatum)."""
        return (
            self.kind == "action"
            and self.item.status in OPEN_PROGRESS
            and self.item.due_date is not None
            and self.item.due_date < self.today
        )


def _of_period(period: Period) -> Prefetch:
    return Prefetch(
        "follow_ups",
        queryset=FollowUp.objects.filter(period=period).order_by("-date", "-id"),
        to_attr="period_follow_ups",
    )


def duties(
    actions: QuerySet[Action],
    activities: QuerySet[ControlActivity],
    period: Period,
    periods: list[Period],
    today: datetime.date,
) -> list[Duty]:
    """The actions and activities (of plans of the period's organisation) due in the period.

    A fixed number of queries however many items; `periods` are the organisation's, in order.
    """
    found: list[Duty] = []
    related = ("risk__plan__unit", "risk__unit", "assignee")
    for action in (
        actions.select_related(*related).prefetch_related(_of_period(period)).order_by("id")
    ):
        reports = action.period_follow_ups  # type: ignore[attr-defined]
        if action.status in OPEN_PROGRESS or reports:
            found.append(
                Duty(
                    "action",
                    action,
                    period,
                    action.risk.plan.year,
                    next(iter(reports), None),
                    today,
                )
            )
    for activity in (
        activities.select_related(*related)
        .prefetch_related(_of_period(period), Prefetch("periods", to_attr="named_periods"))
        .order_by("id")
    ):
        reports = activity.period_follow_ups  # type: ignore[attr-defined]
        year = activity.risk.plan.year
        named = [p.pk for p in activity.named_periods]
        if reports or period in activity_due_periods(activity, named, periods, year):
            found.append(
                Duty("control_activity", activity, period, year, next(iter(reports), None), today)
            )
    found.sort(
        key=lambda duty: (
            duty.item.risk.title,
            duty.item.risk_id,
            KINDS.index(duty.kind),
            duty.item.title,
        )
    )
    return found
