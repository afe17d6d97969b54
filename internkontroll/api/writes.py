"""Changing data: the same gates, forms and actions as the pages, so the same rules hold.

Each write checks who may make it (404 for outsiders, 403 for readers), then the version
If-Match names (428 without one, 412 when stale), then validates through the page's form and
saves through the page's action, which records the change under the token's user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Status

from internkontroll.access import forget_scope, get_for_user
from internkontroll.access.organisation import may_change_settings
from internkontroll.api import reads, schemas
from internkontroll.api.conditional import required_version, set_etag
from internkontroll.api.problems import Problem
from internkontroll.api.routes import router
from internkontroll.api.schemas import MAX_ID
from internkontroll.audits.actions import create_audit_report as create_audit_report_action
from internkontroll.audits.actions import create_recommendation as create_recommendation_action
from internkontroll.audits.actions import follow_up_recommendation
from internkontroll.audits.actions import update_audit_report as update_audit_report_action
from internkontroll.audits.actions import update_recommendation as update_recommendation_action
from internkontroll.audits.forms import (
    AuditReportForm,
    RecommendationFollowUpForm,
    RecommendationForm,
    writable_committees,
)
from internkontroll.audits.models import (
    AuditReport,
    Recommendation,
    get_audit_report_for_user,
    get_recommendation_for_user,
)
from internkontroll.controls.actions import save_control_activity
from internkontroll.controls.forms import ControlActivityForm
from internkontroll.controls.models import ControlActivity, get_control_activity_for_user
from internkontroll.followups.actions import (
    report_on_action,
    report_on_control_activity,
    report_on_risk,
)
from internkontroll.followups.forms import FollowUpForm
from internkontroll.followups.models import FollowUp
from internkontroll.lib.versioning import StaleEdit
from internkontroll.organisation import actions as organisation_actions
from internkontroll.organisation.forms import (
    GoalForm,
    NamedForm,
    ProcessForm,
    RiskAreaForm,
    UnitForm,
    goal_form_options,
)
from internkontroll.organisation.models import (
    Goal,
    Organisation,
    Process,
    RiskArea,
    Unit,
    get_goal_for_user,
    get_unit_for_user,
)
from internkontroll.organisation.queries import may_manage_catalogue, organisation_of
from internkontroll.plans.actions import adopt_plan as adopt_plan_action
from internkontroll.plans.actions import committees_for_new_plans
from internkontroll.plans.actions import create_plan as create_plan_action
from internkontroll.plans.actions import save_assessment as save_assessment_action
from internkontroll.plans.forms import AdoptionForm, AssessmentForm, PlanCreationForm
from internkontroll.plans.models import Assessment, get_plan_for_user
from internkontroll.risks.actions import save_action, save_risk
from internkontroll.risks.forms import ActionForm, RiskForm, split_cell
from internkontroll.risks.models import Action, Risk, get_action_for_user, get_risk_for_user

PathId = Path(..., ge=1, le=MAX_ID)


def _plain(value: Any) -> Any:
    """A form's value as a posted form would carry it."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return getattr(value, "pk", value)


def bound_form(
    form_class: type[forms.BaseForm],
    instance: Any,
    change: dict[str, Any],
    *,
    version: int | None,
    names: dict[str, str] | None = None,
    **kwargs: Any,
) -> Any:
    """The page's form with the item's values as they are, changed by `change`, and validated."""
    current = form_class(instance=instance, **kwargs)  # type: ignore[call-arg]
    data = {name: _plain(current[name].value()) for name in current.fields if name != "version"}
    data.update({(names or {}).get(name, name): _plain(value) for name, value in change.items()})
    if version is not None:
        data["version"] = version
    form = form_class(data, instance=instance, **kwargs)  # type: ignore[call-arg]
    if not form.is_valid():
        raise refused(form, names)
    return form


