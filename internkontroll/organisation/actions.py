"""Changing the organisation's units, goals, processes and risk areas: one write path each."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.text import slugify

from internkontroll.organisation.models import Goal, Organisation, Process, RiskArea, Unit

_M = TypeVar("_M", bound=models.Model)


def _save(obj: _M, acting_user: Any, values: dict[str, Any]) -> _M:
    for name, value in values.items():
        setattr(obj, name, value)
    obj._history_user = acting_user  # type: ignore[attr-defined]
    obj.full_clean()
    obj.save()
    return obj


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


@transaction.atomic
def create_unit(organisation: Organisation, *, acting_user: Any, **values: Any) -> Unit:
    unit = Unit(organisation=organisation)
    unit.external_id = unit_identifier(organisation, values["name"])
    return _save(unit, acting_user, values)


@transaction.atomic
def change_unit(unit: Unit, *, acting_user: Any, **values: Any) -> Unit:
    """Rename or move a unit; its identifier stays, since documents and imports refer to it."""
    return _save(Unit.objects.select_for_update().get(pk=unit.pk), acting_user, values)


@transaction.atomic
def create_goal(organisation: Organisation, *, acting_user: Any, **values: Any) -> Goal:
    return _save(Goal(organisation=organisation), acting_user, values)


@transaction.atomic
def change_goal(goal: Goal, *, acting_user: Any, **values: Any) -> Goal:
    return _save(Goal.objects.select_for_update().get(pk=goal.pk), acting_user, values)


@transaction.atomic
def create_process(organisation: Organisation, *, acting_user: Any, name: str) -> Process:
    return _save(Process(organisation=organisation), acting_user, {"name": name})


@transaction.atomic
def rename_process(process: Process, *, acting_user: Any, name: str) -> Process:
    return _save(
        Process.objects.select_for_update().get(pk=process.pk), acting_user, {"name": name}
    )


@transaction.atomic
def create_risk_area(organisation: Organisation, *, acting_user: Any, name: str) -> RiskArea:
    return _save(RiskArea(organisation=organisation), acting_user, {"name": name})


@transaction.atomic
def rename_risk_area(area: RiskArea, *, acting_user: Any, name: str) -> RiskArea:
    return _save(RiskArea.objects.select_for_update().get(pk=area.pk), acting_user, {"name": name})
