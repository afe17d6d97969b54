"""Loading the rows a report needs, as they are now or as they stood at the end of a day.

Every report is assembled from a `Snapshot`: plain model instances held in dictionaries and
lists, never followed through relations. The same assembling code therefore works for
current rows (`Model.objects`) and for historical ones (django-simple-history's
`Model.history.as_of`), and loading takes one query per model whatever the data's size.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import (
    Goal,
    Organisation,
    Period,
    Process,
    RiskArea,
    RiskMatrix,
    Unit,
)
from internkontroll.plans.models import AdoptedVersion, Assessment, ControlPlan
from internkontroll.risks.models import Action, Risk

_M = TypeVar("_M", bound=models.Model)


class Source(Protocol):
    """Where rows come from: the current tables or the history."""

    as_of: datetime.date | None

    def rows(self, model: type[_M], *args: Any, **filters: Any) -> list[_M]: ...

    def activity_periods(self, activity_ids: list[int]) -> dict[int, list[int]]: ...


class CurrentSource:
    as_of: datetime.date | None = None

    def rows(self, model: type[_M], *args: Any, **filters: Any) -> list[_M]:
        return list(model._default_manager.filter(*args, **filters).order_by("pk"))

    def activity_periods(self, activity_ids: list[int]) -> dict[int, list[int]]:
        through = ControlActivity.periods.through
        found: dict[int, list[int]] = defaultdict(list)
        pairs = through.objects.filter(controlactivity_id__in=activity_ids).values_list(
            "controlactivity_id", "period_id"
        )
        for activity_id, period_id in pairs:
            found[activity_id].append(period_id)
        return found


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of the day in the project's time zone."""
    start_of_next = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start_of_next) - datetime.timedelta(microseconds=1)


class HistoricalSource:
    """Rows as they stood at the end of `as_of`: the latest version of each, unless deleted."""

    def __init__(self, as_of: datetime.date) -> None:
        self.as_of: datetime.date | None = as_of
        self.moment = end_of_day(as_of)
        self._activity_versions: dict[int, int] = {}

    def _versions(self, model: type[models.Model], *args: Any, **filters: Any) -> Any:
        manager = model.history  # type: ignore[attr-defined]
        return (
            manager.filter(history_date__lte=self.moment)
            .latest_of_each()
            .exclude(history_type="-")
            .filter(*args, **filters)
        )

    def rows(self, model: type[_M], *args: Any, **filters: Any) -> list[_M]:
        versions = list(self._versions(model, *args, **filters))
        if model is ControlActivity:
            self._activity_versions = {v.id: v.history_id for v in versions}
        return sorted((version.instance for version in versions), key=lambda row: row.pk)

    def activity_periods(self, activity_ids: list[int]) -> dict[int, list[int]]:
        through = ControlActivity.history.model.periods.model
        version_of = {self._activity_versions[pk]: pk for pk in activity_ids}
        found: dict[int, list[int]] = defaultdict(list)
        pairs = through.objects.filter(history_id__in=list(version_of)).values_list(
            "history_id", "period_id"
        )
        for history_id, period_id in pairs:
            found[version_of[history_id]].append(period_id)
        return found


def source_for(as_of: datetime.date | None) -> Source:
    if as_of:
        return HistoricalSource(as_of)
    return CurrentSource()