def refused(form: forms.BaseForm, names: dict[str, str] | None = None) -> Problem:
    """A 422 naming each field (by the API's names, not the form's) and what is wrong."""
    renamed = {form_name: api_name for api_name, form_name in (names or {}).items()}
    return Problem(
        422,
        _("Nothing was saved; see errors."),
        [
            {"field": None if name == "__all__" else renamed.get(name, name), "message": message}
            for name, messages in form.errors.items()
            for message in messages
        ],
    )


def if_match(request: HttpRequest, item: Any) -> int:
    """The version If-Match names, refused when stale before the write is validated (the
    action checks again under its lock)."""
    version = required_version(request)
    if item.version != version:
        raise StaleEdit
    return version


def answer(response: HttpResponse, data: dict[str, Any], status: int = 200) -> Status:
    set_etag(response, data)
    return Status(status, data)


# Risks


RISK_NAMES = {
    "area": "area_name",
    "process": "process_name",
    "probability": "cell",
    "target_probability": "target_cell",
}
CELLS = (("", "cell"), ("target_", "target_cell"))
ASSESSMENT = ("probability", "consequence")


def risk_change(change: dict[str, Any], current: RiskForm) -> dict[str, Any]:
    """The API's fields as the risk form's: names for area and process, cells for assessments."""
    assessed = {f"{prefix}{name}" for prefix, _cell in CELLS for name in ASSESSMENT}
    data = {
        RISK_NAMES.get(name, name): value for name, value in change.items() if name not in assessed
    }
    for prefix, cell in CELLS:
        first, second = (f"{prefix}{name}" for name in ASSESSMENT)
        if first not in change and second not in change:
            continue
        p, c = split_cell(str(current[cell].value() or ""))
        p, c = change.get(first, p), change.get(second, c)
        if (p is None) != (c is None):
            raise Problem(
                422,
                _("Nothing was saved; see errors."),
                [
                    {
                        "field": second if c is None else first,
                        "message": _("Give both probability and consequence, or neither."),
                    }
                ],
            )
        data[cell] = f"{p}-{c}" if p is not None else ""
    return data


def _save_risk(
    request: HttpRequest, risk: Risk, change: dict[str, Any], version: int | None
) -> Risk:
    kwargs: dict[str, Any] = {"plan": risk.plan, "user": request.user}
    current = RiskForm(instance=risk, **kwargs)
    data = risk_change(change, current)
    form = bound_form(RiskForm, risk, data, version=version, names=RISK_NAMES, **kwargs)
    return save_risk(risk, form.cleaned_data, version=version, acting_user=request.user)


def _risk_answer(request: HttpRequest, response: HttpResponse, pk: int, status: int) -> Any:
    risk = reads.one(reads.risks_loaded(request.user, Risk.objects.all()), request.user, pk)
    return answer(response, reads.risk_out(risk), status)


@router.post("/risks", response={201: schemas.RiskOut}, tags=["risks"])
def create_risk(request: HttpRequest, response: HttpResponse, body: schemas.RiskCreate) -> Any:
    """Add a risk to a plan the caller writes; its identifier is given by the system."""
    plan = get_plan_for_user(request.user, body.plan, write=True)
    change = body.model_dump(exclude_unset=True, exclude={"plan"})
    risk = _save_risk(request, Risk(plan=plan), change, None)
    return _risk_answer(request, response, risk.pk, 201)


@router.patch("/risks/{id}", response={200: schemas.RiskOut}, tags=["risks"])
def update_risk(
    request: HttpRequest, response: HttpResponse, body: schemas.RiskChange, id: int = PathId
) -> Any:
    """Change the fields given; the others keep their values. Needs If-Match."""
    risk = get_risk_for_user(request.user, id, write=True)
    version = if_match(request, risk)
    _save_risk(request, risk, body.model_dump(exclude_unset=True), version)
    return _risk_answer(request, response, risk.pk, 200)


# Actions


def _save_action(
    request: HttpRequest, action: Action, change: dict[str, Any], version: int | None
) -> Action:
    form = bound_form(ActionForm, action, change, version=version, risk=action.risk)
    return save_action(action, form.cleaned_data, version=version, acting_user=request.user)


