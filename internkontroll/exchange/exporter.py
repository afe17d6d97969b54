"""Writing the database out as an exchange document, in the canonical form import reads back.

Canonical form: lists in the order they were stored; optional keys left out when they are
empty (no text, no value, an empty list), except a unit's `parent`, which is always written.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import TEXT_FIELDS, ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Goal, Organisation, Unit
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Risk

FORMAT = "internkontroll/1"


class ExportError(Exception):
    """The export cannot be made as asked; the message says why, in Swedish."""


def _compact(values: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        key: value for key, value in values.items() if key in keep or value not in (None, "", [])
    }


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def find_organisation(name: str | None) -> Organisation:
    if name:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            raise ExportError(_('There is no organisation named "%(name)s".') % {"name": name})
        return organisation
    organisations = list(Organisation.objects.all()[:2])
    if not organisations:
        raise ExportError(_("The database holds no organisation to export."))
    if len(organisations) > 1:
        raise ExportError(
            _("The database holds several organisations; name one with --organisation: %(names)s")
            % {"names": ", ".join(Organisation.objects.values_list("name", flat=True))}
        )
    return organisations[0]


def export_document(
    organisation: Organisation, *, unit_id: str | None = None, year: int | None = None
) -> dict[str, Any]:
    """The organisation's data (optionally one unit's subtree, one year) as a document."""
    units = list(Unit.objects.filter(organisation=organisation).order_by("id"))
    by_pk = {unit.pk: unit for unit in units}
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id].append(unit.pk)

    scope: set[int] | None = None
    if unit_id is not None:
        root = next((unit for unit in units if unit.external_id == unit_id), None)
        if root is None:
            raise ExportError(
                _('The unit "%(id)s" does not exist in %(organisation)s.')
                % {"id": unit_id, "organisation": organisation.name}
            )
        scope = set()
        stack = [root.pk]
        while stack:
            pk = stack.pop()
            scope.add(pk)
            stack.extend(children[pk])

    plans = _plans(organisation, scope, year)
    goals = Goal.objects.filter(organisation=organisation).select_related("unit").order_by("id")
    reports = (
        AuditReport.objects.filter(organisation=organisation)
        .select_related("unit")
        .prefetch_related(  # type: ignore[type-var] # django-stubs: Prefetches of two models
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("id")),
            Prefetch("recommendations__follow_ups", queryset=FollowUp.objects.order_by("id")),
        )
        .order_by("id")
    )
    if scope is not None:
        goals = goals.filter(Q(unit_id__in=scope) | Q(risks__plan__in=plans)).distinct()
        reports = reports.filter(unit_id__in=scope)
    if year is not None:
        goals = goals.filter(Q(year=year) | Q(risks__plan__in=plans)).distinct()

    referenced: set[int] = set(scope if scope is not None else by_pk)
    for plan in plans:
        referenced.add(plan.unit_id)
        referenced.update(risk.unit_id for risk in plan.risks.all() if risk.unit_id)
    goal_rows = list(goals)
    report_rows = list(reports)
    referenced.update(goal.unit_id for goal in goal_rows if goal.unit_id)
    referenced.update(report.unit_id for report in report_rows if report.unit_id)
    for pk in list(referenced):
        parent = by_pk[pk].parent_id
        while parent is not None and parent not in referenced:
            referenced.add(parent)
            parent = by_pk[parent].parent_id

    current = organisation.current_risk_matrix()
    document: dict[str, Any] = {
        "format": FORMAT,
        "organisation": {
            "name": organisation.name,
            "risk_matrix": current.as_document(),
            "periods": [
                {"code": period.code, "name": period.name, "ends": period.ends}
                for period in organisation.periods.order_by("position", "id")
            ],
        },
        "units": [
            {
                "id": unit.external_id,
                "name": unit.name,
                "kind": unit.kind,
                "parent": by_pk[unit.parent_id].external_id if unit.parent_id else None,
            }
            for unit in _parents_first([unit for unit in units if unit.pk in referenced], by_pk)
        ],
        "goals": [
            _compact(
                {
                    "id": goal.external_id,
                    "unit": goal.unit.external_id if goal.unit else None,
                    "year": goal.year,
                    "title": goal.title,
                }
            )
            for goal in goal_rows
        ],
        "plans": [_plan(plan, current.as_document()) for plan in plans],
        "audit_reports": [_report(report) for report in report_rows],
    }
    return _compact(document, keep=("format", "organisation"))


def _plans(
    organisation: Organisation, scope: set[int] | None, year: int | None
) -> list[ControlPlan]:
    follow_ups = FollowUp.objects.select_related("period").order_by("id")
    plans = (
        ControlPlan.objects.filter(unit__organisation=organisation)
        .select_related("unit", "risk_matrix", "assessment")
        .prefetch_related(  # type: ignore[type-var] # django-stubs: Prefetches of several models
            Prefetch(
                "risks",
                queryset=Risk.objects.select_related("unit", "area", "process", "goal").order_by(
                    "id"
                ),
            ),
            Prefetch("risks__actions", queryset=Action.objects.order_by("id")),
            Prefetch("risks__actions__follow_ups", queryset=follow_ups),
            Prefetch(
                "risks__control_activities",
                queryset=ControlActivity.objects.prefetch_related("periods").order_by("id"),
            ),
            Prefetch("risks__control_activities__follow_ups", queryset=follow_ups),
            Prefetch("risks__follow_ups", queryset=follow_ups),
        )
        .order_by("id")
    )
    if scope is not None:
        plans = plans.filter(unit_id__in=scope)
    if year is not None:
        plans = plans.filter(year=year)
    return list(plans)


def _plan(plan: ControlPlan, organisation_matrix: dict[str, Any]) -> dict[str, Any]:
    matrix = plan.risk_matrix.as_document()
    assessment = getattr(plan, "assessment", None)
    return _compact(
        {
            "unit": plan.unit.external_id,
            "year": plan.year,
            "adopted_on": _iso(plan.adopted_on),
            "reference": plan.reference,
            "risk_matrix": matrix if matrix != organisation_matrix else None,
            "risks": [_risk(risk) for risk in plan.risks.all()],
            "assessment": _compact(
                {
                    "verdict": assessment.verdict,
                    "decided_on": _iso(assessment.decided_on),
                    "analysis": assessment.analysis,
                }
            )
            if assessment is not None
            else None,
        }
    )


def _risk(risk: Risk) -> dict[str, Any]:
    return _compact(
        {
            "id": risk.external_id,
            "title": risk.title,
            "unit": risk.unit.external_id if risk.unit else None,
            "area": risk.area.name if risk.area else None,
            "process": risk.process.name if risk.process else None,
            "goal": risk.goal.external_id if risk.goal else None,
            "description": risk.description,
            "consequence_description": risk.consequence_description,
            "existing_controls": risk.existing_controls,
            "probability": risk.probability,
            "consequence": risk.consequence,
            "target_probability": risk.target_probability,
            "target_consequence": risk.target_consequence,
            "handling": list(risk.handling),
            "planned_handling": risk.planned_handling,
            "actions": [
                _compact(
                    {
                        "id": action.external_id,
                        "title": action.title,
                        "description": action.description,
                        "responsible": action.responsible,
                        "due_date": _iso(action.due_date),
                        "status": action.status,
                        "follow_ups": [_follow_up(item) for item in action.follow_ups.all()],
                    },
                    keep=("title",),
                )
                for action in risk.actions.all()
            ],
            "control_activities": [
                _compact(
                    {
                        "id": activity.external_id,
                        **{name: getattr(activity, name) for name in TEXT_FIELDS},
                        "periods": [
                            period.code
                            for period in sorted(
                                activity.periods.all(), key=lambda p: (p.position, p.pk)
                            )
                        ],
                        "due_date": _iso(activity.due_date),
                        "follow_ups": [_follow_up(item) for item in activity.follow_ups.all()],
                    },
                    keep=("title",),
                )
                for activity in risk.control_activities.all()
            ],
            "follow_ups": [_follow_up(item) for item in risk.follow_ups.all()],
        },
        keep=("title",),
    )


def _follow_up(follow_up: FollowUp) -> dict[str, Any]:
    return _compact(
        {
            "period": follow_up.period.code if follow_up.period else None,
            "date": _iso(follow_up.date),
            "status": follow_up.status,
            "on_track": follow_up.on_track,
            "result": follow_up.result,
            "comment": follow_up.comment,
        }
    )


def _report(report: AuditReport) -> dict[str, Any]:
    return _compact(
        {
            "id": report.external_id,
            "unit": report.unit.external_id if report.unit else None,
            "title": report.title,
            "auditor": report.auditor,
            "date": _iso(report.date),
            "recommendations": [
                _compact(
                    {
                        "id": item.external_id,
                        "text": item.text,
                        "response": item.response,
                        "status": item.status,
                        "follow_ups": [
                            _follow_up(follow_up) for follow_up in item.follow_ups.all()
                        ],
                    },
                    keep=("text",),
                )
                for item in report.recommendations.all()
            ],
        },
        keep=("title",),
    )


def _parents_first(units: list[Unit], by_pk: dict[int, Unit]) -> list[Unit]:
    """Stored order, except that a unit moved under a later one comes after its new parent."""
    included = {unit.pk for unit in units}
    ordered: list[Unit] = []
    placed: set[int] = set()

    def place(unit: Unit) -> None:
        if unit.pk in placed:
            return
        placed.add(unit.pk)
        if unit.parent_id in included:
            place(by_pk[unit.parent_id])
        ordered.append(unit)

    for unit in units:
        place(unit)
    return ordered