@dataclass
class Snapshot:
    """Everything one or more plans' reports need, keyed by primary key."""

    organisation: Organisation
    as_of: datetime.date | None
    units: dict[int, Unit]
    periods: list[Period]
    matrices: dict[int, RiskMatrix]
    areas: dict[int, RiskArea]
    processes: dict[int, Process]
    goals: dict[int, Goal]
    plans: list[ControlPlan]
    risks: list[Risk]
    actions: list[Action]
    activities: list[ControlActivity]
    activity_periods: dict[int, list[int]]
    follow_ups: list[FollowUp]
    assessments: dict[int, Assessment]
    audit_reports: list[AuditReport] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    # Set when the rows are an adopted version's frozen copy (`reports.frozen`).
    adopted: AdoptedVersion | None = None

    def period(self, pk: int | None) -> Period | None:
        return next((period for period in self.periods if period.pk == pk), None)

    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def risks_of(self, plan: ControlPlan) -> list[Risk]:
        by_plan = self._cached("risks", lambda: _grouped(self.risks, "plan_id"))
        return by_plan.get(plan.pk, [])

    def by_risk(self, name: str) -> dict[int, list[Any]]:
        """The `actions` or `activities` per risk id, grouped once."""
        return self._cached(name, lambda: _grouped(getattr(self, name), "risk_id"))

    def follow_ups_by(self, subject: str) -> dict[int, list[FollowUp]]:
        """Follow-ups per subject id (`action`, `control_activity`, `risk`, …), oldest first."""

        def group() -> dict[int, list[FollowUp]]:
            grouped = _grouped(self.follow_ups, f"{subject}_id")
            for items in grouped.values():
                items.sort(key=lambda item: (item.date, item.pk))
            return grouped

        return self._cached(f"follow-ups:{subject}", group)

    def _cached(self, key: str, make: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]


def _grouped(rows: list[Any], key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        value = getattr(row, key)
        if value is not None:
            grouped[value].append(row)
    return dict(grouped)


def load(
    organisation: Organisation,
    *,
    year: int,
    unit_ids: list[int] | None = None,
    as_of: datetime.date | None = None,
    audits: bool = False,
    risk_filter: dict[str, Any] | None = None,
) -> Snapshot:
    """The plans of `year` (of the given committees, or all) with everything they hold.

    `risk_filter` keeps only some risks (a reader's share, see `access.plans.PlanReading`);
    what hangs on the other risks is not loaded at all.
    """
    source = source_for(as_of)
    units = {unit.pk: unit for unit in source.rows(Unit, organisation_id=organisation.pk)}
    owners = list(units) if unit_ids is None else unit_ids
    plans = source.rows(ControlPlan, unit_id__in=owners, year=year)
    plan_ids = [plan.pk for plan in plans]
    risks = source.rows(Risk, plan_id__in=plan_ids, **(risk_filter or {}))
    risk_ids = [risk.pk for risk in risks]
    actions = source.rows(Action, risk_id__in=risk_ids)
    activities = source.rows(ControlActivity, risk_id__in=risk_ids)
    reports: list[AuditReport] = []
    recommendations: list[Recommendation] = []
    if audits:
        reports = source.rows(AuditReport, organisation_id=organisation.pk, unit_id__in=owners)
        recommendations = source.rows(
            Recommendation, report_id__in=[report.pk for report in reports]
        )
    follow_ups = source.rows(
        FollowUp,
        Q(action_id__in=[action.pk for action in actions])
        | Q(control_activity_id__in=[activity.pk for activity in activities])
        | Q(risk_id__in=risk_ids)
        | Q(recommendation_id__in=[item.pk for item in recommendations]),
    )
    by_organisation = {"organisation_id": organisation.pk}
    periods = source.rows(Period, **by_organisation)
    periods.sort(key=lambda period: (period.position, period.pk))
    return Snapshot(
        organisation=organisation,
        as_of=as_of,
        units=units,
        periods=periods,
        matrices={m.pk: m for m in source.rows(RiskMatrix, **by_organisation)},
        areas={area.pk: area for area in source.rows(RiskArea, **by_organisation)},
        processes={p.pk: p for p in source.rows(Process, **by_organisation)},
        goals={goal.pk: goal for goal in source.rows(Goal, **by_organisation)},
        plans=plans,
        risks=risks,
        actions=actions,
        activities=activities,
        activity_periods=source.activity_periods([activity.pk for activity in activities]),
        follow_ups=follow_ups,
        assessments={a.plan_id: a for a in source.rows(Assessment, plan_id__in=plan_ids)},
        audit_reports=reports,
        recommendations=recommendations,
    )
