"""Changing data: the same gates, forms and actions as the pages, so the same rules hold.

Each write checks who may make it (404 for outsiders, 403 for readers), then the version
If-Match names (428 without one, 412 when stale), then validates through the page's form and
saves through the page's action, which records the change under the token's user.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pydantic
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Path, Schema, Status
from ninja.errors import ValidationError as SchemaError

from internkontroll.access import forget_scope, get_for_user
from internkontroll.access.organisation import may_change_settings
from internkontroll.api import reads, schemas
from internkontroll.api.conditional import required_version
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
from internkontroll.followups.evidence import ACCEPTED_EXTENSIONS
from internkontroll.followups.forms import FollowUpForm
from internkontroll.followups.models import FollowUp
from internkontroll.lib.versioning import StaleEdit
from internkontroll.organisation import actions as organisation_actions
from internkontroll.organisation.forms import (
    GoalForm,
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


def _shown(current: forms.BaseForm, name: str) -> Any:
    """A field's value as the page's form shows it; a new item's empty field shows the form's
    default (a new goal's year is this year)."""
    value = current[name].value()
    if current.instance.pk is None and value in (None, ""):  # type: ignore[attr-defined]
        default = current.fields[name].initial
        default = default() if callable(default) else default
        return value if default in (None, "") else default
    return value


def bound_form(
    form_class: type[forms.BaseForm],
    instance: Any,
    change: dict[str, Any],
    *,
    version: int | None,
    names: dict[str, str] | None = None,
    prepare: Callable[[dict[str, Any], Any], dict[str, Any]] | None = None,
    **kwargs: Any,
) -> Any:
    """The page's form with the item's values as they are, changed by `change` (made into the
    form's fields by `prepare`, given the form as it is), and validated."""
    current = form_class(instance=instance, **kwargs)  # type: ignore[call-arg]
    data = {name: _plain(_shown(current, name)) for name in current.fields if name != "version"}
    if prepare is not None:
        change = prepare(change, current)
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


# One kind of item, created and changed through its page's form and actions


Save = Callable[[Any, Any, "int | None", Any], Any]


@dataclass(frozen=True)
class Kind:
    """How the API writes one kind of item, and reads it back for the answer."""

    form: type[forms.BaseForm]
    options: Callable[[Any, Any], dict[str, Any]]  # (user, item): the form's arguments
    save: Save  # (item, valid form, version or None for a new item, user): the item saved
    read: Callable[[Any], Any]  # user: the queryset the answer is read from
    out: Callable[[Any], dict[str, Any]]
    names: dict[str, str] = field(default_factory=dict)  # the API's field: the form's
    parent: str = ""  # the body's field naming the item's parent, set before the form
    prepare: Callable[[dict[str, Any], Any], dict[str, Any]] | None = None


def write(
    request: HttpRequest, kind: Kind, item: Any, body: Schema, version: int | None = None
) -> Status:
    """Save the body's fields (the others keep their values) through the page's form and action,
    and answer with the item as the caller reads it: 201 when new."""
    created = item.pk is None
    change = body.model_dump(exclude_unset=True, exclude={kind.parent} if kind.parent else None)
    form = bound_form(
        kind.form,
        item,
        change,
        version=version,
        names=kind.names,
        prepare=kind.prepare,
        **kind.options(request.user, item),
    )
    saved = kind.save(item, form, version, request.user)
    data = kind.out(reads.one(kind.read(request.user), request.user, saved.pk))
    return Status(201 if created else 200, data)


def change(request: HttpRequest, kind: Kind, item: Any, body: Schema) -> Status:
    """`write` at the version If-Match names."""
    return write(request, kind, item, body, if_match(request, item))


def saved_by(action: Callable[..., Any]) -> Save:
    """A save through the one action that both makes and changes the item."""
    return lambda item, form, version, user: action(
        item, form.cleaned_data, version=version, acting_user=user
    )


def in_organisation(create: Callable[..., Any], update: Callable[..., Any]) -> Save:
    """A save through the settings' actions: one adds to the item's organisation, one changes."""

    def save(item: Any, form: Any, version: int | None, user: Any) -> Any:
        if version is None:
            return create(item.organisation, acting_user=user, **form.cleaned_data)
        return update(item, acting_user=user, **form.cleaned_data)

    return save


def own_organisation(request: HttpRequest, *, may: Callable[[Any, Any], bool]) -> Organisation:
    """The organisation the settings pages change: the caller's own (404 without one), if they
    `may` change it there (403 otherwise)."""
    organisation = organisation_of(request.user)
    if organisation is None:
        raise Http404
    if not may(request.user, organisation):
        raise PermissionDenied
    return organisation


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


RISK = Kind(
    RiskForm,
    options=lambda user, risk: {"plan": risk.plan, "user": user},
    save=saved_by(save_risk),
    read=lambda user: reads.risks_loaded(user, Risk.objects.all()),
    out=reads.risk_out,
    names=RISK_NAMES,
    parent="plan",
    prepare=risk_change,
)


@router.post("/risks", response={201: schemas.RiskOut}, tags=["risks"])
def create_risk(request: HttpRequest, body: schemas.RiskCreate) -> Any:
    """Add a risk to a plan the caller writes; its identifier is given by the system."""
    plan = get_plan_for_user(request.user, body.plan, write=True)
    return write(request, RISK, Risk(plan=plan), body)


@router.patch("/risks/{id}", response={200: schemas.RiskOut}, tags=["risks"])
def update_risk(request: HttpRequest, body: schemas.RiskChange, id: int = PathId) -> Any:
    """Change the fields given; the others keep their values. Needs If-Match."""
    risk = get_risk_for_user(request.user, id, write=True)
    return change(request, RISK, risk, body)


# Actions and control activities


ACTION = Kind(
    ActionForm,
    options=lambda user, action: {"risk": action.risk},
    save=saved_by(save_action),
    read=lambda user: Action.objects,
    out=reads.action_out,
    parent="risk",
)


@router.post("/actions", response={201: schemas.ActionOut}, tags=["risks"])
def create_action(request: HttpRequest, body: schemas.ActionCreate) -> Any:
    risk = get_risk_for_user(request.user, body.risk, write=True)
    return write(request, ACTION, Action(risk=risk), body)


@router.patch("/actions/{id}", response={200: schemas.ActionOut}, tags=["risks"])
def update_action(request: HttpRequest, body: schemas.ActionChange, id: int = PathId) -> Any:
    """Change the fields given; the others keep their values. Needs If-Match."""
    action = get_action_for_user(request.user, id, write=True)
    return change(request, ACTION, action, body)


ACTIVITY = Kind(
    ControlActivityForm,
    options=lambda user, activity: {"risk": activity.risk},
    save=saved_by(save_control_activity),
    read=lambda user: reads.activities_loaded(ControlActivity.objects.all()),
    out=reads.control_activity_out,
    parent="risk",
)


@router.post("/control-activities", response={201: schemas.ControlActivityOut}, tags=["controls"])
def create_control_activity(request: HttpRequest, body: schemas.ControlActivityCreate) -> Any:
    risk = get_risk_for_user(request.user, body.risk, write=True)
    return write(request, ACTIVITY, ControlActivity(risk=risk), body)


@router.patch(
    "/control-activities/{id}", response={200: schemas.ControlActivityOut}, tags=["controls"]
)
def update_control_activity(
    request: HttpRequest, body: schemas.ControlActivityChange, id: int = PathId
) -> Any:
    """Change the fields given; the others keep their values. Needs If-Match."""
    activity = get_control_activity_for_user(request.user, id, write=True)
    return change(request, ACTIVITY, activity, body)


# Follow-ups


ON_TRACK = {True: "yes", False: "no", None: ""}
# What a browser's form carries besides the fields: the CSRF token and the files.
NOT_FIELDS = ("csrfmiddlewaretoken", "evidence")


def report_with_evidence(schema: type[Schema]) -> dict[str, Any]:
    """The OpenAPI body of a report that may bring evidence files: JSON, or multipart/form-data
    as the report page sends it, with the files as `evidence`."""
    fields = schema.model_json_schema()
    files = {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "description": "Evidence files, checked as on the report page: "
        + ", ".join(sorted(ACCEPTED_EXTENSIONS))
        + "; no macros; at most IK_EVIDENCE_MAX_BYTES each.",
    }
    form = {**fields, "properties": {**fields["properties"], "evidence": files}}
    content = {"application/json": {"schema": fields}, "multipart/form-data": {"schema": form}}
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    return {
        "requestBody": {"required": True, "content": content},
        "responses": {415: {"description": "Unsupported body type", "content": problem}},
    }


def report_body(request: HttpRequest, schema: type[Schema]) -> tuple[Any, Any]:
    """The report's fields, validated by `schema`, and its files: from JSON, or from the
    multipart form the report page sends."""
    files = None
    if request.content_type == "multipart/form-data":
        try:
            posted, files = request.POST, request.FILES
        except MultiPartParserError:
            raise Problem(400, _("The form in the request body cannot be read.")) from None
        fields: Any = {name: posted[name] for name in posted if name not in NOT_FIELDS}
    elif request.content_type == "application/json":
        try:
            fields = json.loads(request.body)
        except ValueError:
            raise Problem(400, _("The request body is not valid JSON.")) from None
    else:
        raise Problem(415, _("Send the body as application/json or multipart/form-data."))
    try:
        return schema.model_validate(fields), files
    except pydantic.ValidationError as invalid:
        raise SchemaError(
            [{**error, "loc": ("body", *error["loc"])} for error in invalid.errors()]
        ) from None


def _report(
    request: HttpRequest,
    item: Any,
    subject: str,
    body: schemas.FollowUpIn,
    write: Callable[..., FollowUp],
    files: Any = None,
) -> Any:
    """Append a follow-up, with the evidence files sent, to the item at the version If-Match
    names, as the report page does."""
    version = if_match(request, item)
    risk = item if subject == "risk" else item.risk
    data = body.model_dump()
    if "on_track" in data:
        data["on_track"] = ON_TRACK[data["on_track"]]
    data["version"] = version
    form = FollowUpForm(
        {name: _plain(value) for name, value in data.items()},
        files,
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
    evidence = form.cleaned_data.get("evidence") or []
    follow_up = write(
        item, acting_user=request.user, version=version, evidence=evidence, **extra, **form.values()
    )
    return _follow_up_answer(request, follow_up.pk)


def _follow_up_answer(request: HttpRequest, pk: int) -> Any:
    follow_up = reads.one(FollowUp.objects.prefetch_related("evidence"), request.user, pk)
    return Status(201, reads.follow_up_out(follow_up))


@router.post(
    "/actions/{id}/follow-ups",
    response={201: schemas.FollowUpOut},
    tags=["follow-ups"],
    openapi_extra=report_with_evidence(schemas.ActionFollowUpIn),
)
def report_action(request: HttpRequest, id: int = PathId) -> Any:
    """Report on an action (its coordinators and the person assigned); the action takes the
    status reported. JSON, or multipart/form-data with evidence files. If-Match: the action's
    ETag."""
    body, files = report_body(request, schemas.ActionFollowUpIn)
    action = get_action_for_user(request.user, id, report=True)
    return _report(request, action, "action", body, report_on_action, files)


@router.post(
    "/control-activities/{id}/follow-ups",
    response={201: schemas.FollowUpOut},
    tags=["follow-ups"],
    openapi_extra=report_with_evidence(schemas.ControlActivityFollowUpIn),
)
def report_control_activity(request: HttpRequest, id: int = PathId) -> Any:
    """Report a control activity's result for a period. JSON, or multipart/form-data with
    evidence files. If-Match: the activity's ETag."""
    body, files = report_body(request, schemas.ControlActivityFollowUpIn)
    activity = get_control_activity_for_user(request.user, id, report=True)
    return _report(request, activity, "control_activity", body, report_on_control_activity, files)


@router.post("/risks/{id}/follow-ups", response={201: schemas.FollowUpOut}, tags=["follow-ups"])
def report_risk(request: HttpRequest, body: schemas.RiskFollowUpIn, id: int = PathId) -> Any:
    """Report whether a risk's handling follows the plan. If-Match: the risk's ETag."""
    risk = get_risk_for_user(request.user, id, write=True)
    return _report(request, risk, "risk", body, report_on_risk)


@router.post(
    "/recommendations/{id}/follow-ups", response={201: schemas.FollowUpOut}, tags=["follow-ups"]
)
def report_recommendation(
    request: HttpRequest, body: schemas.RecommendationFollowUpIn, id: int = PathId
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
    return _follow_up_answer(request, follow_up.pk)


# Audit reports and their recommendations


def _audit_report_options(user: Any, report: AuditReport) -> dict[str, Any]:
    committees = writable_committees(user)
    if report.pk is None:
        return {"committees": committees}
    return {"committees": committees.filter(organisation=report.organisation_id), "saved": report}


def _save_audit_report(report: AuditReport, form: Any, version: int | None, user: Any) -> Any:
    if version is None:
        return create_audit_report_action(acting_user=user, **form.values())
    return update_audit_report_action(report, acting_user=user, version=version, **form.values())


AUDIT_REPORT = Kind(
    AuditReportForm,
    options=_audit_report_options,
    save=_save_audit_report,
    read=lambda user: AuditReport.objects,
    out=reads.audit_report_out,
    names={"committee": "unit"},
)


@router.post("/audit-reports", response={201: schemas.AuditReportOut}, tags=["audits"])
def create_audit_report(request: HttpRequest, body: schemas.AuditReportCreate) -> Any:
    """Record an auditors' report addressed to a committee the caller writes."""
    if not writable_committees(request.user).exists():
        raise PermissionDenied
    return write(request, AUDIT_REPORT, AuditReport(), body)


@router.patch("/audit-reports/{id}", response={200: schemas.AuditReportOut}, tags=["audits"])
def update_audit_report(
    request: HttpRequest, body: schemas.AuditReportChange, id: int = PathId
) -> Any:
    """Change the fields given; the others keep their values. Needs If-Match."""
    report = get_audit_report_for_user(request.user, id, write=True)
    return change(request, AUDIT_REPORT, report, body)


def _save_recommendation(item: Recommendation, form: Any, version: int | None, user: Any) -> Any:
    if version is None:
        return create_recommendation_action(item.report, acting_user=user, **form.values())
    return update_recommendation_action(item, acting_user=user, version=version, **form.values())


RECOMMENDATION = Kind(
    RecommendationForm,
    options=lambda user, item: {"saved": item} if item.pk is not None else {},
    save=_save_recommendation,
    read=lambda user: Recommendation.objects,
    out=reads.recommendation_out,
)


@router.post(
    "/audit-reports/{id}/recommendations",
    response={201: schemas.RecommendationOut},
    tags=["audits"],
)
def create_recommendation(
    request: HttpRequest, body: schemas.RecommendationCreate, id: int = PathId
) -> Any:
    report = get_audit_report_for_user(request.user, id, write=True)
    return write(request, RECOMMENDATION, Recommendation(report=report), body)


@router.patch("/recommendations/{id}", response={200: schemas.RecommendationOut}, tags=["audits"])
def update_recommendation(
    request: HttpRequest, body: schemas.RecommendationChange, id: int = PathId
) -> Any:
    """Change the fields given, such as the committee's response. Needs If-Match."""
    recommendation = get_recommendation_for_user(request.user, id, write=True)
    return change(request, RECOMMENDATION, recommendation, body)


# Units, goals, processes and risk areas of the caller's organisation


def _may_change_settings(user: Any, organisation: Organisation) -> bool:
    return may_change_settings(user, organisation.pk)


def _save_unit(unit: Unit, form: Any, version: int | None, user: Any) -> Unit:
    saved = in_organisation(organisation_actions.create_unit, organisation_actions.change_unit)(
        unit, form, version, user
    )
    # The caller's scope was worked out before the change.
    forget_scope(user)
    return saved


UNIT = Kind(
    UnitForm,
    options=lambda user, unit: {"organisation": unit.organisation},
    save=_save_unit,
    read=lambda user: Unit.objects,
    out=reads.unit_out,
)


@router.post("/units", response={201: schemas.UnitOut}, tags=["organisation"])
def create_unit(request: HttpRequest, body: schemas.UnitCreate) -> Any:
    """Add a unit to the caller's organisation (administrators of its settings)."""
    organisation = own_organisation(request, may=_may_change_settings)
    return write(request, UNIT, Unit(organisation=organisation), body)


@router.patch("/units/{id}", response={200: schemas.UnitOut}, tags=["organisation"])
def update_unit(request: HttpRequest, body: schemas.UnitChange, id: int = PathId) -> Any:
    """Change the fields given; the others keep their values. Needs If-Match."""
    unit = get_unit_for_user(request.user, id)
    if not may_change_settings(request.user, unit.organisation_id):
        raise PermissionDenied
    return change(request, UNIT, unit, body)


GOAL = Kind(
    GoalForm,
    options=lambda user, goal: goal_form_options(user, goal.organisation),
    save=in_organisation(organisation_actions.create_goal, organisation_actions.change_goal),
    read=lambda user: Goal.objects,
    out=reads.goal_out,
)


@router.post("/goals", response={201: schemas.GoalOut}, tags=["organisation"])
def create_goal(request: HttpRequest, body: schemas.GoalCreate) -> Any:
    """Add a goal to the caller's organisation, for a committee the caller writes (or, for
    those who write for the whole organisation, for all of it); without `year`, for this year,
    as the goal page proposes."""
    organisation = own_organisation(request, may=may_manage_catalogue)
    return write(request, GOAL, Goal(organisation=organisation), body)


@router.patch("/goals/{id}", response={200: schemas.GoalOut}, tags=["organisation"])
def update_goal(request: HttpRequest, body: schemas.GoalChange, id: int = PathId) -> Any:
    """Change the fields given; the others keep their values. Needs If-Match."""
    goal = get_goal_for_user(request.user, id, write=True)
    return change(request, GOAL, goal, body)


def _named(form: type[ProcessForm | RiskAreaForm], save: Save) -> Kind:
    return Kind(
        form,
        options=lambda user, item: {"organisation": item.organisation},
        save=save,
        read=lambda user: form._meta.model.objects,
        out=reads.named_out,
    )


PROCESS = _named(
    ProcessForm,
    in_organisation(organisation_actions.create_process, organisation_actions.rename_process),
)
RISK_AREA = _named(
    RiskAreaForm,
    in_organisation(organisation_actions.create_risk_area, organisation_actions.rename_risk_area),
)


def _rename(request: HttpRequest, kind: Kind, pk: int, body: Any) -> Any:
    model = kind.form._meta.model  # type: ignore[attr-defined]
    item = get_for_user(model.objects.select_related("organisation"), request.user, pk, write=True)
    return change(request, kind, item, body)


@router.post("/processes", response={201: schemas.ProcessOut}, tags=["organisation"])
def create_process(request: HttpRequest, body: schemas.NamedIn) -> Any:
    """Add a process to the caller's organisation (administrators of its settings)."""
    organisation = own_organisation(request, may=_may_change_settings)
    return write(request, PROCESS, Process(organisation=organisation), body)


@router.patch("/processes/{id}", response={200: schemas.ProcessOut}, tags=["organisation"])
def rename_process(request: HttpRequest, body: schemas.NamedIn, id: int = PathId) -> Any:
    """Rename a process; the risks that name it follow. Needs If-Match."""
    return _rename(request, PROCESS, id, body)


@router.post("/risk-areas", response={201: schemas.RiskAreaOut}, tags=["organisation"])
def create_risk_area(request: HttpRequest, body: schemas.NamedIn) -> Any:
    """Add a risk area to the caller's organisation (administrators of its settings)."""
    organisation = own_organisation(request, may=_may_change_settings)
    return write(request, RISK_AREA, RiskArea(organisation=organisation), body)


@router.patch("/risk-areas/{id}", response={200: schemas.RiskAreaOut}, tags=["organisation"])
def rename_risk_area(request: HttpRequest, body: schemas.NamedIn, id: int = PathId) -> Any:
    """Rename a risk area; the risks that name it follow. Needs If-Match."""
    return _rename(request, RISK_AREA, id, body)


# Plans: creation, adoption and the committee's assessment


PLAN_NAMES = {"committee": "unit"}


def _plan_answer(request: HttpRequest, pk: int, status: int) -> Any:
    plan = get_plan_for_user(request.user, pk)
    return Status(status, reads.plan_out(plan, request.user))


@router.post("/plans", response={201: schemas.PlanOut}, tags=["plans"])
def create_plan(request: HttpRequest, body: schemas.PlanCreate) -> Any:
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
    return _plan_answer(request, plan.pk, 201)


@router.post("/plans/{id}/adoption", response={201: schemas.PlanOut}, tags=["plans"])
def adopt_plan(request: HttpRequest, body: schemas.AdoptionIn, id: int = PathId) -> Any:
    """Record the committee's adoption of the plan (and an adopted version of it). If-Match:
    the plan's ETag."""
    plan = get_plan_for_user(request.user, id, write=True)
    version = if_match(request, plan)
    data = {name: _plain(value) for name, value in body.model_dump().items()}
    form = AdoptionForm({**data, "version": version}, plan=plan)
    if not form.is_valid():
        raise refused(form)
    adopt_plan_action(plan, acting_user=request.user, **form.cleaned_data)
    return _plan_answer(request, plan.pk, 201)


@router.put("/plans/{id}/assessment", response={200: schemas.AssessmentOut}, tags=["plans"])
def save_assessment(request: HttpRequest, body: schemas.AssessmentIn, id: int = PathId) -> Any:
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
    return reads.assessment_out(saved)
