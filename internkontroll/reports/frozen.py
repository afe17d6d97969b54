"""The report on an adopted version, built from the copy frozen when it was adopted.

An adopted version (`plans.models.AdoptedVersion`) holds the plan in the exchange format. Here
that copy becomes the `Snapshot` every report is assembled from: unsaved model instances with
synthetic keys, so the report shows the plan exactly as decided, whenever the decision was
registered and whatever has changed or been deleted since.

What the copy holds is taken from it: the organisation's name, its reporting periods, the
plan's risk matrix, units, goals, risk areas and processes (by name), the plan, its risks,
actions, control activities, follow-ups and the committee's assessment. Only two things are
read from the current rows: who the units are (their primary keys, found by identifier, so
that the reader's share in `PlanReading` applies to them), and, for a copy that lacks them,
the organisation's periods and the plan's risk matrix (a matrix in use never changes).
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from internkontroll.access.plans import PlanReading
from internkontroll.controls.models import TEXT_FIELDS, ControlActivity
from internkontroll.exchange.validation import Problem, validate_document
from internkontroll.followups.models import FollowUp
from internkontroll.organisation.models import (
    Goal,
    Organisation,
    Period,
    Process,
    RiskArea,
    RiskMatrix,
    Unit,
)
from internkontroll.plans.models import AdoptedVersion, Assessment, ControlPlan
from internkontroll.reports.kinds import KINDS, ReportError
from internkontroll.reports.links import FORMATS
from internkontroll.reports.loading import Snapshot
from internkontroll.risks.models import Action, Progress, Risk

logger = logging.getLogger(__name__)

# The report each kind of adopted version is read as.
REPORT_KINDS = {
    AdoptedVersion.Kind.PLAN: "control-plan",
    AdoptedVersion.Kind.ASSESSMENT: "assessment",
}


class FrozenUnreadable(ReportError):
    """The stored copy of an adopted version is not a plan in the exchange format."""


def report_kind(version: AdoptedVersion) -> str:
    return REPORT_KINDS[AdoptedVersion.Kind(version.kind)]


def version_report_links(version: AdoptedVersion, reading: PlanReading) -> list[tuple[str, str]]:
    """The version's report in every format, as (format label, url), if the reader may get it."""
    if KINDS[report_kind(version)].whole_plan and not reading.whole:
        return []
    address = reverse("reports:version", args=[version.pk])
    return [(str(label), f"{address}?{urlencode({'format': fmt})}") for fmt, label in FORMATS]


def frozen_snapshot(version: AdoptedVersion, reading: PlanReading) -> tuple[Snapshot, ControlPlan]:
    """The version's frozen plan as a report snapshot, holding only the reader's share.

    Raises FrozenUnreadable (a ReportError with a Swedish message) when the copy is damaged.
    """
    document = _completed(version.snapshot, version.plan)
    problems = _problems(document)
    if problems or len(document["plans"]) != 1:
        logger.warning(
            "Adopted version %s cannot be read: %s",
            version.pk,
            "; ".join(str(problem) for problem in problems[:10]) or "not exactly one plan",
        )
        raise _unreadable(version)
    try:
        return _Thaw(document, version, reading).snapshot()
    except (KeyError, IndexError, TypeError, ValueError) as error:
        logger.warning("Adopted version %s cannot be read: %r", version.pk, error)
        raise _unreadable(version) from error


def _problems(document: Any) -> list[Problem]:
    """The document's problems; a copy found sound is remembered by its content, since
    validating the schema takes most of the time a report on a large plan needs."""
    content = json.dumps(document, sort_keys=True).encode()
    key = f"frozen-sound:{hashlib.sha256(content).hexdigest()}"
    if cache.get(key):
        return []
    problems = validate_document(document)
    if not problems:
        cache.set(key, True, timeout=None)
    return problems


def _unreadable(version: AdoptedVersion) -> FrozenUnreadable:
    return FrozenUnreadable(
        _(
            "The version decided on %(date)s cannot be shown as a report: its stored copy is "
            "damaged. Ask your administrator to look at it."
        )
        % {"date": version.decided_on.isoformat()}
    )


