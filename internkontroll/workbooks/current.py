"""The plan as it is stored, as the values of the workbook's rows (see layout.py)."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q

from internkontroll.audits.models import Recommendation
from internkontroll.controls.models import TEXT_FIELDS, ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Handling, Risk

RISK_TEXTS = ("title", "description", "consequence_description", "existing_controls")
ASSESSMENT = ("probability", "consequence", "target_probability", "target_consequence")
ACTION_TEXTS = ("title", "description", "responsible")
ACTIVITY_TEXTS = tuple(name for name in TEXT_FIELDS if name not in ("method", "frequency"))


@dataclass
class Stored:
    """The plan's risks, actions, control activities and follow-ups, each with its values."""

    risks: dict[str, Risk] = field(default_factory=dict)
    actions: dict[tuple[str, str], Action] = field(default_factory=dict)
    activities: dict[tuple[str, str], ControlActivity] = field(default_factory=dict)
    follow_ups: dict[int, FollowUp] = field(default_factory=dict)


def stored(plan: ControlPlan) -> Stored:
    """Everything the workbook shows of the plan, in stored order, in seven queries."""
    found = Stored()
    risks = (
        Risk.objects.filter(plan=plan)
        .select_related("area", "process")
        .prefetch_related(Prefetch("recommendations", queryset=Recommendation.objects.only("id")))
        .order_by("id")
    )
    for risk in risks:
        risk.plan = plan
        found.risks[risk.external_id] = risk
    by_pk = {risk.pk: risk for risk in found.risks.values()}
    for action in Action.objects.filter(risk__plan=plan).select_related("assignee").order_by("id"):
        action.risk = by_pk[action.risk_id]
        found.actions[(action.risk.external_id, action.external_id)] = action
    activities = (
        ControlActivity.objects.filter(risk__plan=plan)
        .select_related("assignee")
        .prefetch_related(Prefetch("periods"))
        .order_by("id")
    )
    for activity in activities:
        activity.risk = by_pk[activity.risk_id]
        found.activities[(activity.risk.external_id, activity.external_id)] = activity
    actions = {action.pk: action for action in found.actions.values()}
    controls = {activity.pk: activity for activity in found.activities.values()}
    follow_ups = FollowUp.objects.filter(
        Q(action__risk__plan=plan) | Q(control_activity__risk__plan=plan) | Q(risk__plan=plan)
    ).order_by("id")
    for follow_up in follow_ups:
        if follow_up.action_id:
            follow_up.action = actions[follow_up.action_id]
        elif follow_up.control_activity_id:
            follow_up.control_activity = controls[follow_up.control_activity_id]
        elif follow_up.risk_id is not None:
            follow_up.risk = by_pk[follow_up.risk_id]
        found.follow_ups[follow_up.pk] = follow_up
    return found


def risk_values(risk: Risk, offered: Container[int]) -> dict[str, Any]:
    """The risk's row; of its audit recommendations only those `offered` (the others are kept
    as they are, unseen)."""
    linked = frozenset(item.pk for item in risk.recommendations.all() if item.pk in offered)
    values: dict[str, Any] = {
        "id": risk.external_id,
        "version": risk.version,
        **{name: getattr(risk, name) for name in (*RISK_TEXTS, *ASSESSMENT, "planned_handling")},
        "unit": risk.unit_id,
        "area": risk.area.name if risk.area else "",
        "process": risk.process.name if risk.process else "",
        "goal": risk.goal_id,
        "recommendations": linked,
    }
    for code in Handling.values:
        values[f"handling_{code}"] = code in risk.handling
    return values


def action_values(action: Action) -> dict[str, Any]:
    return {
        "risk": action.risk.external_id,
        "id": action.external_id,
        "version": action.version,
        **{name: getattr(action, name) for name in ACTION_TEXTS},
        "assignee": action.assignee_id,
        "due_date": action.due_date,
        "status": action.status,
    }


def activity_values(activity: ControlActivity) -> dict[str, Any]:
    return {
        "risk": activity.risk.external_id,
        "id": activity.external_id,
        "version": activity.version,
        **{name: getattr(activity, name) for name in ACTIVITY_TEXTS},
        "assignee": activity.assignee_id,
        "method": activity.method or None,
        "frequency": activity.frequency or None,
        "periods": frozenset(period.pk for period in activity.periods.all()),
        "due_date": activity.due_date,
    }


def follow_up_values(follow_up: FollowUp) -> dict[str, Any]:
    action, activity = follow_up.action, follow_up.control_activity
    owner = action or activity
    risk = owner.risk if owner is not None else follow_up.risk
    assert risk is not None  # noqa: S101 (a follow-up of a plan has a risk above it)
    return {
        "number": follow_up.pk,
        "risk": risk.external_id,
        "action": action.external_id if action is not None else "",
        "control_activity": activity.external_id if activity is not None else "",
        "period": follow_up.period_id,
        "date": follow_up.date,
        "status": follow_up.status or None,
        "on_track": follow_up.on_track,
        "result": follow_up.result or None,
        "comment": follow_up.comment,
    }
