from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from internkontroll.access.plans import plan_reading
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.lib.http import HtmxHttpRequest
from internkontroll.lib.pages import PER_PAGE, Pager, paginate
from internkontroll.lib.versioning import write_form
from internkontroll.organisation.models import Period, Unit
from internkontroll.plans import lifecycle, rollover, versions
from internkontroll.plans.actions import (
    adopt_plan,
    committees_for_new_plans,
    create_plan,
    save_assessment,
)
from internkontroll.plans.forms import (
    AdoptionForm,
    AssessmentForm,
    LifecycleForm,
    PlanCreationForm,
    RolloverForm,
    default_year,
)
from internkontroll.plans.models import (
    AdoptedVersion,
    Assessment,
    ControlPlan,
    get_plan_for_user,
    get_version_for_user,
)
from internkontroll.plans.queries import surroundings
from internkontroll.plans.selection import SESSION_KEY, choose_plan
from internkontroll.reports.frozen import version_report_links
from internkontroll.reports.links import report_links
from internkontroll.risks import matrix
from internkontroll.risks.models import Handling, Risk
from internkontroll.risks.queries import handling_includes
from internkontroll.trail.sections import PARAMETER as HISTORY
from internkontroll.trail.sections import history_context, history_part

COLLIDED = gettext_lazy(
    "Someone else saved at the same moment and the two changes collided. Nothing was saved; "
    "your text is kept below. Send the form again."
)

# How many risks the plan page shows at once; larger sections load as they are opened.
WINDOW = PER_PAGE


@dataclass
class Section:
    """A heading of the plan (a goal, a process or a risk area) and the risks under it.

    A leaf (an area, or a goal's process) has a `key` that asks for its risks, and is
    `loaded` when its risks come with the page; the others load when they are opened.
    """

    title: str
    key: str = ""
    count: int = 0
    condition: Q = field(default_factory=Q)
    order: tuple[bool, str] = (False, "")
    risks: list[Risk] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    loaded: bool = False
    pager: Pager | None = None


@dataclass
class Outline:
    """The plan's risks under review as sections with counts, counted by the database."""

    sections: list[Section]
    by_goal: bool
    # Whether any activity describes its working method or systematic control (the columns).
    show_chain: bool = False

    @property
    def leaves(self) -> list[Section]:
        if self.by_goal:
            return [leaf for section in self.sections for leaf in section.sections]
        return self.sections

    @property
    def total(self) -> int:
        return sum(leaf.count for leaf in self.leaves)


def under_review(user: Any, plan: ControlPlan) -> QuerySet[Risk]:
    """The plan's risks the reader sees that are reviewed: by their handling, or by having
    control activities."""
    risks = Risk.objects.in_plan_for_user(plan, user)
    has_activities = Exists(ControlActivity.objects.filter(risk=OuterRef("pk")))
    return risks.filter(handling_includes(risks.db, Handling.REVIEW) | Q(has_activities))


def _is(path: str, pk: int | None) -> Q:
    return Q(**{f"{path}_id": pk}) if pk is not None else Q(**{f"{path}__isnull": True})


