"""Reporting a follow-up: the one write path that appends to an item's history."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.lib.versioning import StaleEdit, lock_current
from internkontroll.risks.models import Action

__all__ = ["StaleEdit", "report_on_action", "report_on_control_activity"]


@transaction.atomic
def report_on_action(
    action: Action, *, acting_user: Any, version: int | None, **values: Any
) -> FollowUp:
    """Append a follow-up to an action and move the action to the status it reports."""
    action = lock_current(Action, action.pk, version)
    follow_up = FollowUp(action=action, **values)
    follow_up._history_user = acting_user  # type: ignore[attr-defined]
    follow_up.full_clean()
    follow_up.save()
    action.version += 1
    fields = ["version"]
    if follow_up.status and follow_up.status != action.status:
        action.status = follow_up.status
        fields.append("status")
    action._history_user = acting_user  # type: ignore[attr-defined]
    action.save(update_fields=fields)
    return follow_up


@transaction.atomic
def report_on_control_activity(
    activity: ControlActivity, *, acting_user: Any, version: int | None, **values: Any
) -> FollowUp:
    """Append a follow-up (the control's result for a period) to a control activity."""
    activity = lock_current(ControlActivity, activity.pk, version)
    follow_up = FollowUp(control_activity=activity, **values)
    follow_up._history_user = acting_user  # type: ignore[attr-defined]
    follow_up.full_clean()
    follow_up.save()
    activity.version += 1
    activity._history_user = acting_user  # type: ignore[attr-defined]
    activity.save(update_fields=["version"])
    return follow_up
