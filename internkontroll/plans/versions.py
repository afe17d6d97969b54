"""Frozen copies of a plan as decided, and what has changed in the plan since."""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import Truncator

from internkontroll.access.plans import PlanReading
from internkontroll.controls.models import ControlActivity
from internkontroll.exchange.exporter import export_document
from internkontroll.organisation.models import Unit
from internkontroll.plans.models import AdoptedVersion, ControlPlan
from internkontroll.risks.models import Handling, Risk

SHORTEN_TO = 80
IGNORED = {"id", "actions", "control_activities", "follow_ups"}


def plan_document(plan: ControlPlan) -> dict[str, Any]:
    """The plan as an exchange document: its organisation's periods, its matrix, its risks."""
    document = export_document(
        plan.unit.organisation, unit_id=plan.unit.external_id, year=plan.year
    )
    plan_dict = next(p for p in document["plans"] if p["unit"] == plan.unit.external_id)
    plan_dict.pop("risk_matrix", None)  # written once, below, as the plan's own
    # Last year's risks are not the version's content, and readers of a part must not see them.
    plan_dict.pop("rollover", None)
    organisation = {**document["organisation"], "risk_matrix": plan.risk_matrix.as_document()}
    return {
        "format": document["format"],
        "organisation": organisation,
        "units": document.get("units", []),
        "goals": document.get("goals", []),
        "plans": [plan_dict],
    }