def outline(risks: QuerySet[Risk]) -> Outline:
    """By goal and then process when the plan is organised by goals, else by risk area;
    by name (goals by their identifier), with the risks without one last."""
    describes_chain = ControlActivity.objects.filter(risk=OuterRef("pk")).filter(
        ~Q(working_method="") | ~Q(systematic_control="")
    )
    counted = (
        risks.order_by()
        .values_list(
            "goal_id",
            "goal__external_id",
            "goal__title",
            "process_id",
            "process__name",
            "area_id",
            "area__name",
        )
        .annotate(count=Count("id"), chained=Count("id", filter=Exists(describes_chain)))
    )
    rows = list(counted)
    by_goal = any(row[0] is not None for row in rows)
    show_chain = any(row[-1] for row in rows)
    leaves: dict[str, Section] = {}
    goals: dict[int | None, Section] = {}
    for goal_id, goal_ref, goal_title, process_id, process, area_id, area, count, _chained in rows:
        key = f"g{goal_id or ''}-p{process_id or ''}" if by_goal else f"a{area_id or ''}"
        leaf = leaves.get(key)
        if leaf is None:
            if by_goal:
                title = process if process_id else _("Without process")
                condition = _is("goal", goal_id) & _is("process", process_id)
                order = (process_id is None, title)
            else:
                title = area if area_id else _("Without risk area")
                condition = _is("area", area_id)
                order = (area_id is None, title)
            leaf = leaves[key] = Section(title, key, condition=condition, order=order)
            if by_goal:
                goal = goals.get(goal_id)
                if goal is None:
                    name = f"{goal_ref} {goal_title}".strip() if goal_id else _("Without goal")
                    goal = goals[goal_id] = Section(name, order=(goal_id is None, goal_ref or ""))
                goal.sections.append(leaf)
        leaf.count += count
    if not by_goal:
        return Outline(sorted(leaves.values(), key=_in_order), False, show_chain)
    for goal in goals.values():
        goal.sections.sort(key=_in_order)
        goal.count = sum(leaf.count for leaf in goal.sections)
    return Outline(sorted(goals.values(), key=_in_order), True, show_chain)


def _in_order(section: Section) -> tuple[bool, str]:
    return section.order


def _leaf_key(risk: Risk, by_goal: bool) -> str:
    if by_goal:
        return f"g{risk.goal_id or ''}-p{risk.process_id or ''}"
    return f"a{risk.area_id or ''}"


def load_sections(
    request: HttpRequest,
    plan: ControlPlan,
    risks: QuerySet[Risk],
    found: Outline,
    periods: list[Period],
) -> list[Risk]:
    """Load the asked section, or the first sections up to the window; the loaded risks.

    One leaf comes a page at a time; several small ones come in one query.
    """
    leaves = found.leaves
    asked = next((leaf for leaf in leaves if leaf.key == request.GET.get("section")), None)
    opened = [asked] if asked else _first_leaves(leaves)
    if not opened:
        return []
    # By id: within one risk that is their model's ordering, without its joins.
    activities = ControlActivity.objects.select_related("assignee").order_by("id")
    loading = (
        risks.select_related("process")
        .prefetch_related(Prefetch("control_activities", queryset=activities))
        .order_by("id")
    )
    # With every section open the risks need no section's condition: a much simpler query.
    if len(opened) < len(leaves):
        loading = loading.filter(reduce(or_, (leaf.condition for leaf in opened)))
    if len(opened) == 1:
        leaf = opened[0]
        leaf.pager = paginate(
            request,
            loading,
            label=gettext("Pages of %(section)s") % {"section": leaf.title},
            count=leaf.count,
            query={"section": leaf.key},
            target=f"#risks-{leaf.key}",
            push_url=False,
        )
        loaded = leaf.pager.rows
    else:
        loaded = list(loading)
    by_key = {leaf.key: leaf for leaf in opened}
    shown = [activity for risk in loaded for activity in risk.control_activities.all()]
    results = _results(shown, periods)
    for risk in loaded:
        risk.plan = plan  # the plan and its matrix are already loaded
        level = risk.level
        risk.level_css = matrix.level_class(plan.risk_matrix, level) if level else ""
        for activity in risk.control_activities.all():
            activity.results = results[activity.pk]
        by_key[_leaf_key(risk, found.by_goal)].risks.append(risk)
    for leaf in opened:
        leaf.loaded = True
    return [risk for leaf in opened for risk in leaf.risks]


def _first_leaves(leaves: list[Section]) -> list[Section]:
    """The leaves from the top while they fit the window (the first one always)."""
    opened: list[Section] = []
    shown = 0
    for leaf in leaves:
        if opened and shown + leaf.count > WINDOW:
            break
        opened.append(leaf)
        shown += leaf.count
    return opened


