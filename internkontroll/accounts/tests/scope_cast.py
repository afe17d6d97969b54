"""The cast for the administrators' scope: people wider than an administrator, and a narrow one."""

from __future__ import annotations

from internkontroll.accounts.models import Role, User
from internkontroll.organisation.models import Unit
from internkontroll.test import BaseTestCase, make_user


def every_role_everywhere(case: BaseTestCase, prefix: str) -> list[User]:
    """The cast's people, and a person for each role on the whole organisation and on each
    level of the tree (committees, an administration, a unit, another committee's office)."""
    units: list[Unit | None] = [None, case.ks, case.sn, case.sf, case.sf_vux, case.bf]
    people = [case.outsider, case.coordinator, case.responsible, case.reader, case.admin]
    for unit in units:
        for role in Role.values:
            name = f"{prefix}-{role}-{unit.external_id if unit else 'org'}"
            people.append(make_user(name, case.organisation, [(role, unit)]))
    return people


class AdministratorScopeTestCase(BaseTestCase):
    """Adds a superuser and a staff user of Exempelstad, and an administrator of sn only."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.superuser = make_user("superuser", cls.organisation)
        cls.superuser.is_superuser = True
        cls.staff = make_user("personal", cls.organisation, [(Role.READER, cls.sf)])
        cls.staff.is_staff = True
        for person in (cls.superuser, cls.staff):
            person.email = f"{person.username}@example.se"
            person.save()
        # An administrator of socialnämnden and everything below it.
        cls.sn_admin = make_user("sn-admin", cls.organisation, [(Role.ADMIN, cls.sn)])
