"""Recording the committee's decisions on a plan: its adoption and its annual assessment."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext

from internkontroll.lib.versioning import Version, save_versioned
from internkontroll.organisation.models import PLAN_OWNER_KINDS, Unit
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


def committees_for_new_plans(user: Any) -> QuerySet[Unit]:
    """The committees (and companies) whose plans the user writes: those they may make a plan
    for."""
    return (
        Unit.objects.for_user(user, write=True)
        .filter(kind__in=PLAN_OWNER_KINDS)
        .select_related("organisation")
        .order_by("name", "pk")
    )


def new_plan(
    unit: Unit, year: int, *, acting_user: Any, reason: str, reference: str = ""
) -> ControlPlan:
    """A committee's plan for a year, with the organisation's current risk matrix."""
    return save_versioned(
        ControlPlan(unit=unit, year=year, risk_matrix=unit.organisation.current_risk_matrix()),
        {"reference": reference},
        version=None,
        acting_user=acting_user,
        reason=reason,
    )


@transaction.atomic
def create_plan(unit: Unit, year: int, *, reference: str, acting_user: Any) -> ControlPlan:
    """Make the committee's plan for a year, as a draft; a year it already has a plan for is
    refused on `year`, also when another person made that plan at the same moment."""
    taken = ValidationError(
        {
            "year": gettext("%(committee)s already has a plan for %(year)s. Choose another year.")
            % {"committee": unit.name, "year": year}
        }
    )
    try:
        with transaction.atomic():
            return new_plan(
                unit,
                year,
                acting_user=acting_user,
                reason=gettext("New plan"),
                reference=reference.strip(),
            )
    except (IntegrityError, ValidationError) as error:
        if ControlPlan.objects.filter(unit=unit, year=year).exists():
            raise taken from error
        raise