@dataclass(frozen=True)
class PeriodResult:
    """What a control activity reported for one period, if anything, and whether it should."""

    follow_up: FollowUp | None
    planned: bool


def _results(
    activities: list[ControlActivity], periods: list[Period]
) -> dict[int, list[PeriodResult]]:
    """Each activity's latest follow-up in each period, and whether the period is planned:
    read as rows for all the activities at once, only the columns the page shows."""
    ids = [activity.pk for activity in activities]
    planned = set(
        ControlActivity.periods.through.objects.filter(controlactivity_id__in=ids).values_list(
            "controlactivity_id", "period_id"
        )
    )
    latest: dict[tuple[int | None, int | None], FollowUp] = {}
    newest_first = (
        FollowUp.objects.filter(control_activity_id__in=ids)
        .only("control_activity_id", "period_id", "date", "result")
        .order_by("-date", "-id")
    )
    for follow_up in newest_first:
        latest.setdefault((follow_up.control_activity_id, follow_up.period_id), follow_up)
    return {
        pk: [
            PeriodResult(latest.get((pk, period.pk)), (pk, period.pk) in planned)
            for period in periods
        ]
        for pk in ids
    }


def _section_context(
    request: HttpRequest, plan: ControlPlan, periods: list[Period]
) -> dict[str, Any]:
    """The risks part of the plan page: its outline, the loaded sections and their columns."""
    risks = under_review(request.user, plan)
    found = outline(risks)
    loaded = load_sections(request, plan, risks, found, periods)
    return {
        "plan": plan,
        "periods": periods,
        "outline": found,
        "sections": found.sections,
        "total": found.total,
        "risks": loaded,
        "by_goal": found.by_goal,
        "leaf_heading": "h4" if found.by_goal else "h3",
        "risk_heading": "h5" if found.by_goal else "h4",
        "show_chain": found.show_chain,
    }


def _lifecycle_context(
    request: HttpRequest, plan: ControlPlan, writable: bool, adopted: list[AdoptedVersion]
) -> dict[str, Any]:
    """The plan's state with who and when, and the steps this reader may take now."""
    steps = []
    if writable:
        steps = [
            step
            for step in lifecycle.Step.ALL
            if lifecycle.step_problem(plan, step, request.user) is None
        ]
    adoption = next((v for v in adopted if v.kind == AdoptedVersion.Kind.PLAN), None)
    return {
        "steps": steps,
        "adoption_recorded": adoption,
        "lifecycle_form": LifecycleForm(initial={"version": plan.version}) if steps else None,
    }


def _render_plan(
    request: HttpRequest,
    plan: ControlPlan,
    adoption_form: AdoptionForm | None = None,
    lifecycle_error: str = "",
) -> HttpResponse:
    if request.session.get(SESSION_KEY) != plan.pk:
        request.session[SESSION_KEY] = plan.pk  # the switcher opens here next time
    around = surroundings(request.user, plan)
    writable = ControlPlan.objects.may_write(plan, request.user)
    can_edit = writable and not plan.is_closed
    reading = plan_reading(request.user, plan)
    periods = list(Period.objects.filter(organisation_id=plan.unit.organisation_id))
    adopted = _adopted_versions(request.user, plan)
    context = {
        **_section_context(request, plan, periods),
        "committees": around.committees,
        "years": around.years,
        "previous_plan": around.previous_plan,
        "next_plan": around.next_plan,
        "can_edit": can_edit,
        # A refused adoption is shown with its errors, even on a plan closed meanwhile.
        "adoption_form": (adoption_form or AdoptionForm(plan=plan)) if can_edit else adoption_form,
        "assessment": Assessment.objects.in_plan_for_user(plan, request.user).first(),
        "level_styles": matrix.level_styles([plan.risk_matrix]),
        "report_links": report_links(plan, periods, reading),
        "excerpt_of": reading.excerpt_of(Unit.objects.filter(pk__in=reading.units).order_by()),
        # The plan's history includes the committee's assessment: whole-plan content.
        **history_context(request, plan, readable=reading.whole),
        "versions": adopted,
        "may_roll_over": writable,
        "lifecycle_error": lifecycle_error,
        **_lifecycle_context(request, plan, writable, adopted),
        **_changes_context(request, plan, adopted, reading),
    }
    failed = (adoption_form is not None and adoption_form.errors) or lifecycle_error
    status = 422 if failed else 200
    return render(request, "plans/detail.html", context, status=status)