def _action_answer(request: HttpRequest, response: HttpResponse, pk: int, status: int) -> Any:
    return answer(response, reads.action_out(reads.one(Action.objects, request.user, pk)), status)


@router.post("/actions", response={201: schemas.ActionOut}, tags=["risks"])
def create_action(request: HttpRequest, response: HttpResponse, body: schemas.ActionCreate) -> Any:
    risk = get_risk_for_user(request.user, body.risk, write=True)
    change = body.model_dump(exclude_unset=True, exclude={"risk"})
    action = _save_action(request, Action(risk=risk), change, None)
    return _action_answer(request, response, action.pk, 201)


@router.patch("/actions/{id}", response={200: schemas.ActionOut}, tags=["risks"])
def update_action(
    request: HttpRequest, response: HttpResponse, body: schemas.ActionChange, id: int = PathId
) -> Any:
    """Change the fields given; the others keep their values. Needs If-Match."""
    action = get_action_for_user(request.user, id, write=True)
    version = if_match(request, action)
    _save_action(request, action, body.model_dump(exclude_unset=True), version)
    return _action_answer(request, response, action.pk, 200)


# Control activities


def _save_activity(
    request: HttpRequest, activity: ControlActivity, change: dict[str, Any], version: int | None
) -> ControlActivity:
    form = bound_form(ControlActivityForm, activity, change, version=version, risk=activity.risk)
    return save_control_activity(
        activity, form.cleaned_data, version=version, acting_user=request.user
    )


def _activity_answer(request: HttpRequest, response: HttpResponse, pk: int, status: int) -> Any:
    queryset = reads.activities_loaded(ControlActivity.objects.all())
    return answer(
        response, reads.control_activity_out(reads.one(queryset, request.user, pk)), status
    )


@router.post("/control-activities", response={201: schemas.ControlActivityOut}, tags=["controls"])
def create_control_activity(
    request: HttpRequest, response: HttpResponse, body: schemas.ControlActivityCreate
) -> Any:
    risk = get_risk_for_user(request.user, body.risk, write=True)
    change = body.model_dump(exclude_unset=True, exclude={"risk"})
    activity = _save_activity(request, ControlActivity(risk=risk), change, None)
    return _activity_answer(request, response, activity.pk, 201)


@router.patch(
    "/control-activities/{id}", response={200: schemas.ControlActivityOut}, tags=["controls"]
)
def update_control_activity(
    request: HttpRequest,
    response: HttpResponse,
    body: schemas.ControlActivityChange,
    id: int = PathId,
) -> Any:
    """Change the fields given; the others keep their values. Needs If-Match."""
    activity = get_control_activity_for_user(request.user, id, write=True)
    version = if_match(request, activity)
    _save_activity(request, activity, body.model_dump(exclude_unset=True), version)
    return _activity_answer(request, response, activity.pk, 200)


# Follow-ups


ON_TRACK = {True: "yes", False: "no", None: ""}


def _report(
    request: HttpRequest,
    response: HttpResponse,
    item: Any,
    subject: str,
    body: schemas.FollowUpIn,
    write: Callable[..., FollowUp],
) -> Any:
    """Append a follow-up to the item at the version If-Match names, as the report page does."""
    version = if_match(request, item)
    risk = item if subject == "risk" else item.risk
    data = body.model_dump()
    if "on_track" in data:
        data["on_track"] = ON_TRACK[data["on_track"]]
    data["version"] = version
    form = FollowUpForm(
        {name: _plain(value) for name, value in data.items()},
        None,
        instance=FollowUp(**{subject: item}),
        subject=subject,
        organisation=risk.plan.unit.organisation,
    )
    if not form.is_valid():
        raise refused(form)
    # Reporting on someone else's item is reporting on their behalf, as on the page.
    assignee_id = getattr(item, "assignee_id", None)
    on_behalf_of = item.assignee if assignee_id and assignee_id != request.user.pk else None
    extra = {"reported_for": on_behalf_of} if subject != "risk" else {}
    follow_up = write(
        item, acting_user=request.user, version=version, evidence=[], **extra, **form.values()
    )
    return _follow_up_answer(request, response, follow_up.pk)


