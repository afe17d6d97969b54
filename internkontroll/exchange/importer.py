"""Reading an exchange document into the database: all or nothing, updating by `id`."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from internkontroll.audits.models import AuditReport, Recommendation
from internkontroll.controls.models import TEXT_FIELDS, ControlActivity
from internkontroll.exchange import parsing
from internkontroll.exchange.validation import Problem, validate_document
from internkontroll.followups.models import FollowUp
from internkontroll.lib.versioning import ANY_VERSION, bump_version, lock_current, save_versioned
from internkontroll.organisation.defaults import DEFAULT_PERIODS, DEFAULT_RISK_MATRIX
from internkontroll.organisation.models import (
    Goal,
    Organisation,
    Period,
    Process,
    RiskArea,
    RiskMatrix,
    Unit,
)
from internkontroll.plans.models import Assessment, ControlPlan
from internkontroll.risks.models import Action, Risk

FOLLOW_UP_FIELDS = ("status", "on_track", "result", "comment")

_M = TypeVar("_M", bound=models.Model)


class ImportFailed(Exception):
    """The document was refused; nothing was changed. `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class ImportSummary:
    organisation: str = ""
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)


def read_document(path: Path, max_bytes: int | None = None) -> Any:
    """Parse a file as JSON, refusing what is too large or not JSON with a Swedish message."""
    limit = settings.IK_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            raise _too_large(size, limit)
        with path.open("rb") as file:
            raw = file.read(limit + 1)  # the file may have grown since stat
    except OSError as error:
        raise ImportFailed(
            [
                Problem(
                    "",
                    _("The file %(file)s cannot be read: %(reason)s")
                    % {"file": path, "reason": error.strerror or error},
                )
            ]
        ) from None
    if len(raw) > limit:
        raise _too_large(len(raw), limit)
    try:
        return parsing.parse_bytes(raw)
    except parsing.MalformedDocument as error:
        raise ImportFailed(error.problems) from None


def _too_large(size: int, limit: int) -> ImportFailed:
    return ImportFailed(
        [
            Problem(
                "",
                _("The file is %(size)s MB; the largest document accepted is %(max)s MB.")
                % {"size": _megabytes(size), "max": _megabytes(limit)},
            )
        ]
    )


def parse_document(text: str) -> Any:
    """Parse JSON text, refusing what is malformed with Swedish messages (see parsing.py)."""
    try:
        return parsing.parse_text(text)
    except parsing.MalformedDocument as error:
        raise ImportFailed(error.problems) from None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def import_document(document: Any, *, acting_user: Any = None) -> ImportSummary:
    """Validate the whole document, then write it in one transaction (or raise ImportFailed)."""
    problems = validate_document(document)
    if problems:
        raise ImportFailed(problems)
    with transaction.atomic():
        return _Importer(document, acting_user).run()


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class _Importer:
    def __init__(self, document: dict[str, Any], acting_user: Any) -> None:
        self.document = document
        self.acting_user = acting_user
        self.summary = ImportSummary()
        self.units: dict[str, Unit] = {}
        self.goals: dict[str, Goal] = {}
        self.periods: dict[str, Period] = {}
        self.areas: dict[str, RiskArea] = {}
        self.processes: dict[str, Process] = {}

    def run(self) -> ImportSummary:
        self.organisation = self._organisation(self.document["organisation"])
        self.summary.organisation = self.organisation.name
        self._periods(self.document["organisation"].get("periods", DEFAULT_PERIODS))
        self._units(self.document.get("units", []))
        for index, goal in enumerate(self.document.get("goals", [])):
            self._goal(goal, f"goals[{index}]")
        touched_plans = [
            self._plan(plan, f"plans[{index}]")
            for index, plan in enumerate(self.document.get("plans", []))
        ]
        for index, report in enumerate(self.document.get("audit_reports", [])):
            self._audit_report(report, f"audit_reports[{index}]")
        self._check_plans_fit_their_matrix(touched_plans)
        return self.summary

    # Writing helpers ------------------------------------------------------------------

    def _save(self, obj: _M, values: dict[str, Any], path: str) -> _M:
        """Create or update obj through the forms' write helper: validated, locked, versioned.

        An unchanged object is not saved (no history); a model's refusal names the JSON path.
        """
        kind = type(obj).__name__
        created = obj.pk is None
        if not created:
            values = {
                name: value for name, value in values.items() if _field_value(obj, name) != value
            }
            if not values:
                self.summary.unchanged[kind] += 1
                return obj
        try:
            obj = save_versioned(
                obj, values, version=ANY_VERSION, acting_user=self.acting_user, reason="import"
            )
        except ValidationError as error:
            raise ImportFailed(_problems(error, path)) from error
        (self.summary.created if created else self.summary.updated)[kind] += 1
        return obj

    def _matrix(
        self, matrix: dict[str, Any], reuse: Iterable[RiskMatrix | None], path: str
    ) -> RiskMatrix:
        """An existing matrix with equal content, else a new one: matrices in use never change."""
        fields = RiskMatrix.fields_from_document(matrix)
        for candidate in reuse:
            if (
                candidate is not None
                and candidate.as_document() == RiskMatrix(**fields).as_document()
            ):
                return candidate
        return self._save(RiskMatrix(organisation=self.organisation), fields, path)

    # Organisation and its settings ----------------------------------------------------

    def _organisation(self, data: dict[str, Any]) -> Organisation:
        organisation = Organisation.objects.filter(name=data["name"]).first()
        if organisation is None:
            organisation = self._save(Organisation(), {"name": data["name"]}, "organisation")
        self.organisation = organisation
        matrix = self._matrix(
            data.get("risk_matrix", DEFAULT_RISK_MATRIX),
            [organisation.risk_matrix] if organisation.risk_matrix else [],
            "organisation.risk_matrix",
        )
        self.organisation = self._save(organisation, {"risk_matrix": matrix}, "organisation")
        return self.organisation

    def _periods(self, periods: list[dict[str, Any]]) -> None:
        existing = {period.code: period for period in self.organisation.periods.all()}
        for position, data in enumerate(periods):
            month, day = (int(part) for part in data["ends"].split("-"))
            period = existing.get(data["code"]) or Period(organisation=self.organisation)
            self.periods[data["code"]] = self._save(
                period,
                {
                    "code": data["code"],
                    "name": data["name"],
                    "ends_month": month,
                    "ends_day": day,
                    "position": position,
                },
                f"organisation.periods[{position}]",
            )
        for code, period in existing.items():
            self.periods.setdefault(code, period)

    def _units(self, units: list[dict[str, Any]]) -> None:
        existing = {unit.external_id: unit for unit in self.organisation.units.all()}
        by_id = {data["id"]: data for data in units}
        index_of = {data["id"]: index for index, data in enumerate(units)}
        done: set[str] = set()

        def place(unit_id: str) -> None:
            # Parents first, so every parent exists when its children are saved.
            if unit_id in done:
                return
            data = by_id[unit_id]
            if data.get("parent"):
                place(data["parent"])
            unit = existing.get(unit_id) or Unit(organisation=self.organisation)
            self.units[unit_id] = self._save(
                unit,
                {
                    "external_id": unit_id,
                    "name": data["name"],
                    "kind": data["kind"],
                    "parent": self.units[data["parent"]] if data.get("parent") else None,
                },
                f"units[{index_of[unit_id]}]",
            )
            done.add(unit_id)

        for data in units:
            place(data["id"])

    def _goal(self, data: dict[str, Any], path: str) -> None:
        goal = Goal.objects.filter(
            organisation=self.organisation, external_id=data["id"]
        ).first() or Goal(organisation=self.organisation)
        self.goals[data["id"]] = self._save(
            goal,
            {
                "external_id": data["id"],
                "unit": self._unit(data.get("unit")),
                "year": data.get("year"),
                "title": data.get("title", ""),
            },
            path,
        )

    def _unit(self, unit_id: str | None) -> Unit | None:
        return self.units[unit_id] if unit_id else None

    def _named(
        self, model: type[_M], known: dict[str, _M], name: str | None, path: str
    ) -> _M | None:
        """A risk area or process by name, made when the organisation has none by that name."""
        if not name:
            return None
        if name not in known:
            known[name] = model._default_manager.filter(
                organisation=self.organisation, name=name
            ).first() or self._save(model(organisation=self.organisation), {"name": name}, path)
        return known[name]

    # Plans and what they hold ---------------------------------------------------------

    def _plan(self, data: dict[str, Any], path: str) -> ControlPlan:
        unit = self.units[data["unit"]]
        plan = ControlPlan.objects.filter(unit=unit, year=data["year"]).select_related(
            "risk_matrix"
        ).first() or ControlPlan(unit=unit, year=data["year"])
        current = self.organisation.risk_matrix
        if "risk_matrix" in data:
            matrix = self._matrix(
                data["risk_matrix"],
                [plan.risk_matrix if plan.pk else None, current],
                f"{path}.risk_matrix",
            )
        else:
            assert current is not None  # noqa: S101 (narrows the type)
            matrix = current
        plan = self._save(
            plan,
            {
                "adopted_on": _date(data.get("adopted_on")),
                "reference": data.get("reference", ""),
                "risk_matrix": matrix,
            },
            path,
        )
        existing = {risk.external_id: risk for risk in plan.risks.all()}
        for index, risk in enumerate(data.get("risks", [])):
            self._risk(existing.get(risk["id"]) or Risk(plan=plan), risk, f"{path}.risks[{index}]")
        if "assessment" in data:
            assessment_data = data["assessment"]
            assessment = Assessment.objects.filter(plan=plan).first() or Assessment(plan=plan)
            self._save(
                assessment,
                {
                    "verdict": assessment_data.get("verdict", ""),
                    "decided_on": _date(assessment_data.get("decided_on")),
                    "analysis": assessment_data.get("analysis", ""),
                },
                f"{path}.assessment",
            )
        return plan

    def _risk(self, risk: Risk, data: dict[str, Any], path: str) -> None:
        risk = self._save(
            risk,
            {
                "external_id": data["id"],
                "title": data["title"],
                "unit": self._unit(data.get("unit")),
                "area": self._named(RiskArea, self.areas, data.get("area"), f"{path}.area"),
                "process": self._named(
                    Process, self.processes, data.get("process"), f"{path}.process"
                ),
                "goal": self.goals[data["goal"]] if data.get("goal") else None,
                "description": data.get("description", ""),
                "consequence_description": data.get("consequence_description", ""),
                "existing_controls": data.get("existing_controls", ""),
                "probability": data.get("probability"),
                "consequence": data.get("consequence"),
                "target_probability": data.get("target_probability"),
                "target_consequence": data.get("target_consequence"),
                "handling": list(data.get("handling", [])),
                "planned_handling": data.get("planned_handling", ""),
            },
            path,
        )
        actions = {action.external_id: action for action in risk.actions.all()}
        for index, action_data in enumerate(data.get("actions", [])):
            action_path = f"{path}.actions[{index}]"
            action = self._save(
                actions.get(action_data["id"]) or Action(risk=risk),
                {
                    "external_id": action_data["id"],
                    "title": action_data["title"],
                    "description": action_data.get("description", ""),
                    "responsible": action_data.get("responsible", ""),
                    "due_date": _date(action_data.get("due_date")),
                    "status": action_data.get("status", "not_started"),
                },
                action_path,
            )
            self._follow_ups(action_data.get("follow_ups", []), action_path, action=action)
        activities = {activity.external_id: activity for activity in risk.control_activities.all()}
        for index, activity_data in enumerate(data.get("control_activities", [])):
            activity_path = f"{path}.control_activities[{index}]"
            activity = self._save(
                activities.get(activity_data["id"]) or ControlActivity(risk=risk),
                {
                    "external_id": activity_data["id"],
                    **{name: activity_data.get(name, "") for name in TEXT_FIELDS},
                    "due_date": _date(activity_data.get("due_date")),
                },
                activity_path,
            )
            self._activity_periods(
                activity,
                activity_data.get("periods", []),
                existed=activity_data["id"] in activities,
            )
            self._follow_ups(
                activity_data.get("follow_ups", []), activity_path, control_activity=activity
            )
        self._follow_ups(data.get("follow_ups", []), path, risk=risk)

    def _activity_periods(
        self, activity: ControlActivity, codes: list[str], *, existed: bool
    ) -> None:
        """Set the reporting periods; a stored activity whose periods change gets a new version,
        so a form opened before the import is refused as stale."""
        wanted = [self.periods[code] for code in codes]
        if {period.pk for period in activity.periods.all()} == {period.pk for period in wanted}:
            return
        if existed:
            activity = lock_current(ControlActivity, activity.pk, ANY_VERSION)
            activity._change_reason = "import"  # type: ignore[attr-defined]
            bump_version(activity, self.acting_user)
        activity._history_user = self.acting_user  # type: ignore[attr-defined]
        activity._change_reason = "import"  # type: ignore[attr-defined]
        activity.periods.set(wanted)

    def _follow_ups(
        self, items: list[dict[str, Any]], owner_path: str, **subject: models.Model
    ) -> None:
        """Follow-ups have no ids: they are matched by period and date, in order."""
        ((name, owner),) = subject.items()
        existing: dict[tuple[str | None, datetime.date], list[FollowUp]] = defaultdict(list)
        for follow_up in FollowUp.objects.filter(**subject).select_related("period").order_by("id"):
            key = (follow_up.period.code if follow_up.period else None, follow_up.date)
            existing[key].append(follow_up)
        for index, data in enumerate(items):
            date = _date(data["date"])
            assert date is not None  # noqa: S101 (narrows the type)
            key = (data.get("period"), date)
            follow_up = existing[key].pop(0) if existing[key] else FollowUp(**{name: owner})
            self._save(
                follow_up,
                {
                    "period": self.periods[data["period"]] if data.get("period") else None,
                    "date": date,
                    "status": data.get("status", ""),
                    "on_track": data.get("on_track"),
                    "result": data.get("result", ""),
                    "comment": data.get("comment", ""),
                },
                f"{owner_path}.follow_ups[{index}]",
            )

    # Audits ---------------------------------------------------------------------------

    def _audit_report(self, data: dict[str, Any], path: str) -> None:
        report = AuditReport.objects.filter(
            organisation=self.organisation, external_id=data["id"]
        ).first() or AuditReport(organisation=self.organisation)
        report = self._save(
            report,
            {
                "external_id": data["id"],
                "title": data["title"],
                "unit": self._unit(data.get("unit")),
                "auditor": data.get("auditor", ""),
                "date": _date(data.get("date")),
            },
            path,
        )
        existing = {item.external_id: item for item in report.recommendations.all()}
        for index, item in enumerate(data.get("recommendations", [])):
            item_path = f"{path}.recommendations[{index}]"
            recommendation = self._save(
                existing.get(item["id"]) or Recommendation(report=report),
                {
                    "external_id": item["id"],
                    "text": item["text"],
                    "response": item.get("response", ""),
                    "status": item.get("status", "not_started"),
                },
                item_path,
            )
            self._follow_ups(item.get("follow_ups", []), item_path, recommendation=recommendation)

    # Checks that need the database ----------------------------------------------------

    def _check_plans_fit_their_matrix(self, plans: list[ControlPlan]) -> None:
        """Risks already stored but absent from the document must still fit a changed matrix."""
        problems = []
        for index, plan in enumerate(plans):
            matrix = plan.risk_matrix
            for risk in plan.risks.all():
                for p, c in (
                    (risk.probability, risk.consequence),
                    (risk.target_probability, risk.target_consequence),
                ):
                    if p is not None and c is not None and not matrix.contains(p, c):
                        problems.append(
                            Problem(
                                f"plans[{index}]",
                                _(
                                    'The stored risk "%(risk)s" (%(id)s) is assessed %(p)s×%(c)s, '
                                    "outside this plan's %(rows)s×%(columns)s matrix."
                                )
                                % {
                                    "risk": risk.title,
                                    "id": risk.external_id,
                                    "p": p,
                                    "c": c,
                                    "rows": matrix.probability_size,
                                    "columns": matrix.consequence_size,
                                },
                            )
                        )
        if problems:
            raise ImportFailed(problems)


# Model fields whose key in the document has another name.
_DOCUMENT_KEYS = {"external_id": "id", "ends_month": "ends", "ends_day": "ends"}


def _problems(error: ValidationError, path: str) -> list[Problem]:
    """A model's refusal as problems at the document's paths (plans[0].risks[2].unit)."""
    problems: list[Problem] = []
    for name, messages in error.message_dict.items():
        key = _DOCUMENT_KEYS.get(name, name)
        at = path if name == NON_FIELD_ERRORS else f"{path}.{key}"
        problems.extend(Problem(at, message) for message in messages)
    return problems


def _field_value(obj: models.Model, name: str) -> Any:
    field_object = obj._meta.get_field(name)
    if isinstance(field_object, models.ForeignObject) and field_object.many_to_one:
        related_id = getattr(obj, field_object.attname)
        return _RelatedId(related_id)
    return getattr(obj, name)


class _RelatedId:
    """Compares equal to a model instance (or None) with the same primary key."""

    def __init__(self, pk: Any) -> None:
        self.pk = pk

    def __eq__(self, other: object) -> bool:
        if other is None:
            return self.pk is None
        return isinstance(other, models.Model) and other.pk == self.pk

    def __hash__(self) -> int:
        return hash(self.pk)
