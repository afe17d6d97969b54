"""Which committee and year the user is looking at: chosen in a switcher, kept in the session.

The plan is looked up, never listed: the user may see thousands of plans (every committee of
every year of many organisations), and the switcher offers the committees and years of the
chosen plan's organisation only.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from internkontroll.access import ScopeShape, scope_slots
from internkontroll.lib.prepared import Slot, prepared
from internkontroll.plans.models import ControlPlan
from internkontroll.plans.queries import surroundings

SESSION_KEY = "internkontroll_plan"
ID = models.BigIntegerField()
YEAR = models.IntegerField()


# How choose_plan looks a plan up, each a prepared query (internkontroll.lib.prepared).
BY_YEAR, NEWEST, REMEMBERED, THIS_YEAR, FIRST = range(5)


@prepared(ControlPlan)
def _chosen(scope: ScopeShape, how: int) -> QuerySet[ControlPlan]:
    plans = ControlPlan.objects.in_prepared_scope(scope).select_related("unit", "risk_matrix")
    # One plan per committee and year, so by id (the plans' ordering joins the units).
    if how == BY_YEAR:
        plans = plans.filter(unit_id=Slot("unit", ID), year=Slot("year", YEAR)).order_by("pk")
    elif how == NEWEST:
        plans = plans.filter(unit_id=Slot("unit", ID)).order_by("-year")
    elif how == REMEMBERED:
        plans = plans.filter(pk=Slot("plan", ID)).order_by("pk")
    elif how == THIS_YEAR:
        plans = plans.filter(year=Slot("year", YEAR)).order_by("unit__name", "-year")
    else:
        plans = plans.order_by("unit__name", "-year")
    return plans[:1]


def choose_plan(request: HttpRequest) -> ControlPlan | None:
    """The plan named by ?unit=&year=, else the remembered one, else this year's first."""
    scope, values = scope_slots(request.user)

    def first(how: int, **given: Any) -> ControlPlan | None:
        return next(iter(_chosen.rows(scope, how, **given, **values)), None)

    unit, year = request.GET.get("unit", ""), request.GET.get("year", "")
    plan = None
    # Beyond their columns' ranges no plan has them (as Django's lookups would answer).
    if unit.isdigit() and year.isdigit() and int(unit) < 2**63 and int(year) < 2**31:
        # The committee has no plan that year: keep the committee, take its newest year.
        plan = first(BY_YEAR, unit=int(unit), year=int(year)) or first(NEWEST, unit=int(unit))
    remembered = request.session.get(SESSION_KEY)
    if plan is None and isinstance(remembered, int):
        plan = first(REMEMBERED, plan=remembered)
    if plan is None:
        plan = first(THIS_YEAR, year=timezone.localdate().year) or first(FIRST)
    # Only a change is saved: an unchanged session is not written back on every page.
    if plan is not None and remembered != plan.pk:
        request.session[SESSION_KEY] = plan.pk
    return plan


def committees_and_years(
    request: HttpRequest, plan: ControlPlan
) -> tuple[list[tuple[int, str]], list[int]]:
    """The committees and years with plans the user sees, in the plan's organisation."""
    around = surroundings(request.user, plan)
    return around.committees, around.years
