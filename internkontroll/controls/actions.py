"""Writes on control activities, recorded in history."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from internkontroll.controls.models import TEXT_FIELDS, ControlActivity
from internkontroll.lib.identifiers import next_identifier
from internkontroll.lib.versioning import Version, lock_parent, save_versioned


@transaction.atomic
def save_control_activity(
    activity: ControlActivity, data: dict[str, Any], *, version: Version, acting_user: Any
) -> ControlActivity:
    values: dict[str, Any] = {name: data.get(name) or "" for name in TEXT_FIELDS}
    values["assignee"] = data.get("assignee")
    values["due_date"] = data.get("due_date")
    if activity.pk is None:
        risk = lock_parent(activity.risk)
        values["external_id"] = activity.external_id or next_identifier(
            "k", risk.control_activities.values_list("external_id", flat=True)
        )
    activity = save_versioned(activity, values, version=version, acting_user=acting_user)
    periods = list(data.get("periods") or [])
    if {p.pk for p in activity.periods.all()} != {p.pk for p in periods}:
        activity.periods.set(periods)
    return activity
