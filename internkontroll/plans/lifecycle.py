"""A plan's lifecycle: draft → adopted → in follow-up → closed, with who moved it and when.

The adoption is the committee's decision (plans.actions.adopt_plan). Starting the follow-up
and closing are recorded here; a closed plan is read-only: the write gate refuses every write
into it or into its risks, actions, control activities, follow-ups and assessment.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from internkontroll.access.organisation import may_change_settings
from internkontroll.lib.versioning import Version, save_versioned
from internkontroll.plans.models import ControlPlan

# What the lifecycle itself writes on a plan: the only change a closed plan accepts.
LIFECYCLE_FIELDS = frozenset(
    {"follow_up_started_at", "follow_up_started_by", "closed_at", "closed_by"}
)


class Step:
    """The moves a person makes on the plan page (the adoption has its own form)."""

    START_FOLLOW_UP = "follow_up"
    CLOSE = "close"
    REOPEN = "reopen"
    ALL = (START_FOLLOW_UP, CLOSE, REOPEN)


def _plan_lookup(obj: models.Model) -> dict[str, Any] | None:
    """How to find the plan a row belongs to, or None for rows outside any plan."""
    label = obj._meta.label
    if label == "plans.ControlPlan":
        return {"pk": obj.pk} if obj.pk else None
    if label in ("plans.Assessment", "risks.Risk", "risks.RolloverDecision"):
        return {"pk": obj.plan_id}  # type: ignore[attr-defined]
    if label in ("risks.Action", "controls.ControlActivity"):
        return {"risks": obj.risk_id}  # type: ignore[attr-defined]
    if label == "followups.FollowUp":
        if obj.action_id:  # type: ignore[attr-defined]
            return {"risks__actions": obj.action_id}  # type: ignore[attr-defined]
        if obj.control_activity_id:  # type: ignore[attr-defined]
            return {"risks__control_activities": obj.control_activity_id}  # type: ignore[attr-defined]
        if obj.risk_id:  # type: ignore[attr-defined]
            return {"risks": obj.risk_id}  # type: ignore[attr-defined]
    return None


def closed_plan_of(obj: models.Model) -> ControlPlan | None:
    """The plan the object belongs to when it is closed, from the object's loaded relations;
    None for an open plan and for rows outside any plan."""
    plan: Any = obj
    for step in ("risk", "plan"):
        if hasattr(plan, f"{step}_id") and getattr(plan, f"{step}_id") is not None:
            plan = getattr(plan, step)
    if not isinstance(plan, ControlPlan):
        return None
    return plan if plan.is_closed else None


def closed_plan_page(
    request: HttpRequest, plan: ControlPlan, back_url: str = "", back_label: str = ""
) -> HttpResponse:
    """What a form into a closed plan shows instead of the form: that it cannot be changed
    (409: the plan's state, not the person's rights, stands in the way)."""
    context = {"plan": plan, "back_url": back_url, "back_label": back_label}
    return render(request, "plans/closed.html", context, status=409)


def refuse_writes_to_closed_plans(obj: models.Model, fields: Iterable[str]) -> None:
    """The write gate's check: nothing in a closed plan changes, except its lifecycle."""
    lookup = _plan_lookup(obj)
    if lookup is None or None in lookup.values():
        return
    if obj._meta.label == "plans.ControlPlan" and set(fields) <= LIFECYCLE_FIELDS:
        return
    closed = ControlPlan.objects.filter(closed_at__isnull=False, **lookup).select_related("unit")
    plan = closed.first()
    if plan is not None:
        raise ValidationError(
            gettext(
                "The internal control plan %(committee)s %(year)s is closed and can no longer "
                "be changed. Nothing was saved."
            )
            % {"committee": plan.unit.name, "year": plan.year}
        )


def step_problem(plan: ControlPlan, step: str, user: Any) -> str | None:
    """Why the step cannot be taken now, in Swedish for the user; None when it can."""
    if step == Step.START_FOLLOW_UP:
        if plan.status != ControlPlan.Status.ADOPTED:
            return gettext("The follow-up can only start once the plan is adopted.")
    elif step == Step.CLOSE:
        if plan.status != ControlPlan.Status.FOLLOW_UP:
            return gettext("Only a plan in follow-up can be closed.")
        if timezone.localdate().year <= plan.year:
            return gettext("The plan for %(year)s can be closed once the year has ended.") % {
                "year": plan.year
            }
    elif step == Step.REOPEN:
        if plan.status != ControlPlan.Status.CLOSED:
            return gettext("Only a closed plan can be reopened.")
        if not may_change_settings(user, plan.unit.organisation_id):
            return gettext("Only an administrator of the whole organisation can reopen a plan.")
    else:
        return gettext("Unknown step.")
    return None


@transaction.atomic
def take_step(plan: ControlPlan, step: str, *, acting_user: Any, version: Version) -> ControlPlan:
    """Move the plan on in its lifecycle (or reopen it), recorded with who and when."""
    current = ControlPlan.objects.select_related("unit").get(pk=plan.pk)
    problem = step_problem(current, step, acting_user)
    if problem:
        raise ValidationError(problem)
    now = timezone.now()
    values: dict[str, Any]
    if step == Step.START_FOLLOW_UP:
        values = {"follow_up_started_at": now, "follow_up_started_by": acting_user}
    elif step == Step.CLOSE:
        values = {"closed_at": now, "closed_by": acting_user}
    else:
        values = {"closed_at": None, "closed_by": None}
    return save_versioned(plan, values, version=version, acting_user=acting_user)
