"""Reporting a follow-up: the one write path that appends to an item's history."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import FollowUp
from internkontroll.risks.models import Action


class StaleEdit(Exception):
    """Someone saved the item after the form was opened; nothing was written."""


def _lock(model: Any, pk: int, version: int | None) -> Any:
    obj = model.objects.select_for_update().get(pk=pk)
    if version is not None and obj.version != version:
        raise StaleEdit(
            _(
                "Someone else changed this item after you opened the form. Your text is kept "
                "below; check the item and send again."
            )
        )
    return obj


@transaction.atomic
def report_on_action(
    action: Action, *, acting_user: Any, version: int | None, **values: Any
) -> FollowUp:
    """Append a follow-up to an action and move the action to the status it reports."""
    action = _lock(Action, action.pk, version)
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
    activity = _lock(ControlActivity, activity.pk, version)
    follow_up = FollowUp(control_activity=activity, **values)
    follow_up._history_user = acting_user  # type: ignore[attr-defined]
    follow_up.full_clean()
    follow_up.save()
    activity.version += 1
    activity._history_user = acting_user  # type: ignore[attr-defined]
    activity.save(update_fields=["version"])
    return follow_up
