"""Changing the organisation's units, goals, processes and risk areas: one write path each."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

from internkontroll.lib.versioning import ANY_VERSION, Version, lock_parent, save_versioned
from internkontroll.organisation.models import (
    Goal,
    Organisation,
    Period,
    Process,
    RiskArea,
    Unit,
)

_M = TypeVar("_M", bound=models.Model)


def unit_identifier(organisation: Organisation, name: str) -> str:
    """A readable identifier made from the name, numbered when the name is already taken."""
    base = slugify(name)[:90] or "enhet"
    taken = set(
        Unit.objects.filter(organisation=organisation, external_id__startswith=base).values_list(
            "external_id", flat=True
        )
    )
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _create(obj: _M, organisation: Organisation, acting_user: Any, values: dict[str, Any]) -> _M:
    # The organisation is locked so that two creates check names and identifiers in turn.
    lock_parent(organisation)
    if isinstance(obj, Unit):
        values = {**values, "external_id": unit_identifier(organisation, values["name"])}
    return save_versioned(obj, values, version=ANY_VERSION, acting_user=acting_user)


def _change(obj: _M, version: Version, acting_user: Any, values: dict[str, Any]) -> _M:
    return save_versioned(obj, values, version=version, acting_user=acting_user)


@transaction.atomic
def create_unit(organisation: Organisation, *, acting_user: Any, **values: Any) -> Unit:
    return _create(Unit(organisation=organisation), organisation, acting_user, values)


@transaction.atomic
def change_unit(unit: Unit, *, acting_user: Any, version: Version, **values: Any) -> Unit:
    """Rename or move a unit; its identifier stays, since documents and imports refer to it."""
    return _change(unit, version, acting_user, values)


@transaction.atomic
def create_goal(organisation: Organisation, *, acting_user: Any, **values: Any) -> Goal:
    return _create(Goal(organisation=organisation), organisation, acting_user, values)


@transaction.atomic
def change_goal(goal: Goal, *, acting_user: Any, version: Version, **values: Any) -> Goal:
    return _change(goal, version, acting_user, values)


@transaction.atomic
def create_process(organisation: Organisation, *, acting_user: Any, name: str) -> Process:
    return _create(Process(organisation=organisation), organisation, acting_user, {"name": name})


@transaction.atomic
def rename_process(process: Process, *, acting_user: Any, version: Version, name: str) -> Process:
    return _change(process, version, acting_user, {"name": name})


@transaction.atomic
def create_risk_area(organisation: Organisation, *, acting_user: Any, name: str) -> RiskArea:
    return _create(RiskArea(organisation=organisation), organisation, acting_user, {"name": name})


@transaction.atomic
def rename_risk_area(area: RiskArea, *, acting_user: Any, version: Version, name: str) -> RiskArea:
    return _change(area, version, acting_user, {"name": name})


def find_or_create_named(
    model: type[_M], organisation: Organisation, name: str | None, acting_user: Any
) -> _M | None:
    """The process or risk area with this name, made when missing (two at once make one)."""
    name = " ".join((name or "").split())
    if not name:
        return None
    found = model._default_manager.filter(organisation=organisation, name=name).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return _create(
                model(organisation=organisation), organisation, acting_user, {"name": name}
            )
    except (IntegrityError, ValidationError):
        # Someone else made it in the meantime; without theirs, the error was about something else.
        found = model._default_manager.filter(organisation=organisation, name=name).first()
        if found is None:
            raise
        return found


@transaction.atomic
def change_period_deadline(
    period: Period, *, acting_user: Any, version: Version, deadline_days: int
) -> Period:
    """Set how many days after its end a period is reported by; every year follows it."""
    return _change(period, version, acting_user, {"deadline_days": deadline_days})
