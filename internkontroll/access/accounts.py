"""Which people an administrator may manage: those of their organisation entirely in their scope.

An administrator sees, changes, gives roles to and deactivates only people of their own
organisation whose every role lies within what their administrator roles cover (a role on the
whole organisation covers all of it, a role on a unit that unit and everything below), and
never a superuser or a staff user: nobody can take over an account wider than their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from internkontroll.access import scope_for


@dataclass(frozen=True)
class AdministeredScope:
    """Where a user administers: their own organisation, wholly or on some units."""

    organisation_id: int | None = None
    whole_organisation: bool = False
    units: frozenset[int] = frozenset()
    everything: bool = False

    @property
    def any(self) -> bool:
        return self.organisation_id is not None and (
            self.everything or self.whole_organisation or bool(self.units)
        )


def administered_scope(user: Any) -> AdministeredScope:
    """From the per-request scope, so it costs no query."""
    from internkontroll.accounts.models import Role

    organisation_id = getattr(user, "organisation_id", None)
    if user is None or not user.is_authenticated or organisation_id is None:
        return AdministeredScope()
    scope = scope_for(user)
    if scope.everything:
        return AdministeredScope(organisation_id=organisation_id, everything=True)
    return AdministeredScope(
        organisation_id=organisation_id,
        whole_organisation=organisation_id in scope.settings_organisations,
        units=frozenset(
            unit_id
            for unit_id, roles in scope.roles_by_unit.items()
            if unit_id is not None and Role.ADMIN in roles
        ),
    )


def may_manage_users(user: Any) -> bool:
    """Whether the user administers anything, and so may open the user pages."""
    return administered_scope(user).any


def manageable_users(user: Any) -> QuerySet[Any]:
    """The people the user may see in the user list and change: none outside their scope."""
    from internkontroll.accounts.models import RoleAssignment, User

    scope = administered_scope(user)
    if scope.organisation_id is None or not scope.any:
        return User.objects.none()
    people = User.objects.filter(organisation_id=scope.organisation_id)
    if scope.everything:
        return people
    if scope.whole_organisation:
        outside = ~Q(organisation_id=scope.organisation_id)
    else:
        outside = Q(unit__isnull=True) | ~Q(unit_id__in=scope.units)
    return people.filter(is_superuser=False, is_staff=False).exclude(
        pk__in=RoleAssignment.objects.filter(outside).values("user_id")
    )


def may_manage(user: Any, other: Any) -> bool:
    return manageable_users(user).filter(pk=other.pk).exists()


def grantable_units(user: Any) -> QuerySet[Any]:
    """The units the user may give roles on: those they administer."""
    from internkontroll.organisation.models import Unit

    scope = administered_scope(user)
    if scope.organisation_id is None or not scope.any:
        return Unit.objects.none()
    units = Unit.objects.filter(organisation_id=scope.organisation_id)
    if scope.everything or scope.whole_organisation:
        return units
    return units.filter(pk__in=scope.units)


def may_grant(user: Any, unit: Any) -> bool:
    """Whether the user may give a role on this unit (None: the whole organisation)."""
    scope = administered_scope(user)
    if not scope.any:
        return False
    if unit is None:
        return scope.everything or scope.whole_organisation
    return unit.organisation_id == scope.organisation_id and (
        scope.everything or scope.whole_organisation or unit.pk in scope.units
    )
