from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from internkontroll.access import ScopeShape, scope_slots
from internkontroll.audits.models import Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.lib.http import HtmxHttpRequest
from internkontroll.lib.pages import paginate
from internkontroll.lib.prepared import IdsSlot, Slot, prepared
from internkontroll.lib.versioning import save_form
from internkontroll.organisation.models import current_period
from internkontroll.plans.lifecycle import closed_plan_of, closed_plan_page
from internkontroll.plans.models import ControlPlan, get_plan_for_user
from internkontroll.plans.selection import choose_plan, committees_and_years
from internkontroll.risks import matrix, queries
from internkontroll.risks.actions import save_action, save_risk
from internkontroll.risks.forms import ActionForm, RiskFilterForm, RiskForm
from internkontroll.risks.models import (
    Action,
    Risk,
    RolloverDecision,
    get_action_for_user,
    get_risk_for_user,
)
from internkontroll.trail.sections import history_context, history_part

# A new page of the list replaces the results and brings their top into view.
SWAP_RESULTS = "outerHTML show:top"


def _mark_level(risk: Risk) -> None:
    level = risk.level
    risk.level_css = matrix.level_class(risk.plan.risk_matrix, level) if level else ""  # type: ignore[attr-defined]


@login_required
@require_GET
def overview(request: HtmxHttpRequest) -> HttpResponse:
    plan = choose_plan(request)
    context: dict[str, Any] = {"plan": plan}
    if plan is not None:
        committees, years = committees_and_years(request, plan)
        context.update(committees=committees, years=years, **_risk_list(request, plan))
    # Going back to a filter htmx kept no copy of asks for the whole page, as a reload does.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "risks/overview.html#results" if partial else "risks/overview.html"
    return render(request, template, context)


def _risk_list(request: HtmxHttpRequest, plan: ControlPlan) -> dict[str, Any]:
    """The plan's heat map and counts over every risk the reader sees; one page of the list."""
    today = timezone.localdate()
    visible = Risk.objects.in_plan_for_user(plan, request.user)
    prepared = queries.PlanRisks.of(plan, request.user)  # `visible`, for prepared queries
    form = RiskFilterForm(
        request.GET, choices=queries.plan_filter_choices(prepared), matrix=plan.risk_matrix
    )
    filtered = form.apply(visible, today)
    selected = form.selected_cell()
    listed = (
        form.ordered(form.in_cell(filtered))
        .select_related("area", "unit")
        .prefetch_related(
            # By id: within one risk that is their model's ordering, without its joins.
            Prefetch("actions", queryset=Action.objects.only("risk", "status").order_by("id"))
        )
    )
    total = queries.plan_risk_count(prepared)
    pager = paginate(
        request,
        listed,
        label=_("Pages of the risk list"),
        count=None if form.narrows() else total,
        target="#results",
        swap=SWAP_RESULTS,
    )
    risks = pager.rows
    for risk in risks:
        risk.plan = plan  # the plan and its matrix are already loaded
        _mark_level(risk)
    period = current_period(plan.unit.organisation_id, today)
    summary = queries.action_summary(prepared, today, period)
    # Unfiltered, the heat map counts every risk the person reads (the cell is not a filter).
    cells = queries.heat_map(filtered) if form.filters() else queries.plan_heat_map(prepared)
    return {
        "form": form,
        "pager": pager,
        "risks": risks,
        "total": total,
        "grid": matrix.counted_grid(plan.risk_matrix, cells, selected),
        "matrix_labels": plan.risk_matrix.consequence_labels,
        "action_counts": summary.by_status,
        "period": period,
        "reported": summary.reported,
        "query_without_cell": _query_without(request, "cell", "page"),
        "can_edit": not plan.is_closed and ControlPlan.objects.may_write(plan, request.user),
        "level_styles": matrix.level_styles([plan.risk_matrix]),
    }


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
@require_GET
def detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_user(request.user, pk, also=("rollover__plan",))
    if (history := history_part(request, risk)) is not None:
        return history
    _mark_level(risk)
    actions = _risk_actions.rows(risk=risk.pk)
    activities = _risk_activities.rows(risk=risk.pk)
    for item in (*actions, *activities):
        type(item).risk.field.set_cached_value(item, risk)  # as risk.actions would
    follow_ups = _follow_ups_by_subject(risk, actions, activities)
    # Read with the risk: a decision reaches its units through its risk, so whoever reads
    # the risk reads its decision (RolloverDecisionQuerySet's paths are the risk's).
    decision: RolloverDecision | None = getattr(risk, "rollover", None)
    scope, scope_values = scope_slots(request.user)
    links = _rollover_links(scope, scope_values, risk, decision)
    return render(
        request,
        "risks/detail.html",
        {
            "risk": risk,
            "plan": risk.plan,
            "actions": actions,
            "activities": activities,
            "follow_ups": follow_ups,
            "grid": matrix.grid(
                risk.plan.risk_matrix,
                [(risk.probability, risk.consequence)],
                (risk.probability, risk.consequence)
                if risk.probability is not None and risk.consequence is not None
                else None,
            ),
            "matrix_labels": risk.plan.risk_matrix.consequence_labels,
            "rollover": decision,
            **links,
            **history_context(request, risk),
            # In their model's order (by report: organisation, newest first), all of one
            # organisation here, so without joining the organisation to order them.
            "recommendations": _risk_recommendations.rows(scope, risk=risk.pk, **scope_values),
            "control_create_url": reverse("controls:create", args=[risk.pk]),
            "can_edit": not risk.plan.is_closed and Risk.objects.may_write(risk, request.user),
            "level_styles": matrix.level_styles([risk.plan.risk_matrix]),
            "today": timezone.localdate(),
        },
    )


