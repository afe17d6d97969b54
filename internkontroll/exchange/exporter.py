"""Writing the database out as an exchange document, in the canonical form import reads back.

Canonical form: lists in the order they were stored; optional keys left out when they are
empty (no text, no value, an empty list), except a unit's `parent`, which is always written.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import TEXT_FIELDS, ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import Goal, Organisation, Unit
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.risks.models import Action, Risk, RolloverDecision

FORMAT = "internkontroll/1"


class ExportError(Exception):
    """The export cannot be made as asked; the message says why, in Swedish."""


def _compact(values: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        key: value for key, value in values.items() if key in keep or value not in (None, "", [])
    }


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _external_id(obj: Any) -> str | None:
    return obj.external_id if obj is not None else None


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
    organisation: Organisation,
    *,
    unit_id: str | None = None,
    year: int | None = None,
    history: bool = False,
) -> dict[str, Any]:
    """The organisation's data (optionally one unit's subtree, one year) as a document.

    With `history`, units, goals, plans and what they hold, audit reports and their
    recommendations carry their recorded versions (when, by whom, what), and `people` those who
    made them: a backup.
    """
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
            Prefetch(
                "recommendations__follow_ups",
                queryset=FollowUp.objects.select_related("reported_for").order_by("id"),
            ),
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

    refs = _Refs(organisation, by_pk)
    unit_rows = _parents_first([unit for unit in units if unit.pk in referenced], by_pk)
    histories = (
        _Histories(
            plans,
            refs,
            {
                Unit: [unit.pk for unit in unit_rows],
                Goal: [goal.pk for goal in goal_rows],
                AuditReport: [report.pk for report in report_rows],
                Recommendation: [
                    item.pk for report in report_rows for item in report.recommendations.all()
                ],
            },
        )
        if history
        else None
    )
    current = organisation.current_risk_matrix()
    document: dict[str, Any] = {
        "format": FORMAT,
        "organisation": {
            "name": organisation.name,
            "risk_matrix": current.as_document(),
            "periods": [
                _compact(
                    {
                        "code": period.code,
                        "name": period.name,
                        "ends": period.ends,
                        "deadline_days": period.deadline_days or None,
                    },
                    keep=("code", "name", "ends"),
                )
                for period in organisation.periods.order_by("position", "id")
            ],
        },
        "units": [
            _with_history(unit, _unit_values(unit, refs), histories, _unit_values)
            for unit in unit_rows
        ],
        "goals": [
            _with_history(goal, _goal_values(goal, refs), histories, _goal_values)
            for goal in goal_rows
        ],
        "plans": [_plan(plan, current.as_document(), refs, histories) for plan in plans],
        "audit_reports": [_report(report, refs, histories) for report in report_rows],
        "people": _people(
            [*(histories.users.values() if histories else []), *refs.people.values()]
        ),
    }
    return _compact(document, keep=("format", "organisation"))


class _Refs:
    """How rows refer to each other in a document: units and goals by id, areas and
    processes by name, periods by code (for rows and their historical versions alike)."""

    def __init__(self, organisation: Organisation, units: dict[int, Unit]) -> None:
        self.units = {pk: unit.external_id for pk, unit in units.items()}
        self.goals = dict(
            Goal.objects.filter(organisation=organisation).values_list("pk", "external_id")
        )
        self.areas = dict(organisation.risk_areas.values_list("pk", "name"))
        self.processes = dict(organisation.processes.values_list("pk", "name"))
        self.periods = dict(organisation.periods.values_list("pk", "code"))
        # The people past versions name (who moved a plan on), by primary key.
        self.usernames: dict[int, str] = {}
        # The people rows name (reported for, moved a plan on), written under `people`.
        self.people: dict[int, Any] = {}

    def person(self, user: Any) -> str | None:
        if user is None:
            return None
        self.people[user.pk] = user
        return str(user.username)


class _Histories:
    """The recorded versions of the exported plans and what they hold, and of the `others`
    (primary keys by model), oldest first, with one query per model."""

    def __init__(
        self, plans: list[ControlPlan], refs: _Refs, others: dict[type[Any], list[int]]
    ) -> None:
        plan_ids = [plan.pk for plan in plans]
        risks = Risk.objects.filter(plan__in=plan_ids)
        follow_ups = FollowUp.objects.filter(
            Q(risk__in=risks) | Q(action__risk__in=risks) | Q(control_activity__risk__in=risks)
        )
        self.refs = refs
        self.versions: dict[type[Any], dict[int, list[Any]]] = {}
        users: set[int] = set()
        sources: list[tuple[type[Any], Any]] = [
            *others.items(),
            (ControlPlan, plan_ids),
            (Assessment, Assessment.objects.filter(plan__in=plan_ids).values("id")),
            (Risk, risks.values("id")),
            (Action, Action.objects.filter(risk__in=risks).values("id")),
            (ControlActivity, ControlActivity.objects.filter(risk__in=risks).values("id")),
            (FollowUp, follow_ups.values("id")),
        ]
        for model, rows in sources:
            by_id: dict[int, list[Any]] = defaultdict(list)
            historical = model.history.filter(id__in=rows)
            for version in historical.order_by("history_date", "history_id"):
                by_id[version.id].append(version)
                users.update(
                    pk
                    for pk in (
                        version.history_user_id,
                        getattr(version, "follow_up_started_by_id", None),
                        getattr(version, "closed_by_id", None),
                    )
                    if pk is not None
                )
            self.versions[model] = by_id
        self.users = {
            user.pk: user for user in get_user_model().objects.filter(pk__in=users).order_by("id")
        }
        refs.usernames = {pk: user.username for pk, user in self.users.items()}

    def of(self, obj: Any, values: Any) -> list[dict[str, Any]]:
        """The object's versions as history entries; `values` writes one version's keys."""
        return [
            {
                "at": version.history_date.isoformat(),
                "by": self.users[version.history_user_id].username
                if version.history_user_id in self.users
                else None,
                "reason": version.history_change_reason,
                "values": values(version, self.refs),
            }
            for version in self.versions[type(obj)].get(obj.pk, [])
        ]


def _people(users: list[Any]) -> list[dict[str, Any]]:
    """Each person once, in the order they joined."""
    unique = {user.pk: user for user in users}
    return [
        _compact(
            {"username": user.username, "first_name": user.first_name, "last_name": user.last_name}
        )
        for _pk, user in sorted(unique.items())
    ]


def _plans(
    organisation: Organisation, scope: set[int] | None, year: int | None
) -> list[ControlPlan]:
    follow_ups = FollowUp.objects.select_related("period", "answered_by", "reported_for").order_by(
        "id"
    )
    plans = (
        ControlPlan.objects.filter(unit__organisation=organisation)
        .select_related("unit", "risk_matrix", "assessment", "follow_up_started_by", "closed_by")
        .prefetch_related(  # type: ignore[type-var] # django-stubs: Prefetches of several models
            Prefetch(
                "risks",
                queryset=Risk.objects.select_related(
                    "unit", "area", "process", "goal", "previous"
                ).order_by("id"),
            ),
            Prefetch(
                "risks__actions", queryset=Action.objects.select_related("previous").order_by("id")
            ),
            Prefetch("risks__actions__follow_ups", queryset=follow_ups),
            Prefetch(
                "risks__control_activities",
                queryset=ControlActivity.objects.prefetch_related("periods").order_by("id"),
            ),
            Prefetch("risks__control_activities__follow_ups", queryset=follow_ups),
            Prefetch("risks__follow_ups", queryset=follow_ups),
            Prefetch(
                "rollover_decisions",
                queryset=RolloverDecision.objects.select_related(
                    "risk", "target", "decided_by"
                ).order_by("id"),
            ),
        )
        .order_by("id")
    )
    if scope is not None:
        plans = plans.filter(unit_id__in=scope)
    if year is not None:
        plans = plans.filter(year=year)
    return list(plans)


def _plan(
    plan: ControlPlan,
    organisation_matrix: dict[str, Any],
    refs: _Refs,
    histories: _Histories | None,
) -> dict[str, Any]:
    matrix = plan.risk_matrix.as_document()
    assessment = getattr(plan, "assessment", None)
    values = _compact(
        {
            "unit": plan.unit.external_id,
            "year": plan.year,
            "adopted_on": _iso(plan.adopted_on),
            "follow_up_started_at": _moment(plan.follow_up_started_at),
            "follow_up_started_by": refs.person(plan.follow_up_started_by),
            "closed_at": _moment(plan.closed_at),
            "closed_by": refs.person(plan.closed_by),
            "reference": plan.reference,
            "risk_matrix": matrix if matrix != organisation_matrix else None,
            "risks": [_risk(risk, refs, histories) for risk in plan.risks.all()],
            "rollover": [
                _compact(
                    {
                        "risk": decision.risk.external_id,
                        "decision": decision.decision,
                        "reason": decision.reason,
                        "target": _external_id(decision.target),
                        "decided_at": _moment(decision.decided_at),
                        "decided_by": refs.person(decision.decided_by),
                    }
                )
                for decision in plan.rollover_decisions.all()
            ],
            "assessment": _with_history(
                assessment, _assessment_values(assessment, refs), histories, _assessment_values
            )
            if assessment is not None
            else None,
        }
    )
    return _with_history(plan, values, histories, _plan_values)


def _unit_values(unit: Any, refs: _Refs) -> dict[str, Any]:
    return {
        "id": unit.external_id,
        "name": unit.name,
        "kind": unit.kind,
        "parent": refs.units.get(unit.parent_id),
    }


def _goal_values(goal: Any, refs: _Refs) -> dict[str, Any]:
    return _compact(
        {
            "id": goal.external_id,
            "unit": refs.units.get(goal.unit_id),
            "year": goal.year,
            "title": goal.title,
        }
    )


def _plan_values(plan: Any, refs: _Refs) -> dict[str, Any]:
    """A plan's own keys, its matrix and contents left out."""
    return _compact(
        {
            "unit": refs.units.get(plan.unit_id),
            "year": plan.year,
            "adopted_on": _iso(plan.adopted_on),
            "follow_up_started_at": _moment(plan.follow_up_started_at),
            "follow_up_started_by": refs.usernames.get(plan.follow_up_started_by_id),
            "closed_at": _moment(plan.closed_at),
            "closed_by": refs.usernames.get(plan.closed_by_id),
            "reference": plan.reference,
        }
    )


