"""Read-only aggregations for the organisation pages: the committees side by side, settings."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from internkontroll.access import scope_for
from internkontroll.controls.models import ControlActivity
from internkontroll.organisation.models import (
    PLAN_OWNER_KINDS,
    Goal,
    Level,
    Organisation,
    Period,
    Process,
    RiskArea,
    RiskMatrix,
    Unit,
)
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.risks import matrix
from internkontroll.risks.models import Action, Risk


def organisation_of(user: Any) -> Organisation | None:
    """The organisation the user works in: their own, else the first they may read."""
    readable = Organisation.objects.for_user(user)
    if user.organisation_id is not None:
        return readable.filter(pk=user.organisation_id).order_by().first()
    return readable.first()


def may_manage_catalogue(user: Any, organisation: Organisation) -> bool:
    """Goals: anyone who writes somewhere in the organisation, for the committees they write."""
    return Unit.objects.for_user(user, write=True).filter(organisation=organisation).exists()


def may_write_everywhere(user: Any, organisation: Organisation) -> bool:
    """Whether the user writes for the whole organisation, not only for some of its units."""
    scope = scope_for(user)
    return scope.everything or organisation.pk in scope.organisation_wide_write


@dataclass
class LevelCount:
    name: str
    count: int | None  # None: the committee's matrix has no level by this name
    css_class: str = ""


@dataclass
class CommitteeRow:
    unit: Unit
    plan: ControlPlan | None = None
    total: int = 0
    levels: list[LevelCount] = field(default_factory=list)
    critical: int = 0
    overdue: int = 0
    activities: int = 0
    reported: int = 0
    assessment: Assessment | None = None

    @property
    def reported_percent(self) -> int | None:
        if not self.activities:
            return None
        return round(100 * self.reported / self.activities)


@dataclass
class LevelHeader:
    name: str
    css_class: str


@dataclass
class Overview:
    year: int | None
    years: list[int]
    period: Period | None
    level_headers: list[LevelHeader]
    rows: list[CommitteeRow]
    plans: list[ControlPlan]

    @property
    def plan_columns(self) -> int:
        """Columns that need a plan: its status, risks, one per level, critical, overdue,
        reported."""
        return len(self.level_headers) + 5


def overview_years(user: Any, organisation: Organisation) -> list[int]:
    plans = ControlPlan.objects.for_user(user).filter(unit__organisation=organisation)
    return list(plans.order_by("-year").values_list("year", flat=True).distinct())


def choose_year(years: list[int], asked: str | None, today: datetime.date) -> int | None:
    """The year in the URL if it has plans, else this year if it has, else the newest."""
    if asked and asked.isdigit() and int(asked) in years:
        return int(asked)
    if today.year in years:
        return today.year
    return years[0] if years else None


def period_for(organisation: Organisation, year: int, today: datetime.date) -> Period | None:
    """The current period in the current year; for any other year its last period."""
    if year == today.year:
        return organisation.period_on(today)
    periods = sorted(organisation.periods.all(), key=lambda p: (p.ends_month, p.ends_day))
    return periods[-1] if periods else None


def year_plans(user: Any, organisation: Organisation, year: int | None) -> list[ControlPlan]:
    if year is None:
        return []
    return list(
        ControlPlan.objects.for_user(user)
        .filter(unit__organisation=organisation, year=year)
        .select_related("unit", "risk_matrix", "follow_up_started_by", "closed_by")
    )


def committees(user: Any, organisation: Organisation, year: int | None) -> QuerySet[Unit]:
    """The committees the user may read and those whose plan of the year they read, by name."""
    readable = Unit.objects.for_user(user).filter(kind__in=PLAN_OWNER_KINDS)
    plans = ControlPlan.objects.for_user(user).filter(year=year) if year is not None else None
    owners = Q(pk__in=readable.values("pk"))
    if plans is not None:
        owners |= Q(pk__in=plans.values("unit_id"))
    return Unit.objects.filter(organisation=organisation).filter(owners).order_by("name", "pk")


def committee_overview(
    user: Any,
    organisation: Organisation,
    year: int | None,
    years: list[int],
    units: list[Unit],
    today: datetime.date,
) -> Overview:
    """A page of committees (`units`) side by side for a year, in a constant few queries."""
    plans = year_plans(user, organisation, year)
    rows = {unit.pk: CommitteeRow(unit=unit) for unit in units}
    shown = [plan for plan in plans if plan.unit_id in rows]
    for plan in shown:
        rows[plan.unit_id].plan = plan
    period = period_for(organisation, year, today) if year is not None else None
    level_headers = _level_headers(plans)
    _count_risks(user, shown, rows, [header.name for header in level_headers])
    _count_overdue(user, shown, rows, today)
    _count_reported(user, shown, rows, period)
    _latest_assessments(user, year, rows)
    return Overview(
        year=year,
        years=years,
        period=period,
        level_headers=level_headers,
        rows=list(rows.values()),
        plans=plans,
    )


def _level_headers(plans: list[ControlPlan]) -> list[LevelHeader]:
    """The level names of the year's matrices, lowest first (one list when they agree)."""
    ranked: dict[str, tuple[float, str]] = {}
    for plan in sorted(plans, key=lambda plan: plan.risk_matrix_id):
        levels = plan.risk_matrix.level_objects()
        for level in levels:
            position = level.rank / max(len(levels) - 1, 1)
            css_class = matrix.level_class(plan.risk_matrix, level)
            ranked.setdefault(level.name, (position, css_class))
    return [
        LevelHeader(name, css_class)
        for name, (_, css_class) in sorted(ranked.items(), key=lambda item: item[1][0])
    ]


