"""What of a committee's plan a person may read: the whole plan, or their own units' part.

A person whose role covers the committee (or the whole organisation) reads the whole plan:
every risk, the committee's assessment, the auditors' recommendations to it, its history.
A person whose role sits below the committee may know the plan exists (its committee, year,
adoption and reference) but reads only the risks their units identified, with what hangs on
those risks; documents made for them say that they are such an excerpt. The committee's own
decisions (its assessment) and the auditors' recommendations to the committee are whole-plan
content, and organisation-wide documents need a role on the whole organisation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.text import get_text_list
from django.utils.translation import gettext

from internkontroll.access import (
    InIdsTerm,
    InScope,
    ScopeShape,
    UnitScopedQuerySet,
    scope_for,
    selecting,
)
from internkontroll.lib.prepared import IdsSlot

_M = TypeVar("_M", bound=models.Model)


class PlanScopedQuerySet(UnitScopedQuerySet[_M], Generic[_M]):
    """Plans: written by those who hold the committee; also known to the units that identified
    one of the plan's risks (who then read their part of it, see `plan_reading`)."""

    def for_user(self, user: Any, write: bool = False) -> PlanScopedQuerySet[_M]:
        scope = scope_for(user)
        if write or scope.everything:
            return super().for_user(user, write)  # type: ignore[return-value]

        if tuple(self.unit_paths) != ("unit_id",) or self.organisation_path:
            raise TypeError(f"{self.model.__name__}: a plan reaches its unit by its own column")

        def build() -> Q:
            units = tuple(sorted(scope.readable_units))
            return Q(InScope(self._read_terms(units) if units else ()))

        return self.filter(scope.condition((PlanScopedQuerySet, type(self)), build))

    def in_prepared_scope(self, shape: ScopeShape) -> PlanScopedQuerySet[_M]:
        """`for_user` in a prepared query (see UnitScopedQuerySet.in_prepared_scope)."""
        if shape.write or shape.everything:
            return super().in_prepared_scope(shape)  # type: ignore[return-value]
        if not shape.units:
            return self.filter(Q(InScope(())))
        return self.filter(Q(InScope(self._read_terms(IdsSlot("scope_units")))))

    def _read_terms(self, units: tuple[int, ...] | IdsSlot) -> tuple[InIdsTerm, ...]:
        risks = apps.get_model("risks", "Risk")
        # Ids made once each (see InIdsTerm): an OR of two subqueries read every plan there is.
        own = InIdsTerm("pk", units, selecting(self.model, "pk", "unit"))
        via_risks = InIdsTerm("pk", units, selecting(risks, "plan", "unit", distinct=True))
        return (own, via_risks)


@dataclass(frozen=True)
class PlanReading:
    """One reader's share of one plan: `whole`, or the risks identified by `units`."""

    whole: bool
    units: frozenset[int] = frozenset()

    def risk_filter(self) -> dict[str, Any]:
        """Lookups (on Risk or its historical rows) that keep the risks this reader may read."""
        return {} if self.whole else {"unit_id__in": self.units}

    def includes_unit(self, unit_id: int | None) -> bool:
        """Whether a risk identified by this unit is part of what the reader may read."""
        return self.whole or unit_id in self.units

    def excerpt_of(self, units: Iterable[Any]) -> str:
        """For an excerpt, the reader's topmost units among `units`, named ("A och B")."""
        if self.whole:
            return ""
        top = sorted(
            unit.name
            for unit in units
            if unit.pk in self.units and unit.parent_id not in self.units
        )
        return get_text_list(top, gettext("and"))


WHOLE = PlanReading(whole=True)


def plan_reading(user: Any, plan: Any) -> PlanReading:
    """The reader's share of a plan they may already know exists (see `get_plan_for_user`)."""
    scope = scope_for(user)
    if scope.everything or plan.unit_id in scope.readable_units:
        return WHOLE
    return PlanReading(whole=False, units=scope.readable_units)


def may_read_organisation_wide(user: Any, organisation_id: int) -> bool:
    """Documents that put every committee side by side: a role on the whole organisation."""
    scope = scope_for(user)
    return scope.everything or organisation_id in scope.organisation_wide_read


def report_reading(
    user: Any, plan: Any, *, whole_plan: bool, organisation_wide: bool
) -> PlanReading:
    """The reader's share for a report on the plan; PermissionDenied when the kind needs more."""
    if organisation_wide and not may_read_organisation_wide(user, plan.unit.organisation_id):
        raise PermissionDenied
    reading = plan_reading(user, plan)
    if whole_plan and not reading.whole:
        raise PermissionDenied
    return reading


def may_use_follow_up_board(user: Any) -> bool:
    """Coordinators and administrators: those who may report on others' items somewhere."""
    scope = scope_for(user)
    return scope.everything or bool(scope.writable_units)