def _assessment_values(assessment: Any, refs: _Refs) -> dict[str, Any]:
    return _compact(
        {
            "verdict": assessment.verdict,
            "decided_on": _iso(assessment.decided_on),
            "analysis": assessment.analysis,
        }
    )


def _report_values(report: Any, refs: _Refs) -> dict[str, Any]:
    return _compact(
        {
            "id": report.external_id,
            "unit": refs.units.get(report.unit_id),
            "title": report.title,
            "auditor": report.auditor,
            "date": _iso(report.date),
        },
        keep=("title",),
    )


def _recommendation_values(item: Any, refs: _Refs) -> dict[str, Any]:
    return _compact(
        {
            "id": item.external_id,
            "text": item.text,
            "response": item.response,
            "status": item.status,
        },
        keep=("text",),
    )


def _risk_values(risk: Any, refs: _Refs) -> dict[str, Any]:
    """A risk's own keys, its contents left out."""
    return _compact(
        {
            "id": risk.external_id,
            "title": risk.title,
            "unit": refs.units.get(risk.unit_id),
            "area": refs.areas.get(risk.area_id),
            "process": refs.processes.get(risk.process_id),
            "goal": refs.goals.get(risk.goal_id),
            "description": risk.description,
            "consequence_description": risk.consequence_description,
            "existing_controls": risk.existing_controls,
            "probability": risk.probability,
            "consequence": risk.consequence,
            "target_probability": risk.target_probability,
            "target_consequence": risk.target_consequence,
            "handling": list(risk.handling),
            "planned_handling": risk.planned_handling,
        },
        keep=("title",),
    )


