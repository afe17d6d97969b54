from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internkontroll.access.plans import plan_reading
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.lib.versioning import write_form
from internkontroll.organisation.models import Period, Unit
from internkontroll.plans import versions
from internkontroll.plans.actions import adopt_plan, save_assessment
from internkontroll.plans.forms import AdoptionForm, AssessmentForm
from internkontroll.plans.models import (
    AdoptedVersion,
    Assessment,
    ControlPlan,
    get_plan_for_user,
    get_version_for_user,
)
from internkontroll.plans.selection import (
    SESSION_KEY,
    choose_plan,
    committees_and_years,
    visible_plans,
)
from internkontroll.reports.frozen import version_report_links
from internkontroll.reports.links import report_links
from internkontroll.risks import matrix
from internkontroll.risks.models import Handling, Risk
from internkontroll.trail.queries import history_for


@dataclass
class Section:
    """A heading of the plan (a goal, a process or a risk area) and the risks under it."""

    title: str
    risks: list[Risk] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def reviewed_risks(user: Any, plan: ControlPlan, periods: list[Period]) -> list[Risk]:
    """The plan's risks to be reviewed, each activity with its latest result per period."""
    newest_first = FollowUp.objects.select_related("period").order_by("-date", "-id")
    activities = ControlActivity.objects.select_related("assignee").prefetch_related(
        "periods", Prefetch("follow_ups", queryset=newest_first)
    )
    risks = (
        Risk.objects.for_user(user)
        .filter(plan=plan)
        .select_related("area", "process", "goal")
        .prefetch_related(Prefetch("control_activities", queryset=activities))
        .order_by("id")
    )
    reviewed = []
    for risk in risks:
        if Handling.REVIEW in risk.handling or risk.control_activities.all():
            risk.plan = plan  # the plan and its matrix are already loaded
            level = risk.level
            risk.level_css = matrix.level_class(plan.risk_matrix, level) if level else ""  # type: ignore[attr-defined]
            for activity in risk.control_activities.all():
                activity.results = _latest_per_period(activity, periods)  # type: ignore[attr-defined]
            reviewed.append(risk)
    return reviewed


@dataclass(frozen=True)
class PeriodResult:
    """What a control activity reported for one period, if anything, and whether it should."""

    follow_up: FollowUp | None
    planned: bool


def _latest_per_period(activity: ControlActivity, periods: list[Period]) -> list[PeriodResult]:
    latest: dict[int | None, FollowUp] = {}
    for follow_up in activity.follow_ups.all():  # newest first
        latest.setdefault(follow_up.period_id, follow_up)
    planned = {period.pk for period in activity.periods.all()}
    return [PeriodResult(latest.get(period.pk), period.pk in planned) for period in periods]


def sections(risks: list[Risk]) -> list[Section]:
    """By goal and then process when the plan is organised by goals, else by risk area."""
    if any(risk.goal_id for risk in risks):
        by_goal = _grouped(risks, lambda r: (r.goal is None, r.goal.external_id if r.goal else ""))
        return [
            Section(
                str(group[0].goal) if group[0].goal else _("Without goal"),
                sections=[
                    Section(str(sub[0].process or _("Without process")), risks=sub)
                    for sub in _grouped(group, lambda r: (r.process is None, str(r.process)))
                ],
            )
            for group in by_goal
        ]
    return [
        Section(str(group[0].area or _("Without risk area")), risks=group)
        for group in _grouped(risks, lambda r: (r.area is None, str(r.area)))
    ]


def _grouped(risks: list[Risk], key: Any) -> list[list[Risk]]:
    return [list(group) for _key, group in groupby(sorted(risks, key=key), key=key)]


