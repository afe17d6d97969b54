"""Recording the committee's decisions on a plan: its adoption and its annual assessment."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from internkontroll.lib.versioning import StaleEdit
from internkontroll.plans.models import AdoptedVersion, Assessment, ControlPlan
from internkontroll.plans.versions import record_version


@transaction.atomic
def adopt_plan(
    plan: ControlPlan,
    *,
    adopted_on: datetime.date,
    reference: str,
    acting_user: Any,
    shown: tuple[datetime.date | None, str] | None = None,
) -> ControlPlan:
    """Record that the committee adopted the plan; `shown` is the adoption the user saw."""
    plan = ControlPlan.objects.select_for_update().get(pk=plan.pk)
    if shown is not None and shown != (plan.adopted_on, plan.reference):
        raise StaleEdit
    plan.adopted_on, plan.reference = adopted_on, reference
    plan._history_user = acting_user  # type: ignore[attr-defined]
    plan.full_clean()
    plan.save(update_fields=["adopted_on", "reference"])
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
) -> Assessment:
    """Create or update the committee's assessment of its internal control for the plan's year."""
    assessment = Assessment.objects.select_for_update().filter(plan=plan).first()
    if assessment is None:
        assessment = Assessment(plan=plan)
    assessment.verdict, assessment.decided_on, assessment.analysis = verdict, decided_on, analysis
    assessment._history_user = acting_user  # type: ignore[attr-defined]
    assessment.full_clean()
    assessment.save()
    if decided_on is not None:
        record_version(
            plan,
            kind=AdoptedVersion.Kind.ASSESSMENT,
            decided_on=decided_on,
            reference=plan.reference,
            acting_user=acting_user,
        )
    return assessment
