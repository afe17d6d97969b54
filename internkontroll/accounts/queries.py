from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from internkontroll.accounts.models import Role, RoleAssignment, User
from internkontroll.organisation.models import Unit

# The roles that carry out actions and control activities.
ASSIGNABLE_ROLES = (Role.RESPONSIBLE, Role.COORDINATOR)


def ancestors_and_self(units: list[Unit]) -> set[int]:
    found: set[int] = set()
    for unit in units:
        current: Unit | None = unit
        while current is not None and current.pk not in found:
            found.add(current.pk)
            current = current.parent
    return found


def assignable_people(units: list[Unit], current: int | None = None) -> QuerySet[User]:
    """The people an item on these units may be given to, and the one it is given to now.

    Those responsible for or coordinating one of the units or a unit above it, or the whole
    organisation: they read the item, so it reaches their tasks and they can report on it.
    Readers, auditors and administrators do not carry out actions and controls.
    """
    organisation_id = units[0].organisation_id
    roles = RoleAssignment.objects.filter(
        user=OuterRef("pk"),
        organisation_id=organisation_id,
        role__in=ASSIGNABLE_ROLES,
    ).filter(Q(unit_id__in=ancestors_and_self(units)) | Q(unit__isnull=True))
    return User.objects.filter(Q(is_active=True) & Exists(roles) | Q(pk=current)).order_by(
        "first_name", "last_name", "username"
    )