def _render_plan(
    request: HttpRequest, plan: ControlPlan, adoption_form: AdoptionForm | None = None
) -> HttpResponse:
    if request.session.get(SESSION_KEY) != plan.pk:
        request.session[SESSION_KEY] = plan.pk  # the switcher opens here next time
    plans = visible_plans(request)
    committees, years = committees_and_years(plans)
    can_edit = ControlPlan.objects.for_user(request.user, write=True).filter(pk=plan.pk).exists()
    reading = plan_reading(request.user, plan)
    periods = list(Period.objects.filter(organisation_id=plan.unit.organisation_id))
    risks = reviewed_risks(request.user, plan, periods)
    activities = [activity for risk in risks for activity in risk.control_activities.all()]
    adopted = list(
        AdoptedVersion.objects.for_user(request.user).filter(plan=plan).select_related("created_by")
    )
    latest, changes = versions.changes_since_adoption(plan, adopted, reading)
    context = {
        "plan": plan,
        "committees": committees,
        "years": years,
        "can_edit": can_edit,
        "adoption_form": (adoption_form or AdoptionForm(plan=plan)) if can_edit else None,
        "assessment": Assessment.objects.for_user(request.user).filter(plan=plan).first(),
        "periods": periods,
        "risks": risks,
        "sections": sections(risks),
        "by_goal": any(risk.goal_id for risk in risks),
        "show_chain": any(a.working_method or a.systematic_control for a in activities),
        "level_styles": matrix.level_styles([plan.risk_matrix]),
        "report_links": report_links(plan, periods, reading),
        "excerpt_of": reading.excerpt_of(Unit.objects.filter(pk__in=reading.units)),
        # The plan's history includes the committee's assessment: whole-plan content.
        "history_entries": history_for(plan) if reading.whole else [],
        "versions": adopted,
        "latest_version": latest,
        "changes": changes,
    }
    status = 422 if adoption_form is not None and adoption_form.errors else 200
    return render(request, "plans/detail.html", context, status=status)


@login_required
@require_GET
def current(request: HttpRequest) -> HttpResponse:
    plan = choose_plan(request, visible_plans(request))
    if plan is None:
        return render(request, "plans/current.html")
    return redirect("plans:detail", plan.pk)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_plan(request, get_plan_for_user(request.user, pk))


@login_required
@require_POST
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    form = AdoptionForm(request.POST, plan=plan)
    adopted = form.is_valid() and write_form(
        form,
        lambda: adopt_plan(plan, acting_user=request.user, **form.cleaned_data) is not None,
        current=lambda: ControlPlan.objects.get(pk=plan.pk),
    )
    if adopted:
        messages.success(request, _("The adoption of the plan was recorded."))
        return redirect("plans:detail", plan.pk)
    return _render_plan(request, plan, form)


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    instance = Assessment.objects.filter(plan=plan).first() or Assessment(plan=plan)
    data = request.POST if request.method == "POST" else None
    form = AssessmentForm(data, instance=instance, plan=plan)
    saved = form.is_valid() and write_form(
        form,
        lambda: save_assessment(plan, acting_user=request.user, **form.values()) is not None,
        current=lambda: Assessment.objects.get(plan=plan),
    )
    if saved:
        messages.success(request, _("The assessment was saved."))
        return redirect("plans:detail", plan.pk)
    status = 422 if form.is_bound else 200
    return render(request, "plans/assessment.html", {"plan": plan, "form": form}, status=status)


@login_required
@require_GET
def version(request: HttpRequest, pk: int) -> HttpResponse:
    adopted = get_version_for_user(request.user, pk)
    reading = plan_reading(request.user, adopted.plan)
    snapshot = versions.readable_part(adopted.snapshot, adopted.plan, reading)
    if request.GET.get("format") == "json":
        response = JsonResponse(snapshot, json_dumps_params={"ensure_ascii": False})
        name = f"{adopted.kind}-{adopted.plan.unit.external_id}-{adopted.decided_on:%Y-%m-%d}"
        response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.json"'
        return response
    context = {
        "version": adopted,
        "plan": versions.plan_of(snapshot),
        "organisation": snapshot["organisation"],
        "risks": versions.reviewed_risks(snapshot),
        "excerpt_of": reading.excerpt_of(
            Unit.objects.filter(organisation_id=adopted.plan.unit.organisation_id)
        ),
        "verdicts": dict(Assessment.Verdict.choices),
        "report_urls": version_report_links(adopted, reading),
    }
    return render(request, "plans/version.html", context)
