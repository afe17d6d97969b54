"""Writes on risks and actions: the one path for each change, recorded in history."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from internkontroll.lib.identifiers import next_identifier
from internkontroll.lib.versioning import Version, lock_parent, save_versioned
from internkontroll.organisation.actions import find_or_create_named
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
def save_risk(risk: Risk, data: dict[str, Any], *, version: Version, acting_user: Any) -> Risk:
    """Create or update a risk; area and process are found or made by name."""
    plan: ControlPlan = risk.plan
    values = {name: data.get(name) for name in RISK_FIELDS}
    if risk.pk is None:
        # The plan is locked so that two risks added at once get different identifiers.
        plan = lock_parent(plan)
        # An identifier brought along (from a workbook) is kept; else the next free one.
        values["external_id"] = risk.external_id or next_identifier(
            "r", plan.risks.values_list("external_id", flat=True)
        )
    organisation = plan.unit.organisation
    values["handling"] = list(data.get("handling") or [])
    values["area"] = find_or_create_named(
        RiskArea, organisation, data.get("area_name"), acting_user
    )
    values["process"] = find_or_create_named(
        Process, organisation, data.get("process_name"), acting_user
    )
    risk = save_versioned(risk, values, version=version, acting_user=acting_user)
    wanted = list(data.get("recommendations") or [])
    if {r.pk for r in risk.recommendations.all()} != {r.pk for r in wanted}:
        risk.recommendations.set(wanted)
    return risk


@transaction.atomic
def save_action(
    action: Action, data: dict[str, Any], *, version: Version, acting_user: Any
) -> Action:
    values = {name: data.get(name) for name in ACTION_FIELDS}
    values["responsible"] = values["responsible"] or ""
    values["description"] = values["description"] or ""
    if action.pk is None:
        risk = lock_parent(action.risk)
        values["external_id"] = action.external_id or next_identifier(
            "a", risk.actions.values_list("external_id", flat=True)
        )
    return save_versioned(action, values, version=version, acting_user=acting_user)