def _action_values(action: Any, refs: _Refs) -> dict[str, Any]:
    return _compact(
        {
            "id": action.external_id,
            "title": action.title,
            "description": action.description,
            "responsible": action.responsible,
            "due_date": _iso(action.due_date),
            "status": action.status,
        },
        keep=("title",),
    )


def _activity_values(activity: Any, refs: _Refs) -> dict[str, Any]:
    return _compact(
        {
            "id": activity.external_id,
            **{name: getattr(activity, name) for name in TEXT_FIELDS},
            "due_date": _iso(activity.due_date),
        },
        keep=("title",),
    )


def _follow_up_values(follow_up: Any, refs: _Refs) -> dict[str, Any]:
    return _compact(
        {
            "period": refs.periods.get(follow_up.period_id),
            "date": _iso(follow_up.date),
            "status": follow_up.status,
            "on_track": follow_up.on_track,
            "result": follow_up.result,
            "comment": follow_up.comment,
        }
    )


def _follow_up(follow_up: FollowUp, refs: _Refs) -> dict[str, Any]:
    """A follow-up as it stands: its values and its links (which its history leaves out)."""
    return _compact(
        {
            **_follow_up_values(follow_up, refs),
            "occurrence": _iso(follow_up.occurrence),
            "answered_by": _external_id(follow_up.answered_by),
            "reported_for": refs.person(follow_up.reported_for),
        }
    )


