"""Managing users and their roles: the one write path for each change, recorded in history."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from internkontroll.accounts.models import RoleAssignment, User
from internkontroll.organisation.models import Organisation, Unit


@transaction.atomic
def create_user(organisation: Organisation, *, acting_user: Any, **values: Any) -> User:
    """A new user without a usable password: they log in by single sign-on or a reset."""
    user = User(organisation=organisation, **values)
    user.set_unusable_password()
    user._history_user = acting_user  # type: ignore[attr-defined]
    user.save()
    return user


@transaction.atomic
def change_user(user: User, *, acting_user: Any, **values: Any) -> User:
    for name, value in values.items():
        setattr(user, name, value)
    user._history_user = acting_user  # type: ignore[attr-defined]
    user.save(update_fields=list(values))
    return user


@transaction.atomic
def add_role(user: User, *, acting_user: Any, role: str, unit: Unit | None) -> RoleAssignment:
    assignment = RoleAssignment(user=user, organisation=user.organisation, unit=unit, role=role)
    assignment.full_clean()  # unknown roles, other organisations' units, duplicates
    assignment._history_user = acting_user  # type: ignore[attr-defined]
    assignment.save()
    return assignment


@transaction.atomic
def remove_role(assignment: RoleAssignment, *, acting_user: Any) -> None:
    assignment._history_user = acting_user  # type: ignore[attr-defined]
    assignment.delete()
