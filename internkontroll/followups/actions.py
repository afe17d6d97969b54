"""Reporting a follow-up: the one write path that appends to an item's history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext as _

from internkontroll.controls.models import ControlActivity
from internkontroll.followups.models import Evidence, FollowUp
from internkontroll.lib.versioning import (
    StaleEdit,
    Version,
    bump_version,
    lock_current,
    save_versioned,
)
from internkontroll.risks.actions import save_action
from internkontroll.risks.models import Action, Risk

__all__ = [
    "StaleEdit",
    "answer_deviation",
    "report_on_action",
    "report_on_control_activity",
    "report_on_risk",
]


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


def _report_on(
    subject: str,
    item: Any,
    *,
    acting_user: Any,
    version: Version,
    evidence: Any,
    values: dict[str, Any],
    update: Callable[[Any, FollowUp], list[str]] | None = None,
) -> FollowUp:
    """Append a follow-up to the item, locked at the version the form was made from.

    `update` changes the item after what the follow-up reports and names the fields changed.
    """
    item = lock_current(type(item), item.pk, version)
    follow_up = _append(FollowUp(**{subject: item}, **values), list(evidence), acting_user)
    bump_version(item, acting_user, update(item, follow_up) if update else None)
    return follow_up


def _take_status(action: Action, follow_up: FollowUp) -> list[str]:
    if follow_up.status and follow_up.status != action.status:
        action.status = follow_up.status
        return ["status"]
    return []


@transaction.atomic
def report_on_action(
    action: Action, *, acting_user: Any, version: Version, evidence: Any = (), **values: Any
) -> FollowUp:
    """Append a follow-up to an action and move the action to the status it reports."""
    return _report_on(
        "action",
        action,
        acting_user=acting_user,
        version=version,
        evidence=evidence,
        values=values,
        update=_take_status,
    )


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
    return _report_on(
        "control_activity",
        activity,
        acting_user=acting_user,
        version=version,
        evidence=evidence,
        values=values,
    )


@transaction.atomic
def report_on_risk(
    risk: Risk, *, acting_user: Any, version: Version, evidence: Any = (), **values: Any
) -> FollowUp:
    """Append a follow-up to a risk: whether its handling follows the plan in a period."""
    return _report_on(
        "risk", risk, acting_user=acting_user, version=version, evidence=evidence, values=values
    )


@transaction.atomic
def answer_deviation(
    follow_up: FollowUp,
    *,
    acting_user: Any,
    version: Version,
    action: Action | None = None,
    new_action: dict[str, Any] | None = None,
) -> FollowUp:
    """Record the action on the same risk that answers a deviation a control found.

    With `new_action` (the action form's data) the action is created first, through the
    risks' one write path; the follow-up's history names the change.
    """
    current = lock_current(FollowUp, follow_up.pk, version)
    if new_action is not None:
        risk = cast(ControlActivity, current.control_activity).risk
        current.answered_by = Action(risk=risk)
        current.validate_answer()  # refused before anything is written
        action = save_action(
            Action(risk=risk),
            new_action,
            version=None,
            acting_user=acting_user,
        )
    return save_versioned(
        current,
        {"answered_by": action},
        version=version,
        acting_user=acting_user,
        reason=_("The action that answers the deviation was recorded."),
    )