def _with_history(
    obj: Any, values: dict[str, Any], histories: _Histories | None, write: Any
) -> dict[str, Any]:
    history = histories.of(obj, write) if histories else []
    return {**values, "history": history} if history else values


def _risk(risk: Risk, refs: _Refs, histories: _Histories | None = None) -> dict[str, Any]:
    def follow_ups(owner: Any) -> list[dict[str, Any]]:
        return [
            _with_history(item, _follow_up(item, refs), histories, _follow_up_values)
            for item in owner.follow_ups.all()
        ]

    actions = [
        _with_history(
            action,
            _compact(
                {
                    **_action_values(action, refs),
                    "previous": _external_id(action.previous),
                    "follow_ups": follow_ups(action),
                },
                keep=("title",),
            ),
            histories,
            _action_values,
        )
        for action in risk.actions.all()
    ]
    activities = [
        _with_history(
            activity,
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
                    "follow_ups": follow_ups(activity),
                },
                keep=("title",),
            ),
            histories,
            _activity_values,
        )
        for activity in risk.control_activities.all()
    ]
    return _with_history(
        risk,
        _compact(
            {
                **_risk_values(risk, refs),
                "previous": _external_id(risk.previous),
                "actions": actions,
                "control_activities": activities,
                "follow_ups": follow_ups(risk),
            },
            keep=("title",),
        ),
        histories,
        _risk_values,
    )


def _report(
    report: AuditReport, refs: _Refs, histories: _Histories | None = None
) -> dict[str, Any]:
    recommendations = [
        _with_history(
            item,
            _compact(
                {
                    **_recommendation_values(item, refs),
                    "follow_ups": [
                        _follow_up(follow_up, refs) for follow_up in item.follow_ups.all()
                    ],
                },
                keep=("text",),
            ),
            histories,
            _recommendation_values,
        )
        for item in report.recommendations.all()
    ]
    return _with_history(
        report,
        _compact(
            {**_report_values(report, refs), "recommendations": recommendations},
            keep=("title",),
        ),
        histories,
        _report_values,
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