def _cell_levels(risk_matrix: RiskMatrix) -> dict[tuple[int, int], Level]:
    return {
        (p, c): risk_matrix.level_for(p, c)
        for p in range(1, risk_matrix.probability_size + 1)
        for c in range(1, risk_matrix.consequence_size + 1)
    }


def _count_risks(
    user: Any, plans: list[ControlPlan], rows: dict[int, CommitteeRow], level_names: list[str]
) -> None:
    """The database counts the risks per plan and cell; each cell's level comes from its matrix."""
    by_plan = {plan.pk: plan for plan in plans}
    cells = (
        Risk.objects.for_user(user)
        .filter(plan__in=plans)
        .order_by()
        .values_list("plan_id", "probability", "consequence")
        .annotate(count=Count("id"))
    )
    levels_of: dict[int, dict[tuple[int, int], Level]] = {}
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for plan_id, probability, consequence, count in cells:
        plan = by_plan[plan_id]
        row = rows[plan.unit_id]
        row.total += count
        if plan.risk_matrix_id not in levels_of:
            levels_of[plan.risk_matrix_id] = _cell_levels(plan.risk_matrix)
        level = levels_of[plan.risk_matrix_id].get((probability, consequence))
        if level is None:  # not assessed, or outside the matrix
            continue
        counts[plan_id][level.name] += count
        if plan.risk_matrix.is_critical(level):
            row.critical += count
    for plan in plans:
        levels = {level.name: level for level in plan.risk_matrix.level_objects()}
        rows[plan.unit_id].levels = [
            LevelCount(
                name,
                counts[plan.pk][name] if name in levels else None,
                matrix.level_class(plan.risk_matrix, levels[name]) if name in levels else "",
            )
            for name in level_names
        ]


def _count_overdue(
    user: Any, plans: list[ControlPlan], rows: dict[int, CommitteeRow], today: datetime.date
) -> None:
    overdue = (
        Action.objects.overdue(today)
        .for_user(user)
        .filter(risk__plan__in=plans)
        .values("risk__plan__unit_id")
        .annotate(count=Count("id", distinct=True))
    )
    for item in overdue:
        rows[item["risk__plan__unit_id"]].overdue = item["count"]


def _count_reported(
    user: Any, plans: list[ControlPlan], rows: dict[int, CommitteeRow], period: Period | None
) -> None:
    reported = Q(follow_ups__period=period) if period is not None else Q(pk__in=[])
    counts = (
        ControlActivity.objects.for_user(user)
        .filter(risk__plan__in=plans)
        .values("risk__plan__unit_id")
        .annotate(
            total=Count("id", distinct=True),
            reported=Count("id", filter=reported, distinct=True),
        )
    )
    for item in counts:
        row = rows[item["risk__plan__unit_id"]]
        row.activities, row.reported = item["total"], item["reported"]


def _latest_assessments(user: Any, year: int | None, rows: dict[int, CommitteeRow]) -> None:
    """Each committee's newest decided verdict up to the year (a year's verdict comes later)."""
    if year is None:
        return
    assessments = (
        Assessment.objects.for_user(user)
        .filter(plan__unit_id__in=list(rows), plan__year__lte=year)
        .exclude(verdict="")
        .select_related("plan")
        .order_by("-plan__year")
    )
    for assessment in assessments:
        row = rows[assessment.plan.unit_id]
        if row.assessment is None:
            row.assessment = assessment


@dataclass
class Catalogue:
    """What the settings page lists, each with what the user may change."""

    units: list[Unit]
    goals: list[Goal]
    processes: list[Process]
    risk_areas: list[RiskArea]
    writable_goals: set[int]


def catalogue(user: Any, organisation: Organisation) -> Catalogue:
    goals = Goal.objects.for_user(user).filter(organisation=organisation)
    return Catalogue(
        units=list(
            Unit.objects.for_user(user)
            .filter(organisation=organisation)
            .select_related("parent")
            .order_by("name")
        ),
        goals=list(goals.select_related("unit").order_by("-year", "external_id")),
        processes=list(Process.objects.for_user(user).filter(organisation=organisation)),
        risk_areas=list(RiskArea.objects.for_user(user).filter(organisation=organisation)),
        writable_goals=set(
            Goal.objects.for_user(user, write=True)
            .filter(organisation=organisation)
            .values_list("pk", flat=True)
        ),
    )