def _follow_up_answer(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    follow_up = reads.one(FollowUp.objects.prefetch_related("evidence"), request.user, pk)
    return answer(response, reads.follow_up_out(follow_up), 201)


@router.post("/actions/{id}/follow-ups", response={201: schemas.FollowUpOut}, tags=["follow-ups"])
def report_action(
    request: HttpRequest,
    response: HttpResponse,
    body: schemas.ActionFollowUpIn,
    id: int = PathId,
) -> Any:
    """Report on an action (its coordinators and the person assigned); the action takes the
    status reported. If-Match: the action's ETag."""
    action = get_action_for_user(request.user, id, report=True)
    return _report(request, response, action, "action", body, report_on_action)


@router.post(
    "/control-activities/{id}/follow-ups",
    response={201: schemas.FollowUpOut},
    tags=["follow-ups"],
)
def report_control_activity(
    request: HttpRequest,
    response: HttpResponse,
    body: schemas.ControlActivityFollowUpIn,
    id: int = PathId,
) -> Any:
    """Report a control activity's result for a period. If-Match: the activity's ETag."""
    activity = get_control_activity_for_user(request.user, id, report=True)
    return _report(
        request, response, activity, "control_activity", body, report_on_control_activity
    )


@router.post("/risks/{id}/follow-ups", response={201: schemas.FollowUpOut}, tags=["follow-ups"])
def report_risk(
    request: HttpRequest,
    response: HttpResponse,
    body: schemas.RiskFollowUpIn,
    id: int = PathId,
) -> Any:
    """Report whether a risk's handling follows the plan. If-Match: the risk's ETag."""
    risk = get_risk_for_user(request.user, id, write=True)
    return _report(request, response, risk, "risk", body, report_on_risk)


@router.post(
    "/recommendations/{id}/follow-ups",
    response={201: schemas.FollowUpOut},
    tags=["follow-ups"],
)
def report_recommendation(
    request: HttpRequest,
    response: HttpResponse,
    body: schemas.RecommendationFollowUpIn,
    id: int = PathId,
) -> Any:
    """Follow up an audit recommendation; it takes the status reported. If-Match: the
    recommendation's ETag."""
    recommendation = get_recommendation_for_user(request.user, id, write=True)
    version = if_match(request, recommendation)
    data = {name: _plain(value) for name, value in body.model_dump().items()}
    form = RecommendationFollowUpForm(
        {**data, "version": version},
        instance=FollowUp(recommendation=recommendation),
        saved=recommendation,
    )
    if not form.is_valid():
        raise refused(form)
    follow_up = follow_up_recommendation(
        recommendation, acting_user=request.user, version=version, **form.values()
    )
    return _follow_up_answer(request, response, follow_up.pk)


# Audit reports and their recommendations


def _report_answer(request: HttpRequest, response: HttpResponse, pk: int, status: int) -> Any:
    report = reads.one(AuditReport.objects, request.user, pk)
    return answer(response, reads.audit_report_out(report), status)


@router.post("/audit-reports", response={201: schemas.AuditReportOut}, tags=["audits"])
def create_audit_report(
    request: HttpRequest, response: HttpResponse, body: schemas.AuditReportCreate
) -> Any:
    """Record an auditors' report addressed to a committee the caller writes."""
    committees = writable_committees(request.user)
    if not committees.exists():
        raise PermissionDenied
    change = body.model_dump(exclude_unset=True)
    form = bound_form(
        AuditReportForm,
        AuditReport(),
        change,
        version=None,
        names=AUDIT_NAMES,
        committees=committees,
    )
    report = create_audit_report_action(acting_user=request.user, **form.values())
    return _report_answer(request, response, report.pk, 201)


AUDIT_NAMES = {"committee": "unit"}


@router.patch("/audit-reports/{id}", response={200: schemas.AuditReportOut}, tags=["audits"])
def update_audit_report(
    request: HttpRequest,
    response: HttpResponse,
    body: schemas.AuditReportChange,
    id: int = PathId,
) -> Any:
    """Change the fields given; the others keep their values. Needs If-Match."""
    report = get_audit_report_for_user(request.user, id, write=True)
    version = if_match(request, report)
    committees = writable_committees(request.user).filter(organisation=report.organisation_id)
    form = bound_form(
        AuditReportForm,
        report,
        body.model_dump(exclude_unset=True),
        version=version,
        names=AUDIT_NAMES,
        committees=committees,
        saved=report,
    )
    update_audit_report_action(report, acting_user=request.user, version=version, **form.values())
    return _report_answer(request, response, report.pk, 200)


def _recommendation_answer(
    request: HttpRequest, response: HttpResponse, pk: int, status: int
) -> Any:
    recommendation = reads.one(Recommendation.objects, request.user, pk)
    return answer(response, reads.recommendation_out(recommendation), status)


@router.post(
    "/audit-reports/{id}/recommendations",
    response={201: schemas.RecommendationOut},
    tags=["audits"],
)
def create_recommendation(
    request: HttpRequest,
    response: HttpResponse,
    body: schemas.RecommendationCreate,
    id: int = PathId,
) -> Any:
    report = get_audit_report_for_user(request.user, id, write=True)
    change = body.model_dump(exclude_unset=True)
    form = bound_form(RecommendationForm, Recommendation(report=report), change, version=None)
    recommendation = create_recommendation_action(report, acting_user=request.user, **form.values())
    return _recommendation_answer(request, response, recommendation.pk, 201)


@router.patch("/recommendations/{id}", response={200: schemas.RecommendationOut}, tags=["audits"])
def update_recommendation(
    request: HttpRequest,
    response: HttpResponse,
    body: schemas.RecommendationChange,
    id: int = PathId,
) -> Any:
    """Change the fields given, such as the committee's response. Needs If-Match."""
    recommendation = get_recommendation_for_user(request.user, id, write=True)
    version = if_match(request, recommendation)
    form = bound_form(
        RecommendationForm,
        recommendation,
        body.model_dump(exclude_unset=True),
        version=version,
        saved=recommendation,
    )
    update_recommendation_action(
        recommendation, acting_user=request.user, version=version, **form.values()
    )
    return _recommendation_answer(request, response, recommendation.pk, 200)


# Units, goals, processes and risk areas of the caller's organisation


def _own_organisation(request: HttpRequest) -> Organisation:
    """The organisation the settings pages change: the caller's own (404 without one)."""
    organisation = organisation_of(request.user)
    if organisation is None:
        raise Http404
    return organisation


def _unit_answer(request: HttpRequest, response: HttpResponse, pk: int, status: int) -> Any:
    return answer(response, reads.unit_out(reads.one(Unit.objects, request.user, pk)), status)


@router.post("/units", response={201: schemas.UnitOut}, tags=["organisation"])
def create_unit(request: HttpRequest, response: HttpResponse, body: schemas.UnitCreate) -> Any:
    """Add a unit to the caller's organisation (administrators of its settings)."""
    organisation = _own_organisation(request)
    if not may_change_settings(request.user, organisation.pk):
        raise PermissionDenied
    change = body.model_dump(exclude_unset=True)
    form = bound_form(UnitForm, Unit(), change, version=None, organisation=organisation)
    unit = organisation_actions.create_unit(
        organisation, acting_user=request.user, **form.cleaned_data
    )
    # The caller's scope was worked out before the unit existed.
    forget_scope(request.user)
    return _unit_answer(request, response, unit.pk, 201)


@router.patch("/units/{id}", response={200: schemas.UnitOut}, tags=["organisation"])
def update_unit(
    request: HttpRequest, response: HttpResponse, body: schemas.UnitChange, id: int = PathId
) -> Any:
    """Change the fields given; the others keep their values. Needs If-Match."""
    unit = get_unit_for_user(request.user, id)
    if not may_change_settings(request.user, unit.organisation_id):
        raise PermissionDenied
    version = if_match(request, unit)
    change = body.model_dump(exclude_unset=True)
    form = bound_form(UnitForm, unit, change, version=version, organisation=unit.organisation)
    organisation_actions.change_unit(unit, acting_user=request.user, **form.cleaned_data)
    forget_scope(request.user)
    return _unit_answer(request, response, unit.pk, 200)


def _goal_answer(request: HttpRequest, response: HttpResponse, pk: int, status: int) -> Any:
    return answer(response, reads.goal_out(reads.one(Goal.objects, request.user, pk)), status)


@router.post("/goals", response={201: schemas.GoalOut}, tags=["organisation"])
def create_goal(request: HttpRequest, response: HttpResponse, body: schemas.GoalCreate) -> Any:
    """Add a goal to the caller's organisation, for a committee the caller writes (or, for
    those who write for the whole organisation, for all of it)."""
    organisation = _own_organisation(request)
    if not may_manage_catalogue(request.user, organisation):
        raise PermissionDenied
    change = body.model_dump(exclude_unset=True)
    options = goal_form_options(request.user, organisation)
    form = bound_form(GoalForm, Goal(), change, version=None, **options)
    goal = organisation_actions.create_goal(
        organisation, acting_user=request.user, **form.cleaned_data
    )
    return _goal_answer(request, response, goal.pk, 201)


@router.patch("/goals/{id}", response={200: schemas.GoalOut}, tags=["organisation"])
def update_goal(
    request: HttpRequest, response: HttpResponse, body: schemas.GoalChange, id: int = PathId
) -> Any:
    """Change the fields given; the others keep their values. Needs If-Match."""
    goal = get_goal_for_user(request.user, id, write=True)
    version = if_match(request, goal)
    options = goal_form_options(request.user, goal.organisation)
    form = bound_form(
        GoalForm, goal, body.model_dump(exclude_unset=True), version=version, **options
    )
    organisation_actions.change_goal(goal, acting_user=request.user, **form.cleaned_data)
    return _goal_answer(request, response, goal.pk, 200)


def _create_named(
    request: HttpRequest,
    response: HttpResponse,
    body: schemas.NamedIn,
    form_class: type[NamedForm],
    create: Callable[..., Process | RiskArea],
) -> Any:
    organisation = _own_organisation(request)
    if not may_change_settings(request.user, organisation.pk):
        raise PermissionDenied
    model = form_class._meta.model
    form = bound_form(
        form_class, model(), body.model_dump(), version=None, organisation=organisation
    )
    item = create(organisation, acting_user=request.user, **form.cleaned_data)
    return answer(response, reads.named_out(reads.one(model.objects, request.user, item.pk)), 201)


def _rename_named(
    request: HttpRequest,
    response: HttpResponse,
    body: schemas.NamedIn,
    pk: int,
    form_class: type[NamedForm],
    rename: Callable[..., Process | RiskArea],
) -> Any:
    model = form_class._meta.model
    item = get_for_user(model.objects.select_related("organisation"), request.user, pk, write=True)
    version = if_match(request, item)
    form = bound_form(
        form_class, item, body.model_dump(), version=version, organisation=item.organisation
    )
    rename(item, acting_user=request.user, **form.cleaned_data)
    return answer(response, reads.named_out(reads.one(model.objects, request.user, pk)), 200)


@router.post("/processes", response={201: schemas.ProcessOut}, tags=["organisation"])
def create_process(request: HttpRequest, response: HttpResponse, body: schemas.NamedIn) -> Any:
    """Add a process to the caller's organisation (administrators of its settings)."""
    return _create_named(request, response, body, ProcessForm, organisation_actions.create_process)


@router.patch("/processes/{id}", response={200: schemas.ProcessOut}, tags=["organisation"])
def rename_process(
    request: HttpRequest, response: HttpResponse, body: schemas.NamedIn, id: int = PathId
) -> Any:
    """Rename a process; the risks that name it follow. Needs If-Match."""
    return _rename_named(
        request, response, body, id, ProcessForm, organisation_actions.rename_process
    )


@router.post("/risk-areas", response={201: schemas.RiskAreaOut}, tags=["organisation"])
def create_risk_area(request: HttpRequest, response: HttpResponse, body: schemas.NamedIn) -> Any:
    """Add a risk area to the caller's organisation (administrators of its settings)."""
    return _create_named(
        request, response, body, RiskAreaForm, organisation_actions.create_risk_area
    )


@router.patch("/risk-areas/{id}", response={200: schemas.RiskAreaOut}, tags=["organisation"])
def rename_risk_area(
    request: HttpRequest, response: HttpResponse, body: schemas.NamedIn, id: int = PathId
) -> Any:
    """Rename a risk area; the risks that name it follow. Needs If-Match."""
    return _rename_named(
        request, response, body, id, RiskAreaForm, organisation_actions.rename_risk_area
    )


# Plans: creation, adoption and the committee's assessment


PLAN_NAMES = {"committee": "unit"}


def _plan_answer(request: HttpRequest, response: HttpResponse, pk: int, status: int) -> Any:
    plan = get_plan_for_user(request.user, pk)
    return answer(response, reads.plan_out(plan, request.user), status)


@router.post("/plans", response={201: schemas.PlanOut}, tags=["plans"])
def create_plan(request: HttpRequest, response: HttpResponse, body: schemas.PlanCreate) -> Any:
    """Make a committee's plan for a year it has none for, as a draft; the committee must be
    one whose plans the caller writes."""
    committees = committees_for_new_plans(request.user)
    if not committees.exists():
        raise PermissionDenied
    data = {PLAN_NAMES.get(name, name): value for name, value in body.model_dump().items()}
    form = PlanCreationForm(data, committees=committees)
    if not form.is_valid():
        raise refused(form, PLAN_NAMES)
    plan = create_plan_action(
        form.cleaned_data["unit"],
        form.cleaned_data["year"],
        reference=form.cleaned_data["reference"],
        acting_user=request.user,
    )
    return _plan_answer(request, response, plan.pk, 201)


@router.post("/plans/{id}/adoption", response={201: schemas.PlanOut}, tags=["plans"])
def adopt_plan(
    request: HttpRequest, response: HttpResponse, body: schemas.AdoptionIn, id: int = PathId
) -> Any:
    """Record the committee's adoption of the plan (and an adopted version of it). If-Match:
    the plan's ETag."""
    plan = get_plan_for_user(request.user, id, write=True)
    version = if_match(request, plan)
    data = {name: _plain(value) for name, value in body.model_dump().items()}
    form = AdoptionForm({**data, "version": version}, plan=plan)
    if not form.is_valid():
        raise refused(form)
    adopt_plan_action(plan, acting_user=request.user, **form.cleaned_data)
    return _plan_answer(request, response, plan.pk, 201)


@router.put("/plans/{id}/assessment", response={200: schemas.AssessmentOut}, tags=["plans"])
def save_assessment(
    request: HttpRequest, response: HttpResponse, body: schemas.AssessmentIn, id: int = PathId
) -> Any:
    """Set the committee's assessment of its internal control for the plan's year. If-Match:
    the assessment's ETag when the plan has one (none is needed for the first)."""
    plan = get_plan_for_user(request.user, id, write=True)
    instance = Assessment.objects.filter(plan=plan).first() or Assessment(plan=plan)
    version = None
    if instance.pk is not None:
        version = if_match(request, instance)
    form = bound_form(AssessmentForm, instance, body.model_dump(), version=version, plan=plan)
    assessment = save_assessment_action(plan, acting_user=request.user, **form.values())
    saved = reads.one(Assessment.objects, request.user, assessment.pk)
    return answer(response, reads.assessment_out(saved), 200)
