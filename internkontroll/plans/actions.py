"""Recording the committee's decisions on a plan: its adoption and its annual assessment."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from internkontroll.lib.versioning import Version, save_versioned
from internkontroll.plans.models import AdoptedVersion, Assessment, ControlPlan
from internkontroll.plans.versions import record_version


@transaction.atomic
def adopt_plan(
    plan: ControlPlan,
    *,
    adopted_on: datetime.date,
    reference: str,
    acting_user: Any,
    version: Version,
) -> ControlPlan:
    """Record that the committee adopted the plan; `version` is the plan the user saw."""
    plan = save_versioned(
        plan,
        {"adopted_on": adopted_on, "reference": reference},
        version=version,
        acting_user=acting_user,
    )
    record_version(
        plan,
        kind=AdoptedVersion.Kind.PLAN,
        decided_on=adopted_on,
        reference=reference,
        acting_user=acting_user,
    )
    return plan


@transaction.atomic
def save_assessment(
    plan: ControlPlan,
    *,
    verdict: str,
    decided_on: datetime.date | None,
    analysis: str,
    acting_user: Any,
    version: Version,
) -> Assessment:
    """Create or update the committee's assessment of its internal control for the plan's year."""
    assessment = Assessment.objects.filter(plan=plan).first() or Assessment(plan=plan)
    assessment = save_versioned(
        assessment,
        {"verdict": verdict, "decided_on": decided_on, "analysis": analysis},
        version=version,
        acting_user=acting_user,
    )
    if decided_on is not None:
        record_version(
            plan,
            kind=AdoptedVersion.Kind.ASSESSMENT,
            decided_on=decided_on,
            reference=plan.reference,
            acting_user=acting_user,
        )
    return assessment
