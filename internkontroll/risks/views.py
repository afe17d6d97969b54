from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from internkontroll.audits.models import Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.lib.http import HtmxHttpRequest
from internkontroll.lib.versioning import save_form
from internkontroll.plans.models import ControlPlan, get_plan_for_user
from internkontroll.plans.selection import choose_plan, committees_and_years, visible_plans
from internkontroll.risks import matrix
from internkontroll.risks.actions import save_action, save_risk
from internkontroll.risks.forms import ActionForm, RiskFilterForm, RiskForm
from internkontroll.risks.models import (
    Action,
    Progress,
    Risk,
    get_action_for_user,
    get_risk_for_user,
)
from internkontroll.trail.queries import history_for


def _newest_first() -> Prefetch:
    return Prefetch(
        "follow_ups",
        queryset=FollowUp.objects.select_related("period")
        .prefetch_related("evidence")
        .order_by("-date", "-id"),
    )


def plan_risks(user: Any, plan: ControlPlan) -> list[Risk]:
    risks = list(
        Risk.objects.for_user(user)
        .filter(plan=plan)
        .select_related("area", "process", "unit", "goal")
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.prefetch_related(_newest_first())),
            "control_activities__follow_ups",
        )
        .order_by("area__name", "id")
    )
    for risk in risks:
        risk.plan = plan  # the plan and its matrix are already loaded
        _mark_level(risk)
    return risks


def _mark_level(risk: Risk) -> None:
    level = risk.level
    risk.level_css = matrix.level_class(risk.plan.risk_matrix, level) if level else ""  # type: ignore[attr-defined]


@login_required
@require_GET
def overview(request: HtmxHttpRequest) -> HttpResponse:
    plans = visible_plans(request)
    plan = choose_plan(request, plans)
    committees, years = committees_and_years(plans)
    context: dict[str, Any] = {"plan": plan, "committees": committees, "years": years}
    if plan is not None:
        today = timezone.localdate()
        risks = plan_risks(request.user, plan)
        levels = [level.name for level in plan.risk_matrix.level_objects()]
        form = RiskFilterForm(request.GET, risks=risks, levels=levels)
        filtered = form.apply(risks, today)
        selected = form.selected_cell()
        in_cell = [
            r for r in filtered if selected is None or (r.probability, r.consequence) == selected
        ]
        actions = [action for risk in risks for action in risk.actions.all()]
        period = plan.unit.organisation.period_on(today)
        context.update(
            form=form,
            risks=in_cell,
            total=len(risks),
            grid=matrix.grid(
                plan.risk_matrix, [(r.probability, r.consequence) for r in filtered], selected
            ),
            matrix_labels=plan.risk_matrix.consequence_labels,
            action_counts=_action_counts(actions, today),
            period=period,
            reported=_reported(risks, actions, period),
            query_without_cell=_query_without(request, "cell"),
            can_edit=ControlPlan.objects.for_user(request.user, write=True)
            .filter(pk=plan.pk)
            .exists(),
            level_styles=matrix.level_styles([plan.risk_matrix]),
        )
    template = "risks/overview.html#results" if request.htmx else "risks/overview.html"
    return render(request, template, context)


def _action_counts(actions: list[Action], today: Any) -> list[tuple[str, str, int]]:
    counts = Counter(action.status for action in actions)
    rows = [(code, str(label), counts[code]) for code, label in Progress.choices]
    rows.append(("overdue", "", sum(action.is_overdue(today) for action in actions)))
    return rows


def _reported(risks: list[Risk], actions: list[Action], period: Any) -> dict[str, int] | None:
    """How many actions and control activities have a follow-up for the current period."""
    if period is None:
        return None
    activities: list[ControlActivity] = [a for r in risks for a in r.control_activities.all()]
    items: list[Any] = [*actions, *activities]
    done = sum(any(f.period_id == period.pk for f in item.follow_ups.all()) for item in items)
    return {"done": done, "total": len(items)}


def _query_without(request: HttpRequest, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_user(request.user, pk)
    _mark_level(risk)
    actions = risk.actions.prefetch_related(_newest_first()).select_related("assignee")
    activities = risk.control_activities.prefetch_related(
        "periods", _newest_first()
    ).select_related("assignee")
    previous = (
        Risk.objects.for_user(request.user)
        .filter(plan__unit=risk.plan.unit, plan__year=risk.plan.year - 1, title=risk.title)
        .first()
    )
    return render(
        request,
        "risks/detail.html",
        {
            "risk": risk,
            "plan": risk.plan,
            "actions": actions,
            "activities": activities,
            "follow_ups": risk.follow_ups.select_related("period").order_by("-date", "-id"),
            "grid": matrix.grid(
                risk.plan.risk_matrix,
                [(risk.probability, risk.consequence)],
                (risk.probability, risk.consequence)
                if risk.probability is not None and risk.consequence is not None
                else None,
            ),
            "matrix_labels": risk.plan.risk_matrix.consequence_labels,
            "previous": previous,
            "history_entries": history_for(risk),
            "recommendations": Recommendation.objects.for_user(request.user)
            .filter(risks=risk)
            .select_related("report"),
            "control_create_url": reverse("controls:create", args=[risk.pk]),
            "can_edit": Risk.objects.for_user(request.user, write=True).filter(pk=risk.pk).exists(),
            "level_styles": matrix.level_styles([risk.plan.risk_matrix]),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    plan = get_plan_for_user(request.user, request.GET.get("plan"), write=True)
    return _edit_risk(request, Risk(plan=plan))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_risk(request, get_risk_for_user(request.user, pk, write=True))


def _edit_risk(request: HttpRequest, risk: Risk) -> HttpResponse:
    form = RiskForm(request.POST or None, instance=risk, plan=risk.plan, user=request.user)
    context = {
        "risk": risk,
        "plan": risk.plan,
        "level_styles": matrix.level_styles([risk.plan.risk_matrix]),
        "matrix_labels": risk.plan.risk_matrix.consequence_labels,
    }
    return save_form(
        request,
        form,
        risk,
        save_risk,
        saved_message=_("The risk was saved."),
        next_url=lambda saved: reverse("risks:detail", args=[saved.pk]),
        template="risks/form.html",
        context=context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_user(request.user, pk, write=True)
    return _edit_action(request, Action(risk=risk))


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_action(request, get_action_for_user(request.user, pk, write=True))


def _edit_action(request: HttpRequest, action: Action) -> HttpResponse:
    form = ActionForm(request.POST or None, instance=action, risk=action.risk)
    return save_form(
        request,
        form,
        action,
        save_action,
        saved_message=_("The action was saved."),
        next_url=lambda saved: f"{reverse('risks:detail', args=[saved.risk_id])}#actions-heading",
        template="risks/action_form.html",
        context={"action": action, "risk": action.risk},
    )
