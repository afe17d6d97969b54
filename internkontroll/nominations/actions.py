"""Writes on risk nominations: proposing, withdrawing, and the committee's decision on them.

Accepting adds the risk to the committee's plan through the risk's own write action, in the
same transaction as the decision; both are recorded in history under the deciding person.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from internkontroll.lib.versioning import Version, lock_current, save_versioned
from internkontroll.nominations.models import Nomination, may_propose
from internkontroll.risks.actions import save_risk
from internkontroll.risks.models import Risk

CONTENT_FIELDS = (
    "unit",
    "source_risk",
    "title",
    "area",
    "process",
    "description",
    "consequence_description",
    "existing_controls",
    "probability",
    "consequence",
    "motivation",
)


@transaction.atomic
def propose(
    nomination: Nomination, data: dict[str, Any], *, version: Version, acting_user: Any
) -> Nomination:
    """Record a new proposal for `nomination.plan`, made by `acting_user` for their unit."""
    values = {name: data.get(name) for name in CONTENT_FIELDS}
    for name in ("description", "consequence_description", "existing_controls", "motivation"):
        values[name] = values[name] or ""
    unit = values["unit"]
    if unit is None or not may_propose(acting_user, unit.pk):
        raise ValidationError(
            {"unit": gettext("You have no role in this unit that lets you propose risks.")}
        )
    values.update(status=Nomination.Status.PROPOSED, proposed_by=acting_user)
    return save_versioned(nomination, values, version=version, acting_user=acting_user)


def _pending(nomination: Nomination, version: Version) -> Nomination:
    """The nomination locked, if still the version the page showed and not yet decided."""
    current = lock_current(Nomination, nomination.pk, version)
    if current.status != Nomination.Status.PROPOSED:
        raise ValidationError(
            gettext("The proposal is no longer awaiting a decision: it is %(status)s.")
            % {"status": current.get_status_display()}
        )
    return current


@transaction.atomic
def accept(
    nomination: Nomination, *, comment: str, version: Version, acting_user: Any
) -> Nomination:
    """Add the proposed risk to the plan and record the acceptance."""
    current = _pending(nomination, version)
    risk = save_risk(
        Risk(plan=current.plan),
        {
            "title": current.title,
            "unit": current.unit,
            "description": current.description,
            "consequence_description": current.consequence_description,
            "existing_controls": current.existing_controls,
            "probability": current.probability,
            "consequence": current.consequence,
            "planned_handling": "",
            "area_name": current.area.name if current.area else "",
            "process_name": current.process.name if current.process else "",
        },
        version=None,
        acting_user=acting_user,
    )
    return save_versioned(
        current,
        {
            "status": Nomination.Status.ACCEPTED,
            "risk": risk,
            "decided_by": acting_user,
            "decided_at": timezone.now(),
            "decision_comment": comment.strip(),
        },
        version=version,
        acting_user=acting_user,
    )


@transaction.atomic
def send_back(
    nomination: Nomination, *, reason: str, version: Version, acting_user: Any
) -> Nomination:
    """Return the proposal to the unit with the reason; nothing is added to the plan."""
    current = _pending(nomination, version)
    return save_versioned(
        current,
        {
            "status": Nomination.Status.RETURNED,
            "decided_by": acting_user,
            "decided_at": timezone.now(),
            "decision_comment": reason.strip(),
        },
        version=version,
        acting_user=acting_user,
    )


@transaction.atomic
def withdraw(nomination: Nomination, *, version: Version, acting_user: Any) -> Nomination:
    """The proposer takes back a proposal that awaits a decision."""
    if nomination.proposed_by_id != getattr(acting_user, "pk", None):
        raise PermissionDenied
    current = _pending(nomination, version)
    return save_versioned(
        current,
        {"status": Nomination.Status.WITHDRAWN},
        version=version,
        acting_user=acting_user,
    )
