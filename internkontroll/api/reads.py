"""Reading every domain object: the same scoped querysets as the pages, one page at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query

from internkontroll.access import get_for_user
from internkontroll.access.plans import plan_reading
from internkontroll.api import schemas
from internkontroll.api.paging import DEFAULT_LIMIT, MAX_LIMIT, page, page_of
from internkontroll.api.problems import Problem
from internkontroll.api.routes import router
from internkontroll.api.schemas import MAX_ID
from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import ControlActivity
from internkontroll.followups.evidence import ACCEPTED
from internkontroll.followups.evidence import serve as serve_evidence
from internkontroll.followups.models import FollowUp, get_evidence_for_user
from internkontroll.organisation.models import (
    Goal,
    Organisation,
    Period,
    Process,
    RiskArea,
    RiskMatrix,
    Unit,
)
from internkontroll.plans import versions
from internkontroll.plans.models import AdoptedVersion, Assessment, ControlPlan
from internkontroll.risks import queries
from internkontroll.risks.forms import RiskFilterForm
from internkontroll.risks.models import OPEN_PROGRESS, Action, Progress, Risk

Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page.")
Cursor = Query(None, max_length=100, description="The next_cursor of the previous page.")
Id = Query(None, ge=1, le=MAX_ID)
PathId = Path(..., ge=1, le=MAX_ID)
Year = Query(None, ge=1900, le=2200)


def one(queryset: Any, user: Any, pk: int) -> Any:
    """The object if the user may read it; 404 for everyone else (as the pages)."""
    return get_for_user(queryset, user, pk)


def each(serialize: Callable[..., dict[str, Any]], *args: Any) -> Callable[[list[Any]], Any]:
    return lambda rows: [serialize(row, *args) for row in rows]


def where(queryset: QuerySet[Any], **filters: Any) -> QuerySet[Any]:
    """The queryset narrowed by the filters that were given."""
    return queryset.filter(**{name: value for name, value in filters.items() if value is not None})


# Organisations and their settings


def organisation_out(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "risk_matrix": organisation.risk_matrix_id,
    }


@router.get("/organisations", response=page_of(schemas.OrganisationOut), tags=["organisation"])
def list_organisations(
    request: HttpRequest, cursor: str | None = Cursor, limit: int = Limit
) -> dict[str, Any]:
    """The organisations where the reader holds a role."""
    rows = Organisation.objects.for_user(request.user)
    return page(rows, cursor, limit, each(organisation_out))


@router.get("/organisations/{id}", response=schemas.OrganisationOut, tags=["organisation"])
def get_organisation(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    return organisation_out(one(Organisation.objects, request.user, id))


def unit_out(unit: Unit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "organisation": unit.organisation_id,
        "external_id": unit.external_id,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "version": unit.version,
    }


@router.get("/units", response=page_of(schemas.UnitOut), tags=["organisation"])
def list_units(
    request: HttpRequest,
    organisation: int | None = Id,
    kind: str | None = Query(None, max_length=20),
    parent: int | None = Id,
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict[str, Any]:
    """The units the reader's roles cover."""
    rows = where(
        Unit.objects.for_user(request.user),
        organisation_id=organisation,
        kind=kind,
        parent_id=parent,
    )
    return page(rows, cursor, limit, each(unit_out))


@router.get("/units/{id}", response=schemas.UnitOut, tags=["organisation"])
def get_unit(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    return unit_out(one(Unit.objects, request.user, id))


def goal_out(goal: Goal) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "organisation": goal.organisation_id,
        "external_id": goal.external_id,
        "unit": goal.unit_id,
        "year": goal.year,
        "title": goal.title,
        "version": goal.version,
    }


