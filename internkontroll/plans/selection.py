"""Which committee and year the user is looking at: chosen in a switcher, kept in the session."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from internkontroll.plans.models import ControlPlan

SESSION_KEY = "internkontroll_plan"


def visible_plans(request: HttpRequest) -> list[ControlPlan]:
    return list(
        ControlPlan.objects.for_user(request.user)
        .select_related("unit", "risk_matrix")
        .order_by("unit__name", "-year")
    )


def choose_plan(request: HttpRequest, plans: list[ControlPlan]) -> ControlPlan | None:
    """The plan named by ?unit=&year=, else the remembered one, else this year's first."""
    by_key = {(str(plan.unit_id), str(plan.year)): plan for plan in plans}
    by_pk = {plan.pk: plan for plan in plans}
    unit, year = request.GET.get("unit"), request.GET.get("year")
    plan = None
    if unit and year:
        plan = by_key.get((unit, year))
        if plan is None:
            # The committee has no plan that year: keep the committee, take its newest year.
            plan = next((p for p in plans if str(p.unit_id) == unit), None)
    if plan is None:
        plan = by_pk.get(request.session.get(SESSION_KEY))  # type: ignore[arg-type]
    if plan is None:
        this_year = timezone.localdate().year
        plan = next((p for p in plans if p.year == this_year), plans[0] if plans else None)
    if plan is not None:
        request.session[SESSION_KEY] = plan.pk
    return plan


def committees_and_years(plans: list[ControlPlan]) -> tuple[list[tuple[int, str]], list[int]]:
    committees = sorted({(plan.unit_id, plan.unit.name) for plan in plans}, key=lambda c: c[1])
    years = sorted({plan.year for plan in plans}, reverse=True)
    return committees, years
