"""Which committee and year the user is looking at: chosen in a switcher, kept in the session.

The plan is looked up, never listed: the user may see thousands of plans (every committee of
every year of many organisations), and the switcher offers the committees and years of the
chosen plan's organisation only.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from internkontroll.plans.models import ControlPlan
from internkontroll.plans.queries import surroundings

SESSION_KEY = "internkontroll_plan"


def visible_plans(request: HttpRequest) -> QuerySet[ControlPlan]:
    return ControlPlan.objects.for_user(request.user).select_related("unit", "risk_matrix")


def choose_plan(request: HttpRequest, plans: QuerySet[ControlPlan]) -> ControlPlan | None:
    """The plan named by ?unit=&year=, else the remembered one, else this year's first."""
    unit, year = request.GET.get("unit", ""), request.GET.get("year", "")
    plan = None
    if unit.isdigit() and year.isdigit():
        committee = plans.filter(unit_id=int(unit))
        # One plan per committee and year, so unordered (the plans' ordering joins the units).
        # The committee has no plan that year: keep the committee, take its newest year.
        plan = (
            committee.filter(year=int(year)).order_by().first()
            or committee.order_by("-year").first()
        )
    remembered = request.session.get(SESSION_KEY)
    if plan is None and isinstance(remembered, int):
        plan = plans.filter(pk=remembered).order_by().first()
    if plan is None:
        by_name = plans.order_by("unit__name", "-year")
        plan = by_name.filter(year=timezone.localdate().year).first() or by_name.first()
    # Only a change is saved: an unchanged session is not written back on every page.
    if plan is not None and remembered != plan.pk:
        request.session[SESSION_KEY] = plan.pk
    return plan


def committees_and_years(
    plans: QuerySet[ControlPlan], plan: ControlPlan
) -> tuple[list[tuple[int, str]], list[int]]:
    """The committees and years with plans the user sees, in the plan's organisation."""
    around = surroundings(plans, plan)
    return around.committees, around.years