def _adopted_versions(user: Any, plan: ControlPlan) -> list[AdoptedVersion]:
    """The plan's decisions, without their snapshots (only the changes need the latest one)."""
    return list(
        AdoptedVersion.objects.for_user(user)
        .filter(plan=plan)
        .select_related("created_by")
        .defer("snapshot")
    )


def _changes_context(
    request: HttpRequest, plan: ControlPlan, adopted: list[AdoptedVersion], reading: Any
) -> dict[str, Any]:
    """The changes since the adoption when asked for (`?changes=1`): the page loads them when
    their place is reached. Comparing exports the whole plan, half of a small plan page's work
    and more of a large one's, and most visits never scroll that far."""
    latest = next((v for v in adopted if v.kind == AdoptedVersion.Kind.PLAN), None)
    if latest is not None and request.GET.get("changes"):
        latest, changes = versions.changes_since_adoption(plan, adopted, reading)
        return {"latest_version": latest, "changes": changes, "changes_loaded": True}
    return {"latest_version": latest, "changes": [], "changes_loaded": False}


def _render_part(request: HtmxHttpRequest, plan: ControlPlan) -> HttpResponse | None:
    """For htmx: the risks of one section, the changes since the adoption or the plan's
    history; else None."""
    if not request.htmx:
        return None
    if request.GET.get(HISTORY):
        return history_part(request, plan, readable=plan_reading(request.user, plan).whole)
    if request.GET.get("section"):
        periods = list(Period.objects.filter(organisation_id=plan.unit.organisation_id))
        context = _section_context(request, plan, periods)
        leaves = context["outline"].leaves
        leaf = next((leaf for leaf in leaves if leaf.key == request.GET["section"]), None)
        if leaf is None:
            raise Http404
        return render(request, "plans/detail.html#risks", {**context, "leaf": leaf})
    if request.GET.get("changes"):
        reading = plan_reading(request.user, plan)
        context = _changes_context(request, plan, _adopted_versions(request.user, plan), reading)
        return render(request, "plans/detail.html#changes", {"plan": plan, **context})
    return None


