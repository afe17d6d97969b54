"""Links to the proposals from the plan's and the risk's pages, for those they concern."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import BigIntegerField, Count, Q, QuerySet
from django.utils import timezone

from internkontroll.access import ScopeShape, scope_slots
from internkontroll.lib.prepared import Slot, prepared
from internkontroll.nominations.models import (
    Nomination,
    may_propose_for_plan_of,
    plans_to_propose_for,
    proposing_units,
)
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Risk

register = template.Library()


@register.inclusion_tag("nominations/plan_links.html", takes_context=True)
def plan_nominations(context: Any, plan: ControlPlan) -> dict[str, Any]:
    """The plan's proposals with their count (awaiting a decision, for the coordinators),
    and a way to propose a risk for the plan."""
    user = context["request"].user
    readable = Nomination.objects.for_user(user).filter(plan=plan)
    can_decide = ControlPlan.objects.may_write(plan, user)
    year = timezone.localdate().year
    counts = readable.order_by().aggregate(
        total=Count("pk"), pending=Count("pk", filter=Q(status=Nomination.Status.PROPOSED))
    )
    return {
        "plan": plan,
        "can_decide": can_decide,
        "pending": counts["pending"],
        "total": counts["total"],
        "may_propose": plans_to_propose_for(user, from_year=year).filter(pk=plan.pk).exists(),
    }


@register.inclusion_tag("nominations/risk_links.html", takes_context=True)
def risk_nominations(context: Any, risk: Risk) -> dict[str, Any]:
    """The risk's proposals for other years, and a way to propose it when the person's unit
    identified it and its committee has another plan open for proposals."""
    user = context["request"].user
    units = proposing_units(user)
    may_propose = risk.unit_id is not None and (units is None or risk.unit_id in units)
    if may_propose:
        may_propose = may_propose_for_plan_of(
            user,
            from_year=timezone.localdate().year,
            unit_id=risk.plan.unit_id,
            other_than=risk.plan_id,
        )
    scope, values = scope_slots(user)
    return {
        "risk": risk,
        "may_propose": may_propose,
        "nominations": _risk_nominations.rows(scope, risk=risk.pk, **values),
    }


@prepared(Nomination)
def _risk_nominations(scope: ScopeShape) -> QuerySet[Nomination]:
    return (
        Nomination.objects.in_prepared_scope(scope)
        .filter(source_risk_id=Slot("risk", BigIntegerField()))
        .select_related("plan")
        .order_by("-proposed_at", "-id")
    )