def _follow_ups_by_subject(
    risk: Risk, actions: list[Action], activities: list[ControlActivity]
) -> list[FollowUp]:
    """The follow-ups of the risk, its actions and its control activities, read at once,
    newest first: each action and activity gets its own as `timeline` (knowing its subject, as
    a prefetch would), and the risk's own are returned."""
    subjects: dict[str, dict[int, Any]] = {
        "action": {action.pk: action for action in actions},
        "control_activity": {activity.pk: activity for activity in activities},
        "risk": {risk.pk: risk},
    }
    for items in subjects.values():
        for item in items.values():
            item.timeline = []
    for follow_up in _risk_follow_ups.rows(
        bool(actions),
        bool(activities),
        risk=risk.pk,
        actions=subjects["action"],
        activities=subjects["control_activity"],
    ):
        for name, items in subjects.items():
            subject = items.get(getattr(follow_up, f"{name}_id"))
            if subject is not None:
                getattr(FollowUp, name).field.set_cached_value(follow_up, subject)
                subject.timeline.append(follow_up)
    return risk.timeline  # type: ignore[attr-defined]


# The queries of a risk's page, prepared (internkontroll.lib.prepared): built and compiled
# once per process, they took a third of the page's CPU when built on every request.
_ID = models.BigIntegerField()


@prepared(Action)
def _risk_actions() -> QuerySet[Action]:
    # Ordered by id: within one risk that is their model's ordering, without its joins.
    return (
        Action.objects.filter(risk_id=Slot("risk", _ID)).order_by("id").select_related("assignee")
    )


@prepared(ControlActivity)
def _risk_activities() -> QuerySet[ControlActivity]:
    return (
        ControlActivity.objects.filter(risk_id=Slot("risk", _ID))
        .order_by("id")
        .prefetch_related("periods")
        .select_related("assignee")
    )


@prepared(FollowUp)
def _risk_follow_ups(with_actions: bool, with_activities: bool) -> QuerySet[FollowUp]:
    condition = Q(risk_id=Slot("risk", _ID))
    if with_actions:
        condition |= Q(action_id__in_ids=IdsSlot("actions"))
    if with_activities:
        condition |= Q(control_activity_id__in_ids=IdsSlot("activities"))
    return FollowUp.objects.filter(condition).as_history()


@prepared(Recommendation)
def _risk_recommendations(scope: ScopeShape) -> QuerySet[Recommendation]:
    # In their model's order (by report: organisation, newest first), all of one
    # organisation here, so without joining the organisation to order them.
    return (
        Recommendation.objects.in_prepared_scope(scope)
        .filter(risks=Slot("risk", _ID))
        .select_related("report")
        .order_by("-report__date", "report_id", "id")
    )


@prepared(Risk)
def _linked_risks(scope: ScopeShape, with_previous: bool, with_target: bool) -> QuerySet[Risk]:
    last_year = Q(
        plan_id__in_ids=ControlPlan.objects.filter(
            unit_id=Slot("unit", _ID), year=Slot("last_year", models.IntegerField())
        ).values("pk"),
        title=Slot("title", models.CharField()),
    )
    if with_previous:
        last_year |= Q(pk=Slot("previous", _ID))
    merged = RolloverDecision.objects.filter(
        target_id=Slot("risk", _ID), decision=RolloverDecision.Decision.MERGE
    ).values("risk_id")
    linked = last_year | Q(pk__in_ids=merged)
    if with_target:
        linked |= Q(pk=Slot("target", _ID))
    return Risk.objects.in_prepared_scope(scope).filter(linked).select_related("plan", "rollover")


def _rollover_links(
    scope: ScopeShape, scope_values: dict[str, Any], risk: Risk, decision: RolloverDecision | None
) -> dict[str, Any]:
    """Last year's version of the risk, where it went next year and the risks merged into it,
    as far as the reader may read them, in one query.

    Last year's version is the risk it was carried over from, else the first of the same
    title in the committee's plan of the year before.
    """
    target_id = decision.target_id if decision is not None else None
    rows = _linked_risks.rows(
        scope,
        bool(risk.previous_id),
        target_id is not None,
        unit=risk.plan.unit_id,
        last_year=risk.plan.year - 1,
        title=risk.title,
        previous=risk.previous_id,
        risk=risk.pk,
        target=target_id,
        **scope_values,
    )
    carried_from = next((row for row in rows if row.pk == risk.previous_id), None)
    # One plan per committee and year: by id is the risks' own order within it.
    same_title = min(
        (row for row in rows if _same_risk_last_year(row, risk)),
        key=lambda row: row.pk,
        default=None,
    )
    return {
        "previous": carried_from or same_title,
        "next_risk": next((row for row in rows if row.pk == target_id), None),
        "merged_from": [row for row in rows if _merged_into(row, risk)],
    }


def _same_risk_last_year(row: Risk, risk: Risk) -> bool:
    return (
        row.plan.unit_id == risk.plan.unit_id
        and row.plan.year == risk.plan.year - 1
        and row.title == risk.title
    )


def _merged_into(row: Risk, risk: Risk) -> bool:
    decision = getattr(row, "rollover", None)
    return (
        decision is not None
        and decision.target_id == risk.pk
        and decision.decision == RolloverDecision.Decision.MERGE
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
    if request.method == "GET" and (closed := closed_plan_of(risk)):
        back = reverse("risks:detail", args=[risk.pk]) if risk.pk else ""
        return closed_plan_page(request, closed, back, _("Back to the risk"))
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
    if request.method == "GET" and (closed := closed_plan_of(action)):
        back = reverse("risks:detail", args=[action.risk_id])
        return closed_plan_page(request, closed, back, _("Back to the risk"))
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
