"""Who reads the audit trail across a scope: auditors, coordinators and administrators.

Everyone who reads an object sees its history on the object's page; the log across many
objects (`trail:log`) is for these roles, over the units their roles cover.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from internkontroll.access import scope_for
from internkontroll.accounts.models import Role, RoleAssignment

LOG_ROLES = frozenset({Role.AUDITOR.value, Role.COORDINATOR.value, Role.ADMIN.value})


@dataclass(frozen=True)
class LogScope:
    """Where a user may read the log: units (with all below) and whole organisations."""

    everything: bool = False
    units: frozenset[int] = frozenset()
    organisations: frozenset[int] = frozenset()
    readable_organisations: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.units or self.organisations)


def log_scope(user: Any) -> LogScope:
    """The units where the user is auditor, coordinator or administrator."""
    scope = scope_for(user)
    if scope.everything:
        return LogScope(everything=True)
    units = frozenset(
        unit_id
        for unit_id, roles in scope.roles_by_unit.items()
        if unit_id is not None and roles & LOG_ROLES
    )
    if not units:
        return LogScope()
    organisations = frozenset(
        RoleAssignment.objects.filter(user=user, unit=None, role__in=LOG_ROLES).values_list(
            "organisation_id", flat=True
        )
    )
    return LogScope(
        units=units,
        organisations=organisations,
        readable_organisations=scope.readable_organisations,
    )


def may_read_log(user: Any) -> bool:
    """Whether the log would show the user anything; from the cached scope, so no query."""
    if user is None or not user.is_authenticated:
        return False
    scope = scope_for(user)
    return scope.everything or any(
        roles & LOG_ROLES for unit_id, roles in scope.roles_by_unit.items() if unit_id is not None
    )
