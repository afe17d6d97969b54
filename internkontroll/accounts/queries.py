from __future__ import annotations

from django.db.models import Q, QuerySet

from internkontroll.accounts.models import User
from internkontroll.organisation.models import Unit


def ancestors_and_self(units: list[Unit]) -> set[int]:
    found: set[int] = set()
    for unit in units:
        current: Unit | None = unit
        while current is not None and current.pk not in found:
            found.add(current.pk)
            current = current.parent
    return found


def users_who_see(units: list[Unit]) -> QuerySet[User]:
    """Active users whose roles cover any of these units: those an item may be assigned to."""
    organisation_id = units[0].organisation_id
    return (
        User.objects.filter(is_active=True, organisation_id=organisation_id)
        .filter(
            Q(role_assignments__unit_id__in=ancestors_and_self(units))
            | Q(
                role_assignments__unit__isnull=True,
                role_assignments__organisation_id=organisation_id,
            )
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
