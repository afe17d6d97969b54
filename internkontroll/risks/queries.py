"""The risk list's counts and filters, computed by the database whatever the plan's size."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db import connections
from django.db.models import (
    Case,
    Count,
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

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Period, RiskMatrix
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
    rows = (
        risks.filter(probability__isnull=False, consequence__isnull=False)
        .order_by()
        .values_list("probability", "consequence")
        .annotate(count=Count("id"))
    )
    return Counter({(p, c): count for p, c, count in rows})


@dataclass(frozen=True)
class FilterChoices:
    """The areas, processes and units the plan's risks (as the reader sees them) name."""

    areas: list[tuple[str, str]]
    processes: list[tuple[str, str]]
    units: list[tuple[str, str]]


def filter_choices(risks: QuerySet[Risk]) -> FilterChoices:
    def named(path: str) -> list[tuple[str, str]]:
        rows = (
            risks.filter(**{f"{path}__isnull": False})
            .order_by()
            .values_list(f"{path}_id", f"{path}__name")
            .distinct()
        )
        return sorted(((str(pk), name) for pk, name in rows), key=lambda choice: choice[1])

    return FilterChoices(named("area"), named("process"), named("unit"))


@dataclass(frozen=True)
class ActionSummary:
    """The actions of the plan by status, and what is followed up in the current period."""

    by_status: list[tuple[str, str, int]]  # (code, label, count), overdue last
    reported: dict[str, int] | None


def action_summary(
    risks: QuerySet[Risk], today: datetime.date, period: Period | None
) -> ActionSummary:
    actions = Action.objects.filter(risk__in=risks).order_by()
    in_period = FollowUp.objects.filter(period=period)
    counts: dict[str, Any] = {code: Count("id", filter=Q(status=code)) for code in Progress.values}
    counts["overdue"] = Count("id", filter=Q(status__in=OPEN_PROGRESS, due_date__lt=today))
    if period is not None:
        counts["reported"] = Count("id", filter=Exists(in_period.filter(action=OuterRef("pk"))))
    totals = actions.aggregate(total=Count("id"), **counts)
    by_status = [(code, str(label), totals[code]) for code, label in Progress.choices]
    by_status.append(("overdue", "", totals["overdue"]))
    if period is None:
        return ActionSummary(by_status, None)
    activities = (
        ControlActivity.objects.filter(risk__in=risks)
        .order_by()
        .aggregate(
            total=Count("id"),
            reported=Count("id", filter=Exists(in_period.filter(control_activity=OuterRef("pk")))),
        )
    )
    return ActionSummary(
        by_status,
        {
            "done": totals["reported"] + activities["reported"],
            "total": totals["total"] + activities["total"],
        },
    )