def _completed(stored: Any, plan: ControlPlan) -> Any:
    """The stored copy, with the current periods and matrix where it lacks its own."""
    if not isinstance(stored, dict) or not isinstance(stored.get("organisation"), dict):
        return stored
    organisation = dict(stored["organisation"])
    if "periods" not in organisation:
        organisation["periods"] = [
            {"code": period.code, "name": period.name, "ends": period.ends}
            for period in Period.objects.filter(organisation_id=plan.unit.organisation_id).order_by(
                "position", "pk"
            )
        ]
    if "risk_matrix" not in organisation:
        organisation["risk_matrix"] = plan.risk_matrix.as_document()
    return {**stored, "organisation": organisation}


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class _Thaw:
    """Turns a validated exchange document with one plan into unsaved model instances."""

    def __init__(
        self, document: dict[str, Any], version: AdoptedVersion, reading: PlanReading
    ) -> None:
        self.document = document
        self.version = version
        self.reading = reading
        self.keys: Iterator[int] = itertools.count(1)

    def snapshot(self) -> tuple[Snapshot, ControlPlan]:
        data = self.document["organisation"]
        organisation_id = self.version.plan.unit.organisation_id
        organisation = Organisation(pk=organisation_id, name=data["name"])
        plan_data = self.document["plans"][0]
        self.units = self._units(organisation_id, plan_data["unit"])
        matrix_data = plan_data.get("risk_matrix") or data["risk_matrix"]
        matrix = RiskMatrix(
            pk=next(self.keys),
            organisation_id=organisation_id,
            **RiskMatrix.fields_from_document(matrix_data),
        )
        self.periods = {
            period["code"]: self._period(organisation_id, position, period)
            for position, period in enumerate(data["periods"])
        }
        self.goals = {
            goal["id"]: Goal(
                pk=next(self.keys),
                organisation_id=organisation_id,
                external_id=goal["id"],
                unit_id=self._unit_id(goal.get("unit")),
                year=goal.get("year"),
                title=goal.get("title", ""),
            )
            for goal in self.document.get("goals", [])
        }
        self.areas: dict[str, RiskArea] = {}
        self.processes: dict[str, Process] = {}
        self.plan = self._plan(plan_data, matrix)
        self.risks: list[Risk] = []
        self.actions: list[Action] = []
        self.activities: list[ControlActivity] = []
        self.activity_periods: dict[int, list[int]] = {}
        self.follow_ups: list[FollowUp] = []
        for risk in plan_data.get("risks", []):
            if self.reading.includes_unit(self._unit_id(risk.get("unit"))):
                self._risk(risk)
        assessments = {}
        if "assessment" in plan_data and self.reading.whole:
            assessments[self.plan.pk] = self._assessment(plan_data["assessment"])
        snapshot = Snapshot(
            organisation=organisation,
            as_of=self.version.decided_on,
            units={
                unit.pk: unit
                for unit in self.units.values()
                if unit.pk == self.plan.unit_id or self.reading.includes_unit(unit.pk)
            },
            periods=list(self.periods.values()),
            matrices={matrix.pk: matrix},
            areas={area.pk: area for area in self.areas.values()},
            processes={process.pk: process for process in self.processes.values()},
            goals={goal.pk: goal for goal in self.goals.values()},
            plans=[self.plan],
            risks=self.risks,
            actions=self.actions,
            activities=self.activities,
            activity_periods=self.activity_periods,
            follow_ups=self.follow_ups,
            assessments=assessments,
            adopted=self.version,
        )
        return snapshot, self.plan

    def _units(self, organisation_id: int, committee: str) -> dict[str, Unit]:
        """The copy's units, keyed by identifier; each keeps the primary key it has today
        (the reader's share is a set of those), a unit since removed gets a negative one."""
        listed = self.document.get("units", [])
        current = dict(
            Unit.objects.filter(
                organisation_id=organisation_id,
                external_id__in=[unit["id"] for unit in listed],
            ).values_list("external_id", "pk")
        )
        current[committee] = self.version.plan.unit_id
        removed = itertools.count(-1, -1)
        units = {
            unit["id"]: Unit(
                pk=current.get(unit["id"]) or next(removed),
                organisation_id=organisation_id,
                external_id=unit["id"],
                name=unit["name"],
                kind=unit["kind"],
            )
            for unit in listed
        }
        for unit in listed:
            if unit.get("parent"):
                units[unit["id"]].parent_id = units[unit["parent"]].pk
        if committee not in units:  # a copy made by hand may leave the committee out
            unit = self.version.plan.unit
            units[committee] = Unit(
                pk=unit.pk, organisation_id=organisation_id, external_id=committee, name=unit.name
            )
        return units

    def _unit_id(self, identifier: str | None) -> int | None:
        return self.units[identifier].pk if identifier else None

    def _period(self, organisation_id: int, position: int, data: dict[str, Any]) -> Period:
        month, day = (int(part) for part in data["ends"].split("-"))
        return Period(
            pk=next(self.keys),
            organisation_id=organisation_id,
            code=data["code"],
            name=data["name"],
            ends_month=month,
            ends_day=day,
            position=position,
        )

    def _plan(self, data: dict[str, Any], matrix: RiskMatrix) -> ControlPlan:
        """The plan keeps its own key; a plan version says when and under which reference it
        was adopted as the version records it."""
        adopted_on, reference = _date(data.get("adopted_on")), data.get("reference", "")
        if self.version.kind == AdoptedVersion.Kind.PLAN:
            adopted_on = self.version.decided_on
            reference = self.version.reference or reference
        plan = ControlPlan(
            pk=self.version.plan_id,
            year=data["year"],
            adopted_on=adopted_on,
            reference=reference,
        )
        plan.unit = self.units[data["unit"]]
        plan.risk_matrix = matrix
        return plan

    def _named(self, model: type[Any], known: dict[str, Any], name: str | None) -> int | None:
        if not name:
            return None
        if name not in known:
            known[name] = model(pk=next(self.keys), name=name)
        return int(known[name].pk)

    def _risk(self, data: dict[str, Any]) -> None:
        risk = Risk(
            pk=next(self.keys),
            external_id=data["id"],
            title=data["title"],
            unit_id=self._unit_id(data.get("unit")),
            area_id=self._named(RiskArea, self.areas, data.get("area")),
            process_id=self._named(Process, self.processes, data.get("process")),
            goal_id=self.goals[data["goal"]].pk if data.get("goal") else None,
            description=data.get("description", ""),
            consequence_description=data.get("consequence_description", ""),
            existing_controls=data.get("existing_controls", ""),
            probability=data.get("probability"),
            consequence=data.get("consequence"),
            target_probability=data.get("target_probability"),
            target_consequence=data.get("target_consequence"),
            handling=list(data.get("handling", [])),
            planned_handling=data.get("planned_handling", ""),
        )
        risk.plan = self.plan
        self.risks.append(risk)
        actions: dict[str, int] = {}
        for item in data.get("actions", []):
            action = Action(
                pk=next(self.keys),
                risk_id=risk.pk,
                external_id=item["id"],
                title=item["title"],
                description=item.get("description", ""),
                responsible=item.get("responsible", ""),
                due_date=_date(item.get("due_date")),
                status=item.get("status", Progress.NOT_STARTED),
            )
            self.actions.append(action)
            actions[item["id"]] = action.pk
            self._follow_ups(item.get("follow_ups", []), action_id=action.pk)
        for item in data.get("control_activities", []):
            activity = ControlActivity(
                pk=next(self.keys),
                risk_id=risk.pk,
                external_id=item["id"],
                **{name: item.get(name, "") for name in TEXT_FIELDS},
                due_date=_date(item.get("due_date")),
            )
            self.activities.append(activity)
            self.activity_periods[activity.pk] = [
                self.periods[code].pk for code in item.get("periods", [])
            ]
            self._follow_ups(item.get("follow_ups", []), actions, control_activity_id=activity.pk)
        self._follow_ups(data.get("follow_ups", []), risk_id=risk.pk)

    def _follow_ups(
        self, items: list[dict[str, Any]], actions: dict[str, int] | None = None, **subject: int
    ) -> None:
        for item in items:
            period = self.periods.get(item["period"]) if item.get("period") else None
            self.follow_ups.append(
                FollowUp(
                    pk=next(self.keys),
                    period_id=period.pk if period else None,
                    date=datetime.date.fromisoformat(item["date"]),
                    status=item.get("status", ""),
                    on_track=item.get("on_track"),
                    result=item.get("result", ""),
                    comment=item.get("comment", ""),
                    occurrence=_date(item.get("occurrence")),
                    # The action that answers a deviation (exchange key `answered_by`).
                    answered_by_id=(actions or {}).get(item.get("answered_by", "")),
                    **subject,
                )
            )

    def _assessment(self, data: dict[str, Any]) -> Assessment:
        return Assessment(
            pk=next(self.keys),
            plan_id=self.plan.pk,
            verdict=data.get("verdict", ""),
            decided_on=_date(data.get("decided_on")),
            analysis=data.get("analysis", ""),
        )