@login_required
@require_GET
def current(request: HttpRequest) -> HttpResponse:
    plan = choose_plan(request)
    if plan is None:
        may_create = committees_for_new_plans(request.user).exists()
        return render(request, "plans/current.html", {"may_create_plan": may_create})
    return redirect("plans:detail", plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    committees = committees_for_new_plans(request.user)
    if not committees.exists():
        raise PermissionDenied
    if request.method == "POST":
        form = PlanCreationForm(request.POST, committees=committees)
    else:
        form = PlanCreationForm(
            initial=_creation_initial(request, committees), committees=committees
        )
    created = None
    if form.is_valid():
        created = write_form(
            form,
            lambda: create_plan(
                form.cleaned_data["unit"],
                form.cleaned_data["year"],
                reference=form.cleaned_data["reference"],
                acting_user=request.user,
            ),
        )
    if created is not None:
        messages.success(
            request,
            _("The plan for %(year)s was made as a draft.") % {"year": created.year},
        )
        return redirect("plans:detail", created.pk)
    status = 422 if form.is_bound else 200
    return render(request, "plans/create.html", {"form": form}, status=status)


def _creation_initial(request: HttpRequest, committees: QuerySet[Unit]) -> dict[str, Any]:
    """The committee asked for (or the only one) and its first year without a plan."""
    asked = request.GET.get("unit", "")
    unit = committees.filter(pk=asked).first() if _is_number(asked) else None
    if unit is None and len(found := list(committees[:2])) == 1:
        unit = found[0]
    year = request.GET.get("year", "")
    return {"unit": unit, "year": int(year) if _is_number(year) else default_year(unit)}


def _is_number(text: str) -> bool:
    return text.isdigit() and len(text) <= 9


@login_required
@require_GET
def detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return _render_part(request, plan) or _render_plan(request, plan)


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
    if request.method == "GET" and plan.is_closed:
        return lifecycle.closed_plan_page(request, plan)
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


@login_required
@require_POST
def lifecycle_step(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    form = LifecycleForm(request.POST)
    taken = None
    if form.is_valid():
        taken = write_form(
            form,
            lambda: lifecycle.take_step(
                plan,
                form.cleaned_data["step"],
                acting_user=request.user,
                version=form.cleaned_data["version"],
            ),
        )
    if taken is not None:
        messages.success(
            request,
            _("The plan is now: %(status)s.") % {"status": taken.get_status_display()},
        )
        return redirect("plans:detail", plan.pk)
    error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return _render_plan(request, plan, lifecycle_error=error)


def _render_rollover(
    request: HttpRequest, plan: ControlPlan, form: RolloverForm | None = None
) -> HttpResponse:
    risks = form.risks if form is not None else rollover.risks_to_decide(plan)
    problem = rollover.rollover_problem(plan)
    if form is None and problem is None:
        form = RolloverForm(risks=risks)
    context = {
        "plan": plan,
        "next_year": plan.year + 1,
        "next_plan": rollover.next_plan(plan),
        "problem": problem,
        "form": form if problem is None else None,
        "undecided": [risk for risk in risks if getattr(risk, "decided", None) is None],
        "decided": [risk for risk in risks if getattr(risk, "decided", None) is not None],
    }
    status = 422 if form is not None and form.errors else 200
    return render(request, "plans/rollover.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def rollover_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    if request.method != "POST":
        return _render_rollover(request, plan)
    form = RolloverForm(request.POST, risks=rollover.risks_to_decide(plan))
    if form.is_valid():
        try:
            outcome = rollover.roll_over(plan, form.choices(), acting_user=request.user)
        except rollover.RolloverRefused as refused:
            form.add_problems(refused.problems)
        except IntegrityError:
            form.add_error(None, COLLIDED)
        else:
            messages.success(
                request,
                _(
                    "Rollover to %(year)s: %(carried)s risks carried over, %(closed)s closed, "
                    "%(merged)s merged, %(left)s left to decide later."
                )
                % {
                    "year": outcome.plan.year,
                    "carried": len(outcome.carried),
                    "closed": len(outcome.closed),
                    "merged": len(outcome.merged),
                    "left": len(outcome.left),
                },
            )
            if outcome.moved_due_dates:
                messages.warning(request, rollover.moved_due_dates_message(outcome))
            return redirect("plans:detail", outcome.plan.pk)
    return _render_rollover(request, plan, form)


@login_required
@require_POST
def rollover_undo(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    try:
        undone = rollover.undo_rollover(plan, acting_user=request.user)
    except rollover.RolloverRefused as refused:
        messages.error(request, " ".join(refused.problems.values()))
        return redirect("plans:rollover", plan.pk)
    if undone.decisions:
        messages.success(
            request,
            _("The rollover to %(year)s was undone: %(risks)s carried risks removed.")
            % {"year": plan.year + 1, "risks": undone.risks},
        )
    else:
        messages.info(request, _("There was no rollover to undo."))
    return redirect("plans:detail", plan.pk)