def record_version(
    plan: ControlPlan,
    *,
    kind: str,
    decided_on: datetime.date,
    reference: str,
    acting_user: Any,
    recorded_at: datetime.datetime | None = None,
) -> AdoptedVersion:
    """Store the plan as it stands now; call inside the transaction that records the decision.

    `recorded_at` dates the record (and its history) at another moment than now: for a story
    told afterwards, such as the demo's."""
    version = AdoptedVersion(
        plan=plan,
        kind=kind,
        decided_on=decided_on,
        reference=reference,
        snapshot=plan_document(plan),
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    if recorded_at is not None:
        version.created_at = recorded_at
        version._history_date = recorded_at  # type: ignore[attr-defined]
    version._history_user = acting_user  # type: ignore[attr-defined]
    version.save()
    return version


def plan_of(snapshot: dict[str, Any]) -> dict[str, Any]:
    return dict(snapshot["plans"][0])


def readable_part(
    snapshot: dict[str, Any], plan: ControlPlan, reading: PlanReading
) -> dict[str, Any]:
    """The snapshot as the reader may see it: for a reader below the committee, their risks.

    Their units' risks stay; the committee's assessment and every other unit go (the committee
    itself stays named, since the reader may know the plan exists).
    """
    if reading.whole:
        return snapshot
    return _only_units(snapshot, plan, _identifiers(plan, reading))


def _identifiers(plan: ControlPlan, reading: PlanReading) -> set[str]:
    """The exchange identifiers of the units whose risks the reader may read."""
    return set(
        Unit.objects.filter(
            organisation_id=plan.unit.organisation_id, pk__in=reading.units
        ).values_list("external_id", flat=True)
    )


def _only_units(snapshot: dict[str, Any], plan: ControlPlan, kept: set[str]) -> dict[str, Any]:
    committee = plan.unit.external_id
    units = []
    for unit in snapshot.get("units", []):
        if unit["id"] in kept or unit["id"] == committee:
            shown = dict(unit)
            if shown.get("parent") not in kept and shown.get("parent") != committee:
                shown.pop("parent", None)
            units.append(shown)
    plan_dict = {key: value for key, value in plan_of(snapshot).items() if key != "assessment"}
    plan_dict["risks"] = [risk for risk in plan_dict.get("risks", []) if risk.get("unit") in kept]
    return {**snapshot, "units": units, "plans": [plan_dict]}


@dataclass(frozen=True)
class Change:
    """One difference: `how` is added, removed or changed; `what` is risk or control_activity."""

    how: str
    what: str
    title: str
    risk: str = ""  # the risk a control activity belongs to
    field: str = ""
    old: str = ""
    new: str = ""


def diff(old_plan: dict[str, Any], new_plan: dict[str, Any]) -> list[Change]:
    """What differs between two plans in the exchange shape, risk by risk."""
    changes: list[Change] = []
    old_risks, new_risks = _by_id(old_plan.get("risks", [])), _by_id(new_plan.get("risks", []))
    for key, risk in old_risks.items():
        if key not in new_risks:
            changes.append(Change("removed", "risk", risk["title"]))
    for key, risk in new_risks.items():
        old = old_risks.get(key)
        if old is None:
            changes.append(Change("added", "risk", risk["title"]))
            continue
        changes += _fields(old, risk, Risk, "risk", risk["title"])
        changes += _activities(old, risk)
    return changes


def _activities(old_risk: dict[str, Any], new_risk: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    risk_title = new_risk["title"]
    old = _by_id(old_risk.get("control_activities", []))
    new = _by_id(new_risk.get("control_activities", []))
    for key, activity in old.items():
        if key not in new:
            changes.append(Change("removed", "control_activity", activity["title"], risk_title))
    for key, activity in new.items():
        if key not in old:
            changes.append(Change("added", "control_activity", activity["title"], risk_title))
        else:
            changes += _fields(
                old[key],
                activity,
                ControlActivity,
                "control_activity",
                activity["title"],
                risk_title,
            )
    return changes


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(item.get("id") or item["title"]): item for item in items}


def _fields(
    old: dict[str, Any],
    new: dict[str, Any],
    model: type[models.Model],
    what: str,
    title: str,
    risk: str = "",
) -> list[Change]:
    keys = [key for key in dict.fromkeys([*old, *new]) if key not in IGNORED]
    return [
        Change(
            "changed",
            what,
            title,
            risk,
            field=_label(model, key),
            old=_shown(model, key, old.get(key)),
            new=_shown(model, key, new.get(key)),
        )
        for key in keys
        if old.get(key) != new.get(key)
    ]


def _label(model: type[models.Model], key: str) -> str:
    try:
        return str(model._meta.get_field(key).verbose_name)  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return key


def _shown(model: type[models.Model], key: str, value: Any) -> str:
    if value in (None, "", []):
        return "–"
    labels: dict[Any, Any] = dict(Handling.choices) if key == "handling" else {}
    with contextlib.suppress(FieldDoesNotExist, AttributeError):
        labels = labels or dict(model._meta.get_field(key).flatchoices)  # type: ignore[union-attr]
    if isinstance(value, list):
        return ", ".join(str(labels.get(item, item)) for item in value)
    return Truncator(str(labels.get(value, value))).chars(SHORTEN_TO)


def reviewed_risks(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The snapshot's risks under review, with names and labels ready to show."""
    units = {unit["id"]: unit["name"] for unit in snapshot.get("units", [])}
    goals = {goal["id"]: goal["title"] for goal in snapshot.get("goals", [])}
    methods = dict(ControlActivity._meta.get_field("method").flatchoices)
    frequencies = dict(ControlActivity._meta.get_field("frequency").flatchoices)
    risks = []
    for risk in plan_of(snapshot).get("risks", []):
        activities = risk.get("control_activities", [])
        if Handling.REVIEW not in risk.get("handling", []) and not activities:
            continue
        risks.append(
            {
                **risk,
                "unit_name": units.get(risk.get("unit"), ""),
                "goal_title": goals.get(risk.get("goal"), ""),
                "control_activities": [
                    {
                        **activity,
                        "method_label": methods.get(activity.get("method"), ""),
                        "frequency_label": frequencies.get(activity.get("frequency"), ""),
                    }
                    for activity in activities
                ],
            }
        )
    return risks


def changes_since_adoption(
    plan: ControlPlan, versions: list[AdoptedVersion], reading: PlanReading
) -> tuple[AdoptedVersion | None, list[Change]]:
    """The latest adopted version of the plan (newest first in `versions`) and what changed
    in the part of the plan the reader may read."""
    latest = next((v for v in versions if v.kind == AdoptedVersion.Kind.PLAN), None)
    if latest is None:
        return None, []
    then, now = latest.snapshot, plan_document(plan)
    if not reading.whole:
        kept = _identifiers(plan, reading)
        then, now = _only_units(then, plan, kept), _only_units(now, plan, kept)
    return latest, diff(plan_of(then), plan_of(now))
