"""The risk list's counts and filters, computed by the database whatever the plan's size."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db import connections
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DateField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.db.models.lookups import Contains

from internkontroll.access import ScopeShape, plan_slots
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.lib.prepared import PreparedQuery, Slot, one_row, prepared
from internkontroll.organisation.models import Period, RiskMatrix
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import OPEN_PROGRESS, Action, Progress, Risk

NOTHING = Q(pk__in=[])


def cells_at_level(matrix: RiskMatrix, name: str) -> Q:
    """The risks assessed in a cell of the matrix that has the level called `name`."""
    cells = [
        Q(probability=p, consequence=c)
        for p in range(1, matrix.probability_size + 1)
        for c in range(1, matrix.consequence_size + 1)
        if matrix.level_for(p, c).name == name
    ]
    return reduce(or_, cells, NOTHING)


def level_rank(matrix: RiskMatrix) -> Case:
    """The rank of each risk's level (0 lowest) as SQL, one WHEN per cell; NULL unassessed."""
    return Case(
        *[
            When(probability=p, consequence=c, then=Value(matrix.level_for(p, c).rank))
            for p in range(1, matrix.probability_size + 1)
            for c in range(1, matrix.consequence_size + 1)
        ],
        default=None,
        output_field=IntegerField(),
    )


def handling_includes(db: str, code: str) -> Q:
    """Risks whose handling includes the code: JSON containment where the database has it."""
    if connections[db].features.supports_json_field_contains:
        return Q(handling__contains=[code])
    # Elsewhere the stored JSON text: codes are distinct lowercase words, quoted in the list.
    return Q(Contains(Cast("handling", TextField()), Value(f'"{code}"')))


def heat_map(risks: QuerySet[Risk]) -> Counter[tuple[int, int]]:
    """How many of the risks sit in each cell, counted by the database."""
    return Counter({(p, c): count for p, c, count in _cells(risks)})


def _cells(risks: QuerySet[Risk]) -> QuerySet[Any]:
    return (
        risks.filter(probability__isnull=False, consequence__isnull=False)
        .order_by()
        .values_list("probability", "consequence")
        .annotate(count=Count("id"))
    )


@dataclass(frozen=True)
class FilterChoices:
    """The areas, processes and units the plan's risks (as the reader sees them) name."""

    areas: list[tuple[str, str]]
    processes: list[tuple[str, str]]
    units: list[tuple[str, str]]


CHOICE_PATHS = ("area", "process", "unit")


def filter_choices(risks: QuerySet[Risk]) -> FilterChoices:
    return FilterChoices(*(_choices(_named(risks, path)) for path in CHOICE_PATHS))


def _named(risks: QuerySet[Risk], path: str) -> QuerySet[Any]:
    return (
        risks.filter(**{f"{path}__isnull": False})
        .order_by()
        .values_list(f"{path}_id", f"{path}__name")
        .distinct()
    )


def _choices(rows: Iterable[tuple[int, str]]) -> list[tuple[str, str]]:
    return sorted(((str(pk), name) for pk, name in rows), key=lambda choice: choice[1])


@dataclass(frozen=True)
class PlanRisks:
    """A plan's risks as one person reads them, for the prepared queries below: the shape of
    their scope (None for the whole plan) and the values of its slots (`plan_slots`)."""

    shape: ScopeShape | None
    values: dict[str, Any]

    @classmethod
    def of(cls, plan: ControlPlan, user: Any) -> PlanRisks:
        return cls(*plan_slots(plan, user))

    def rows(self, query: PreparedQuery[Any], *shape: Any, **values: Any) -> list[Any]:
        return query.rows(self.shape, *shape, **self.values, **values)


def _visible(shape: ScopeShape | None) -> QuerySet[Risk]:
    return Risk.objects.in_prepared_plan(shape)


@prepared(Risk)
def _prepared_named(shape: ScopeShape | None, path: str) -> QuerySet[Any]:
    return _named(_visible(shape), path)


def plan_filter_choices(risks: PlanRisks) -> FilterChoices:
    """`filter_choices` of a plan's risks, by prepared queries."""
    return FilterChoices(*(_choices(risks.rows(_prepared_named, path)) for path in CHOICE_PATHS))


@prepared(Risk)
def _counted(shape: ScopeShape | None) -> QuerySet[Any]:
    return one_row(_visible(shape), total=Count("id"))


def plan_risk_count(risks: PlanRisks) -> int:
    return int(risks.rows(_counted)[0]["total"])


@prepared(Risk)
def _prepared_heat_map(shape: ScopeShape | None) -> QuerySet[Any]:
    return _cells(_visible(shape))


def plan_heat_map(risks: PlanRisks) -> Counter[tuple[int, int]]:
    """`heat_map` of all of a plan's risks the person reads, by a prepared query."""
    return Counter({(p, c): count for p, c, count in risks.rows(_prepared_heat_map)})


@dataclass(frozen=True)
class ActionSummary:
    """The actions of the plan by status, and what is followed up in the current period."""

    by_status: list[tuple[str, str, int]]  # (code, label, count), overdue last
    reported: dict[str, int] | None


@prepared(Action)
def _action_totals(shape: ScopeShape | None, with_period: bool) -> QuerySet[Any]:
    counts: dict[str, Any] = {code: Count("id", filter=Q(status=code)) for code in Progress.values}
    today = Slot("today", DateField())
    counts["overdue"] = Count("id", filter=Q(status__in=OPEN_PROGRESS, due_date__lt=today))
    if with_period:
        in_period = FollowUp.objects.filter(period_id=Slot("period", BigIntegerField()))
        counts["reported"] = Count("id", filter=Exists(in_period.filter(action=OuterRef("pk"))))
    return one_row(Action.objects.filter(risk__in=_visible(shape)), total=Count("id"), **counts)


@prepared(ControlActivity)
def _activity_totals(shape: ScopeShape | None) -> QuerySet[Any]:
    in_period = FollowUp.objects.filter(period_id=Slot("period", BigIntegerField()))
    return one_row(
        ControlActivity.objects.filter(risk__in=_visible(shape)),
        total=Count("id"),
        reported=Count("id", filter=Exists(in_period.filter(control_activity=OuterRef("pk")))),
    )


def action_summary(risks: PlanRisks, today: datetime.date, period: Period | None) -> ActionSummary:
    """The plan's actions (of the risks the person reads) by status, and what of them and of
    the control activities is followed up in the current period."""
    period_id = period.pk if period is not None else None
    [totals] = risks.rows(_action_totals, period is not None, today=today, period=period_id)
    by_status = [(code, str(label), totals[code]) for code, label in Progress.choices]
    by_status.append(("overdue", "", totals["overdue"]))
    if period is None:
        return ActionSummary(by_status, None)
    [activities] = risks.rows(_activity_totals, period=period_id)
    return ActionSummary(
        by_status,
        {
            "done": totals["reported"] + activities["reported"],
            "total": totals["total"] + activities["total"],
        },
    )
