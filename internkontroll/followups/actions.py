"""Reporting a follow-up: the one write path that appends to an item's history."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import Evidence, FollowUp
from internkontroll.lib.versioning import StaleEdit, Version, bump_version, lock_current
from internkontroll.risks.models import Action

__all__ = ["StaleEdit", "report_on_action", "report_on_control_activity"]


def _append(follow_up: FollowUp, files: list[Any], acting_user: Any) -> FollowUp:
    follow_up._history_user = acting_user  # type: ignore[attr-defined]
    follow_up.full_clean()
    follow_up.save()
    stored: list[Evidence] = []
    try:
        for upload in files:
            evidence = Evidence(
                follow_up=follow_up,
                name=upload.name[:255],
                content_type=upload.content_type,
                size=upload.size,
                uploaded_by=acting_user,
            )
            evidence.file.save(evidence.name, upload, save=False)
            stored.append(evidence)
            evidence._history_user = acting_user  # type: ignore[attr-defined]
            evidence.save()
    except Exception:
        # The transaction rolls the rows back; the files on disk must go too.
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    return follow_up


@transaction.atomic
def report_on_action(
    action: Action, *, acting_user: Any, version: Version, evidence: Any = (), **values: Any
) -> FollowUp:
    """Append a follow-up to an action and move the action to the status it reports."""
    action = lock_current(Action, action.pk, version)
    follow_up = _append(FollowUp(action=action, **values), list(evidence), acting_user)
    fields = []
    if follow_up.status and follow_up.status != action.status:
        action.status = follow_up.status
        fields.append("status")
    bump_version(action, acting_user, fields)
    return follow_up


@transaction.atomic
def report_on_control_activity(
    activity: ControlActivity,
    *,
    acting_user: Any,
    version: Version,
    evidence: Any = (),
    **values: Any,
) -> FollowUp:
    """Append a follow-up (the control's result for a period) to a control activity."""
    activity = lock_current(ControlActivity, activity.pk, version)
    follow_up = _append(FollowUp(control_activity=activity, **values), list(evidence), acting_user)
    bump_version(activity, acting_user)
    return follow_up