@router.get("/goals", response=page_of(schemas.GoalOut), tags=["organisation"])
def list_goals(
    request: HttpRequest,
    organisation: int | None = Id,
    unit: int | None = Id,
    year: int | None = Year,
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict[str, Any]:
    rows = where(
        Goal.objects.for_user(request.user), organisation_id=organisation, unit_id=unit, year=year
    )
    return page(rows, cursor, limit, each(goal_out))


@router.get("/goals/{id}", response=schemas.GoalOut, tags=["organisation"])
def get_goal(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    return goal_out(one(Goal.objects, request.user, id))


def named_out(item: Process | RiskArea) -> dict[str, Any]:
    return {
        "id": item.pk,
        "organisation": item.organisation_id,
        "name": item.name,
        "version": item.version,
    }


@router.get("/processes", response=page_of(schemas.ProcessOut), tags=["organisation"])
def list_processes(
    request: HttpRequest,
    organisation: int | None = Id,
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict[str, Any]:
    rows = where(Process.objects.for_user(request.user), organisation_id=organisation)
    return page(rows, cursor, limit, each(named_out))


@router.get("/processes/{id}", response=schemas.ProcessOut, tags=["organisation"])
def get_process(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    return named_out(one(Process.objects, request.user, id))


@router.get("/risk-areas", response=page_of(schemas.RiskAreaOut), tags=["organisation"])
def list_risk_areas(
    request: HttpRequest,
    organisation: int | None = Id,
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict[str, Any]:
    rows = where(RiskArea.objects.for_user(request.user), organisation_id=organisation)
    return page(rows, cursor, limit, each(named_out))


@router.get("/risk-areas/{id}", response=schemas.RiskAreaOut, tags=["organisation"])
def get_risk_area(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    return named_out(one(RiskArea.objects, request.user, id))


def matrix_out(matrix: RiskMatrix) -> dict[str, Any]:
    return {
        "id": matrix.pk,
        "organisation": matrix.organisation_id,
        "probability_labels": list(matrix.probability_labels),
        "consequence_labels": list(matrix.consequence_labels),
        "levels": matrix.as_document()["levels"],
        "cells": matrix.cells,
        "created_at": matrix.created_at,
    }


@router.get("/matrices", response=page_of(schemas.MatrixOut), tags=["organisation"])
def list_matrices(
    request: HttpRequest,
    organisation: int | None = Id,
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict[str, Any]:
    rows = where(RiskMatrix.objects.for_user(request.user), organisation_id=organisation)
    return page(rows, cursor, limit, each(matrix_out))


@router.get("/matrices/{id}", response=schemas.MatrixOut, tags=["organisation"])
def get_matrix(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    return matrix_out(one(RiskMatrix.objects, request.user, id))


def period_out(period: Period) -> dict[str, Any]:
    return {
        "id": period.pk,
        "organisation": period.organisation_id,
        "code": period.code,
        "name": period.name,
        "ends": period.ends,
        "position": period.position,
    }


@router.get("/periods", response=page_of(schemas.PeriodOut), tags=["organisation"])
def list_periods(
    request: HttpRequest,
    organisation: int | None = Id,
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict[str, Any]:
    rows = where(Period.objects.for_user(request.user), organisation_id=organisation)
    return page(rows, cursor, limit, each(period_out))


@router.get("/periods/{id}", response=schemas.PeriodOut, tags=["organisation"])
def get_period(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    return period_out(one(Period.objects, request.user, id))


# Plans, the committee's decisions


def plan_out(plan: ControlPlan, user: Any) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "organisation": plan.unit.organisation_id,
        "committee": plan.unit_id,
        "year": plan.year,
        "status": plan.status,
        "adopted_on": plan.adopted_on,
        "reference": plan.reference,
        "risk_matrix": plan.risk_matrix_id,
        "whole": plan_reading(user, plan).whole,
        "version": plan.version,
    }


@router.get("/plans", response=page_of(schemas.PlanOut), tags=["plans"])
def list_plans(
    request: HttpRequest,
    organisation: int | None = Id,
    committee: int | None = Id,
    year: int | None = Year,
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict[str, Any]:
    """Every plan the reader knows of: their committees' plans, and the plans in which their
    units identified risks (read as an excerpt: `whole` is false)."""
    rows = where(
        ControlPlan.objects.for_user(request.user).select_related("unit"),
        unit__organisation_id=organisation,
        unit_id=committee,
        year=year,
    )
    return page(rows, cursor, limit, each(plan_out, request.user))


@router.get("/plans/{id}", response=schemas.PlanOut, tags=["plans"])
def get_plan(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    plan = one(ControlPlan.objects.select_related("unit"), request.user, id)
    return plan_out(plan, request.user)


def assessment_out(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "plan": assessment.plan_id,
        "verdict": assessment.verdict,
        "decided_on": assessment.decided_on,
        "analysis": assessment.analysis,
        "version": assessment.version,
    }


@router.get("/assessments", response=page_of(schemas.AssessmentOut), tags=["plans"])
def list_assessments(
    request: HttpRequest, plan: int | None = Id, cursor: str | None = Cursor, limit: int = Limit
) -> dict[str, Any]:
    """The committees' assessments: for those whose roles cover the committee."""
    rows = where(Assessment.objects.for_user(request.user), plan_id=plan)
    return page(rows, cursor, limit, each(assessment_out))


@router.get("/assessments/{id}", response=schemas.AssessmentOut, tags=["plans"])
def get_assessment(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    return assessment_out(one(Assessment.objects, request.user, id))


def version_out(adopted: AdoptedVersion) -> dict[str, Any]:
    return {
        "id": adopted.pk,
        "plan": adopted.plan_id,
        "kind": adopted.kind,
        "decided_on": adopted.decided_on,
        "reference": adopted.reference,
        "created_at": adopted.created_at,
        "created_by": adopted.created_by_id,
    }


@router.get("/adopted-versions", response=page_of(schemas.AdoptedVersionOut), tags=["plans"])
def list_adopted_versions(
    request: HttpRequest,
    plan: int | None = Id,
    kind: str | None = Query(None, max_length=20),
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict[str, Any]:
    """The plans' adopted versions and decided assessments, without their contents."""
    rows = where(
        AdoptedVersion.objects.for_user(request.user).defer("snapshot"), plan_id=plan, kind=kind
    )
    return page(rows, cursor, limit, each(version_out))


@router.get("/adopted-versions/{id}", response=schemas.AdoptedVersionDetailOut, tags=["plans"])
def get_adopted_version(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    """The version as decided; a reader below the committee gets their units' part."""
    adopted = one(AdoptedVersion.objects.select_related("plan__unit"), request.user, id)
    reading = plan_reading(request.user, adopted.plan)
    snapshot = versions.readable_part(adopted.snapshot, adopted.plan, reading)
    return {**version_out(adopted), "snapshot": snapshot}


# Risks and what hangs on them


def risks_loaded(user: Any, risks: QuerySet[Risk]) -> QuerySet[Risk]:
    readable = Recommendation.objects.for_user(user).only("id")
    return risks.select_related("plan__risk_matrix", "area", "process").prefetch_related(
        Prefetch("recommendations", queryset=readable, to_attr="readable_recommendations")
    )


def risk_out(risk: Risk) -> dict[str, Any]:
    level, target = risk.level, risk.target_level
    return {
        "id": risk.pk,
        "plan": risk.plan_id,
        "external_id": risk.external_id,
        "title": risk.title,
        "unit": risk.unit_id,
        "area": risk.area_id,
        "area_name": risk.area.name if risk.area else None,
        "process": risk.process_id,
        "process_name": risk.process.name if risk.process else None,
        "goal": risk.goal_id,
        "description": risk.description,
        "consequence_description": risk.consequence_description,
        "existing_controls": risk.existing_controls,
        "probability": risk.probability,
        "consequence": risk.consequence,
        "score": risk.score,
        "level": level.name if level else None,
        "critical": risk.plan.risk_matrix.is_critical(level),
        "target_probability": risk.target_probability,
        "target_consequence": risk.target_consequence,
        "target_score": risk.target_score,
        "target_level": target.name if target else None,
        "handling": list(risk.handling),
        "planned_handling": risk.planned_handling,
        "recommendations": sorted(r.pk for r in risk.readable_recommendations),  # type: ignore[attr-defined]
        "version": risk.version,
    }


# The risk list's own filters, which apply within one plan as on the page.
PAGE_FILTERS = ("q", "area", "process", "level", "handling", "action_status", "identified_by")


@router.get("/risks", response=page_of(schemas.RiskOut), tags=["risks"])
def list_risks(
    request: HttpRequest,
    plan: int | None = Id,
    committee: int | None = Id,
    year: int | None = Year,
    q: str | None = Query(None, max_length=200, description="Free text, as on the risk list."),
    area: int | None = Id,
    process: int | None = Id,
    level: str | None = Query(None, max_length=100),
    handling: str | None = Query(None, max_length=20),
    action_status: str | None = Query(None, max_length=20),
    identified_by: int | None = Id,
    cell: str | None = Query(None, pattern=r"^\d-\d$", description="p-c, a matrix cell."),
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict[str, Any]:
    """The risks the reader may read. The risk list's filters (q, area, process, level,
    handling, action_status, identified_by, cell) apply within one plan: give `plan`."""
    risks = where(
        Risk.objects.for_user(request.user), plan_id=plan, plan__unit_id=committee, plan__year=year
    )
    asked = {
        name: value
        for name, value in {
            "q": q,
            "area": area,
            "process": process,
            "level": level,
            "handling": handling,
            "action_status": action_status,
            "identified_by": identified_by,
            "cell": cell,
        }.items()
        if value not in (None, "")
    }
    if asked:
        risks = _page_filters(request.user, risks, plan, asked)
    return page(risks_loaded(request.user, risks), cursor, limit, each(risk_out))


def _page_filters(
    user: Any, risks: QuerySet[Risk], plan_id: int | None, asked: dict[str, Any]
) -> QuerySet[Risk]:
    """The risk list's filter form, applied as the page applies it; unknown values are errors."""
    if plan_id is None:
        raise Problem(
            400,
            _("The risk list's filters apply within one plan: give plan as well."),
            [{"field": f"query.{name}", "message": _("Give plan.")} for name in asked],
        )
    plan = get_for_user(ControlPlan.objects.select_related("risk_matrix"), user, plan_id)
    form = RiskFilterForm(
        {name: str(value) for name, value in asked.items()},
        choices=queries.filter_choices(risks),
        matrix=plan.risk_matrix,
    )
    if form.errors:
        raise Problem(
            400,
            _("A filter has a value this plan's risk list does not offer; see errors."),
            [
                {"field": f"query.{name}", "message": message}
                for name, messages in form.errors.items()
                for message in messages
            ],
        )
    return form.in_cell(form.apply(risks, timezone.localdate()))


@router.get("/risks/{id}", response=schemas.RiskOut, tags=["risks"])
def get_risk(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    risk = one(risks_loaded(request.user, Risk.objects.all()), request.user, id)
    return risk_out(risk)


def action_out(action: Action, today: Any = None) -> dict[str, Any]:
    return {
        "id": action.pk,
        "risk": action.risk_id,
        "external_id": action.external_id,
        "title": action.title,
        "description": action.description,
        "responsible": action.responsible,
        "assignee": action.assignee_id,
        "due_date": action.due_date,
        "status": action.status,
        "overdue": action.is_overdue(today),
        "version": action.version,
    }


@router.get("/actions", response=page_of(schemas.ActionOut), tags=["risks"])
def list_actions(
    request: HttpRequest,
    plan: int | None = Id,
    risk: int | None = Id,
    assignee: int | None = Id,
    status: str | None = Query(
        None, max_length=20, description="A status, or overdue (open and past its due date)."
    ),
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict[str, Any]:
    actions = where(
        Action.objects.for_user(request.user),
        risk__plan_id=plan,
        risk_id=risk,
        assignee_id=assignee,
    )
    today = timezone.localdate()
    if status == "overdue":
        actions = actions.filter(pk__in=Action.objects.overdue(today).values("pk"))
    elif status:
        _known(status, Progress.values, "status")
        actions = actions.filter(status=status)
    return page(actions, cursor, limit, each(action_out, today))


def _known(value: str, allowed: list[str], name: str) -> None:
    if value not in allowed:
        raise Problem(
            400,
            _("A filter has an unknown value; see errors."),
            [
                {
                    "field": f"query.{name}",
                    "message": _("Not one of the allowed values: %(values)s.")
                    % {"values": ", ".join(allowed)},
                }
            ],
        )


@router.get("/actions/{id}", response=schemas.ActionOut, tags=["risks"])
def get_action(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    return action_out(one(Action.objects, request.user, id))


def activities_loaded(activities: QuerySet[ControlActivity]) -> QuerySet[ControlActivity]:
    return activities.prefetch_related("periods")


def control_activity_out(activity: ControlActivity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "risk": activity.risk_id,
        "external_id": activity.external_id,
        "title": activity.title,
        "working_method": activity.working_method,
        "systematic_control": activity.systematic_control,
        "description": activity.description,
        "method": activity.method,
        "sample": activity.sample,
        "responsible": activity.responsible,
        "assignee": activity.assignee_id,
        "frequency": activity.frequency,
        "periods": sorted(period.pk for period in activity.periods.all()),
        "due_date": activity.due_date,
        "version": activity.version,
    }


@router.get("/control-activities", response=page_of(schemas.ControlActivityOut), tags=["controls"])
def list_control_activities(
    request: HttpRequest,
    plan: int | None = Id,
    risk: int | None = Id,
    assignee: int | None = Id,
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict[str, Any]:
    activities = where(
        ControlActivity.objects.for_user(request.user),
        risk__plan_id=plan,
        risk_id=risk,
        assignee_id=assignee,
    )
    return page(activities_loaded(activities), cursor, limit, each(control_activity_out))


@router.get("/control-activities/{id}", response=schemas.ControlActivityOut, tags=["controls"])
def get_control_activity(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    activity = one(activities_loaded(ControlActivity.objects.all()), request.user, id)
    return control_activity_out(activity)


def follow_up_out(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "id": follow_up.pk,
        "action": follow_up.action_id,
        "control_activity": follow_up.control_activity_id,
        "risk": follow_up.risk_id,
        "recommendation": follow_up.recommendation_id,
        "period": follow_up.period_id,
        "date": follow_up.date,
        "status": follow_up.status,
        "on_track": follow_up.on_track,
        "result": follow_up.result,
        "comment": follow_up.comment,
        "reported_for": follow_up.reported_for_id,
        "evidence": [
            {
                "id": evidence.pk,
                "name": evidence.name,
                "content_type": evidence.content_type,
                "size": evidence.size,
                "uploaded_by": evidence.uploaded_by_id,
                "uploaded_at": evidence.uploaded_at,
            }
            for evidence in follow_up.evidence.all()
        ],
        "version": follow_up.version,
    }


@router.get("/follow-ups", response=page_of(schemas.FollowUpOut), tags=["follow-ups"])
def list_follow_ups(
    request: HttpRequest,
    action: int | None = Id,
    control_activity: int | None = Id,
    risk: int | None = Id,
    recommendation: int | None = Id,
    period: int | None = Id,
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict[str, Any]:
    """Follow-ups with their evidence files' metadata (a file's contents:
    /evidence/{id}/content)."""
    follow_ups = where(
        FollowUp.objects.for_user(request.user),
        action_id=action,
        control_activity_id=control_activity,
        risk_id=risk,
        recommendation_id=recommendation,
        period_id=period,
    )
    return page(follow_ups.prefetch_related("evidence"), cursor, limit, each(follow_up_out))


# The types a stored evidence file is served as.
EVIDENCE_FILE = {
    "responses": {
        200: {
            "description": "The file, as an attachment, as the follow-up's page serves it.",
            "content": {
                mime: {"schema": {"type": "string", "format": "binary"}}
                for mime in [*ACCEPTED, "application/octet-stream"]
            },
        }
    }
}


@router.get("/evidence/{id}/content", tags=["follow-ups"], openapi_extra=EVIDENCE_FILE)
def get_evidence_content(request: HttpRequest, id: int = PathId) -> FileResponse:
    """An evidence file's contents, for those who may read its follow-up (its metadata is in
    the follow-up's `evidence`)."""
    return serve_evidence(get_evidence_for_user(request.user, id))


@router.get("/follow-ups/{id}", response=schemas.FollowUpOut, tags=["follow-ups"])
def get_follow_up(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    follow_up = one(FollowUp.objects.prefetch_related("evidence"), request.user, id)
    return follow_up_out(follow_up)


# Audits


def audit_report_out(report: AuditReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "organisation": report.organisation_id,
        "external_id": report.external_id,
        "committee": report.unit_id,
        "title": report.title,
        "auditor": report.auditor,
        "date": report.date,
        "version": report.version,
    }


OPEN = "open"


def _statuses(status: str | None) -> list[str] | None:
    """The audit list's status filter: a status, or open (not started or in progress)."""
    if not status:
        return None
    if status == OPEN:
        return list(OPEN_PROGRESS)
    _known(status, [*Progress.values, OPEN], "status")
    return [status]


@router.get("/audit-reports", response=page_of(schemas.AuditReportOut), tags=["audits"])
def list_audit_reports(
    request: HttpRequest,
    committee: int | None = Id,
    year: int | None = Year,
    status: str | None = Query(
        None, max_length=20, description="Reports with a recommendation in this status, or open."
    ),
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict[str, Any]:
    reports = where(AuditReport.objects.for_user(request.user), unit_id=committee, date__year=year)
    statuses = _statuses(status)
    if statuses:
        matching = Recommendation.objects.filter(status__in=statuses).values("report_id")
        reports = reports.filter(pk__in=matching)
    return page(reports, cursor, limit, each(audit_report_out))


@router.get("/audit-reports/{id}", response=schemas.AuditReportOut, tags=["audits"])
def get_audit_report(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    return audit_report_out(one(AuditReport.objects, request.user, id))


def recommendation_out(recommendation: Recommendation) -> dict[str, Any]:
    return {
        "id": recommendation.pk,
        "report": recommendation.report_id,
        "external_id": recommendation.external_id,
        "text": recommendation.text,
        "response": recommendation.response,
        "status": recommendation.status,
        "version": recommendation.version,
    }


@router.get("/recommendations", response=page_of(schemas.RecommendationOut), tags=["audits"])
def list_recommendations(
    request: HttpRequest,
    report: int | None = Id,
    status: str | None = Query(None, max_length=20, description="A status, or open."),
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict[str, Any]:
    rows = where(Recommendation.objects.for_user(request.user), report_id=report)
    statuses = _statuses(status)
    if statuses:
        rows = rows.filter(status__in=statuses)
    return page(rows, cursor, limit, each(recommendation_out))


@router.get("/recommendations/{id}", response=schemas.RecommendationOut, tags=["audits"])
def get_recommendation(request: HttpRequest, id: int = PathId) -> dict[str, Any]:
    return recommendation_out(one(Recommendation.objects, request.user, id))
