"""The plan page's reads that answer several of its questions in one query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet

from internkontroll.access import ScopeShape, scope_slots
from internkontroll.lib.prepared import Slot, prepared
from internkontroll.plans.models import ControlPlan


@dataclass(frozen=True)
class Surroundings:
    """The switcher's committees and years, and the committee's plans of the years around."""

    committees: list[tuple[int, str]]
    years: list[int]
    previous_plan: ControlPlan | None
    next_plan: ControlPlan | None


@prepared(ControlPlan)
def _organisation_plans(scope: ScopeShape) -> QuerySet[Any]:
    # One plan per committee and year: each row is a plan.
    return (
        ControlPlan.objects.in_prepared_scope(scope)
        .filter(unit__organisation_id=Slot("organisation", models.BigIntegerField()))
        .order_by()
        .values_list(
            "pk",
            "unit_id",
            "unit__name",
            "year",
            "adopted_on",
            "follow_up_started_at",
            "closed_at",
        )
    )


def surroundings(user: Any, plan: ControlPlan) -> Surroundings:
    """The committees and years with plans the reader sees in the plan's organisation, and
    the committee's plans of the years before and after, from one query: the scope's
    subqueries are the costly part, so they run once."""
    scope, values = scope_slots(user)
    rows = _organisation_plans.rows(scope, organisation=plan.unit.organisation_id, **values)
    committees = sorted({(row[1], row[2]) for row in rows}, key=lambda c: (c[1], c[0]))
    years = sorted({row[3] for row in rows}, reverse=True)
    neighbours = {
        year: ControlPlan(
            pk=pk,
            unit_id=unit_id,
            year=year,
            adopted_on=adopted_on,
            follow_up_started_at=follow_up_started_at,
            closed_at=closed_at,
        )
        for pk, unit_id, _name, year, adopted_on, follow_up_started_at, closed_at in rows
        if unit_id == plan.unit_id and year in (plan.year - 1, plan.year + 1)
    }
    return Surroundings(
        committees, years, neighbours.get(plan.year - 1), neighbours.get(plan.year + 1)
    )
