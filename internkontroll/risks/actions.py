"""Writes on risks and actions: the one path for each change, recorded in history."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from internkontroll.lib.identifiers import next_identifier
from internkontroll.lib.versioning import save_versioned
from internkontroll.organisation.models import Process, RiskArea
from internkontroll.plans.models import ControlPlan
from internkontroll.risks.models import Action, Risk

RISK_FIELDS = (
    "title",
    "unit",
    "goal",
    "description",
    "consequence_description",
    "existing_controls",
    "probability",
    "consequence",
    "target_probability",
    "target_consequence",
    "handling",
    "planned_handling",
)
ACTION_FIELDS = ("title", "description", "responsible", "assignee", "due_date", "status")


@transaction.atomic
def save_risk(risk: Risk, data: dict[str, Any], *, version: int | None, acting_user: Any) -> Risk:
    """Create or update a risk; area and process are found or made by name."""
    plan: ControlPlan = risk.plan
    organisation = plan.unit.organisation
    values = {name: data.get(name) for name in RISK_FIELDS}
    values["handling"] = list(data.get("handling") or [])
    values["area"] = _named(RiskArea, organisation, data.get("area_name"), acting_user)
    values["process"] = _named(Process, organisation, data.get("process_name"), acting_user)
    if risk.pk is None:
        values["external_id"] = next_identifier(
            "r", plan.risks.values_list("external_id", flat=True)
        )
    risk = save_versioned(risk, values, version=version, acting_user=acting_user)
    wanted = list(data.get("recommendations") or [])
    if {r.pk for r in risk.recommendations.all()} != {r.pk for r in wanted}:
        risk.recommendations.set(wanted)
    return risk


@transaction.atomic
def save_action(
    action: Action, data: dict[str, Any], *, version: int | None, acting_user: Any
) -> Action:
    values = {name: data.get(name) for name in ACTION_FIELDS}
    values["responsible"] = values["responsible"] or ""
    values["description"] = values["description"] or ""
    if action.pk is None:
        values["external_id"] = next_identifier(
            "a", action.risk.actions.values_list("external_id", flat=True)
        )
    return save_versioned(action, values, version=version, acting_user=acting_user)


def _named(model: Any, organisation: Any, name: str | None, acting_user: Any) -> Any:
    name = (name or "").strip()
    if not name:
        return None
    obj = model.objects.filter(organisation=organisation, name=name).first()
    if obj is None:
        obj = model(organisation=organisation, name=name)
        obj._history_user = acting_user
        obj.save()
    return obj
